import { expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, open, shot } from "./helpers";

async function signIn(page: Page, username: string, password: string) {
  await open(page, "/login");
  await page.getByTestId("username").fill(username);
  await page.getByTestId("password").fill(password);
  await page.getByTestId("login-submit").click();
}

test("the town admin opens a clerk's account and the clerk sets a first password before selling", async ({ page, context }, info) => {
  await signIn(page, "admin", DEMO_PASSWORD);
  await expect(page.locator("[data-testid=role-home]")).toBeVisible();
  await open(page, "/town/staff");
  await page.getByTestId("staff-role").selectOption("clerk");
  await page.getByTestId("staff-village").selectOption({ label: "沙坝村" });
  // A user name is suggested from the role and the village code.
  await expect(page.getByTestId("staff-username")).toHaveValue(/^shop200-\d+$/);
  await page.getByTestId("staff-name").fill(`李明${info.project.name}`);
  await page.getByTestId("staff-save").click();
  await expect(page.getByTestId("otp-slip")).toBeVisible();
  const username = (await page.getByTestId("otp-username").textContent())!.trim();
  const otp = (await page.getByTestId("otp-password").textContent())!.trim();
  expect(otp).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  await expect(page.getByTestId("staff-list")).toContainText(username);
  await expect(page.locator(`[data-username="${username}"]`)).toContainText("待改初始密码");
  await shot(page, info, "70-staff-slip");

  // The clerk signs in with the slip and must set their own password.
  await context.clearCookies();
  await signIn(page, username, otp);
  await expect(page).toHaveURL(/\/me\/password$/);
  await expect(page.getByTestId("must-change")).toBeVisible();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByTestId("old-password").fill(otp);
  await page.getByTestId("new-password").fill("13800138000");
  await page.getByTestId("repeat-password").fill("13800138000");
  await page.getByTestId("password-submit").click();
  await expect(page.getByTestId("password-error")).toContainText("不能全是数字");
  await shot(page, info, "71-first-password");
  await page.getByTestId("old-password").fill(otp);
  await page.getByTestId("new-password").fill("村口小卖部-2026");
  await page.getByTestId("repeat-password").fill("村口小卖部-2026");
  await page.getByTestId("password-submit").click();
  await expect(page).toHaveURL(/\/kiosk$/);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");

  // The admin disables the account: the clerk's session ends at once.
  const clerkCookies = await context.cookies();
  await context.clearCookies();
  await signIn(page, "admin", DEMO_PASSWORD);
  await expect(page.locator("[data-testid=role-home]")).toBeVisible();
  await open(page, "/town/staff");
  const row = page.locator(`[data-username="${username}"]`);
  await row.getByTestId("staff-toggle").click();
  await row.getByTestId("staff-confirm").click();
  await expect(row.getByTestId("staff-disabled")).toBeVisible();
  await context.clearCookies();
  await context.addCookies(clerkCookies);
  await open(page, "/kiosk");
  await expect(page.getByRole("alert")).toContainText("请先登录");
});

test("a scorer proposes from a phone and the clerk finds it in the review queue", async ({ page, context }, info) => {
  const [scorer, clerk] = info.project.name === "phone" ? ["pf200", "cun200"] : ["pf201", "cun201"];
  await signIn(page, scorer, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/score$/);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const first = page.getByTestId("score-household").first();
  const who = (await first.locator("span").first().textContent())!.trim();
  await first.click();
  await expect(page.getByTestId("score-picked")).toContainText(who);
  // An item that needs no photo: the picker marks those that do.
  const value = await page
    .getByTestId("rule-select")
    .locator("option:not([value='']):not(:has-text('需照片'))")
    .first()
    .getAttribute("value");
  await page.getByTestId("rule-select").selectOption(value!);
  await page.getByTestId("score-reason").fill("入户检查，院落整洁");
  // A photo of the yard, which the clerk will see as a thumbnail.
  const photo = await page.screenshot();
  await page.getByTestId("evidence-file").setInputFiles({ name: "院落.png", mimeType: "image/png", buffer: photo });
  await expect(page.getByTestId("evidence-thumb")).toBeVisible();
  await shot(page, info, "72-scorer-form");
  await page.getByTestId("score-submit").click();
  await expect(page.getByTestId("score-done")).toContainText(who);
  await expect(page.getByTestId("score-recent")).toContainText("待审核");
  await shot(page, info, "73-scorer-sent");

  await context.clearCookies();
  await signIn(page, clerk, DEMO_PASSWORD);
  await expect(page.locator("[data-testid=role-home]")).toBeVisible();
  await open(page, "/office/review");
  const pending = page.getByTestId("pending").filter({ hasText: "入户检查，院落整洁" });
  await expect(pending).toBeVisible();
  // The evidence shows as a thumbnail, not a bare link.
  const thumb = pending.getByTestId("review-evidence").locator("img");
  await expect(thumb).toBeVisible();
  // It loads lazily, once scrolled to, as a clerk's thumb would.
  await thumb.scrollIntoViewIfNeeded();
  await expect.poll(() => thumb.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0);
});
