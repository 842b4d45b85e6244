import { expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, open, shot } from "./helpers";

const errors = (page: Page) => {
  const seen: string[] = [];
  page.on("pageerror", (e) => seen.push(e.message));
  return seen;
};

async function login(page: Page, user: string, home: RegExp) {
  await open(page, "/login");
  await page.getByTestId("username").fill(user);
  await page.getByTestId("password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(home);
  await page.locator("body[data-hydrated=true]").waitFor();
}

test("the town admin reads every village's indicators and downloads them", async ({ page }, info) => {
  const seen = errors(page);
  await login(page, "admin", /\/town$/);
  await page.getByTestId("town-dashboard-link").click();
  await expect(page).toHaveURL(/\/town\/dashboard$/);
  const table = page.getByTestId("indicator-table");
  await expect(table.locator("tbody tr")).toHaveCount(15);
  await expect(page.getByTestId("indicator-chart")).toHaveCount(7);
  await expect(page.getByTestId("online-ranking").locator("li")).toHaveCount(15);
  // Every village is judged on every indicator it can be judged on.
  const shaba = table.locator("tr[data-village=沙坝村]");
  await expect(shaba.locator("td.ind")).toHaveCount(7);
  await expect(shaba.locator("td[data-indicator=参与户占比]")).toHaveClass(/met|unmet/);
  await expect(shaba.locator("td[data-indicator=参与户占比] .ind-detail")).toHaveText(/^\d+\/\d+ 户$/);
  const activities = (await shaba.locator("td[data-indicator=积分活动场次] .ind-value").innerText()).trim();
  const people = (await shaba.locator("td[data-indicator=参与人次] .ind-value").innerText()).trim();
  if (info.project.name === "tablet") {
    await page.setViewportSize({ width: 1440, height: 900 });
    await shot(page, info, "80-town-dashboard-pc");
  }

  // The year so far: monthly targets are judged month by month.
  await page.locator(".span-chip", { hasText: "全年累计" }).click();
  await expect(page).toHaveURL(/m=year/);
  await expect(page.locator("h1")).toContainText("累计");
  await expect(shaba.locator("td[data-indicator=积分活动场次] .ind-detail")).toHaveText(/^\d+\/\d+ 个月达标$/);
  // Goods on sale too: each past month's end is known from the stock movements.
  await expect(shaba.locator("td[data-indicator=在售商品种类] .ind-detail")).toHaveText(/^\d+\/\d+ 个月达标$/);

  // The Excel file of the same figures.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("dashboard-export").click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const path = await download.path();
  expect(path).toBeTruthy();
  const fs = await import("fs");
  expect(fs.statSync(path!).size).toBeGreaterThan(4000);

  // One village month by month; its figures agree with its public activities tab.
  await page.locator(".span-chip").first().click();
  await expect(page).not.toHaveURL(/m=year/);
  await shaba.locator("th a").click();
  await expect(page).toHaveURL(/\/town\/dashboard\/\d+$/);
  const id = page.url().split("/").pop();
  const months = page.getByTestId("village-dashboard").locator("tbody tr");
  await expect(months.first().locator("th")).toContainText("月");
  // Last month is judged on the goods it had at its end, not left blank.
  const lastMonthGoods = months.nth(1).locator("td[data-indicator=在售商品种类]");
  await expect(lastMonthGoods.locator(".ind-value")).toHaveText(/^\d+ 种$/);
  await expect(lastMonthGoods).toHaveClass(/met|unmet/);
  await shot(page, info, "81-village-dashboard");
  await open(page, `/village/${id}/activities`);
  const month = page.getByTestId("activity-month").first();
  await expect(month.locator("td").nth(1)).toHaveText(activities.replace(/\D/g, ""));
  await expect(month.locator("td").nth(2)).toHaveText(people.replace(/\D/g, ""));
  expect(seen).toEqual([]);
});

test("the public sees coverage and ranking, a village admin only his own village", async ({ page }, info) => {
  const seen = errors(page);
  await open(page, "/coverage");
  await expect(page.getByTestId("indicator-table").locator("tbody tr")).toHaveCount(15);
  await expect(page.getByTestId("online-ranking").locator("li")).toHaveCount(15);
  // The town's own living-environment scores are not public.
  await expect(page.getByTestId("indicator-table").locator("th", { hasText: "人居环境" })).toHaveCount(0);
  await shot(page, info, "82-coverage");
  expect((await page.request.get("/api/town_dashboard")).status()).toBe(401);

  await login(page, "cun200", /\/office$/);
  await page.getByTestId("village-dashboard-link").click();
  await expect(page.getByTestId("village-dashboard")).toBeVisible();
  const own = Number(page.url().split("/").pop());
  expect((await page.request.get("/api/town_dashboard")).status()).toBe(403);
  await open(page, `/town/dashboard/${own === 1 ? 2 : 1}`);
  await expect(page.locator(".error-title")).toHaveText("无权进行此操作");
  expect(seen).toEqual([]);
});

test("the town admin ranks the villages and nominates two different demonstration villages", async ({ page }, info) => {
  const seen = errors(page);
  await login(page, "admin", /\/town$/);
  await page.getByTestId("town-evaluation-link").click();
  await expect(page).toHaveURL(/\/town\/evaluation$/);
  const table = page.getByTestId("evaluation-table");
  await expect(table.locator("tbody tr")).toHaveCount(15);
  // The village with a disqualifying event is ruled out, with the reason.
  const ruledOut = table.locator("tr[data-village=茨坪村] [data-testid=ruled-out]");
  await expect(ruledOut).toContainText("一票否决");
  await expect(ruledOut).toContainText("造成负面舆情");
  await expect(table.locator("tr[data-village=茨坪村] [data-testid=nominate-district]")).toHaveCount(0);

  // Start from no nominations (the other project's run made some).
  for (const level of ["district", "town"]) {
    const current = page.locator(`.nomination[data-level=${level}]`);
    if (await current.getByTestId("nominated").count()) {
      await current.locator("input").fill("重新评选");
      await current.getByRole("button", { name: "撤销提名" }).click();
      await expect(current.getByTestId("nominated")).toHaveCount(0);
    }
  }
  const rows = table.locator("tbody tr");
  const first = (await rows.nth(0).getAttribute("data-village"))!;
  const second = (await rows.nth(1).getAttribute("data-village"))!;
  await expect(rows.nth(0).locator("td").first()).toHaveText("1");

  await rows.nth(0).getByTestId("nominate-district").click();
  await page.getByTestId("nominate-note").fill("各项指标全镇第一");
  await page.getByTestId("nominate-confirm").click();
  await expect(page.getByTestId("evaluation-done")).toHaveText(`已提名${first}为区级示范村`);
  await expect(page.locator(".nomination[data-level=district]").getByTestId("nominated")).toHaveText(first);

  // The same village cannot take both titles.
  await table.locator(`tr[data-village=${first}]`).getByTestId("nominate-town").click();
  await page.getByTestId("nominate-confirm").click();
  await expect(page.getByTestId("nominate-error")).toContainText("同一个村");
  await page.getByRole("button", { name: "取消" }).click();

  await table.locator(`tr[data-village=${second}]`).getByTestId("nominate-town").click();
  await page.getByTestId("nominate-confirm").click();
  await expect(page.locator(".nomination[data-level=town]").getByTestId("nominated")).toHaveText(second);
  if (info.project.name === "tablet") {
    await page.setViewportSize({ width: 1440, height: 900 });
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, info, "83-evaluation");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("evaluation-export").click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  expect(seen).toEqual([]);
});
