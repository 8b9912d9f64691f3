// Runs every output target over a checked model and returns the files to write under
// generated/, keyed by their path relative to it. Pure: nothing is written here.

import type { ContractModel } from "../model.ts";
import { OptionError } from "./options.ts";
import type { GenContext, GeneratedFile, Target } from "./target.ts";
import { TARGETS } from "./targets.ts";

export type { GenContext, GeneratedFile, Target } from "./target.ts";

/** The targets a generation runs: every target on by default, and those `ctx.enable` names. */
export function enabledTargets(ctx: GenContext): Target[] {
  for (const name of ctx.enable ?? [])
    if (!TARGETS.some((t) => t.name === name))
      throw new OptionError(`unknown target \`${name}\` (targets: ${TARGETS.map((t) => t.name).join(", ")})`);
  return TARGETS.filter((t) => t.defaultEnabled !== false || ctx.enable?.includes(t.name));
}

export async function generateAll(model: ContractModel, ctx: GenContext): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  for (const target of enabledTargets(ctx)) files.push(...(await target.generate(model, ctx)));
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`two targets generate ${f.path}`);
    seen.add(f.path);
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
