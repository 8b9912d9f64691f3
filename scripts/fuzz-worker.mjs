// The entry of a fuzz worker thread (scripts/fuzz.ts): worker threads do not inherit the main
// thread's `--import tsx`, so TypeScript loading is registered here before the worker proper
// (scripts/fuzz-loader.mjs: esbuild, without tsx's function naming), with source maps on for
// the stacks of crashes.

import { register } from "node:module";

process.setSourceMapsEnabled(true);
register("./fuzz-loader.mjs", import.meta.url);
await import("./fuzz-worker.ts");
