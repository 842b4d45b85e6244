import { expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, open, shot } from "./helpers";

/** Signs in as 沙坝村's points clerk and lands on the office. */
async function login(page: Page) {
  await open(page, "/login");
  await page.getByTestId("username").fill("cun200");
  await page.getByTestId("password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(/\/office$/);
  await page.locator("body[data-hydrated=true]").waitFor();
}

/** Digits unique to this project and run, so reruns on one database never collide. */
function unique(project: string): string {
  return `${project === "phone" ? 1 : 2}${String(Date.now()).slice(-6)}`;
}

test("the clerk lists, creates, edits, moves away and deletes a household", async ({ page }, info) => {
  const n = unique(info.project.name);
  const head = `谢明${n}`;
  await login(page);
  await open(page, "/office/households");
  await expect(page.getByTestId("hh-list").getByTestId("hh-row").first()).toBeVisible();
  await expect(page.getByTestId("hh-counts")).toContainText("常住户知晓率");
  await shot(page, info, "30-households-list");

  // Search by card number.
  await page.getByTestId("hh-search").fill("2000001");
  await page.getByTestId("hh-search").press("Enter");
  await expect(page.getByTestId("hh-total")).toContainText("共 1 户");
  await expect(page.getByTestId("hh-row")).toContainText("卡号 2000001");

  // Create: a blank name is refused in Chinese, then the household is saved
  // with the next free card number.
  await page.getByTestId("hh-new").click();
  await expect(page).toHaveURL(/\/office\/households\/new$/);
  await page.locator("body[data-hydrated=true]").waitFor();
  await expect(page.getByTestId("hh-card")).toHaveAttribute("placeholder", /自动编号：200\d{4}/);
  await page.getByTestId("hh-save").click();
  await expect(page.getByTestId("hh-error")).toHaveText("请填写户主姓名");
  await page.getByTestId("hh-head").fill(head);
  await page.getByTestId("hh-address").fill(`高梁镇沙坝村一组${n}号`);
  await page.getByTestId("hh-member-add").click();
  await page.getByTestId("hh-member-name").fill("李秀英");
  await page.getByTestId("hh-member-relation").fill("配偶");
  await shot(page, info, "31-household-new");
  await page.getByTestId("hh-save").click();
  const result = page.getByTestId("hh-result");
  await expect(result).toContainText(`已新增：${head}，户卡号 200`);
  const card = (await result.textContent())!.match(/户卡号 (\d+)/)![1];

  // Edit: other group, not resident, aware, one more member.
  await page.getByTestId("hh-open-created").click();
  await expect(page.getByTestId("hh-card-fixed")).toContainText(`户卡号 ${card}`);
  await page.locator("body[data-hydrated=true]").waitFor();
  await expect(page.getByTestId("hh-head")).toHaveValue(head);
  await expect(page.getByTestId("hh-member-name")).toHaveValue("李秀英");
  await page.getByTestId("hh-group-select").selectOption({ index: 1 });
  const group = (await page.getByTestId("hh-group-select").locator("option:checked").textContent())!;
  await page.getByTestId("hh-resident").uncheck();
  await page.getByTestId("hh-aware").check();
  await page.getByTestId("hh-member-add").click();
  await page.getByTestId("hh-member-name").nth(1).fill("谢小龙");
  await page.getByTestId("hh-member-relation").nth(1).fill("儿子");
  await page.getByTestId("hh-save").click();
  await expect(page.getByTestId("hh-result")).toHaveText("已保存");
  await shot(page, info, "32-household-edit");

  // The list finds it by pinyin initials, with its new group and flags.
  await open(page, "/office/households");
  await page.getByTestId("hh-search").fill(`xm${n}`);
  await page.getByTestId("hh-search").press("Enter");
  await expect(page.getByTestId("hh-total")).toContainText("共 1 户");
  const row = page.getByTestId("hh-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(head);
  await expect(row).toContainText(`卡号 ${card} · ${group} · 3 人`);
  await expect(row).toContainText("不常住");
  await expect(row).not.toContainText("未知晓");

  // Moved away: it leaves the list of current households.
  await row.click();
  await page.locator("body[data-hydrated=true]").waitFor();
  await expect(page.getByTestId("hh-head")).toHaveValue(head);
  await page.getByTestId("hh-move-away").click();
  await expect(page.getByTestId("hh-result")).toHaveText("已标记为迁出");
  await open(page, "/office/households");
  await page.getByTestId("hh-search").fill(card);
  await page.getByTestId("hh-search").press("Enter");
  await expect(page.getByTestId("hh-total")).toContainText("共 0 户");
  await page.getByTestId("hh-status").selectOption("moved_away");
  await expect(page.getByTestId("hh-row")).toContainText("已迁出");

  // Without entries it may be deleted (entered by mistake).
  await page.getByTestId("hh-row").click();
  await page.locator("body[data-hydrated=true]").waitFor();
  await page.getByTestId("hh-delete").click();
  await page.getByTestId("hh-delete-confirm").click();
  await expect(page.getByTestId("hh-result")).toHaveText("该户已删除");
});

test("the clerk pages through the household list and back", async ({ page }) => {
  await login(page);
  await open(page, "/office/households");
  await expect(page.getByTestId("hh-total")).toContainText("第 1/");
  const firstOnPage1 = (await page.getByTestId("hh-row").first().textContent()) ?? "";
  const next = page.getByTestId("hh-next");
  await expect(next).toHaveText("下一页");
  await expect(next).toBeEnabled();
  await next.click();
  await expect(page.getByTestId("hh-total")).toContainText("第 2/");
  await expect(page.getByTestId("hh-row").first()).not.toHaveText(firstOnPage1);
  await page.getByTestId("hh-prev").click();
  await expect(page.getByTestId("hh-total")).toContainText("第 1/");
  await expect(page.getByTestId("hh-row").first()).toHaveText(firstOnPage1);
});

test("a household with entries cannot be deleted", async ({ page }) => {
  await login(page);
  await open(page, "/office/households");
  // The demo villager's household: the demo gives it entries every month.
  await page.getByTestId("hh-search").fill("2000001");
  await page.getByTestId("hh-search").press("Enter");
  await expect(page.getByTestId("hh-total")).toContainText("共 1 户");
  await expect(page.getByTestId("hh-row")).toContainText("卡号 2000001");
  await page.getByTestId("hh-row").click();
  await page.locator("body[data-hydrated=true]").waitFor();
  await expect(page.getByTestId("hh-move-away")).toBeVisible();
  await expect(page.getByTestId("hh-delete")).toHaveCount(0);
});

test("import preview and commit of a small file", async ({ page }, info) => {
  const n = unique(info.project.name);
  await login(page);
  await open(page, "/office/households/import");
  await expect(page.getByTestId("hh-template-xlsx")).toHaveAttribute(
    "href",
    /^data:application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet;base64,UEsDB/,
  );
  await expect(page.getByTestId("hh-template-csv")).toHaveAttribute("href", /^data:text\/csv/);

  const header = "组别,户主姓名,户卡号,地址,家庭成员,是否常住,是否知晓";
  // A file with bad rows: the preview names each, and offers no import.
  const bad = [header, `一组,导入甲${n},,,,是,是`, `九十九组,导入乙${n},,,,是,是`, `一组,,,,,是,是`].join("\r\n");
  await page.getByTestId("hh-file").setInputFiles({ name: "有问题.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  await page.getByTestId("hh-preview").click();
  await expect(page.getByTestId("hh-preview-summary")).toContainText("将新增 1 户，2 行有问题");
  const problems = page.getByTestId("hh-problems").locator("tbody tr");
  await expect(problems).toHaveCount(2);
  await expect(problems.nth(0)).toContainText("本村没有“九十九组”");
  await expect(problems.nth(1)).toContainText("请填写户主姓名");
  await expect(page.getByTestId("hh-commit")).toHaveCount(0);
  await shot(page, info, "33-import-problems");

  // A good file: every row previewed, then imported.
  const good = [
    header,
    `一组,导入甲${n},,一组1号,王芳（配偶）、导入小${n}（儿子）,是,是`,
    `2组,导入乙${n},,二组2号,,否,否`,
    `第一组,导入丙${n},,,,是,否`,
  ].join("\r\n");
  await page.getByTestId("hh-file").setInputFiles({
    name: "农户.csv",
    mimeType: "text/csv",
    buffer: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good)]),
  });
  await page.getByTestId("hh-preview").click();
  await expect(page.getByTestId("hh-preview-summary")).toHaveText("将新增 3 户");
  const planned = page.getByTestId("hh-planned").locator("tbody tr");
  await expect(planned).toHaveCount(3);
  await expect(planned.nth(0)).toContainText(`导入甲${n}`);
  await expect(planned.nth(0)).toContainText("（自动）");
  await expect(planned.nth(1)).toContainText("二组");
  await shot(page, info, "34-import-preview");
  await page.getByTestId("hh-commit").click();
  await expect(page.getByTestId("hh-import-done")).toContainText("已导入 3 户");
  await shot(page, info, "35-import-done");

  // They are in the list.
  await open(page, "/office/households");
  await page.getByTestId("hh-search").fill(`导入乙${n}`);
  await page.getByTestId("hh-search").press("Enter");
  await expect(page.getByTestId("hh-total")).toContainText("共 1 户");
  await expect(page.getByTestId("hh-row")).toHaveCount(1);
  await expect(page.getByTestId("hh-row")).toContainText("不常住");
});

test("a clerk who fills the downloaded template below its examples imports only her own rows", async ({ page }, info) => {
  const n = unique(info.project.name);
  await login(page);
  await open(page, "/office/households/import");
  await expect(page.getByText("导入时自动跳过")).toBeVisible();
  const href = (await page.getByTestId("hh-template-csv").getAttribute("href")) ?? "";
  const template = Buffer.from(href.split("base64,")[1], "base64");
  expect(template.toString("utf8")).toContain("张三（示例）");
  const filled = Buffer.concat([template, Buffer.from(`一组,模板户${n},,一组9号,,是,是\r\n`)]);
  await page.getByTestId("hh-file").setInputFiles({ name: "农户导入模板.csv", mimeType: "text/csv", buffer: filled });
  await page.getByTestId("hh-preview").click();
  await expect(page.getByTestId("hh-preview-summary")).toHaveText("将新增 1 户");
  await expect(page.getByTestId("hh-skipped-examples")).toContainText("第 2 行、第 3 行");
  const planned = page.getByTestId("hh-planned").locator("tbody tr");
  await expect(planned).toHaveCount(1);
  await expect(planned.first()).toContainText(`模板户${n}`);
  await shot(page, info, "34b-import-skips-examples");
});

test("the A4 sheet of household cards", async ({ page }, info) => {
  await login(page);
  await open(page, "/office/households/cards");
  const cards = page.getByTestId("hh-card");
  await expect(cards.first()).toBeVisible();
  const first = cards.first();
  const cardNo = await first.getAttribute("data-card");
  expect(cardNo).toMatch(/^\d+$/);
  await expect(first).toContainText(`户卡号 ${cardNo}`);
  await expect(first).toContainText("沙坝村");
  await expect(first.locator("svg")).toBeVisible();
  await shot(page, info, "36-card-sheet");
  // As printed: A4, header and tabs hidden.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.locator(".office-tabs")).toBeHidden();
  await shot(page, info, "37-card-sheet-print");
  if (info.project.name === "tablet") {
    await page.pdf({ path: "screenshots/tablet/37-card-sheet.pdf", format: "A4", printBackground: true });
  }
});
