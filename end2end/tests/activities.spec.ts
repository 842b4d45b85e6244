import { Browser, expect, Page, test, TestInfo } from "@playwright/test";
import { DEMO_PASSWORD, open, shot } from "./helpers";

/** A China-time `datetime-local` value `minutes` from now. */
function chinaTime(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16);
}

async function login(page: Page, username: string) {
  await open(page, "/login");
  await page.getByTestId("username").fill(username);
  await page.getByTestId("password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page).not.toHaveURL(/\/login$/);
  // The role home's code arrives in its own chunk: wait until it is interactive.
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

/** Another signed-in person on their own phone (own cookies). */
async function otherPerson(browser: Browser, info: TestInfo, username: string) {
  const u = info.project.use;
  const ctx = await browser.newContext({
    baseURL: u.baseURL,
    viewport: u.viewport,
    isMobile: u.isMobile,
    hasTouch: u.hasTouch,
    locale: "zh-CN",
  });
  const page = await ctx.newPage();
  watchErrors(page);
  await login(page, username);
  return page;
}

const errors: string[] = [];
function watchErrors(page: Page) {
  page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && /hydrat|panicked/i.test(m.text())) errors.push(`${page.url()}: ${m.text()}`);
  });
}

/** The clerk fills in and saves a new activity; returns its desk's URL. */
async function createActivity(page: Page, title: string, startsIn: number, lastsMinutes: number) {
  await open(page, "/office/activities");
  await page.getByTestId("activity-new").click();
  await expect(page.getByTestId("activity-form")).toBeVisible();
  await page.getByTestId("activity-title-input").fill(title);
  await page.getByTestId("activity-category").selectOption("会议");
  await page.getByTestId("activity-place").fill("村委会会议室");
  await page.getByTestId("activity-starts").fill(chinaTime(startsIn));
  await page.getByTestId("activity-ends").fill(chinaTime(startsIn + lastsMinutes));
  await page.getByTestId("activity-capacity").fill("50");
  await page.getByTestId("rule-filter").fill("按时参加");
  await page.getByTestId("rule-select").selectOption({ index: 1 });
  await page.getByTestId("activity-description").fill("请带好笔记本，准时到场。");
  return page;
}

test.beforeEach(() => {
  errors.length = 0;
});

test.afterEach(() => {
  expect(errors).toEqual([]);
});

