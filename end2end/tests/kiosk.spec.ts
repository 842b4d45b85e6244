import { expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, open, shot } from "./helpers";

// Each project works in its own village so the two never share state:
// the phone at 沙坝村 (200), the tablet at the next village (201).
const suffix = (project: string) => (project === "phone" ? "200" : "201");

async function login(page: Page, username: string) {
  await open(page, "/login");
  await page.getByTestId("username").fill(username);
  await page.getByTestId("password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("kiosk")).toBeVisible();
  // The role home's code arrives in its own chunk: wait until it is interactive.
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

type Hit = { id: number; card_no: string; head_name: string; balance: number };

/** Households of the counter's village, read through the counter's own server function. */
async function households(page: Page, project: string): Promise<Hit[]> {
  const r = await page.request.get(`/api/counter_search?q=${suffix(project)}`);
  expect(r.ok()).toBeTruthy();
  return (await r.json()) as Hit[];
}

/** The day's receipts, through the counter's own server function. */
async function dayReceipts(page: Page): Promise<{ receipt_no: string; card_no: string; total: number }[]> {
  const r = await page.request.get(`/api/counter_day?date=`);
  expect(r.ok()).toBeTruthy();
  return (await r.json()).receipts;
}

/** Types a card number into the focused code field and presses Enter, as a USB scanner does. */
async function typeCard(page: Page, card: string) {
  await page.getByTestId("kiosk-code").focus();
  await page.keyboard.type(card);
  await page.keyboard.press("Enter");
}

async function scan(page: Page, card: string) {
  await typeCard(page, card);
  await expect(page.getByTestId("kiosk-customer")).toBeVisible();
}

async function tap(page: Page, goods: string, times = 1) {
  for (let i = 0; i < times; i++) {
    await page.getByTestId(`tile-${goods}`).locator(".tile-add").tap();
  }
}

test("scan a card, add three goods, confirm, print the receipt, next customer; then void it", async ({ page }, info) => {
  // A panic in the page (a reactive value read after disposal) fails the test.
  const crashes: string[] = [];
  page.on("pageerror", (e) => crashes.push(e.message));
  // So does anything the Content-Security-Policy refuses (the receipt's print size is an inline style).
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) crashes.push(m.text());
  });
  await login(page, `shop${suffix(info.project.name)}`);
  await expect(page.getByTestId("kiosk-code")).toBeFocused();
  await shot(page, info, "30-kiosk-identify");
  const rich = (await households(page, info.project.name)).filter((h) => h.balance >= 30)[0];
  expect(rich, "a household with at least 30 points").toBeTruthy();

  await scan(page, rich.card_no);
  await expect(page.getByTestId("kiosk-customer")).toContainText(rich.head_name);
  await expect(page.getByTestId("kiosk-balance")).toHaveText(String(rich.balance));
  await tap(page, "食盐", 2);
  await tap(page, "肥皂");
  await tap(page, "香皂");
  await expect(page.getByTestId("tile-食盐").getByTestId("tile-count")).toHaveText("2");
  await expect(page.getByTestId("cart-total")).toHaveText("16 分");
  await expect(page.getByTestId("cart-left")).toHaveText(`${rich.balance - 16} 分`);
  // Taking one back works too.
  await page.getByTestId("tile-香皂").locator(".tile-minus").tap();
  await expect(page.getByTestId("cart-total")).toHaveText("10 分");
  await tap(page, "香皂");
  await shot(page, info, "31-kiosk-cart");

  await page.getByTestId("kiosk-confirm").tap();
  const receipt = page.getByTestId("receipt");
  await expect(receipt).toBeVisible();
  await expect(receipt).toContainText(rich.head_name);
  await expect(receipt).toContainText("食盐");
  await expect(page.getByTestId("receipt-total")).toHaveText("16 分");
  await expect(page.getByTestId("receipt-balance")).toHaveText(`${rich.balance - 16} 分`);
  const receiptNo = (await page.getByTestId("receipt-no").textContent())!;
  expect(receiptNo).toMatch(new RegExp(`^${suffix(info.project.name)}-\\d{8}-\\d{4}$`));
  await shot(page, info, "32-kiosk-receipt");

  if (info.project.name === "tablet") {
    // The print layout is one 58 mm slip with just the receipt.
    await page.emulateMedia({ media: "print" });
    await shot(page, info, "33-kiosk-receipt-print");
    const pdfBytes = await page.pdf({ preferCSSPageSize: true });
    require("fs").writeFileSync(`screenshots/${info.project.name}/33-kiosk-receipt.pdf`, pdfBytes);
    const pdf = pdfBytes.toString("latin1");
    const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)];
    expect(boxes.length).toBe(1);
    // 58 mm is 164.4 pt.
    expect(Math.abs(Number(boxes[0][1]) - 164.4)).toBeLessThan(1);
    await page.emulateMedia({ media: "screen" });
  }

  await page.getByTestId("kiosk-next").tap();
  await expect(page.getByTestId("kiosk-code")).toHaveValue("");
  await expect(page.getByTestId("kiosk-customer")).toHaveCount(0);

  // The same day, the clerk voids it with a reason: points and goods come back.
  await open(page, "/kiosk/today");
  const row = page.locator(`[data-receipt="${receiptNo}"]`);
  await expect(row).toContainText(rich.head_name);
  await row.getByTestId("void-open").tap();
  await row.getByTestId("void-confirm").tap();
  await expect(row.getByRole("alert")).toHaveText("请填写作废原因");
  // A ready-made reason is one tap; any other is typed.
  await row.getByTestId("void-reason-0").tap();
  await expect(row.getByTestId("void-reason")).toHaveValue("拿错商品");
  await expect(row.getByTestId("void-reason-0")).toHaveAttribute("aria-checked", "true");
  await row.getByTestId("void-reason").fill("顾客要换商品");
  await shot(page, info, "34-kiosk-void");
  await row.getByTestId("void-confirm").tap();
  await expect(page.locator(`[data-receipt="${receiptNo}"]`).getByTestId("day-status")).toContainText("已作废");
  await expect(page.getByTestId("day-sheet")).toContainText(`作废 ${receiptNo}：顾客要换商品`);
  await shot(page, info, "35-kiosk-day");
  if (info.project.name === "tablet") {
    // The end-of-day sheet prints without the buttons.
    await page.emulateMedia({ media: "print" });
    await expect(page.getByTestId("void-open").first()).toBeHidden();
    await shot(page, info, "35-kiosk-day-print");
    await page.emulateMedia({ media: "screen" });
  }
  const after = (await households(page, info.project.name)).find((h) => h.id === rich.id)!;
  expect(after.balance).toBe(rich.balance);

  // The household's own ledger shows the redemption and its void.
  await open(page, `/household/${rich.card_no}`);
  await expect(page.locator("body")).toContainText(`作废小票 ${receiptNo}（顾客要换商品）`);
  expect(crashes).toEqual([]);
});

