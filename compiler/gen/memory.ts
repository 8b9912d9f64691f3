// Keeping a large generation's peak memory down. V8 lets garbage pile up in the old generation
// until its own heuristics collect it: after the front end of a 10,000-function contract, the
// syntax trees it dropped, and after each target, its views. A full collection at those points,
// only when the heap has grown by a large amount since the last one, keeps the peak near what is
// actually live. (`gc` is V8's own, reached without a command-line flag.) A small contract, or a
// long-lived process whose heap is large for other reasons (a test runner, the language server),
// never pays for it: what counts is growth, not size.

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Growth of the heap in use since the last collection here above which a stage boundary collects. */
const LARGE_GROWTH = 192 * 1024 * 1024;

/**
 * The growth above which the end of rendering collects: there the threads' heaps add up (the
 * worker's files are copied to the main thread while both hold their garbage).
 */
export const HAND_OVER_GROWTH = 64 * 1024 * 1024;

/** The heap in use just after the last collection here (0: none yet). */
let afterLast = 0;

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

/**
 * At a stage boundary: a full collection when the heap has grown by more than `growth` since the
 * last one here, else nothing.
 */
export function releaseMemory(growth = LARGE_GROWTH): void {
  if (process.memoryUsage().heapUsed - afterLast < growth) return;
  const gc = collector();
  if (gc === null) return;
  gc();
  afterLast = process.memoryUsage().heapUsed;
}
