// Keeping a large generation's peak memory down. V8 lets garbage pile up in the old generation
// until its own heuristics collect it: after the front end of a 10,000-function contract, the
// syntax trees it dropped, and after each target, its views. A full collection at those points,
// only when the heap has grown large, keeps the peak near what is actually live. (`gc` is V8's
// own, reached without a command-line flag; a small contract never pays for it.)

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Heap in use above which a stage boundary collects garbage. */
const LARGE_HEAP = 192 * 1024 * 1024;

let collect: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    setFlagsFromString("--expose-gc");
    const gc: unknown = runInNewContext("gc");
    collect = typeof gc === "function" ? (gc as () => void) : null;
  } catch {
    collect = null;
  }
  return collect;
}

/** At a stage boundary: a full collection when the heap has grown large, else nothing. */
export function releaseMemory(): void {
  if (process.memoryUsage().heapUsed < LARGE_HEAP) return;
  collector()?.();
}