test("points spent at another counter meanwhile: a clear message, nothing written", async ({ page, context }, info) => {
  await login(page, `shop${suffix(info.project.name)}`);
  const list = await households(page, info.project.name);
  const h = list.filter((x) => x.balance >= 20 && x.balance < 200)[0] ?? list.filter((x) => x.balance >= 20)[0];
  expect(h).toBeTruthy();
  await scan(page, h.card_no);
  // Goods dearer than the whole balance are greyed with the reason.
  const oil = page.getByTestId("tile-食用油");
  if (h.balance < 60) {
    await expect(oil).toContainText("积分不够");
    await expect(oil.locator(".tile-add")).toBeDisabled();
  }
  await tap(page, "食盐", 3);
  await expect(page.getByTestId("cart-total")).toHaveText("9 分");

  // A second counter spends all but 5 points of the household first.
  const other = await context.newPage();
  await open(other, "/kiosk");
  await scan(other, h.card_no);
  const goods = await (await other.request.get("/api/counter_shelf")).json();
  const salt = goods.find((g: { name: string }) => g.name === "食盐");
  const units = Math.floor((h.balance - 5) / salt.price);
  const spend = await other.request.post("/api/redeem", {
    data: { household: h.id, lines: [{ goods: salt.id, quantity: units }], idempotency_key: `other-counter-${Date.now()}` },
  });
  expect(spend.ok()).toBeTruthy();
  const left = h.balance - units * salt.price;
  await other.close();
  const before = (await dayReceipts(page)).length;

  await page.getByTestId("kiosk-confirm").tap();
  await expect(page.getByTestId("kiosk-error")).toHaveText(`积分不足：可用 ${left} 分，需要 9 分，请减少商品后再兑换`);
  // The counter now shows what is really left, and nothing was redeemed.
  await expect(page.getByTestId("kiosk-balance")).toHaveText(String(left));
  await expect(page.getByTestId("cart-left")).toHaveText(`${left - 9} 分`);
  // Until the cart fits the balance again, confirm stays off.
  await expect(page.getByTestId("kiosk-confirm")).toBeDisabled();
  // 5 to 7 points are left: one bag of salt (3 points) fits.
  await page.getByTestId("tile-食盐").locator(".tile-minus").tap();
  await page.getByTestId("tile-食盐").locator(".tile-minus").tap();
  await expect(page.getByTestId("kiosk-confirm")).toBeEnabled();
  await shot(page, info, "36-kiosk-insufficient");
  expect((await dayReceipts(page)).length).toBe(before);
});

