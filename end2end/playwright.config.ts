import { defineConfig } from "@playwright/test";

// Debian's Chromium, never a downloaded browser: this machine has no internet.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // Two workers, one per project: run.sh starts a server with its own demo
  // database for each project, so the phone and the tablet runs cannot see
  // each other's writes. Inside a project the files run one at a time, in
  // order, on that project's database.
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS || 2),
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: process.env.BASE_URL || "http://127.0.0.1:3000",
    launchOptions: chromium,
    locale: "zh-CN",
    trace: "off",
  },
  projects: [
    {
      name: "phone",
      workers: 1,
      use: {
        baseURL: process.env.PHONE_URL || process.env.BASE_URL || "http://127.0.0.1:3000",
        viewport: { width: 360, height: 740 },
        isMobile: true,
        hasTouch: true,
      },
    },
    {
      name: "tablet",
      workers: 1,
      use: {
        baseURL: process.env.TABLET_URL || process.env.BASE_URL || "http://127.0.0.1:3000",
        viewport: { width: 1024, height: 768 },
        hasTouch: true,
      },
    },
  ],
});
