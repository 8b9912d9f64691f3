// The output targets `abic gen` runs, in order.

import type { Target } from "./index.ts";
import { manifestTarget } from "./manifest.ts";
import { tsTarget } from "./ts.ts";

export const TARGETS: Target[] = [manifestTarget, tsTarget];
