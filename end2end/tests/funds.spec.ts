import { Browser, expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, open, shot } from "./helpers";

async function login(page: Page, user: string, home: RegExp) {
  await open(page, "/login");
  await page.getByTestId("username").fill(user);
  await page.getByTestId("password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(home);
  await page.locator("body[data-hydrated=true]").waitFor();
}

function watchCrashes(page: Page): string[] {
  const crashes: string[] = [];
  page.on("pageerror", (e) => crashes.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" && /hydrat|panicked|unreachable/i.test(m.text())) crashes.push(m.text());
  });
  return crashes;
}

// A tiny picture of a receipt (8x8 PNG).
const VOUCHER_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGP49eEEVsQwtCQAczWsgdx6V+0AAAAASUVORK5CYII=",
  "base64",
);

test("the town admin records a spending with a voucher photo, sees the warning, reverses it and reconciles", async ({ page }, info) => {
  const crashes = watchCrashes(page);
  const stamp = `${info.project.name}-${Date.now()}`;
  // Each project works on its own village (neither is the demo's
  // off-purpose one), so the warning is this run's.
  const villageName = info.project.name === "phone" ? "香良村" : "沙坝村";

  await login(page, "admin", /\/town$/);
  await page.getByTestId("town-funds").click();
  await expect(page).toHaveURL(/\/town\/funds$/);
  await page.locator("body[data-hydrated=true]").waitFor();
  const list = page.getByTestId("funds-villages");
  await expect(list.locator("li.funds-village")).toHaveCount(15);
  // The demo town's warnings show at a glance.
  await expect(list).toContainText("用于积分制以外");
  await expect(list).toContainText("低于方案要求的 60%");
  await shot(page, info, "funds-town");

  await list.locator("li.funds-village", { hasText: villageName }).getByRole("link", { name: villageName }).click();
  await expect(page).toHaveURL(/\/town\/funds\/\d+$/);
  await page.locator("body[data-hydrated=true]").waitFor();
  await expect(page.getByTestId("funds-village-name")).toContainText(villageName);
  const subsidy = page.locator("[data-testid=fund-card][data-kind=subsidy]");
  await expect(subsidy).toBeVisible();
  await expect(subsidy).not.toContainText("用于积分制以外");

  // A training bill paid from the subsidy: recorded with its voucher.
  const description = `积分管理员培训资料费 ${stamp}`;
  await page.getByTestId("spend-fund").selectOption({ label: "区级补助" });
  await page.getByTestId("spend-amount").fill("123.45");
  await page.getByTestId("spend-category").selectOption("training");
  await page.getByTestId("spend-description").fill(description);
  await page.getByTestId("spend-photo").setInputFiles({ name: "发票.png", mimeType: "image/png", buffer: VOUCHER_PNG });
  await page.getByTestId("spend-save").click();
  await expect(page.getByTestId("spend-result")).toHaveText("已登记");

  const row = page.getByTestId("spending-row").filter({ hasText: description }).first();
  await expect(row).toContainText("123.45 元");
  await expect(row).toContainText("培训");
  const img = row.getByTestId("spending-voucher").locator("img");
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
  await expect(subsidy.getByTestId("fund-warnings")).toContainText("区级补助有 123.45 元用于积分制以外");
  await row.scrollIntoViewIfNeeded();
  await shot(page, info, "funds-village-warning");

  // Reversed with a reason: the row stays, marked; a negative row joins it.
  await row.getByTestId("reverse-open").click();
  await row.getByTestId("reverse-reason").fill("类别登记错误");
  await row.getByTestId("reverse-confirm").click();
  const original = page.locator("[data-testid=spending-row]", { hasText: description }).filter({ has: page.getByTestId("spending-reversed") });
  await expect(original).toHaveCount(1);
  const reversal = page.getByTestId("spending-row").filter({ hasText: `冲销：${description}` });
  await expect(reversal).toContainText("-123.45 元");
  await expect(reversal).toContainText("冲销原因：类别登记错误");
  await expect(subsidy).not.toContainText("用于积分制以外");
  await shot(page, info, "funds-village-reversed");

  // The reconciliation of the demo's months.
  await page.getByTestId("reconcile-run").click();
  const result = page.getByTestId("reconcile-result");
  await expect(result).toContainText("兑出积分");
  await expect(page.getByTestId("reconcile")).toContainText("按 1 分 = 1 元计");
  await page.getByTestId("reconcile").scrollIntoViewIfNeeded();
  await shot(page, info, "funds-reconcile");

  expect(crashes).toEqual([]);
});

test("a village admin reads their own village's funds, read-only", async ({ page }, info) => {
  const crashes = watchCrashes(page);
  await login(page, "cun200", /\/office$/);
  await page.getByTestId("office-funds").click();
  await expect(page).toHaveURL(/\/town\/funds\/\d+$/);
  await page.locator("body[data-hydrated=true]").waitFor();
  await expect(page.getByTestId("funds-village-name")).toContainText("沙坝村");
  await expect(page.getByTestId("fund-card").first()).toBeVisible();
  await expect(page.getByTestId("spending-row").first()).toBeVisible();
  await expect(page.getByTestId("spend-form")).toHaveCount(0);
  await expect(page.getByTestId("reverse-open")).toHaveCount(0);
  await expect(page.getByTestId("tranche-pay")).toHaveCount(0);
  await expect(page.getByText("本页为只读")).toBeVisible();
  await shot(page, info, "funds-village-readonly");

  // Another village's funds, or the town's list: refused.
  const own = Number(page.url().match(/(\d+)$/)![1]);
  await open(page, `/town/funds/${own + 1}`);
  await expect(page.getByRole("alert")).toContainText("无权进行此操作");
  expect(crashes).toEqual([]);
});

async function anonymousFunds(browser: Browser) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const crashes = watchCrashes(page);
  await open(page, "/funds");
  return { ctx, page, crashes };
}

test("the public sees the funds summary only while the town publishes it", async ({ page, browser }, info) => {
  const crashes = watchCrashes(page);
  const before = await anonymousFunds(browser);
  await expect(before.page.getByRole("alert")).toContainText("请先登录");
  await before.ctx.close();

  await login(page, "admin", /\/town$/);
  await open(page, "/town/funds");
  const publish = page.getByTestId("funds-publish");
  await expect(publish).toHaveText("向公众公开资金汇总");
  await publish.click();
  await expect(publish).toHaveText("取消公开");

  const after = await anonymousFunds(browser);
  await expect(after.page.getByTestId("funds-public-note")).toBeVisible();
  await expect(after.page.getByTestId("funds-villages").locator("li.funds-village")).toHaveCount(15);
  await expect(after.page.getByTestId("funds-publish")).toHaveCount(0);
  await expect(after.page.getByTestId("funds-villages").getByRole("link")).toHaveCount(0);
  await shot(after.page, info, "funds-public");
  expect(after.crashes).toEqual([]);
  await after.ctx.close();

  // Withdrawn again, so the next run starts the same way.
  await publish.click();
  await expect(publish).toHaveText("向公众公开资金汇总");
  expect(crashes).toEqual([]);
});
