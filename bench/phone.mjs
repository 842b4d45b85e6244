// The cheap-phone run of `make bench`: each page loaded cold in headless
// Debian Chromium under a phone profile (CPU 4x slower, 1.6 Mbit/s down,
// 150 ms round trip) or a tablet profile for the counter (CPU 2x,
// 10 Mbit/s, 40 ms). Prints one JSON line per page: bytes on the wire by
// kind, the brotli size of the same wasm/js files on disk, LCP, and when
// the page became interactive (`data-hydrated` on <body>).
//
// usage: node bench/phone.mjs BASE_URL SITE_PKG_DIR [clerk-user] [password]
import { createRequire } from "node:module";
import { existsSync, statSync } from "node:fs";
import path from "node:path";

const require = createRequire(new URL("../end2end/package.json", import.meta.url));
const { chromium } = require("@playwright/test");

const [base, pkgDir, clerk, password] = process.argv.slice(2);
const PHONE = { cpu: 4, down: 1.6e6, latency: 150, viewport: { width: 360, height: 740 }, mobile: true };
const TABLET = { cpu: 2, down: 10e6, latency: 40, viewport: { width: 1024, height: 768 }, mobile: false };

const pages = [
  ["home", "/", PHONE],
  ["village", "/village/7", PHONE],
  ["board", "/village/7/board", PHONE],
  ["ranking", "/ranking", PHONE],
  ["household", "/household/2000001", PHONE],
  ["notices", "/notices", PHONE],
  ["activities", "/activities", PHONE],
  ["search", "/search?q=2000001", PHONE],
  ["login", "/login", PHONE],
];
if (clerk) pages.push(["kiosk", "/kiosk", TABLET]);

function kind(url, mime) {
  if (url.endsWith(".wasm") || mime.includes("wasm")) return "wasm";
  if (url.endsWith(".js") || mime.includes("javascript")) return "js";
  if (url.endsWith(".css") || mime.includes("css")) return "css";
  if (mime.includes("html")) return "html";
  if (mime.startsWith("image/")) return "image";
  return "other";
}

/** The precompressed brotli file next to a /pkg file, as `make run` serves it. */
function brotliBytes(url) {
  const name = new URL(url).pathname.replace(/^\/pkg\//, "");
  const file = path.join(pkgDir, name + ".br");
  return existsSync(file) ? statSync(file).size : null;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});
for (const [name, url, profile] of pages) {
  const context = await browser.newContext({
    baseURL: base,
    viewport: profile.viewport,
    isMobile: profile.mobile,
    hasTouch: true,
    locale: "zh-CN",
  });
  if (name === "kiosk") {
    const r = await context.request.post("/api/login", { form: { username: clerk, password } });
    if (!r.ok()) throw new Error(`login ${clerk}: ${r.status()}`);
  }
  await context.addInitScript(() => {
    window.__lcp = 0;
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__lcp = e.startTime;
    }).observe({ type: "largest-contentful-paint", buffered: true });
    new MutationObserver(() => {
      if (!window.__hydrated && document.body && document.body.dataset.hydrated) {
        window.__hydrated = performance.now();
      }
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-hydrated"] });
  });
  const page = await context.newPage();
  // A page that panics while hydrating still gets `data-hydrated` from the
  // effects that ran before: count it as a failure, not as a figure.
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" && /panicked|hydration error/i.test(m.text())) errors.push(m.text());
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: profile.latency,
    downloadThroughput: profile.down / 8,
    uploadThroughput: 750e3 / 8,
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: profile.cpu });
  const seen = new Map();
  cdp.on("Network.responseReceived", (e) => seen.set(e.requestId, { url: e.response.url, mime: e.response.mimeType }));
  const bytes = {};
  const brotli = { wasm: 0, js: 0 };
  const files = [];
  cdp.on("Network.loadingFinished", (e) => {
    const r = seen.get(e.requestId);
    if (!r) return;
    const k = kind(r.url, r.mime);
    bytes[k] = (bytes[k] || 0) + e.encodedDataLength;
    if (k === "wasm" || k === "js") {
      const b = brotliBytes(r.url);
      if (b !== null) brotli[k] += b;
      files.push(new URL(r.url).pathname);
    }
  });
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(() => window.__hydrated, null, { timeout: 60_000, polling: 100 });
  // Let LCP settle and late chunks finish.
  await page.waitForTimeout(500);
  const t = await page.evaluate(() => ({ hydrated: window.__hydrated, lcp: window.__lcp }));
  if (errors.length) throw new Error(`${url}: ${errors.join("; ").slice(0, 500)}`);
  console.log(
    JSON.stringify({
      page: name,
      url,
      profile: profile === PHONE ? "phone" : "tablet",
      hydrated_ms: Math.round(t.hydrated),
      lcp_ms: Math.round(t.lcp),
      wire: bytes,
      brotli_wasm_js: brotli.wasm + brotli.js,
      files,
    }),
  );
  await context.close();
}
await browser.close();
