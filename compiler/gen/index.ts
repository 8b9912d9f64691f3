// Runs every output target over a checked model and returns the files to write under
// generated/, keyed by their path relative to it. Pure: nothing is written here.

import type { ContractModel } from "../model.ts";
import type { TsOptions } from "./options.ts";
import { TARGETS } from "./targets.ts";

export interface GeneratedFile {
  /** Path relative to the output folder, with `/` separators. */
  path: string;
  content: string;
}

export interface GenContext {
  /** How the contract source is named in banners, e.g. "abi.idl". */
  source: string;
  /** Options of the TypeScript target; unset fields take their defaults. */
  ts?: Partial<TsOptions>;
}

export interface Target {
  name: string;
  generate(model: ContractModel, ctx: GenContext): Promise<GeneratedFile[]>;
}

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
