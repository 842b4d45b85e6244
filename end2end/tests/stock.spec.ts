import { expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, open, shot } from "./helpers";

// A 1x1 PNG: enough for the server to store a goods photo.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

/** Signs in as 新店村's supermarket clerk and lands on the counter. */
async function login(page: Page) {
  await open(page, "/login");
  await page.getByTestId("username").fill("shop201");
  await page.getByTestId("password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(/\/kiosk$/);
  await page.locator("body[data-hydrated=true]").waitFor();
}

/** The count of kinds on sale the stock page shows. */
async function kindsOnSale(page: Page): Promise<number> {
  const text = await page.getByTestId("stock-kinds").locator(".stat-value").textContent();
  return Number(text);
}

test("the clerk adds goods, receives and adjusts stock, and takes goods off sale", async ({ page }, info) => {
  // The tablet at the counter; the phone project works in another village.
  test.skip(info.project.name !== "tablet", "the stock pages are for the counter tablet");
  const name = `搪瓷杯${String(Date.now()).slice(-5)}`;
  await login(page);
  await open(page, "/kiosk/stock");
  await expect(page.getByTestId("stock-row").first()).toBeVisible();
  await expect(page.getByTestId("stock-kinds")).toContainText("在售商品种类");
  const before = await kindsOnSale(page);
  expect(before).toBeGreaterThanOrEqual(10);
  await expect(page.getByTestId("stock-kinds-warning")).toHaveCount(0);
  await shot(page, info, "40-stock-list");

  // A new goods: a blank form is refused in Chinese, then it is saved with a photo.
  await page.getByTestId("stock-new").click();
  await expect(page).toHaveURL(/\/kiosk\/stock\/new$/);
  await page.locator("body[data-hydrated=true]").waitFor();
  await page.getByTestId("goods-create").click();
  await expect(page.getByTestId("stock-error")).toHaveText("请填写商品名称");
  await page.getByTestId("goods-name").fill(name);
  await page.getByTestId("goods-unit").fill("个");
  await page.getByTestId("goods-category-3").click();
  await page.getByTestId("goods-price").fill("8");
  await page.getByTestId("goods-low").fill("3");
  await page.getByTestId("goods-photo-file").setInputFiles({ name: "cup.png", mimeType: "image/png", buffer: PNG });
  await expect(page.getByTestId("goods-photo-name")).toContainText("cup.png");
  await shot(page, info, "41-stock-new");
  await page.getByTestId("goods-create").click();
  await expect(page).toHaveURL(/\/kiosk\/stock\/goods\/\d+\?new=1$/);
  await expect(page.getByTestId("goods-title")).toHaveText(name);
  await expect(page.getByTestId("stock-result")).toContainText("已新增商品");
  await expect(page.getByTestId("goods-stock")).toHaveText("0");
  await expect(page.getByTestId("goods-badges")).toContainText("已售完");
  const photo = page.locator("img[data-testid=goods-photo]");
  await expect(photo).toBeVisible();
  const served = await page.request.get((await photo.getAttribute("src"))!);
  expect(served.status()).toBe(200);
  expect(served.headers()["content-type"]).toBe("image/jpeg");
  await page.locator("body[data-hydrated=true]").waitFor();

  // Receive 20 at 12.5 yuan each: stock rises and the receipt heads the history.
  await page.getByTestId("receive-qty").fill("20");
  await page.getByTestId("receive-cost").fill("12.5");
  await page.getByTestId("receive-supplier").fill("镇供销社");
  await expect(page.getByTestId("receive-preview")).toHaveText("入库后库存：0 → 20 个；进货金额 250.00 元");
  await page.getByTestId("receive-submit").click();
  await expect(page.getByTestId("stock-result")).toHaveText("已入库 20 个，现有库存 20 个");
  await expect(page.getByTestId("goods-stock")).toHaveText("20");
  const first = page.getByTestId("movement-row").first();
  await expect(first).toContainText("入库");
  await expect(first).toContainText("+20");
  await expect(first).toContainText("12.50");
  await expect(first).toContainText("250.00");
  await expect(first).toContainText("镇供销社");
  await expect(page.getByTestId("goods-received")).toContainText("累计入库 20 个，进货金额 250.00 元");
  await shot(page, info, "42-stock-receive");

  // Adjust: more than there is is refused, a reason is required, then 3 are written off.
  await page.getByTestId("tab-adjust").click();
  await page.getByTestId("adjust-qty").fill("25");
  await expect(page.getByTestId("adjust-preview")).toContainText("调整后库存不能为负");
  await page.getByTestId("adjust-reason-0").click();
  await page.getByTestId("adjust-submit").click();
  await expect(page.getByTestId("stock-error")).toContainText("调整后库存不能为负");
  await page.getByTestId("adjust-reason-0").click();
  await page.getByTestId("adjust-qty").fill("3");
  await page.getByTestId("adjust-reason-3").click();
  await page.getByTestId("adjust-submit").click();
  await expect(page.getByTestId("stock-error")).toHaveText("选择“其他”时请填写说明");
  await page.getByTestId("adjust-reason-0").click();
  await page.getByTestId("adjust-note").fill("受潮");
  await expect(page.getByTestId("adjust-preview")).toHaveText("调整后库存：20 → 17 个");
  await page.getByTestId("adjust-submit").click();
  await expect(page.getByTestId("stock-result")).toHaveText("已调整，现有库存 17 个");
  await expect(page.getByTestId("goods-stock")).toHaveText("17");
  await expect(first).toContainText("调整");
  await expect(first).toContainText("-3");
  await expect(first).toContainText("损耗/破损：受潮");
  await expect(page.getByTestId("movement-row")).toHaveCount(2);
  await shot(page, info, "43-stock-adjust");

  // On sale with stock, the new goods counts among the kinds on sale.
  await page.getByTestId("stock-back").click();
  await expect(page).toHaveURL(/\/kiosk\/stock$/);
  await expect(page.locator(`[data-testid=stock-row][data-name="${name}"]`)).toContainText("17");
  expect(await kindsOnSale(page)).toBe(before + 1);
  await page.locator(`[data-testid=stock-row][data-name="${name}"]`).click();
  await expect(page.getByTestId("goods-title")).toHaveText(name);
  await page.locator("body[data-hydrated=true]").waitFor();

  // Edit the price, then take it off sale.
  await page.getByTestId("tab-edit").click();
  await expect(page.getByTestId("goods-name")).toHaveValue(name);
  await page.getByTestId("goods-price").fill("9");
  await page.getByTestId("goods-save").click();
  await expect(page.getByTestId("stock-result")).toHaveText("已保存修改");
  await expect(page.locator(".stock-card-meta")).toContainText("9 积分/个");
  await page.getByTestId("goods-deactivate").click();
  await expect(page.getByTestId("stock-result")).toContainText("已下架");
  await expect(page.getByTestId("goods-badges")).toContainText("已下架");
  await expect(page.getByTestId("goods-activate")).toBeVisible();
  await shot(page, info, "44-stock-edit");

  // Back on the list it is marked, listed under 已下架, and no longer counted.
  await page.getByTestId("stock-back").click();
  const row = page.locator(`[data-testid=stock-row][data-name="${name}"]`);
  await expect(row).toContainText("已下架");
  expect(await kindsOnSale(page)).toBe(before);
  await page.getByTestId("stock-filter-inactive").click();
  await expect(row).toBeVisible();
  await expect(page.getByTestId("stock-row").filter({ hasNotText: "已下架" })).toHaveCount(0);
  await shot(page, info, "45-stock-inactive");

  // A demo goods shows its opening delivery and the redemptions since, each
  // with its receipt number.
  await page.getByTestId("stock-filter-all").click();
  await page.locator(`[data-testid=stock-row][data-name="醋"]`).click();
  await expect(page.getByTestId("goods-title")).toHaveText("醋");
  const rows = page.getByTestId("movement-row");
  await expect(rows.filter({ hasText: "入库" }).first()).toBeVisible();
  const redeemed = rows.filter({ hasText: "兑换单" });
  for (const r of await redeemed.all()) {
    await expect(r.locator(".stock-kind")).toHaveText("兑换");
  }
  await shot(page, info, "46-stock-history");
});

test("a villager cannot open the stock pages", async ({ page }, info) => {
  test.skip(info.project.name !== "tablet", "the stock pages are for the counter tablet");
  await open(page, "/login");
  await page.getByTestId("username").fill("hu200");
  await page.getByTestId("password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(/\/me$/);
  await open(page, "/kiosk/stock");
  await expect(page.getByRole("alert")).toContainText("此页面不属于您的角色");
  await expect(page.getByTestId("stock-list")).toHaveCount(0);
  const res = await page.request.get("/api/stock_overview?village=1");
  expect(res.status()).toBe(403);
});
