import { expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, open, shot } from "./helpers";

async function login(page: Page, user: string, home: RegExp) {
  await open(page, "/login");
  await page.getByTestId("username").fill(user);
  await page.getByTestId("password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(home);
  await page.locator("body[data-hydrated=true]").waitFor();
}

// A small red picture standing in for a photo of the signboard.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAABAAAAAMCAIAAADkharWAAAAFUlEQVR4nGM4oaFBEmIY1TCqATsCALRr0gH04WUkAAAAAElFTkSuQmCC",
  "base64",
);

test("the town admin uploads 六有 evidence, accepts a village, and enters a living-environment score", async ({ page }, info) => {
  const crashes: string[] = [];
  page.on("pageerror", (e) => crashes.push(e.message));
  const stamp = `${info.project.name}-${Date.now()}`;

  await login(page, "admin", /\/town$/);
  await page.getByTestId("town-acceptance").click();
  await expect(page).toHaveURL(/\/town\/acceptance$/);
  await page.locator("body[data-hydrated=true]").waitFor();
  await expect(page.getByTestId("acc-row")).toHaveCount(15);
  // The demo: late villages are marked, 豪家村 waits (or was accepted by an earlier run).
  await expect(page.getByTestId("acc-late").first()).toBeVisible();
  const cip = page.getByTestId("acc-row").filter({ hasText: "茨坪村" });
  await expect(cip.getByTestId("acc-date")).toHaveText("2026-08-21 验收");
  await expect(cip.getByTestId("acc-late")).toBeVisible();
  await shot(page, info, "acceptance-list");

  const hao = page.getByTestId("acc-row").filter({ hasText: "豪家村" });
  await hao.getByRole("link", { name: "查看" }).click();
  await expect(page).toHaveURL(/\/town\/acceptance\/\d+$/);
  await page.locator("body[data-hydrated=true]").waitFor();
  await expect(page.locator("h1")).toHaveText("豪家村 · 验收");

  // An earlier run accepted it: withdraw with a reason first (kept in the history).
  if (await page.getByTestId("acc-withdraw").isVisible()) {
    await page.getByTestId("acc-withdraw").click();
    await expect(page.getByTestId("acc-error")).toHaveText("请填写撤销理由");
    await page.getByTestId("acc-withdraw-reason").fill(`重新验收 ${stamp}`);
    await page.getByTestId("acc-withdraw").click();
    await expect(page.getByTestId("acc-mark")).toBeVisible();
    await expect(page.getByTestId("acc-history")).toContainText(`重新验收 ${stamp}`);
  }

  // Upload a photo of the signboard (统一标识标牌).
  const sign = page.locator('[data-testid="acc-item"][data-item="signboard"]');
  const before = await sign.locator("img.acc-thumb").count();
  await sign.getByPlaceholder("说明（可不填）").fill(`新招牌 ${stamp}`);
  await sign.getByTestId("acc-file").setInputFiles({ name: "积分超市招牌.png", mimeType: "image/png", buffer: PNG });
  await expect(sign.locator("img.acc-thumb")).toHaveCount(before + 1);
  await expect(sign.getByTestId("acc-item-figure")).toHaveText("已上传");
  await expect(sign).toContainText(`新招牌 ${stamp}`);
  // The thumbnail is served to the town admin.
  const src = await sign.locator("img.acc-thumb").first().getAttribute("src");
  const res = await page.request.get(src!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("image/jpeg");

  // A program is refused with a reason.
  await sign.getByTestId("acc-file").setInputFiles({ name: "病毒.exe", mimeType: "application/octet-stream", buffer: Buffer.from("MZ") });
  await expect(sign.getByTestId("acc-upload-error")).toContainText("PDF");

  // Mark it accepted on a date before the deadline.
  await page.getByTestId("acc-on").fill("2026-08-10");
  await page.getByTestId("acc-note").fill(`六有齐全 ${stamp}`);
  await page.getByTestId("acc-mark").click();
  await expect(page.getByTestId("acc-village-date")).toHaveText("已于 2026-08-10 验收");
  await expect(page.getByTestId("acc-history")).toContainText(`六有齐全 ${stamp}`);
  await shot(page, info, "acceptance-village");

  // The list shows the date, not late.
  await open(page, "/town/acceptance");
  const row = page.getByTestId("acc-row").filter({ hasText: "豪家村" });
  await expect(row.getByTestId("acc-date")).toHaveText("2026-08-10 验收");
  await expect(row.getByTestId("acc-late")).toHaveCount(0);

  // Living-environment score: under the line is marked, a bad one refused.
  await page.getByRole("link", { name: "人居环境评分" }).click();
  await expect(page).toHaveURL(/\/town\/scores$/);
  await page.locator("body[data-hydrated=true]").waitFor();
  const sha = page.getByTestId("score-row").filter({ hasText: "沙坝村" });
  const jan = sha.locator('[data-month="202601"]');
  await jan.fill("89.5");
  await jan.press("Tab");
  await expect(page.getByTestId("score-status")).toHaveText("已保存：沙坝村 1月 89.5 分");
  await expect(sha.locator("td").first()).toHaveClass(/low/);
  await jan.fill("101");
  await jan.press("Tab");
  await expect(page.getByTestId("score-error")).toContainText("0 到 100");
  await jan.fill("93");
  await jan.press("Tab");
  await expect(page.getByTestId("score-status")).toHaveText("已保存：沙坝村 1月 93.0 分");
  await expect(sha.locator("td").first()).not.toHaveClass(/low/);
  await shot(page, info, "living-scores");

  // The disqualifying events: the demo's flag on 茨坪村 is current.
  await page.getByRole("link", { name: "一票否决" }).click();
  await expect(page).toHaveURL(/\/town\/flags$/);
  await page.locator("body[data-hydrated=true]").waitFor();
  await expect(page.getByTestId("flag-current")).toContainText("茨坪村");
  await expect(page.getByTestId("flag-current")).toContainText("造成负面舆情");
  await shot(page, info, "flags");

  expect(crashes).toEqual([]);
});

test("a village admin reads their own village's acceptance, read-only", async ({ page }, info) => {
  const crashes: string[] = [];
  page.on("pageerror", (e) => crashes.push(e.message));
  await login(page, "cun200", /\/office$/);
  await page.getByTestId("office-acceptance").click();
  await expect(page).toHaveURL(/\/town\/acceptance\/\d+$/);
  await page.locator("body[data-hydrated=true]").waitFor();
  await expect(page.locator("h1")).toHaveText("沙坝村 · 验收");
  await expect(page.getByTestId("acc-village-date")).toHaveText("已于 2026-07-30 验收");
  await expect(page.getByTestId("acc-standard")).toHaveCount(6);
  await expect(page.getByTestId("acc-file")).toHaveCount(0);
  await expect(page.getByTestId("acc-mark")).toHaveCount(0);
  await expect(page.getByTestId("acc-withdraw")).toHaveCount(0);
  await shot(page, info, "acceptance-village-readonly");
  // The town's list is not theirs.
  await open(page, "/town/acceptance");
  await expect(page.locator(".error-box")).toBeVisible();
  expect(crashes).toEqual([]);
});
