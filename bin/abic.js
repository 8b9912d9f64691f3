#!/usr/bin/env node
// Entry point of the abic CLI: runs the TypeScript sources through tsx, so no build step exists.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../compiler/cli.ts");
process.exitCode = await main(process.argv.slice(2));
