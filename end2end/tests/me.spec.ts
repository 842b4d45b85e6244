import { expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, open, shot } from "./helpers";

/** Signs in with a name (user name, card number or phone) and a password. */
async function login(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.context().clearCookies();
  await open(page, "/login");
  await page.getByTestId("username").fill(username);
  await page.getByTestId("password").fill(password);
  await page.getByTestId("login-submit").click();
  await expect(page.locator("[data-testid=role-home]")).toBeVisible();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

function failOnPageErrors(page: Page) {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return () => expect(errors, "no page errors").toEqual([]);
}

test("a villager sees every entry with its recorder and shows the card's QR code", async ({ page }, info) => {
  const noErrors = failOnPageErrors(page);
  await login(page, "hu200");
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByTestId("my-balance")).toHaveText(/^-?\d+$/);
  await expect(page.getByTestId("my-rank")).toHaveText(/^\d+$/);
  const entries = page.getByTestId("my-entry");
  await expect(entries.first()).toBeVisible();
  await expect(entries.first()).toContainText("记录人：");
  await shot(page, info, "50-me-home");
  // The card first: its button is on the first screen and opens the QR
  // over the whole screen, as wide as the phone.
  const show = page.getByTestId("show-card");
  const box = (await show.boundingBox())!;
  expect(box.y + box.height).toBeLessThan(page.viewportSize()!.height);
  await show.click();
  const full = page.getByTestId("full-card");
  await expect(full).toContainText("户卡号 2000001");
  const qr = (await full.locator("svg").boundingBox())!;
  expect(qr.width).toBeGreaterThanOrEqual(Math.min(page.viewportSize()!.width * 0.9, page.viewportSize()!.height * 0.7) - 2);
  await shot(page, info, "51b-me-card-full");
  await page.getByTestId("full-card-close").click();
  await expect(full).toHaveCount(0);
  await page.getByTestId("tab-card").click();
  await expect(page.getByTestId("my-card").locator("svg")).toBeVisible();
  await expect(page.getByTestId("my-card")).toContainText("户卡号 2000001");
  await shot(page, info, "51-me-card");
  await page.getByTestId("tab-redemptions").click();
  await expect(page.getByTestId("tab-redemptions")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("my-redemptions")).toBeAttached();
  noErrors();
});

test("a villager declares a good deed, the clerk approves it, and the points show", async ({ page }, info) => {
  const noErrors = failOnPageErrors(page);
  const why = `帮邻居抢收玉米 ${info.project.name} ${Date.now()}`;
  await login(page, "hu200");
  const before = Number(await page.getByTestId("my-balance").textContent());
  await page.getByTestId("tab-declare").click();
  // Nothing chosen: a clear message, nothing filed.
  await page.getByTestId("declare-submit").click();
  await expect(page.getByTestId("declare-error")).toHaveText("请选择申报的积分细则");
  const select = page.getByTestId("rule-select");
  const value = await select.locator("option[value]:not([value=''])").first().getAttribute("value");
  await select.selectOption(value!);
  await page.getByTestId("declare-reason").fill(why);
  await shot(page, info, "52-me-declare");
  await page.getByTestId("declare-submit").click();
  await expect(page.getByTestId("me-done")).toContainText("申报已提交");
  const mine = page.getByTestId("my-declaration").filter({ hasText: why });
  await expect(mine).toContainText("待审核");

  await login(page, "cun200");
  await open(page, "/office/review");
  const card = page.getByTestId("pending").filter({ hasText: why });
  await expect(card).toBeVisible();
  await card.locator("input[type=checkbox]").check();
  await page.getByTestId("review-approve").click();
  await expect(page.getByTestId("review-result")).toHaveText("已通过 1 条");

  await login(page, "hu200");
  const entry = page.getByTestId("my-entry").filter({ hasText: why });
  await expect(entry).toBeVisible();
  await expect(entry).toContainText("记录人：");
  const after = Number(await page.getByTestId("my-balance").textContent());
  expect(after).toBeGreaterThan(before);
  await page.getByTestId("tab-declare").click();
  await expect(page.getByTestId("my-declaration").filter({ hasText: why })).toContainText("已通过");
  noErrors();
});

