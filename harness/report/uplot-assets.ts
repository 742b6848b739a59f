import fs from "node:fs";
import { createRequire } from "node:module";

/**
 * uPlot (https://github.com/leeoniya/uPlot), inlined into every HTML page so it opens offline: small (51 KB),
 * fast with tens of thousands of points, log axes, no dependencies.
 */
const require = createRequire(import.meta.url);
export const uplotJs = () => fs.readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8");
export const uplotCss = () => fs.readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8");
