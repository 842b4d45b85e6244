import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, open, shot } from "./helpers";

// An item no other spec relies on, in a village no other spec writes to
// (one per project: a village's item can be revised once a day).
const ITEM = "带动村民发展产业";
const clerk = (project: string) => (project === "phone" ? "cun203" : "cun204");

test("the clerk changes one item's points and publishes it with the decision record; the public sees it", async ({ page }, info) => {
  await open(page, "/login");
  await page.getByTestId("username").fill(clerk(info.project.name));
  await page.getByTestId("password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(/\/office$/);

  await open(page, "/office/rules");
  const item = page.getByTestId("editor-item").filter({ hasText: ITEM });
  await expect(item).toBeVisible();
  const before = Number((await item.locator(".points").textContent())!.replace(/[^0-9]/g, ""));
  const after = before + 2;
  const publicPage = (await page.getByRole("link", { name: "查看公开页面" }).getAttribute("href"))!;
  const village = publicPage.split("/").pop();
  await shot(page, info, "30-rules-editor");

  // The change goes into the draft revision.
  await item.getByTestId("rule-change").click();
  const form = page.getByTestId("rule-form");
  await expect(form.getByTestId("rule-title")).toHaveValue(ITEM);
  await form.getByTestId("rule-points").fill(String(after));
  await form.scrollIntoViewIfNeeded();
  await shot(page, info, "30b-rules-form");
  await form.getByTestId("rule-save").click();
  const draft = page.getByTestId("rules-draft");
  await expect(draft.getByTestId("draft-line")).toContainText(`修改 ${ITEM}：+${before} → +${after}`);
  await expect(item).toContainText("待表决：修改");
  await draft.scrollIntoViewIfNeeded();
  await shot(page, info, "30c-rules-draft");

  // A draft is not in force: the published catalogue still has the old points.
  const live = await (await page.request.get(`/api/village_rules?village=${village}`)).text();
  expect(live).toContain(`"title":"${ITEM}","points":${before}`);

  // The decision record: too few present is refused, then the minutes are required.
  const pub = page.getByTestId("rules-publish");
  await pub.getByTestId("entitled").fill("30");
  await pub.getByTestId("attended").fill("19");
  await pub.getByTestId("votes-for").fill("15");
  await pub.getByTestId("rules-publish-go").click();
  await expect(pub.getByTestId("publish-error")).toContainText("三分之二");
  await pub.getByTestId("attended").fill("24");
  await pub.getByTestId("votes-for").fill("21");
  await pub.getByTestId("votes-against").fill("2");
  await pub.getByTestId("votes-abstain").fill("1");
  await pub.getByTestId("rules-publish-go").click();
  await expect(pub.getByTestId("publish-error")).toContainText("会议记录");
  // A screenshot stands in for a photo of the minutes.
  const photo = await page.screenshot();
  await pub.getByTestId("minutes-file").setInputFiles({ name: "村民代表大会记录.png", mimeType: "image/png", buffer: photo });
  await expect(pub).toContainText("已选：村民代表大会记录.png");
  await shot(page, info, "31-rules-decision");
  await pub.getByTestId("rules-publish-go").click();
  await expect(page.getByTestId("rules-ok")).toContainText("修订已发布");
  await expect(page.getByTestId("rules-draft")).toHaveCount(0);
  await expect(item.locator(".points")).toHaveText(`+${after}`);

  // The public rules tab: the new points, the decision, the history line.
  await open(page, publicPage);
  const rules = page.getByTestId("rules");
  await expect(rules.locator(".rule-item").filter({ hasText: ITEM }).locator(".points")).toHaveText(`+${after}`);
  const decision = page.getByTestId("rules-decision");
  await expect(decision).toContainText("第 2 次修订");
  await expect(decision.getByTestId("decision-meeting")).toContainText("村民代表大会");
  await expect(decision.getByTestId("decision-votes")).toHaveText("赞成 21 票，反对 2 票，弃权 1 票");
  await expect(page.getByTestId("rules-history")).toContainText(`修改 ${ITEM}：+${before} → +${after}`);
  await shot(page, info, "32-rules-public");
  await page.getByTestId("rules-history").scrollIntoViewIfNeeded();
  await shot(page, info, "33-rules-history");
  const minutes = (await decision.getByTestId("decision-minutes").getAttribute("href"))!;
  const res = await page.request.get(minutes);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("image/jpeg");
});