test("a villager appeals an entry and the clerk upholds it with a reversal", async ({ page }, info) => {
  const noErrors = failOnPageErrors(page);
  const why = `那天我家有人参加了 ${info.project.name} ${Date.now()}`;
  await login(page, "hu200");
  const before = Number(await page.getByTestId("my-balance").textContent());
  // The first entry that can still be appealed.
  const entry = page.getByTestId("my-entry").filter({ has: page.getByTestId("appeal-open") }).first();
  const item = (await entry.locator(".entry-reason").textContent())!;
  const pointsText = (await entry.locator(".points").textContent())!;
  const points = Number(pointsText.replace("−", "-").replace("+", ""));
  await entry.getByTestId("appeal-open").click();
  // An empty reason is refused in Chinese.
  await page.getByTestId("appeal-submit").click();
  await expect(page.getByTestId("appeal-error")).toHaveText("请写明申诉理由（不超过200个字）");
  await page.getByTestId("appeal-reason").fill(why);
  await shot(page, info, "53-me-appeal");
  await page.getByTestId("appeal-submit").click();
  await expect(page.getByTestId("me-done")).toContainText("申诉已提交");
  const appealed = page.getByTestId("my-entry").filter({ hasText: why });
  await expect(appealed.getByTestId("entry-appeal")).toContainText("待处理");
  await expect(appealed.getByTestId("appeal-open")).toHaveCount(0);

  await login(page, "cun200");
  await open(page, "/office/appeals");
  const row = page.getByTestId("office-appeal").filter({ hasText: why });
  await expect(row).toContainText(item);
  await row.getByTestId("answer-open").click();
  await row.getByTestId("answer-text").fill("经核实属实，予以冲正");
  await shot(page, info, "54-office-appeal");
  await row.getByTestId("answer-uphold").click();
  await expect(page.getByTestId("appeal-done")).toContainText("申诉成立");
  await expect(page.getByTestId("office-appeal").filter({ hasText: why })).toContainText("申诉成立");

  await login(page, "hu200");
  const after = Number(await page.getByTestId("my-balance").textContent());
  expect(after).toBe(before - points);
  const settled = page.getByTestId("my-entry").filter({ hasText: why });
  await expect(settled).toHaveClass(/reversed/);
  await expect(settled.getByTestId("entry-appeal")).toContainText("答复");
  await expect(settled.getByTestId("entry-appeal")).toContainText("经核实属实，予以冲正");
  await expect(page.getByTestId("my-entry").filter({ hasText: "冲正：申诉成立：经核实属实，予以冲正" }).first()).toBeVisible();
  await page.getByTestId("tab-appeals").click();
  await expect(page.getByTestId("my-appeal").filter({ hasText: why })).toContainText("申诉成立");
  await shot(page, info, "55-me-appeals");
  noErrors();
});

test("the clerk sets a PIN, acts for the household, and the household signs in by card number", async ({ page }, info) => {
  const noErrors = failOnPageErrors(page);
  await login(page, "cun200");
  await open(page, "/office/households");
  // A different household per project: the phone must be unique.
  const row = page.getByTestId("hh-row").nth(info.project.name === "phone" ? 3 : 4);
  await row.click();
  await expect(page.getByTestId("signin-panel")).toBeVisible();
  const heading = (await page.locator(".hh-form-panel h2").first().textContent())!;
  const card = heading.match(/卡号 (\d+)/)![1];
  const phone = `139${String(Date.now()).slice(-8)}`;
  await page.getByTestId("signin-phone").fill(phone);
  await page.getByTestId("signin-pin").fill("123456");
  await page.getByTestId("signin-save").click();
  await expect(page.getByTestId("signin-error")).toHaveText("登录密码太简单（如 000000、123456），请换一个");
  await page.getByTestId("signin-pin").fill("305271");
  await page.getByTestId("signin-save").click();
  await expect(page.getByTestId("signin-result")).toHaveText("登录设置已保存");
  await expect(page.getByTestId("signin-state")).toHaveText("已开通登录");
  await shot(page, info, "56-office-signin");

  // Assisted: the clerk declares for the household.
  const why = `代申报：帮孤寡老人挑水 ${Date.now()}`;
  await page.getByTestId("assist-open").click();
  await expect(page.getByTestId("assist-banner")).toContainText(card);
  await page.getByTestId("tab-declare").click();
  const select = page.getByTestId("rule-select");
  const value = await select.locator("option[value]:not([value=''])").first().getAttribute("value");
  await select.selectOption(value!);
  await page.getByTestId("declare-reason").fill(why);
  await page.getByTestId("declare-submit").click();
  await expect(page.getByTestId("me-done")).toContainText("申报已提交");
  await expect(page.getByTestId("my-declaration").filter({ hasText: why })).toContainText("工作人员代办");
  await shot(page, info, "57-office-assist");

  // The household signs in with its card number and PIN, then with its phone.
  await login(page, card, "305271");
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByTestId("role-home")).toContainText(card);
  await page.getByTestId("tab-declare").click();
  await expect(page.getByTestId("my-declaration").filter({ hasText: why })).toContainText("待审核");
  await login(page, phone, "305271");
  await expect(page.getByTestId("role-home")).toContainText(card);
  // A wrong PIN is refused with a message for villagers.
  await page.context().clearCookies();
  await open(page, "/login");
  await page.getByTestId("username").fill(card);
  await page.getByTestId("password").fill("305270");
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("login-error")).toHaveText("户卡号（手机号）或密码错误");
  noErrors();
});
