import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, open, shot } from "./helpers";

test("the town home lists the 15 villages taking part", async ({ page }, info) => {
  await open(page, "/");
  const villages = page.getByTestId("village-list").locator("li");
  await expect(villages).toHaveCount(15);
  await expect(page.getByTestId("village-list")).toContainText("沙坝村");
  await expect(page.getByTestId("village-list")).toContainText("高梁场社区");
  await expect(page.getByTestId("village-list")).not.toContainText("大碑村");
  await expect(page.getByTestId("village-list")).not.toContainText("天鹅村");
  await shot(page, info, "01-home");
});

test("a village's rules, goods and leaderboard respond after hydration", async ({ page }, info) => {
  await open(page, "/");
  await page.getByTestId("village-list").getByText("沙坝村").click();
  await expect(page.getByTestId("village-name")).toHaveText("沙坝村");
  const rules = page.getByTestId("rules");
  await expect(rules.locator(".rule-item").first()).toBeVisible();
  await expect(rules.locator(".points-plus").first()).toContainText("+");
  await expect(rules.locator(".points-minus").first()).toContainText("−");
  expect(await rules.locator("h2").count()).toBeGreaterThanOrEqual(5);
  await shot(page, info, "02-village-rules");

  // Client-side tab switch: no full reload, the hydrated flag stays.
  await page.getByRole("link", { name: "积分超市" }).click();
  await expect(page).toHaveURL(/\/goods$/);
  const goods = page.getByTestId("goods").locator(".goods-card");
  // Wait for the catalogue to arrive before counting it.
  await expect(goods.nth(11)).toBeVisible();
  await expect(page.getByTestId("goods")).toContainText("分/");
  await expect(page.locator(".goods-card.sold-out")).toHaveCount(1);
  await expect(page.locator(".goods-card.sold-out")).toContainText("暂时缺货");
  await page.getByTestId("in-stock-only").check();
  await expect(page.locator(".goods-card.sold-out:visible")).toHaveCount(0);
  await shot(page, info, "03-village-goods");

  await page.getByRole("link", { name: "积分榜" }).click();
  await expect(page).toHaveURL(/\/board$/);
  await expect(page.getByTestId("board-period")).toContainText("月");
  await expect(page.getByTestId("board").locator("li").first()).toBeVisible();
  await page.getByRole("link", { name: "本年" }).click();
  await expect(page).toHaveURL(/period=year/);
  await expect(page.getByTestId("board-period")).toHaveText(/\d{4}年 积分榜/);
  await page.getByRole("link", { name: "累计" }).click();
  await expect(page.getByTestId("board-period")).toHaveText("累计 积分榜");
  const all = await page.getByTestId("board").locator("li").count();
  // Filtering by one group shows only that group's households, and keeps the period.
  const chip = page.getByTestId("group-chips").locator("a").nth(1);
  const groupName = await chip.textContent();
  await chip.click();
  await expect(page).toHaveURL(/period=all&group=\d+/);
  await expect(chip).toHaveAttribute("aria-current", "true");
  await expect(page.getByTestId("board").locator(".board-group").first()).toHaveText(groupName!.trim());
  const groupRows = page.getByTestId("board").locator(".board-group");
  const n = await groupRows.count();
  expect(n).toBeLessThan(all);
  for (let i = 0; i < n; i++) await expect(groupRows.nth(i)).toHaveText(groupName!.trim());
  await shot(page, info, "04-village-board");

  await page.getByRole("link", { name: "村排名" }).last().click();
  await expect(page.getByTestId("village-ranking").locator("li")).toHaveCount(15);
  await shot(page, info, "05-village-ranking");
});

test("household search finds a demo household and shows its entries", async ({ page }, info) => {
  await open(page, "/search");
  await page.getByTestId("search-input").fill("2000001");
  await page.getByTestId("search-submit").click();
  await expect(page).toHaveURL(/q=2000001/);
  const hit = page.getByTestId("hits").locator("a").first();
  await expect(hit).toContainText("卡号 2000001");
  await shot(page, info, "06-search");
  await hit.click();
  await expect(page).toHaveURL(/\/household\/2000001$/);
  await expect(page.getByTestId("balance")).toHaveText(/^-?\d+$/);
  await expect(page.getByTestId("entries").locator("li").first()).toBeVisible();
  await shot(page, info, "07-household");

  // By head's name too: the name shown on the household page finds it again.
  const name = (await page.getByTestId("head-name").textContent())!.trim();
  await open(page, `/search?q=${encodeURIComponent(name)}`);
  await expect(page.getByTestId("hits")).toContainText(name);
});

