// Bundles the app into OUTDIR (default dist/): app.js (one minified script), app.css and index.html. Deterministic:
// no hashes, timestamps or source maps, so the committed copy can be checked against a fresh build (check.sh).
import { build } from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";

const outdir = process.argv[2] ?? "dist";
await mkdir(outdir, { recursive: true });
const common = { bundle: true, minify: true, logLevel: "warning", legalComments: "none", charset: "utf8" };
await build({
  ...common,
  entryPoints: ["src/main.ts"],
  outfile: join(outdir, "app.js"),
  format: "iife",
  platform: "browser",
  target: ["es2022"],
});
await build({ ...common, entryPoints: ["src/styles.css"], outfile: join(outdir, "app.css") });
await copyFile("index.html", join(outdir, "index.html"));
