#!/usr/bin/env node
// Entry point of the abic CLI: runs the compiled JavaScript in dist/ (built by `npm run build`,
// which `npm ci` runs as the `prepare` script). Nothing interprets TypeScript at run time.
import { existsSync } from "node:fs";

const cli = new URL("../dist/compiler/cli.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write("abic: not built: dist/compiler/cli.js is missing; run `npm run build` in the abic folder\n");
  process.exit(70);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
