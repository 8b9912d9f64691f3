#!/usr/bin/env node
// Entry point of the abic CLI: runs the TypeScript sources through tsx, so no build step exists.
// Heavy plain-JS dependencies are imported before tsx's loader hooks are installed: through
// the hooks, chevrotain's hundreds of lodash-es modules take seconds instead of milliseconds.
import "chevrotain";
import { register } from "tsx/esm/api";

register();
const { main } = await import("../compiler/cli.ts");
process.exitCode = await main(process.argv.slice(2));
