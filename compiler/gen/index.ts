// Runs output targets over a checked model and returns the files to write, keyed by their path
// in the default layout (`c/wasi/api.h`, `abi.json`). Pure: nothing is written here.

import type { ContractModel } from "../model.ts";
import type { GenContext, GeneratedFile } from "./target.ts";
import { HAND_OVER_GROWTH, releaseMemory } from "./memory.ts";
import { DEFAULT_TARGETS, TARGET_ENTRIES } from "./targets.ts";

export type { GenContext, GeneratedFile, Target } from "./target.ts";

/** What one target generated: its files, each path starting with the target's folder. */
export interface TargetOutput {
  target: string;
  folder: string;
  files: GeneratedFile[];
}

/** Runs the named targets (in the registry's order); every default target when `names` is absent. */
export async function generateTargets(model: ContractModel, ctx: GenContext, names: readonly string[] = DEFAULT_TARGETS): Promise<TargetOutput[]> {
  for (const n of names) if (!TARGET_ENTRIES.some((e) => e.name === n)) throw new Error(`unknown target \`${n}\``);
  const out: TargetOutput[] = [];
  for (const entry of TARGET_ENTRIES) {
    const name = entry.name;
    if (!names.includes(name)) continue;
    releaseMemory();
    const files = await (await entry.load()).generate(model, ctx);
    out.push({ target: name, folder: entry.folder, files: files.sort((a, b) => a.path.localeCompare(b.path)) });
  }
  // What the targets dropped, before the files are laid out and written, or sent to the main
  // thread while it holds its own.
  releaseMemory(HAND_OVER_GROWTH);
  checkTargetOutputs(out);
  return out;
}

/** Throws when a target generated a file outside its folder, or two targets the same path. */
export function checkTargetOutputs(outputs: readonly TargetOutput[]): void {
  const seen = new Map<string, string>();
  for (const o of outputs)
    for (const f of o.files) {
      if (o.folder !== "" && !f.path.startsWith(`${o.folder}/`)) throw new Error(`target ${o.target} generated ${f.path}, outside its folder ${o.folder}/`);
      const other = seen.get(f.path);
      if (other !== undefined) throw new Error(`targets ${other} and ${o.target} both generate ${f.path}`);
      seen.set(f.path, o.target);
    }
}

/** Every file of the default targets, sorted by path (what `generate` of the API returns). */
export async function generateAll(model: ContractModel, ctx: GenContext, names?: readonly string[]): Promise<GeneratedFile[]> {
  const outputs = await generateTargets(model, ctx, names);
  return outputs.flatMap((o) => o.files).sort((a, b) => a.path.localeCompare(b.path));
}
