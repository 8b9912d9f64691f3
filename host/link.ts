// What the host links: the contract's functions at the execution's tier and features,
// minus refused ones, stubbed ones answering their errno, and provided ones only where this
// host has an implementation (anything else is left out, so instantiation names it).

import type { ContractModel, Tier } from "../compiler/model.ts";
import { E, Errno, ProcExit } from "./errno.ts";
import type { Guest } from "./guest.ts";

export interface LinkEntry {
  /** The module name and its aliases (`wasi_unstable`). */
  modules: string[];
  name: string;
  status: "provided" | "stubbed";
  /** The errno of a stubbed function. */
  errno: number;
  /** How the function returns: an errno, a plain scalar, nothing, or never. */
  returns: "errno" | "scalar" | "none" | "noreturn";
}

export function linkPlan(model: ContractModel, tier: Tier, features: readonly string[]): LinkEntry[] {
  const plan: LinkEntry[] = [];
  for (const module of model.modules) {
    if (module.unstable !== null && !features.includes(module.unstable)) continue;
    for (const fn of module.functions) {
      if (fn.status.kind === "refused") continue;
      if (!fn.tiers.includes(tier)) continue;
      if (fn.unstable !== null && !features.includes(fn.unstable)) continue;
      plan.push({
        modules: [module.name, ...module.aliases],
        name: fn.import.name,
        status: fn.status.kind,
        errno: fn.status.kind === "stubbed" ? fn.status.value : 0,
        returns:
          fn.result.kind === "expected" ? "errno" : fn.result.kind === "scalar" ? "scalar" : fn.result.kind,
      });
    }
  }
  return plan;
}

export type Impls = Record<string, Record<string, (...args: never[]) => number | void>>;

/** The plan entries this host cannot serve (provided by the contract, no implementation). */
export function unimplemented(plan: LinkEntry[], impls: Impls): LinkEntry[] {
  return plan.filter((e) => e.status === "provided" && !impls[e.modules[0]!]?.[e.name]);
}

/**
 * The import object: each call maps a thrown `Errno` to its code, lets `ProcExit` unwind
 * the guest, and runs the signal checkpoint before returning to the guest.
 */
export function buildImports(plan: LinkEntry[], impls: Impls, g: Guest, debug: boolean): WebAssembly.Imports {
  const imports: Record<string, Record<string, (...args: unknown[]) => number | void>> = {};
  for (const entry of plan) {
    const impl = impls[entry.modules[0]!]?.[entry.name] as ((...args: unknown[]) => number | void) | undefined;
    let fn: (...args: unknown[]) => number | void;
    if (entry.status === "stubbed") fn = () => entry.errno;
    else if (!impl) continue;
    else
      fn = (...args) => {
        let result: number | void = 0;
        try {
          const value = impl(...args);
          result = entry.returns === "errno" ? 0 : value;
        } catch (error) {
          if (error instanceof ProcExit) throw error;
          if (error instanceof Errno) result = error.code;
          else if (error instanceof WebAssembly.RuntimeError) throw error;
          else {
            if (debug) console.error(`host: ${entry.modules[0]}.${entry.name}:`, error);
            result = E.io;
          }
        }
        g.checkpoint(true);
        return result;
      };
    for (const module of entry.modules) (imports[module] ??= {})[entry.name] = fn;
  }
  return imports as WebAssembly.Imports;
}
