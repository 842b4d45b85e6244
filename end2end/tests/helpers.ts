import { expect, Page, TestInfo } from "@playwright/test";

/** Opens a page and waits until the WASM has hydrated it. */
export async function open(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

/** Saves what the first screen shows, and the full page, under end2end/screenshots/<project>/. */
export async function shot(page: Page, info: TestInfo, name: string) {
  await page.screenshot({ path: `screenshots/${info.project.name}/${name}.png` });
  await page.screenshot({ path: `screenshots/${info.project.name}/full/${name}.png`, fullPage: true });
}

/** Demo password of every demo account. */
export const DEMO_PASSWORD = "gaoliang2026";
