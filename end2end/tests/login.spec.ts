import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, open, shot } from "./helpers";

const roles = [
  { user: "admin", path: "/town", role: "town_admin", title: "镇管理工作台" },
  { user: "cun200", path: "/office", role: "village_admin", title: "村积分管理工作台" },
  { user: "shop200", path: "/kiosk", role: "clerk", title: "积分兑换" },
  { user: "hu200", path: "/me", role: "villager", title: "我的积分" },
];

for (const r of roles) {
  test(`${r.user} logs in to their home and logs out`, async ({ page }, info) => {
    await open(page, "/login");
    await expect(page.getByTestId("demo-accounts")).toContainText(r.user);
    await page.getByTestId("username").fill(r.user);
    await page.getByTestId("password").fill(DEMO_PASSWORD);
    await page.getByTestId("login-submit").click();
    await expect(page).toHaveURL(new RegExp(`${r.path}$`));
    if (r.role === "clerk") {
      // The supermarket clerk lands straight on the counter, ready for a card.
      await expect(page.getByTestId("kiosk")).toContainText("积分超市");
      await expect(page).toHaveTitle(new RegExp(r.title));
    } else {
      const home = page.getByTestId("role-home");
      await expect(home).toHaveAttribute("data-role", r.role);
      await expect(home.locator("h1")).toHaveText(r.title);
      await expect(home.locator(".stat").first()).toBeVisible();
    }
    await shot(page, info, `09-home-${r.role}`);

    await page.locator("body[data-hydrated=true]").waitFor();
    await page.getByTestId("logout").click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("link", { name: "登录" })).toBeVisible();
    // The role home now asks to log in.
    await open(page, r.path);
    await expect(page.getByRole("alert")).toContainText("请先登录");
  });
}

test("a wrong password is refused with a clear message", async ({ page }, info) => {
  await open(page, "/login");
  await page.getByTestId("username").fill("cun201");
  await page.getByTestId("password").fill("not-the-password");
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("login-error")).toHaveText("用户名或密码错误");
  await expect(page).toHaveURL(/\/login$/);
  await shot(page, info, "10-login-error");
});

test("a villager's PIN brings up the number pad, a staff password the full keyboard", async ({ page }) => {
  await open(page, "/login");
  await page.getByTestId("username").fill("2000001");
  await expect(page.getByTestId("password")).toHaveAttribute("inputmode", "numeric");
  await page.getByTestId("username").fill("cun200");
  await expect(page.getByTestId("password")).toHaveAttribute("inputmode", "text");
});
