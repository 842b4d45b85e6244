import { expect, Locator, Page, test } from "@playwright/test";
import { open } from "./helpers";

/** Every element `what` finds is at least 44 × 44 px, the least a finger may be asked to hit. */
async function big(page: Page, what: Locator, label: string) {
  const all = await what.all();
  expect(all.length, `${label}: none found`).toBeGreaterThan(0);
  for (const el of all) {
    const box = await el.boundingBox();
    if (!box) continue; // not shown at this size
    const name = (await el.textContent())?.trim();
    expect(box.height, `${label} “${name}” is ${box.height} px high`).toBeGreaterThanOrEqual(44);
    expect(box.width, `${label} “${name}” is ${box.width} px wide`).toBeGreaterThanOrEqual(44);
  }
}

test("the header's links, the login page's way home and the rows of the boards are at least 44 px", async ({ page }) => {
  await open(page, "/login");
  await big(page, page.locator(".site-header .main-nav a"), "header link");
  await big(page, page.getByTestId("login-home"), "返回首页");
  await open(page, "/village/7/board");
  await big(page, page.locator(".board-name"), "leaderboard name");
  await open(page, "/ranking");
  await big(page, page.locator(".rank-name"), "ranking name");
});
