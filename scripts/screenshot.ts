/**
 * A full-page PNG of an HTML report in the system Chromium (the same browser the report test uses):
 *   node --import tsx scripts/screenshot.ts <page.html> <out.png> [width]
 * How docs/images/*.png are made.
 */
import path from "node:path";
import { chromium } from "playwright-core";

const [page, out, width] = process.argv.slice(2);
if (!page || !out) {
  console.error("usage: node --import tsx scripts/screenshot.ts <page.html> <out.png> [width]");
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.DGH_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
try {
  const tab = await browser.newPage({ viewport: { width: Number(width ?? 1150), height: 900 } });
  await tab.goto(`file://${path.resolve(page)}`);
  await tab.waitForLoadState("load");
  await tab.screenshot({ path: out, fullPage: true });
  console.log(out);
} finally {
  await browser.close();
}
