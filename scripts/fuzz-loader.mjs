// Module hooks for the fuzz campaign's worker threads (scripts/fuzz-worker.mjs): TypeScript
// sources are compiled by esbuild as they load, as tsx does, but without tsx's `keepNames`,
// which wraps every function the code creates in a call that names it. The parser creates
// closures on every rule it runs, so that wrapping cost a check of the real contract about a
// tenth of its time in the campaign, and `abic` itself (the tsc build) never pays it. Only
// type syntax is removed; source maps are kept inline, so a crash's stack names TypeScript lines.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";

export async function load(url, context, next) {
  if (url.startsWith("file:") && /\.[cm]?ts$/.test(new URL(url).pathname)) {
    const file = fileURLToPath(url);
    const { code } = transformSync(readFileSync(file, "utf8"), {
      loader: "ts",
      format: "esm",
      target: `node${process.versions.node}`,
      sourcemap: "inline",
      sourcefile: file,
    });
    return { format: "module", source: code, shortCircuit: true };
  }
  return next(url, context);
}
