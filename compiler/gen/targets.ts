// The output targets `abic gen` runs, in order.

import type { Target } from "./target.ts";
import { cTarget } from "./c.ts";
import { docsTarget } from "./docs.ts";
import { manifestTarget } from "./manifest.ts";
import { reportTarget } from "./report.ts";
import { rustTarget } from "./rust.ts";
import { tsTarget } from "./ts.ts";

export const TARGETS: Target[] = [manifestTarget, cTarget, tsTarget, rustTarget, docsTarget, reportTarget];
