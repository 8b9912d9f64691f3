// The output targets `abic gen` runs, in order.

import type { Target } from "./index.ts";
import { cTarget } from "./c.ts";
import { manifestTarget } from "./manifest.ts";

export const TARGETS: Target[] = [manifestTarget, cTarget];
