import { expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, open, shot } from "./helpers";

/** Each project works in its own village, so both can publish "their" month. */
function clerkFor(project: string) {
  return project === "phone" ? "cun200" : "cun201";
}

async function login(page: Page, username: string) {
  await open(page, "/login");
  await page.getByTestId("username").fill(username);
  await page.getByTestId("password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page.locator("[data-testid=role-home]")).toBeVisible();
  // The role home's code arrives in its own chunk: wait until it is interactive.
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

test("the clerk publishes last month; the posting is frozen, public and prints on A4", async ({ page }, info) => {
  await login(page, clerkFor(info.project.name));
  await open(page, "/office/ledger");
  const months = page.getByTestId("office-months");
  // The demo town's older months are already published; last month is due.
  await expect(months.locator(".month-card").filter({ hasText: "已公示" }).first()).toBeVisible();
  const due = months.locator(".month-card.due");
  await expect(due).toHaveCount(1);
  await expect(due).toContainText("待公示");
  await due.click();
  const preview = page.getByTestId("month-preview");
  await expect(preview).toContainText("（预览）");
  await expect(preview.getByTestId("points-ledger").locator("tbody tr").first()).toBeVisible();
  await shot(page, info, "30-ledger-preview");

  await page.getByTestId("publish-open").click();
  await page.getByTestId("publish-confirm").click();
  await expect(page.getByTestId("publish-result")).toContainText("已公示，校验码");
  await expect(preview).toContainText("（已公示）");
  const digest = (await page.getByTestId("office-digest").textContent())!.trim();
  expect(digest).toMatch(/^[0-9a-f]{64}$/);
  // The month is no longer offered for publication.
  await expect(months.locator(".month-card.due")).toHaveCount(0);
  await expect(page.getByTestId("publish-open")).toHaveCount(0);

  // The public posting shows the same digest, and the village lists it.
  await page.getByTestId("open-posting").click();
  await expect(page.getByTestId("posting-digest")).toContainText(digest);
  await expect(page.getByTestId("points-ledger")).toBeVisible();
  await expect(page.getByTestId("redemption-ledger")).toBeVisible();
  await expect(page.getByTestId("balance-ledger")).toBeVisible();
  const url = new URL(page.url());
  const [, , village, month] = url.pathname.split("/");
  await open(page, `/village/${village}/ledger`);
  const listed = page.getByTestId("published-months").locator("a").first();
  await expect(listed).toHaveAttribute("href", `/ledger/${village}/${month}`);
  await expect(listed).toContainText(digest.slice(0, 12));
  await shot(page, info, "31-village-postings");

  // The Excel export of the published month is a real xlsx (a zip file).
  const xlsx = await page.request.get(`/export/ledger/${village}/${month}`);
  expect(xlsx.status()).toBe(200);
  expect(xlsx.headers()["content-type"]).toContain("spreadsheetml");
  expect((await xlsx.body()).subarray(0, 2).toString()).toBe("PK");

  // The print view: A4 width, print styles, no site header or buttons.
  await open(page, `/ledger/${village}/${month}`);
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.getByTestId("print")).toBeHidden();
  await expect(page.locator(".posting-head h1")).toContainText("积分公示");
  await page.screenshot({ path: `screenshots/${info.project.name}/32-posting-a4.png` });
  await page.pdf({ path: `screenshots/${info.project.name}/32-posting-a4.pdf`, format: "A4", printBackground: true });
});

test("an unpublished month cannot be exported by the public", async ({ page }) => {
  await open(page, "/");
  const r = await page.request.get("/export/ledger/1/209912");
  expect(r.status()).toBe(401);
});
