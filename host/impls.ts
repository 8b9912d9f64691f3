// Every module's implementations for one guest process, linked through the generated glue
// (`createImports`), and the check the kernel makes before a module starts: every function it
// imports must link at the tier and features, or it is refused with one line naming it.

import { createImports, type GuestImports, type ImportOptions, type Implementations, type Tier } from "../generated/ts/index.ts";
import { guestHostFs } from "./fs-deps.ts";
import { Guest } from "./guest.ts";
import { identityModules } from "./identity.ts";
import { hostNet } from "./net.ts";
import { hostProcess } from "./process.ts";
import { preview1 } from "./wasi.ts";

export function implementations(g: Guest, winsize: [number, number] | null): Implementations {
  const identity = identityModules(g, winsize);
  return {
    wasiSnapshotPreview1: preview1(g),
    hostProcess: hostProcess(g),
    hostNet: hostNet(g),
    hostUser: identity.hostUser,
    hostSystem: identity.hostSystem,
    hostTty: identity.hostTty,
    hostFs: guestHostFs(g, { euid: identity.euid }),
  };
}

/**
 * The imports for one guest, with a signal checkpoint after every call: a pending signal's
 * handler runs (or its default action ends the process) once the glue has written the results.
 */
export function linkGuest(g: Guest, winsize: [number, number] | null, options: ImportOptions): GuestImports {
  const glue = createImports(implementations(g, winsize), options);
  const imports: WebAssembly.Imports = {};
  for (const [module, functions] of Object.entries(glue.imports)) {
    const wrapped: WebAssembly.ModuleImports = (imports[module] = {});
    for (const [name, fn] of Object.entries(functions)) wrapped[name] = thenCheckpoint(fn as Call, g);
  }
  return { ...glue, imports };
}

type Call = (...args: unknown[]) => unknown;

/**
 * `call` followed by a signal checkpoint. The test for a pending signal is written into each
 * wrapper (a plain read of the shared words: a signal posted meanwhile is seen by the next
 * call), and the hot arities get a wrapper of their own, so a call builds no rest-argument
 * array (clock_time_get, fd_write and fd_read take 3 and 4).
 */
function thenCheckpoint(call: Call, g: Guest): Call {
  const pending = g.pending;
  switch (call.length) {
    case 0:
      return () => {
        const result = call();
        if ((pending[0]! | pending[1]!) !== 0) g.checkpoint(true);
        return result;
      };
    case 1:
      return (a) => {
        const result = call(a);
        if ((pending[0]! | pending[1]!) !== 0) g.checkpoint(true);
        return result;
      };
    case 2:
      return (a, b) => {
        const result = call(a, b);
        if ((pending[0]! | pending[1]!) !== 0) g.checkpoint(true);
        return result;
      };
    case 3:
      return (a, b, c) => {
        const result = call(a, b, c);
        if ((pending[0]! | pending[1]!) !== 0) g.checkpoint(true);
        return result;
      };
    case 4:
      return (a, b, c, d) => {
        const result = call(a, b, c, d);
        if ((pending[0]! | pending[1]!) !== 0) g.checkpoint(true);
        return result;
      };
    default:
      return (...args) => {
        const result = call(...args);
        if ((pending[0]! | pending[1]!) !== 0) g.checkpoint(true);
        return result;
      };
  }
}

/**
 * The refusal check: links against an inert process (implementations are only looked at, never
 * called) and answers the first function import that does not link, as one line, or null.
 */
export function refusalCheck(tier: Tier, features: readonly string[]): (module: WebAssembly.Module) => string | null {
  const inert = new Guest(0, 0, [], [], tier, null as never, new Int32Array(2));
  const glue = createImports(implementations(inert, null), {
    tier,
    features,
    getMemory: () => {
      throw new Error("the refusal check never calls an import");
    },
  });
  return (module) => {
    for (const imp of WebAssembly.Module.imports(module)) {
      if (imp.kind !== "function" || typeof glue.imports[imp.module]?.[imp.name] === "function") continue;
      const why = glue.unlinked.get(`${imp.module === "wasi_unstable" ? "wasi_snapshot_preview1" : imp.module}.${imp.name}`);
      return `imports \`${imp.module}.${imp.name}\`, which this host does not link (${why ?? "not part of the contract"})`;
    }
    return null;
  };
}
