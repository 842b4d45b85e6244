import { expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, open, shot } from "./helpers";

async function login(page: Page, username: string) {
  await open(page, "/login");
  await page.getByTestId("username").fill(username);
  await page.getByTestId("password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page.locator("[data-testid=role-home]")).toBeVisible();
  // The role home's code arrives in its own chunk: wait until it is interactive.
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

test("the clerk approves two proposals at once and rejects one with a reason", async ({ page }, info) => {
  // Each project reviews its own village's queue.
  await login(page, info.project.name === "phone" ? "cun200" : "cun201");
  await open(page, "/office/review");
  const cards = page.getByTestId("pending");
  await expect(cards.first()).toBeVisible();
  const before = await cards.count();
  expect(before).toBeGreaterThanOrEqual(3);

  // Pick two: each shows the household's balance before and after.
  const first = cards.nth(0);
  const firstName = (await first.locator(".entry-item").first().textContent())!;
  await first.locator("input[type=checkbox]").check();
  await cards.nth(1).locator("input[type=checkbox]").check();
  await expect(first).toHaveClass(/chosen/);
  await expect(first.locator(".review-effect")).toContainText(/当前 -?\d+ 分 → 通过后 -?\d+ 分/);
  await expect(page.getByTestId("review-bar")).toContainText("已选 2 条");
  await shot(page, info, "40-review-selected");
  await page.getByTestId("review-approve").click();
  await expect(page.getByTestId("review-result")).toHaveText("已通过 2 条");
  await expect(cards).toHaveCount(before - 2);
  const reviewed = page.getByTestId("reviewed").locator("li");
  await expect(reviewed.filter({ hasText: firstName.split("（")[0] }).first()).toContainText("已通过：审核通过");

  // A rejection without a reason is refused, in Chinese, and changes nothing.
  await cards.nth(0).locator("input[type=checkbox]").check();
  await page.getByTestId("review-reject").click();
  await expect(page.getByTestId("review-error")).toHaveText("驳回时请填写理由");
  await expect(cards).toHaveCount(before - 2);
  await page.getByTestId("review-reason").fill("与实际情况不符");
  await page.getByTestId("review-reject").click();
  await expect(page.getByTestId("review-result")).toHaveText("已驳回 1 条");
  await expect(cards).toHaveCount(before - 3);
  await expect(reviewed.first()).toContainText("已驳回：与实际情况不符");
  await shot(page, info, "41-review-done");
});
