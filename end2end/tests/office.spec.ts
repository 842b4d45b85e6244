import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, open, shot } from "./helpers";

test("the points clerk records an award, seeing its effect first, then reverses it", async ({ page }, info) => {
  await open(page, "/login");
  await page.getByTestId("username").fill("cun200");
  await page.getByTestId("password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(/\/office$/);
  await page.locator("body[data-hydrated=true]").waitFor();

  // Find the household by card number and pick it.
  await page.getByTestId("office-search").fill("2000002");
  await page.getByTestId("office-search").press("Enter");
  const hit = page.getByTestId("office-hits").locator("button").first();
  await expect(hit).toContainText("卡号 2000002");
  const before = Number((await hit.locator(".hit-balance").textContent())!.replace(/[^0-9-]/g, ""));
  await hit.click();
  await expect(page.getByTestId("entry-preview")).toContainText("请选择细则");

  // Narrow the catalogue, pick the item: the preview shows before and after.
  await page.getByTestId("rule-filter").fill("村民大会");
  await page.getByTestId("rule-select").selectOption({ label: "按时参加村民大会（+1分/每次）" });
  await expect(page.getByTestId("entry-preview")).toContainText(`当前 ${before} 分`);
  await expect(page.getByTestId("entry-preview")).toContainText(`录入后 ${before + 1} 分`);

  // Without a reason the server refuses, in Chinese, and nothing is written.
  await page.getByTestId("entry-submit").click();
  await expect(page.getByTestId("entry-error")).toHaveText("请填写事由");

  await page.getByTestId("entry-reason").fill("11月村民大会按时签到");
  await shot(page, info, "12-office-entry");
  await page.getByTestId("entry-submit").click();
  await expect(page.getByTestId("entry-result")).toContainText(`+1 分，现有 ${before + 1} 分`);
  const recent = page.getByTestId("recent-entries").locator("li");
  await expect(recent.first()).toContainText("按时参加村民大会");
  await expect(recent.first()).toContainText("11月村民大会按时签到");

  // Correct it: a reversal entry appears, the original is struck through.
  await recent.first().getByTestId("reverse-open").click();
  await expect(recent.first().getByTestId("reverse-effect")).toContainText(`${before + 1} 分 → ${before} 分`);
  await recent.first().getByTestId("reverse-reason").fill("录错户");
  await recent.first().getByTestId("reverse-confirm").click();
  await expect(recent.first()).toContainText("冲正：录错户");
  await expect(recent.nth(1)).toHaveClass(/reversed/);
  // The form's preview follows: the household is back to its old balance.
  await expect(page.getByTestId("entry-preview")).toContainText(`当前 ${before} 分`);
  await shot(page, info, "13-office-reversed");

  // The public page shows the balance back where it was.
  await open(page, "/household/2000002");
  await expect(page.getByTestId("balance")).toHaveText(String(before));
});

test("the office is only for village points clerks", async ({ page }) => {
  await open(page, "/office");
  await expect(page.getByRole("alert")).toContainText("请先登录");
});
