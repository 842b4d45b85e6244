import { expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, open, shot } from "./helpers";

async function login(page: Page, user: string) {
  await open(page, "/login");
  await page.getByTestId("username").fill(user);
  await page.getByTestId("password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(/\/office$/);
  await page.locator("body[data-hydrated=true]").waitFor();
}

test("a clerk posts a notice with an attachment, edits it, and everyone sees it and its history", async ({ page }, info) => {
  const crashes: string[] = [];
  page.on("pageerror", (e) => crashes.push(e.message));
  const dialogs: string[] = [];
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  const stamp = `${info.project.name}-${Date.now()}`;
  const title = `道路养护经费公开 ${stamp}`;

  await login(page, "cun200");
  await open(page, "/office/notices");
  await expect(page.getByTestId("office-notice-list")).toBeVisible();
  // The demo town has a scheduled notice, marked as such.
  await expect(page.getByTestId("office-notice-list").getByTestId("notice-status").filter({ hasText: "定时发布" }).first()).toBeVisible();
  await page.getByTestId("notice-new").click();
  await expect(page).toHaveURL(/\/office\/notices\/new$/);
  await page.locator("body[data-hydrated=true]").waitFor();

  // Without a title the server refuses, in Chinese.
  await page.getByTestId("notice-body-input").fill("正文");
  await page.getByTestId("notice-save").click();
  await expect(page.getByTestId("notice-error")).toHaveText("请填写标题（不超过60个字）");

  await page.getByTestId("notice-title-input").fill(title);
  await page.getByTestId("notice-category-select").selectOption("财务公开");
  const body = [
    "## 收支明细",
    "",
    "| 项目 | 金额（元） |",
    "| --- | ---: |",
    "| 道路养护 | 3200 |",
    "",
    "<script>window.__pwned = 1; alert('pwned')</script>",
    "",
    "[点我](javascript:alert(1))",
  ].join("\n");
  await page.getByTestId("notice-body-input").fill(body);
  await page.getByTestId("notice-preview-button").click();
  const preview = page.getByTestId("notice-preview");
  await expect(preview.locator("h2")).toHaveText("收支明细");
  await expect(preview.locator("table")).toContainText("道路养护");
  await expect(preview).toContainText("<script>window.__pwned = 1;");

  // A program is refused before upload; a PDF waits to go with the save.
  await page.getByTestId("notice-file").setInputFiles({ name: "病毒.exe", mimeType: "application/octet-stream", buffer: Buffer.from("MZ") });
  await expect(page.getByTestId("notice-file-error")).toContainText("只能上传 PDF");
  const pdf = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
  await page.getByTestId("notice-file").setInputFiles({ name: "收支明细.pdf", mimeType: "application/pdf", buffer: pdf });
  await page.getByTestId("notice-file").setInputFiles({ name: "多余.pdf", mimeType: "application/pdf", buffer: pdf });
  const pending = page.getByTestId("notice-pending-files");
  await expect(pending).toContainText("收支明细.pdf");
  await pending.locator("li", { hasText: "多余.pdf" }).getByTestId("notice-file-remove").click();
  await expect(pending).not.toContainText("多余.pdf");
  await shot(page, info, "70-notice-form");
  await page.getByTestId("notice-save").click();

  // Saved: back on the office's list, which says so and links to the
  // public page; there the script is shown as text and never run.
  await expect(page).toHaveURL(/\/office\/notices\?saved=\d+$/);
  await expect(page.getByTestId("notice-saved")).toContainText(`已保存：${title}`);
  await page.getByTestId("notice-saved-view").click();
  await expect(page).toHaveURL(/\/notice\/\d+$/);
  await page.locator("body[data-hydrated=true]").waitFor();
  await expect(page.getByTestId("notice-title")).toHaveText(title);
  await expect(page.getByTestId("notice-category")).toHaveText("财务公开");
  const rendered = page.getByTestId("notice-body");
  await expect(rendered.locator("table")).toContainText("3200");
  await expect(rendered).toContainText("<script>");
  await expect(rendered.locator("script")).toHaveCount(0);
  expect(await rendered.locator("a").getAttribute("href")).toBe("#");
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
  const file = page.getByTestId("notice-files").locator("a", { hasText: "收支明细.pdf" });
  await expect(file).toContainText("PDF");
  const res = await page.request.get((await file.getAttribute("href"))!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("application/pdf");
  expect(res.headers()["content-disposition"]).toContain("filename*=UTF-8''%E6%94%B6%E6%94%AF%E6%98%8E%E7%BB%86.pdf");
  const url = page.url();
  const villageList = (await page.getByRole("link", { name: "本村全部公示" }).getAttribute("href"))!;

  // The village's public list, and the town's, newest first below the pinned.
  await open(page, villageList);
  const list = page.getByTestId("notice-list");
  await expect(list).toContainText(title);
  await expect(list.locator(".notice-row").first()).toHaveClass(/pinned/);
  await shot(page, info, "71-notice-village-list");
  await open(page, "/notices");
  const town = page.getByTestId("notice-list");
  await expect(town.locator(".notice-row", { hasText: title })).toContainText("沙坝村");
  await page.getByTestId("notice-filter-category").selectOption("党务公开");
  await expect(town).not.toContainText(title);
  await expect(town.locator(".notice-cat").first()).toHaveText("党务公开");
  await page.getByTestId("notice-filter-category").selectOption("财务公开");
  await expect(town).toContainText(title);
  await expect(town.locator(".notice-cat").filter({ hasNotText: "财务公开" })).toHaveCount(0);
  await shot(page, info, "72-notice-town-list");

  // Edit it: the new text shows; the first version stays in 修改记录.
  await open(page, url);
  await page.getByTestId("notice-edit").click();
  await expect(page).toHaveURL(/\/office\/notices\/edit\/\d+/);
  await page.locator("body[data-hydrated=true]").waitFor();
  await expect(page.getByTestId("notice-title-input")).toHaveValue(title);
  await expect(page.getByTestId("notice-stored-files")).toContainText("收支明细.pdf");
  await page.getByTestId("notice-title-input").fill(`${title}（更正）`);
  await page.getByTestId("notice-body-input").fill("## 收支明细\n\n道路养护实际支出 **3000** 元。");
  await page.getByTestId("notice-save").click();
  await expect(page.getByTestId("notice-saved")).toContainText(`已保存：${title}（更正）`);
  await page.getByTestId("notice-saved-view").click();
  await expect(page).toHaveURL(url);
  await expect(page.getByTestId("notice-title")).toHaveText(`${title}（更正）`);
  await expect(page.getByTestId("notice-body")).toContainText("实际支出 3000 元");
  const history = page.getByTestId("notice-history");
  await expect(history).toContainText("修改记录");
  await expect(history.locator("summary")).toContainText(`第 1 版`);
  await expect(history.locator("summary")).toContainText(title);
  await history.locator("summary").click();
  await expect(history.locator("table")).toContainText("3200");
  await shot(page, info, "73-notice-page");

  // It prints on A4 without the navigation and buttons.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.getByTestId("print")).toBeHidden();
  await expect(page.getByTestId("notice-title")).toBeVisible();
  const printed = await page.pdf({ format: "A4", path: `screenshots/${info.project.name}/74-notice-print.pdf` });
  expect(printed.subarray(0, 5).toString()).toBe("%PDF-");
  await page.emulateMedia({ media: "screen" });

  expect(dialogs).toEqual([]);
  expect(crashes).toEqual([]);
});

test("a scheduled notice waits: staff see it, the public does not", async ({ page, browser }, info) => {
  const crashes: string[] = [];
  page.on("pageerror", (e) => crashes.push(e.message));
  const title = `定时通知 ${info.project.name}-${Date.now()}`;
  await login(page, "cun200");
  await open(page, "/office/notices/new");
  await page.getByTestId("notice-title-input").fill(title);
  await page.getByTestId("notice-category-select").selectOption("党务公开");
  await page.getByTestId("notice-body-input").fill("下周一召开**支部委员会**。");
  await page.getByTestId("notice-scheduled-radio").check();
  await page.getByTestId("notice-save").click();
  await expect(page.getByTestId("notice-error")).toHaveText("请选择定时发布的时间");
  await page.getByTestId("notice-publish-at").fill("2099-01-05T09:00");
  await page.getByTestId("notice-pinned").check();
  await page.getByTestId("notice-save").click();
  await expect(page.getByTestId("notice-saved")).toBeVisible();
  await page.getByTestId("notice-saved-view").click();
  await expect(page).toHaveURL(/\/notice\/\d+$/);
  await expect(page.getByTestId("notice-scheduled")).toBeVisible();
  const url = page.url();
  await open(page, "/office/notices");
  await expect(page.getByTestId("office-notice-list").locator("li", { hasText: title }).getByTestId("notice-status")).toHaveText("定时发布");

  // Someone not signed in cannot see it yet.
  const anon = await browser.newPage();
  await open(anon, "/notices");
  await expect(anon.getByTestId("notice-list")).not.toContainText(title);
  await open(anon, new URL(url).pathname);
  await expect(anon.getByRole("alert")).toContainText("找不到该公示");
  await anon.close();
  expect(crashes).toEqual([]);
});