test("the clerk publishes an activity, a villager signs up, the clerk checks people in and awards once", async ({
  page,
  browser,
}, info) => {
  watchErrors(page);
  const title = `村民大会${Date.now() % 1_000_000}`;
  await login(page, "cun200");
  // Starting in half an hour: check-in is already open (2 h before).
  await createActivity(page, title, 30, 90);
  await shot(page, info, "70-activity-new");
  await page.getByTestId("activity-save").click();
  await expect(page).toHaveURL(/\/office\/activities\/\d+$/);
  const desk = page.url();
  const id = desk.split("/").pop()!;
  await expect(page.getByTestId("activity-status")).toHaveText("草稿");
  await page.getByTestId("activity-publish").click();
  await expect(page.getByTestId("activity-status")).toHaveText("报名中");
  await expect(page.getByTestId("activity-signed-up")).toHaveText("已报名 0 人 / 限 50 人");
  // An optional cover photo (a screenshot stands in for a camera picture).
  const photo = await page.screenshot();
  await page.getByTestId("activity-photo-file").setInputFiles({ name: "封面.png", mimeType: "image/png", buffer: photo });
  await expect(page.getByTestId("desk-ok")).toHaveText("封面照片已更新");
  await expect(page.getByTestId("activity-cover")).toBeVisible();

  // The villager signs the head of the household up on the activity page.
  const villager = await otherPerson(browser, info, "hu200");
  await open(villager, `/activity/${id}`);
  await expect(villager.getByTestId("activity-title")).toHaveText(title);
  await expect(villager.getByTestId("activity-cover")).toBeVisible();
  const mine = villager.getByTestId("my-signups");
  await expect(mine).toBeVisible();
  await mine.getByTestId("member-signup").first().getByTestId("signup-button").click();
  await expect(villager.getByTestId("signup-result")).toHaveText("已报名");
  await expect(villager.getByTestId("activity-signed-up")).toHaveText("已报名 1 人 / 限 50 人");
  await expect(mine.getByTestId("member-signup").first()).toContainText("已报名");
  await shot(villager, info, "71-activity-villager-signed-up");

  // The clerk signs up a household with no phone (代报名).
  await open(page, desk);
  await expect(page.getByTestId("roster-row")).toHaveCount(1);
  await page.getByTestId("help-search").fill("2000002");
  await page.getByTestId("help-search-go").click();
  await page.getByTestId("help-hit").first().click();
  await page.getByTestId("help-member").first().getByTestId("help-signup").click();
  await expect(page.getByTestId("desk-ok")).toHaveText("已代为报名");
  await expect(page.getByTestId("roster-row")).toHaveCount(2);
  await expect(page.getByTestId("roster-row").filter({ hasText: "2000002" })).toContainText("代报名");

  // Check-in: the villager's card is scanned (a scanner types the number and Enter)...
  await page.getByTestId("checkin-code").fill("2000001");
  await page.getByTestId("checkin-code").press("Enter");
  const scanned = page.getByTestId("scanned");
  await expect(scanned).toContainText("卡号 2000001");
  await scanned.getByTestId("card-member").first().locator("input").check();
  await expect(page.getByTestId("desk-ok")).toHaveText("已签到");
  await expect(page.getByTestId("roster-row").filter({ hasText: "2000001" })).toContainText("已签到");
  // ...and the other is ticked on the list.
  await page.getByTestId("roster-row").filter({ hasText: "2000002" }).locator("input").check();
  await expect(page.getByTestId("roster-row").filter({ hasText: "2000002" })).toContainText("已签到");
  await expect(page.getByTestId("roster")).toContainText("已签到 2 人");
  await shot(page, info, "72-activity-check-in");

  // It is over: the clerk ends it (结束活动 asks first: it cannot be
  // undone), then awards after a confirm.
  await expect(page.getByTestId("activity-finish")).toHaveText("结束活动");
  await page.getByTestId("activity-finish").click();
  await expect(page.getByTestId("finish-box")).toContainText("不能撤回");
  await page.getByTestId("finish-back").click();
  await expect(page.getByTestId("finish-box")).toHaveCount(0);
  await expect(page.getByTestId("activity-status")).not.toHaveText("已结束");
  await page.getByTestId("activity-finish").click();
  await page.getByTestId("finish-confirm").click();
  await expect(page.getByTestId("activity-status")).toHaveText("已结束");
  // A second tab, opened before the award, tries again afterwards.
  const second = await page.context().newPage();
  watchErrors(second);
  await open(second, desk);
  await second.getByTestId("award-button").click();

  await page.getByTestId("award-button").click();
  await expect(page.getByTestId("award-confirm-box")).toContainText("确认为 2 人发放积分，每人 +1 分，共 2 分");
  await shot(page, info, "73-activity-award-confirm");
  await page.getByTestId("award-confirm").click();
  await expect(page.getByTestId("desk-ok")).toHaveText("已为 2 人（2 户）发放积分，共 2 分");
  await expect(page.getByTestId("award-done")).toContainText("不会重复发放");
  await expect(page.getByTestId("award-button")).toHaveCount(0);
  await shot(page, info, "74-activity-awarded");

  await second.getByTestId("award-confirm").click();
  await expect(second.getByTestId("desk-error")).toHaveText("本活动积分已发放，不能重复发放");
  await expect(second.getByTestId("award-done")).toBeVisible();
  await second.close();

  // The points are on the household's page, linked to the activity.
  await open(villager, "/household/2000001");
  await expect(villager.locator(".entry").filter({ hasText: `参加活动：${title}` }).first()).toContainText("+1");
  await shot(villager, info, "75-activity-household-points");

  // The public lists show it, with the month's 场次/人次.
  const village = await page.locator("a", { hasText: "本村公开页面" }).first().getAttribute("href");
  await open(villager, `${village}/activities`);
  await expect(villager.getByTestId("activities-past")).toContainText(title);
  await expect(villager.getByTestId("activity-month").first()).toBeVisible();
  await shot(villager, info, "76-activity-village-list");
  await open(villager, "/activities");
  await expect(villager.getByTestId("town-activities")).toContainText(title);
  await villager.context().close();
});

test("the clerk cancels an activity with a reason that its page shows", async ({ page }, info) => {
  watchErrors(page);
  const title = `插花培训${Date.now() % 1_000_000}`;
  await login(page, "cun200");
  await createActivity(page, title, 24 * 60, 120);
  await page.getByTestId("activity-save").click();
  await expect(page).toHaveURL(/\/office\/activities\/\d+$/);
  const id = page.url().split("/").pop()!;
  await page.getByTestId("activity-publish").click();
  await expect(page.getByTestId("activity-status")).toHaveText("报名中");
  // Too early to finish or check in; the check-in list says when it opens.
  await expect(page.getByTestId("activity-finish")).toHaveCount(0);
  await expect(page.getByTestId("scan-card")).toHaveCount(0);
  await expect(page.getByTestId("roster")).toContainText("活动开始前 2 小时起可以签到");

  await page.getByTestId("activity-cancel").click();
  await page.getByTestId("cancel-confirm").click();
  await expect(page.getByTestId("desk-error")).toHaveText("请填写取消原因");
  await page.getByTestId("cancel-reason").fill("下雨，改期另行通知");
  await page.getByTestId("cancel-confirm").click();
  await expect(page.getByTestId("activity-status")).toHaveText("已取消");

  await open(page, `/activity/${id}`);
  await expect(page.getByTestId("activity-cancel-reason")).toHaveText("活动已取消：下雨，改期另行通知");
  await shot(page, info, "77-activity-cancelled");
});
