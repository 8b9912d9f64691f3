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
  /** Targets that are off by default (`defaultEnabled: false`) to run as well, by name. */
  enable?: readonly string[];
}

export interface Target {
  name: string;
  /**
   * false: the target runs only when asked for by name (`GenContext.enable`, `abic gen
   * --enable NAME`); the others always run. Default true.
   */
  defaultEnabled?: boolean;
  generate(model: ContractModel, ctx: GenContext): Promise<GeneratedFile[]>;
}
