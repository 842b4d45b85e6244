import { expect, Page, test } from "@playwright/test";
import { shot } from "./helpers";

// The second server run.sh starts: a town made by `server init` on an
// empty database, no demo. Everything here is done in the browser.
const FRESH = process.env.FRESH_URL || "http://127.0.0.1:3102";
const ADMIN_PASSWORD = process.env.GAOLIANG_ADMIN_PASSWORD || "town-office-2026";

async function go(page: Page, path: string) {
  await page.goto(FRESH + path);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

async function signIn(page: Page, username: string, password: string) {
  await go(page, "/login");
  await page.getByTestId("username").fill(username);
  await page.getByTestId("password").fill(password);
  await page.getByTestId("login-submit").click();
}

/** Opens an account at /town/staff; answers its user name and one-time password. */
async function openAccount(page: Page, role: string, name: string): Promise<[string, string]> {
  await page.getByTestId("staff-role").selectOption(role);
  await page.getByTestId("staff-village").selectOption({ label: "沙坝村" });
  await expect(page.getByTestId("staff-username")).toHaveValue(role === "clerk" ? "shop200" : "cun200");
  await page.getByTestId("staff-name").fill(name);
  await page.getByTestId("staff-save").click();
  await expect(page.getByTestId("otp-username")).toHaveText(role === "clerk" ? "shop200" : "cun200");
  return [
    (await page.getByTestId("otp-username").textContent())!.trim(),
    (await page.getByTestId("otp-password").textContent())!.trim(),
  ];
}

/** First sign-in with a one-time password: set one's own, land on the role's home. */
async function firstSignIn(page: Page, username: string, otp: string, password: string, home: RegExp) {
  await page.context().clearCookies();
  await signIn(page, username, otp);
  await expect(page).toHaveURL(/\/me\/password$/);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByTestId("old-password").fill(otp);
  await page.getByTestId("new-password").fill(password);
  await page.getByTestId("repeat-password").fill(password);
  await page.getByTestId("password-submit").click();
  await expect(page).toHaveURL(home);
}

test("day one: from server init to a published catalogue, imported households, an entry and a redemption the public sees", async ({ page }, info) => {
  test.skip(info.project.name !== "tablet", "one town, set up once");
  test.setTimeout(240_000);

  // The town admin signs in: the checklist shows what is still missing.
  await signIn(page, "admin", ADMIN_PASSWORD);
  await expect(page.locator("[data-testid=role-home]")).toBeVisible();
  await go(page, "/town/setup");
  await expect(page.locator("body")).toContainText("沙坝村");
  await shot(page, info, "90-day-one-setup");

  // Two accounts for 沙坝村: its points clerk and its supermarket clerk.
  await go(page, "/town/staff");
  const [clerk, clerkOtp] = await openAccount(page, "village_admin", "王会计");
  await page.getByTestId("otp-close").click();
  const [shop, shopOtp] = await openAccount(page, "clerk", "李店长");
  await shot(page, info, "91-day-one-accounts");

  // The clerk sets a first password, then the village's groups.
  await firstSignIn(page, clerk, clerkOtp, "沙坝村积分台账-2026", /\/office$/);
  await go(page, "/office/groups");
  for (const name of ["一组", "二组"]) {
    await page.getByTestId("group-new-name").fill(name);
    await page.getByTestId("group-create").click();
    await expect(page.getByTestId("group-list")).toContainText(name);
  }

  // The rule catalogue: the standard one, one item of the village's own, published with the decision.
  await go(page, "/office/rules");
  await page.getByTestId("copy-standard").click();
  await expect(page.getByTestId("rules-draft")).toBeVisible();
  await page.getByTestId("rule-add").click();
  const form = page.getByTestId("rule-form");
  await form.getByTestId("rule-category").fill("村级特色");
  await form.getByTestId("rule-title").fill("参加村民议事会");
  await form.getByTestId("rule-points").fill("5");
  await form.getByTestId("rule-save").click();
  await expect(page.getByTestId("rules-draft")).toContainText("参加村民议事会");
  const pub = page.getByTestId("rules-publish");
  await pub.getByTestId("entitled").fill("30");
  await pub.getByTestId("attended").fill("26");
  await pub.getByTestId("votes-for").fill("25");
  await pub.getByTestId("votes-against").fill("1");
  const minutes = await page.screenshot();
  await pub.getByTestId("minutes-file").setInputFiles({ name: "会议记录.png", mimeType: "image/png", buffer: minutes });
  await pub.getByTestId("rules-publish-go").click();
  await expect(page.getByTestId("rules-ok")).toContainText("修订已发布");
  const publicPage = (await page.getByRole("link", { name: "查看公开页面" }).getAttribute("href"))!;
  await shot(page, info, "92-day-one-rules");

  // Households from the template, then their cards.
  await go(page, "/office/households/import");
  const rows = ["组别,户主姓名,户卡号,地址,家庭成员,是否常住,是否知晓", "一组,赵大山,,一组1号,,是,是", "二组,钱小河,,二组2号,,是,是"];
  await page.getByTestId("hh-file").setInputFiles({ name: "农户.csv", mimeType: "text/csv", buffer: Buffer.from(rows.join("\r\n")) });
  await page.getByTestId("hh-preview").click();
  await expect(page.getByTestId("hh-preview-summary")).toHaveText("将新增 2 户");
  await page.getByTestId("hh-commit").click();
  await expect(page.getByTestId("hh-import-done")).toContainText("已导入 2 户");
  await go(page, "/office/households/cards");
  await expect(page.getByTestId("hh-card")).toHaveCount(2);
  await page.evaluate(() => {
    window.print = () => {};
  });
  const printed = page.waitForResponse((r) => r.url().includes("/api/cards_printed") && r.status() === 200);
  await page.getByTestId("cards-print").click();
  await printed;

  // An entry under the village's own item.
  await go(page, "/office");
  await page.getByTestId("office-search").fill("赵大山");
  await page.getByTestId("office-search").press("Enter");
  const hit = page.getByTestId("office-hits").locator("button").first();
  await expect(hit).toContainText("赵大山");
  const card = (await hit.textContent())!.match(/卡号 (\d{7})/)![1];
  await hit.click();
  await page.getByTestId("rule-filter").fill("议事会");
  await page.getByTestId("rule-select").selectOption({ label: "参加村民议事会（+5分/每次）" });
  await page.getByTestId("entry-reason").fill("12月村民议事会");
  await page.getByTestId("entry-submit").click();
  await expect(page.getByTestId("entry-result")).toContainText("+5 分，现有 5 分");

  // The supermarket clerk: a first password, a goods on the shelf, a redemption.
  await firstSignIn(page, shop, shopOtp, "沙坝村积分超市-2026", /\/kiosk$/);
  await go(page, "/kiosk/stock/new");
  await page.getByTestId("goods-name").fill("洗衣粉");
  await page.getByTestId("goods-unit").fill("袋");
  await page.getByTestId("goods-category-0").click();
  await page.getByTestId("goods-price").fill("3");
  await page.getByTestId("goods-low").fill("2");
  await page.getByTestId("goods-create").click();
  await expect(page.getByTestId("goods-title")).toHaveText("洗衣粉");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByTestId("receive-qty").fill("10");
  await page.getByTestId("receive-cost").fill("2.5");
  await page.getByTestId("receive-submit").click();
  await expect(page.getByTestId("goods-stock")).toHaveText("10");
  await go(page, "/kiosk");
  await page.getByTestId("kiosk-code").focus();
  await page.keyboard.type(card);
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("kiosk-customer")).toContainText("赵大山");
  await page.getByTestId("tile-洗衣粉").locator(".tile-add").click();
  await page.getByTestId("kiosk-confirm").click();
  await expect(page.getByTestId("receipt-balance")).toHaveText("2 分");
  await shot(page, info, "93-day-one-receipt");

  // The public: the rules with their decision, and the household's balance.
  await page.context().clearCookies();
  await go(page, publicPage);
  await expect(page.getByTestId("rules")).toContainText("参加村民议事会");
  await expect(page.getByTestId("decision-votes")).toContainText("赞成 25 票，反对 1 票");
  await shot(page, info, "94-day-one-public-rules");
  await go(page, `/household/${card}`);
  await expect(page.getByTestId("balance")).toHaveText("2");
});
