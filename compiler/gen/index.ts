// Runs every output target over a checked model and returns the files to write under
// generated/, keyed by their path relative to it. Pure: nothing is written here.

import type { ContractModel } from "../model.ts";
import type { GenContext, GeneratedFile } from "./target.ts";
import { TARGETS } from "./targets.ts";

export type { GenContext, GeneratedFile, Target } from "./target.ts";

export async function generateAll(model: ContractModel, ctx: GenContext): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  for (const target of TARGETS) files.push(...(await target.generate(model, ctx)));
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`two targets generate ${f.path}`);
    seen.add(f.path);
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