test("errors are clear Chinese messages, not blank pages", async ({ page }, info) => {
  const r = await page.goto("/village/99999");
  expect(r?.status()).toBe(404);
  await expect(page.getByRole("alert")).toContainText("找不到该村");
  await open(page, "/household/abc");
  await expect(page.getByRole("alert")).toContainText("户卡号格式不正确");
  await open(page, "/search?q=没有这个人");
  await expect(page.getByTestId("no-hits")).toBeVisible();
  const missing = await page.goto("/no/such/page");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("alert")).toContainText("页面不存在");
  await shot(page, info, "08-not-found");
});

test("when the server cannot be reached, the page says so in Chinese", async ({ page }, info) => {
  await open(page, "/village/7");
  await expect(page.getByTestId("rules")).toBeVisible();
  // From now on every server function call fails as if the server were down.
  await page.route("**/api/**", (route) => route.abort("connectionrefused"));
  await page.getByRole("link", { name: "积分超市" }).click();
  await expect(page.getByRole("alert")).toContainText("无法连接服务器");
  await expect(page.getByRole("alert").getByRole("button", { name: "重试" })).toBeVisible();
  await shot(page, info, "11-server-down");
});

test("pages hydrate under the Content-Security-Policy without a violation", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(m.text())) violations.push(m.text());
  });
  page.on("pageerror", (e) => {
    if (/Content Security Policy/i.test(e.message)) violations.push(e.message);
  });
  const home = await page.goto("/");
  expect(home?.headers()["content-security-policy"]).toContain("'nonce-");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByTestId("village-list").getByText("沙坝村").click();
  await expect(page.getByTestId("village-name")).toHaveText("沙坝村");
  await page.getByRole("link", { name: "积分超市" }).click();
  await expect(page.getByTestId("goods").locator(".goods-card").first()).toBeVisible();
  await open(page, "/login");
  await page.getByTestId("username").fill("shop200");
  await page.getByTestId("password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("kiosk")).toBeVisible();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  expect(await page.evaluate(() => (document as any).featurePolicy?.allowsFeature("camera") ?? true)).toBe(true);
  await open(page, "/");
  expect(await page.evaluate(() => (document as any).featurePolicy?.allowsFeature("camera") ?? false)).toBe(false);
  expect(violations).toEqual([]);
});

// A cheap phone shows the page seconds before its code has arrived: the
// public filters, tabs and search must work as plain links and forms then.
// Here the wasm never arrives (its requests are dropped; the page's inline
// scripts still run, as they do on the phone), so every tap below is one
// made before hydration.
test("before the page is interactive, board chips, village tabs and search still work", async ({ page }) => {
  await page.route("**/*.wasm", (route) => route.abort());
  await page.goto("/village/7/board");
  await expect(page.getByTestId("board-period")).toContainText("月");
  await page.getByRole("link", { name: "本年" }).click();
  await expect(page).toHaveURL(/\/village\/7\/board\?period=year$/);
  await expect(page.getByTestId("board-period")).toHaveText(/\d{4}年 积分榜/);
  const chip = page.getByTestId("group-chips").locator("a").nth(1);
  const groupName = (await chip.textContent())!.trim();
  await chip.click();
  await expect(page).toHaveURL(/period=year&group=\d+/);
  const groups = page.getByTestId("board").locator(".board-group");
  await expect(groups.first()).toHaveText(groupName);
  await page.getByRole("link", { name: "积分超市" }).click();
  await expect(page).toHaveURL(/\/village\/7\/goods$/);
  await expect(page.getByTestId("goods").locator("li").first()).toBeVisible();
  await page.goto("/search");
  await page.getByTestId("search-input").fill("2000001");
  await page.getByTestId("search-submit").click();
  await expect(page).toHaveURL(/q=2000001/);
  await expect(page.getByTestId("hits").locator("a").first()).toContainText("卡号 2000001");
  await expect(page.locator("body")).not.toHaveAttribute("data-hydrated", "true");
});

test("every tab of a village is on the screen, and the two postings have names that cannot be mixed up", async ({ page }, info) => {
  await open(page, "/village/7");
  const tabs = page.locator("nav.village-tabs a");
  await expect(tabs).toHaveText(["积分规则", "积分超市", "积分榜", "村排名", "月度公示", "村务公示", "活动"]);
  const width = page.viewportSize()!.width;
  for (const tab of await tabs.all()) {
    const box = (await tab.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(width);
    expect(box.height).toBeGreaterThanOrEqual(44);
  }
  await shot(page, info, "02b-village-tabs");
});

test("a household's long history shows its newest 20 entries and folds the rest in a details fold", async ({ page }, info) => {
  await open(page, "/household/2110018");
  await expect(page.getByTestId("entries").locator("li")).toHaveCount(20);
  const fold = page.getByTestId("entries-fold");
  const more = page.getByTestId("entries-more");
  await expect(more).toBeHidden();
  await fold.click();
  await expect(more).toBeVisible();
  const n = await more.locator("li").count();
  expect(n).toBeGreaterThan(0);
  await expect(fold).toHaveText(`显示更早的 ${n} 条`);
  await shot(page, info, "07b-household-folded");
});
