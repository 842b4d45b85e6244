import { expect, Page, test } from "@playwright/test";
import * as fs from "fs";
import { DEMO_PASSWORD, open } from "./helpers";

// axe-core (npm, no download at run time) on the key pages of each role:
// no serious or critical violation. Its source is evaluated through the
// DevTools protocol, which the page's content security policy does not
// apply to (a <script> tag would be refused, rightly).
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

type Violation = { id: string; impact: string; help: string; nodes: { target: string[] }[] };

async function violations(page: Page): Promise<Violation[]> {
  await page.waitForLoadState("networkidle");
  await page.evaluate(AXE);
  const found: Violation[] = await page.evaluate(async () => {
    // label-content-name-mismatch is marked experimental in axe; a spoken
    // name that leaves out what the tile shows is a real failure here.
    const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: Violation[] }> } }).axe;
    const r = await axe.run(document, { rules: { "label-content-name-mismatch": { enabled: true } } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return found.filter((v) => v.impact === "serious" || v.impact === "critical");
}

async function signIn(page: Page, user: string) {
  await open(page, "/login");
  await page.getByTestId("username").fill(user);
  await page.getByTestId("password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page).not.toHaveURL(/\/login$/);
}

const roles: { user: string | null; paths: string[] }[] = [
  {
    user: null,
    paths: ["/", "/village/7", "/village/7/goods", "/village/7/board", "/village/7/ledger", "/household/2000001",
      "/ranking", "/search", "/login", "/notices", "/activities", "/coverage"],
  },
  { user: "hu200", paths: ["/me"] },
  { user: "shop200", paths: ["/kiosk", "/kiosk/today", "/kiosk/stock"] },
  { user: "cun200", paths: ["/office", "/office/review", "/office/households", "/office/ledger"] },
  { user: "admin", paths: ["/town", "/town/dashboard"] },
];

for (const r of roles) {
  test(`axe finds nothing serious on the pages of ${r.user ?? "the public"}`, async ({ page }) => {
    if (r.user) await signIn(page, r.user);
    const report: string[] = [];
    for (const path of r.paths) {
      await open(page, path);
      for (const v of await violations(page)) {
        report.push(`${path}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      }
    }
    if (!r.user) {
      // A published month's posting: its wide table scrolls on a phone.
      await open(page, "/village/7/ledger");
      const posting = await page.locator("a[href^='/ledger/7/']").first().getAttribute("href");
      expect(posting).not.toBeNull();
      await open(page, posting!);
      for (const v of await violations(page)) {
        report.push(`${posting}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      }
    }
    expect(report).toEqual([]);
  });
}

test("the kiosk shelf and the household page have a main heading", async ({ page }) => {
  await open(page, "/household/2000001");
  await expect(page.locator("h1")).toHaveCount(1);
  await signIn(page, "shop200");
  await open(page, "/kiosk");
  await expect(page.locator("h1")).toHaveCount(1);
  // The shelf, once a card is read: the household's name is the heading.
  await page.getByTestId("kiosk-code").focus();
  await page.keyboard.type("2000001");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("kiosk-customer")).toBeVisible();
  await expect(page.locator("h1")).toHaveCount(1);
  await expect(page.locator("h1")).toHaveClass(/kiosk-head/);
  const report = (await violations(page)).map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(report).toEqual([]);
});
