import { expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, open, shot } from "./helpers";

/** Collects Content-Security-Policy violations while the pages hydrate. */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

async function login(page: Page, user: string, lands: RegExp) {
  await open(page, "/login");
  await page.getByTestId("username").fill(user);
  await page.getByTestId("password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(lands);
  await page.locator("body[data-hydrated=true]").waitFor();
}

test("the town admin reads the readiness checklist and edits a unit's flags", async ({ page }, info) => {
  const csp = watchCsp(page);
  await login(page, "admin", /\/town$/);
  await page.getByTestId("town-setup").click();
  await expect(page).toHaveURL(/\/town\/setup$/);
  await page.locator("body[data-hydrated=true]").waitFor();
  const table = page.getByTestId("setup-table");
  await expect(table.getByTestId("setup-row")).toHaveCount(15);
  const shaba = table.locator("tr", { hasText: "沙坝村" });
  await expect(shaba.getByTestId("cell-households")).toHaveAttribute("data-ok", "true");
  await expect(shaba.getByTestId("cell-households")).toContainText("户");
  await expect(shaba.getByTestId("cell-clerk_account")).toHaveAttribute("data-ok", "true");
  // Each cell links to where its step is done, and is big enough to tap.
  const fix = shaba.getByTestId("cell-households").locator("a");
  await expect(fix).toHaveAttribute("href", /\/office\/households\/import\?v=\d+$/);
  const box = await fix.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
  // The table scrolls inside its focusable wrapper, not the page.
  const scroller = page.locator(".setup-scroll");
  await expect(scroller).toHaveAttribute("tabindex", "0");
  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(pageWidth).toBeLessThanOrEqual(page.viewportSize()!.width + 1);
  if (info.project.name === "phone") {
    const wide = await scroller.evaluate((el) => el.scrollWidth > el.clientWidth);
    expect(wide).toBe(true);
  }
  await shot(page, info, "70-town-setup");

  // A unit that is not agricultural (a town community) cannot take part:
  // refused with the reason.
  const unitId = await page
    .getByTestId("unit-row")
    .filter({ has: page.locator("[data-testid=unit-agricultural]:not(:checked)") })
    .first()
    .getAttribute("data-village");
  const dabei = page.locator(`[data-testid=unit-row][data-village="${unitId}"]`);
  await expect(dabei.getByTestId("unit-save")).toBeDisabled();
  await dabei.getByTestId("unit-taking-part").check();
  await dabei.getByTestId("unit-save").click();
  await expect(dabei.getByTestId("unit-confirm")).toBeVisible();
  await dabei.getByTestId("unit-confirm").click();
  await expect(dabei.getByTestId("unit-error")).toContainText("涉农");
  await dabei.getByTestId("unit-taking-part").uncheck();
  // Its agricultural flag is saved at once, and back again.
  await dabei.getByTestId("unit-agricultural").check();
  await dabei.getByTestId("unit-save").click();
  await expect(dabei.getByTestId("unit-ok")).toContainText("涉农：是");
  await dabei.getByTestId("unit-agricultural").uncheck();
  await dabei.getByTestId("unit-save").click();
  await expect(dabei.getByTestId("unit-ok")).toContainText("涉农：否");
  await dabei.scrollIntoViewIfNeeded();
  await shot(page, info, "71-town-setup-flags");
  // Still 15 villages take part.
  await expect(table.getByTestId("setup-row")).toHaveCount(15);
  expect(csp).toEqual([]);
});

test("the village clerk creates, renames and merges a group; a printed card sheet shows on the checklist", async ({ page }, info) => {
  const name = `新组${info.project.name}`;
  const csp = watchCsp(page);
  await login(page, "cun200", /\/office$/);
  const tab = page.locator(".office-tabs a", { hasText: "小组" });
  await tab.click();
  await expect(page).toHaveURL(/\/office\/groups$/);
  await page.locator("body[data-hydrated=true]").waitFor();
  const list = page.getByTestId("group-list");
  // count() does not wait: the list must have loaded first.
  await expect(list.getByTestId("group-item").first()).toBeVisible();
  const before = await list.getByTestId("group-item").count();
  expect(before).toBeGreaterThan(1);
  await page.getByTestId("group-new-name").fill(name);
  await page.getByTestId("group-create").click();
  await expect(page.getByTestId("group-ok")).toContainText(name);
  await expect(list.getByTestId("group-item")).toHaveCount(before + 1);
  // The same name again is refused.
  await page.getByTestId("group-new-name").fill(name);
  await page.getByTestId("group-create").click();
  await expect(page.getByTestId("group-error")).toContainText("已有");

  const mine = list.getByTestId("group-item").filter({ hasText: name });
  await expect(mine.getByTestId("group-households")).toHaveText("0 户");
  const renamed = `改名${info.project.name}`;
  await mine.getByTestId("group-rename-name").fill(renamed);
  await mine.getByTestId("group-rename").click();
  await expect(list.getByTestId("group-item").filter({ hasText: renamed })).toHaveCount(1);
  await shot(page, info, "72-office-groups");

  // Merge the new (empty) group into the first one, after a confirmation.
  const fromId = await list.getByTestId("group-item").filter({ hasText: renamed }).getAttribute("data-group");
  const intoId = await list.getByTestId("group-item").first().getAttribute("data-group");
  await page.getByTestId("merge-from").selectOption(fromId!);
  await page.getByTestId("merge-into").selectOption(intoId!);
  await page.getByTestId("merge-start").click();
  await expect(page.getByTestId("merge-confirm-box")).toContainText(renamed);
  await page.getByTestId("merge-confirm").click();
  await expect(page.getByTestId("merge-ok")).toContainText("已并入");
  await expect(list.getByTestId("group-item")).toHaveCount(before);
  await expect(page.getByTestId("group-retired")).toContainText(renamed);
  await shot(page, info, "73-office-groups-merged");

  // Printing the card sheet is noted for the town.
  await open(page, "/office/households/cards");
  await expect(page.getByTestId("card-sheet")).toBeVisible();
  await page.evaluate(() => {
    window.print = () => {};
  });
  const noted = page.waitForResponse((r) => r.url().includes("/api/cards_printed") && r.status() === 200);
  await page.getByTestId("cards-print").click();
  await noted;
  expect(csp).toEqual([]);
});

test("the checklist shows the printed cards", async ({ page }) => {
  await login(page, "admin", /\/town$/);
  await open(page, "/town/setup");
  const shaba = page.getByTestId("setup-table").locator("tr", { hasText: "沙坝村" });
  await expect(shaba.getByTestId("cell-cards")).toHaveAttribute("data-ok", "true");
  await expect(shaba.getByTestId("cell-cards")).toContainText("打印");
});
