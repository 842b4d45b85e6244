import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, open, shot } from "./helpers";

test("the town admin picks a village and works in its back office", async ({ page }, info) => {
  await open(page, "/login");
  await page.getByTestId("username").fill("admin");
  await page.getByTestId("password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(/\/town$/);
  await page.locator("body[data-hydrated=true]").waitFor();
  await page.getByTestId("town-office").click();
  const pick = page.getByTestId("office-village-pick");
  await expect(pick.locator("a")).toHaveCount(15);
  await pick.getByText("沙坝村").click();
  await expect(page).toHaveURL(/\/office\?v=\d+$/);
  await expect(page.getByTestId("entry-form")).toBeVisible();
  await expect(page.getByTestId("office-village")).toHaveText("正在管理：沙坝村");
  // Every tab keeps the chosen village.
  const review = page.locator(".office-tabs a", { hasText: "审核" });
  await expect(review).toHaveAttribute("href", /\/office\/review\?v=\d+$/);
  await review.click();
  await expect(page.getByTestId("review-queue")).toBeVisible();
  await expect(page.getByTestId("office-village")).toHaveText("正在管理：沙坝村");
  await shot(page, info, "60-town-office-review");
});
