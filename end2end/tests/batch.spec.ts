import { expect, Page, request, test } from "@playwright/test";
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

const clerk = (project: string) => (project === "phone" ? "cun200" : "cun201");

test("batch entry gives 20 households the same award in one confirmation", async ({ page }, info) => {
  await login(page, clerk(info.project.name));
  await open(page, "/office/batch");
  await page.getByTestId("rule-filter").fill("村民大会");
  await page.getByTestId("rule-select").selectOption({ label: "按时参加村民大会（+1分/每次）" });

  const rows = page.getByTestId("batch-roster").locator("li");
  await expect(rows.nth(19)).toBeVisible();
  const firstBalance = Number((await rows.first().locator(".tick-balance").textContent())!.replace(/[^0-9-]/g, ""));
  const firstCard = (await rows.first().locator(".tick-meta").textContent())!.split(" · ")[1];
  for (let i = 0; i < 20; i++) {
    await rows.nth(i).locator("input[type=checkbox]").check();
  }
  await expect(page.getByTestId("batch-preview")).toHaveText("已选 20 户 · 每户 +1 分 · 合计 +20 分（按时参加村民大会）");
  const effect = page.getByTestId("batch-effect").locator("tbody tr");
  await expect(effect).toHaveCount(20);
  await expect(effect.first()).toContainText(`${firstBalance}${firstBalance + 1}`);
  await page.getByTestId("batch-reason").fill("11月村民大会集中签到");
  await shot(page, info, "50-batch-preview");
  await page.getByTestId("batch-submit").click();
  await expect(page.getByTestId("batch-result")).toHaveText("已为 20 户录入");
  // The list reloads with the new balances, and nothing is left ticked.
  await expect(rows.first().locator(".tick-balance")).toHaveText(`${firstBalance + 1} 分`);
  await expect(page.getByTestId("batch-preview")).toContainText("已选 0 户");

  // The household's public page lists the entry with its reason.
  await open(page, `/household/${firstCard}`);
  await expect(page.locator("body")).toContainText("11月村民大会集中签到");
});

test("an item that needs a photo is refused without one, and recorded with an uploaded photo", async ({ page, baseURL }, info) => {
  await login(page, clerk(info.project.name));
  await open(page, "/office/batch");
  await page.getByTestId("rule-filter").fill("献血");
  await page.getByTestId("rule-select").selectOption({ label: "无偿献血（+10分/每次） 需照片" });
  const rows = page.getByTestId("batch-roster").locator("li");
  // Two households near the end of the list, away from the other test's.
  const count = await rows.count();
  const a = rows.nth(count - 1);
  const b = rows.nth(count - 2);
  const before = Number((await a.locator(".tick-balance").textContent())!.replace(/[^0-9-]/g, ""));
  await a.locator("input[type=checkbox]").check();
  await b.locator("input[type=checkbox]").check();
  await page.getByTestId("batch-reason").fill("11月参加无偿献血");
  await page.getByTestId("batch-submit").click();
  await expect(page.getByTestId("batch-error")).toContainText("需上传证明照片");
  await expect(a.locator(".tick-balance")).toHaveText(`${before} 分`);

  // Upload a photo (a large screenshot stands in for a camera picture).
  const photo = await page.screenshot({ fullPage: true });
  await page.getByTestId("evidence-file").setInputFiles({ name: "献血证.png", mimeType: "image/png", buffer: photo });
  const thumb = page.getByTestId("evidence-thumb");
  await expect(thumb).toBeVisible();
  await expect.poll(() => thumb.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0);
  const src = (await thumb.getAttribute("src"))!;
  // Stored shrunk, as JPEG, and only for signed-in staff.
  const mine = await page.request.get(src);
  expect(mine.headers()["content-type"]).toBe("image/jpeg");
  const anonymous = await request.newContext({ baseURL });
  expect((await anonymous.get(src)).status()).toBe(401);
  await anonymous.dispose();
  await shot(page, info, "51-batch-photo");

  await page.getByTestId("batch-submit").click();
  await expect(page.getByTestId("batch-result")).toHaveText("已为 2 户录入");
  await expect(a.locator(".tick-balance")).toHaveText(`${before + 10} 分`);
});
