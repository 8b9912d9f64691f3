// The functions this host implements, by module: read from the implementation tables
// themselves (built against an inert guest), so the list cannot drift from the code.

import { Guest } from "./guest.ts";
import type { Impls } from "./link.ts";
import { hostImpls } from "./impls.ts";

let names: Impls | null = null;

export function implementedNames(): Impls {
  if (!names) {
    const inert = new Guest(0, 0, [], [], "full", null as never, new Int32Array(2), () => {
      throw new Error("no memory");
    });
    names = hostImpls(inert, null);
  }
  return names;
}
