// Vitest global setup: brings dist/ up to date with the sources before any test runs
// (an incremental `tsc -b`, then the CLI bundle that bin/abic.js runs), so tests that start the
// real `bin/abic.js` or the reference host's workers (which always run compiled JavaScript)
// test the current code.

import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { bundleCli } from "../../scripts/bundle-cli.ts";

export default async function build(): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  try {
    execFileSync(process.execPath, [tsc, "-b", "tsconfig.build.json"], { encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    const out = e as { stdout?: string; stderr?: string };
    throw new Error(`the build (tsc -b tsconfig.build.json) failed:\n${out.stdout ?? ""}${out.stderr ?? ""}`);
  }
  await bundleCli();
}
