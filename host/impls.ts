// Every module's implementations for one guest process.

import type { Guest } from "./guest.ts";
import { identityModules } from "./identity.ts";
import type { Impls } from "./link.ts";
import { hostProcess } from "./process.ts";
import { preview1 } from "./wasi.ts";

export function hostImpls(g: Guest, winsize: [number, number] | null): Impls {
  return {
    wasi_snapshot_preview1: preview1(g),
    host_process: hostProcess(g),
    ...identityModules(g, winsize),
  };
}
