// What an output target is: a name and a function from the checked model to the files it owns.

import type { ContractModel } from "../model.ts";
import type { TsOptions } from "./options.ts";

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
