// The entry of a fuzz worker thread (scripts/fuzz.ts): worker threads do not inherit the main
// thread's `--import tsx`, so TypeScript loading is registered here before the worker proper.

import { register } from "tsx/esm/api";

register();
await import("./fuzz-worker.ts");
