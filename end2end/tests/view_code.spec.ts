import { expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, open } from "./helpers";

// A `>` inside an unbraced attribute closure (`disabled=move || a >= b`)
// closes the tag in `view!`, and the rest of the closure is shown to the
// user as text. This walks every screen of each role and looks for view
// code in what the page holds (hidden parts included).
const VIEW_CODE = [/move \|/, /\|\s*_\s*\|/, /\bon\s*:\s*[a-z]+\s*=/, /\bprop\s*:\s*[a-z]+\s*=/, /\.get\(\)/, /\.set\(/];

const pages: { user: string | null; paths: string[] }[] = [
  {
    user: null,
    paths: ["/", "/village/7", "/village/7/goods", "/village/7/board", "/village/7/ranking", "/village/7/ledger",
      "/village/7/notices", "/village/7/activities", "/ranking", "/search", "/household/2000001", "/login",
      "/coverage", "/funds", "/notices", "/activities"],
  },
  {
    user: "cun200",
    paths: ["/office", "/office/batch", "/office/groups", "/office/ledger", "/office/review", "/office/rules",
      "/office/households", "/office/households/new", "/office/households/import", "/office/households/cards",
      "/office/appeals", "/office/notices", "/office/notices/new", "/office/activities", "/office/activities/new"],
  },
  { user: "shop200", paths: ["/kiosk", "/kiosk/today", "/kiosk/stock", "/kiosk/stock/new"] },
  {
    user: "admin",
    paths: ["/town", "/town/dashboard", "/town/acceptance", "/town/scores", "/town/flags", "/town/staff",
      "/town/setup", "/town/evaluation", "/town/funds"],
  },
  { user: "hu200", paths: ["/me", "/me/password"] },
];

async function signIn(page: Page, user: string) {
  await open(page, "/login");
  await page.getByTestId("username").fill(user);
  await page.getByTestId("password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page).not.toHaveURL(/\/login$/);
}

for (const group of pages) {
  test(`no screen of ${group.user ?? "the public"} shows view code`, async ({ page }, info) => {
    test.skip(info.project.name !== "tablet", "the same markup at every size");
    if (group.user) {
      await signIn(page, group.user);
    }
    for (const path of group.paths) {
      await open(page, path);
      await page.waitForLoadState("networkidle");
      // Every text node but those of scripts and styles (the hydration data
      // is code on purpose).
      const text = await page.evaluate(() => {
        const skip = ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
          acceptNode: (n) =>
            skip.includes(n.parentElement?.tagName ?? "") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
        });
        let all = "";
        while (walker.nextNode()) all += (walker.currentNode.textContent ?? "") + "\n";
        return all;
      });
      for (const pattern of VIEW_CODE) {
        const hit = text.match(pattern);
        expect(hit, `${path} shows view code: …${hit ? text.slice(Math.max(0, hit.index! - 40), hit.index! + 60) : ""}…`).toBeNull();
      }
    }
  });
}