test("a double tap, a lost answer and a reload never redeem twice", async ({ page }, info) => {
  await login(page, `shop${suffix(info.project.name)}`);
  const h = (await households(page, info.project.name)).filter((x) => x.balance >= 30)[1];
  expect(h).toBeTruthy();
  const count = async () => (await dayReceipts(page)).filter((r) => r.card_no === h.card_no && r.total > 0).length;
  const start = await count();

  // Double tap on confirm.
  await scan(page, h.card_no);
  await tap(page, "食盐");
  await page.getByTestId("kiosk-confirm").dblclick();
  await expect(page.getByTestId("receipt")).toBeVisible();
  expect(await count()).toBe(start + 1);
  await page.getByTestId("kiosk-next").tap();

  // The answer is lost on the way back (the request did reach the server):
  // the counter retries with the same key and shows the first receipt.
  await scan(page, h.card_no);
  await tap(page, "食盐");
  let lost = 0;
  await page.route("**/api/redeem", async (route) => {
    if (lost === 0) {
      lost++;
      await route.fetch();
      await route.abort("timedout");
    } else {
      await route.continue();
    }
  });
  await page.getByTestId("kiosk-confirm").tap();
  await expect(page.getByTestId("receipt")).toBeVisible();
  await expect(page.getByTestId("kiosk-replayed")).toBeVisible();
  await page.unroute("**/api/redeem");
  expect(await count()).toBe(start + 2);
  await page.getByTestId("kiosk-next").tap();

  // The network stays down after the request went through; the clerk reloads.
  await scan(page, h.card_no);
  await tap(page, "食盐");
  await page.route("**/api/redeem", async (route) => {
    await route.fetch();
    await route.abort("connectionreset");
  });
  await page.getByTestId("kiosk-confirm").tap();
  await expect(page.getByTestId("kiosk-error")).toContainText("不会重复扣分");
  await page.unroute("**/api/redeem");
  await page.reload();
  await expect(page.getByTestId("receipt")).toBeVisible();
  await expect(page.getByTestId("kiosk-replayed")).toBeVisible();
  expect(await count()).toBe(start + 3);
  await shot(page, info, "37-kiosk-reloaded");
});

test("a card of another village and an unknown card get a clear message", async ({ page }, info) => {
  await login(page, `shop${suffix(info.project.name)}`);
  // A card of the other project's village, from the public search.
  const theirs = info.project.name === "phone" ? "201" : "200";
  const found = await (await page.request.get(`/api/search_households?q=${theirs}`)).json();
  const foreign = found[0] as { card_no: string; village_name: string };
  await typeCard(page, foreign.card_no);
  await expect(page.getByTestId("kiosk-error")).toHaveText(
    `这是${foreign.village_name}的户卡，只能在${foreign.village_name}积分超市兑换`,
  );
  await page.getByTestId("pad-清除").tap();
  // Typed on the on-screen number pad this time.
  for (const d of "9999999") await page.getByTestId(`pad-${d}`).tap();
  await expect(page.getByTestId("kiosk-code")).toHaveValue("9999999");
  await page.getByTestId("kiosk-identify").tap();
  await expect(page.getByTestId("kiosk-error")).toContainText("没有卡号为 9999999 的农户");
  await shot(page, info, "38-kiosk-unknown-card");
  await page.getByTestId("pad-清除").tap();
  // Search by name finds people who forgot their card.
  const h = (await households(page, info.project.name))[0];
  await page.getByTestId("kiosk-name").fill(h.head_name);
  await page.getByTestId("kiosk-name").press("Enter");
  await expect(page.getByTestId("kiosk-hits")).toContainText(h.card_no);
  await page.getByTestId("kiosk-hits").getByText(h.card_no).tap();
  await expect(page.getByTestId("kiosk-customer")).toContainText(h.head_name);
  await page.getByTestId("kiosk-cancel").tap();
  await shot(page, info, "39-kiosk-search");
});

test("where the browser reads QR codes, the camera button scans a card", async ({ page }, info) => {
  // Debian's Chromium has no BarcodeDetector; stand in for the browser's
  // detector and camera, so the page's own scanning code runs end to end.
  await login(page, `shop${suffix(info.project.name)}`);
  const h = (await households(page, info.project.name))[2];
  await page.addInitScript((card: string) => {
    (window as any).BarcodeDetector = class {
      async detect() {
        return [{ rawValue: card }];
      }
    };
    navigator.mediaDevices.getUserMedia = async () => {
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = 8;
      canvas.getContext("2d")!.fillRect(0, 0, 8, 8);
      return canvas.captureStream();
    };
  }, h.card_no);
  await open(page, "/kiosk");
  const camera = page.getByRole("button", { name: "摄像头扫码" });
  await expect(camera).toBeVisible();
  await camera.tap();
  await expect(page.getByTestId("kiosk-customer")).toContainText(h.head_name);
  await expect(page.getByTestId("kiosk-balance")).toHaveText(String(h.balance));
});

test("the counter leaves out the public site's menu, so a stray tap cannot leave it", async ({ page }) => {
  await login(page, "shop200");
  await open(page, "/kiosk");
  const header = page.locator(".site-header");
  await expect(header.locator("a[href='/ranking'], a[href='/search'], a[href='/']")).toHaveCount(0);
  await expect(header.getByTestId("logout")).toBeVisible();
  // Everywhere else the menu is there.
  await open(page, "/ranking");
  await expect(header.locator("a[href='/search']")).toBeVisible();
});

