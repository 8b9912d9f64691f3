// What one `abic gen` run does, decided once from the configuration file and the command line
// (flags win): the contract and the folder its banners name it from, which targets run, the
// folder each writes to, the TypeScript options and whether warnings fail the run. Every path
// here is absolute, so the run does not depend on the working directory.

import * as path from "node:path";
import { CONFIG_FILE, findConfigFile, readConfigFile, type ConfigFile } from "../config.ts";
import type { Diagnostic } from "../diagnostics.ts";
import { OptionError, parseTsOptions, resolveTsOptions, tsOptionsByName, type TsOptions } from "../gen/options.ts";
import { DEFAULT_TARGETS, TARGET_NAMES, targetEntry } from "../gen/targets.ts";
import { UsageError } from "./args.ts";

export const DEFAULT_CONTRACT = "abi.idl";
export const DEFAULT_OUT = "generated";

export interface TargetSetup {
  name: string;
  /** The target's folder in the default layout (`c`), which its generated paths start with. */
  folder: string;
  /** Absolute folder it writes to. */
  out: string;
}

export interface GenSetup {
  /** The configuration file that applied (absolute), or null. */
  configFile: string | null;
  /** Absolute path of the contract's root file. */
  contract: string;
  /** The folder file names are relative to in the model and banners: the configuration's, or the contract's. */
  base: string;
  /** The contract as banners name it: relative to `base`, `/` separators. */
  source: string;
  /** The output root (absolute): `--out`, the configuration's `out`, or generated/. */
  root: string;
  targets: TargetSetup[];
  ts: TsOptions;
  denyWarnings: boolean;
}

/** The command-line values that take part. */
export interface GenFlags {
  contract?: string;
  out?: string;
  config?: string;
  tsOpt: readonly string[];
  denyWarnings: boolean;
  /** Off-by-default targets to run as well (`--enable`). */
  enable: readonly string[];
}

/** Paths as this run prints them: relative to the working directory, `/` separators. */
export function displayPath(abs: string, cwd: string = process.cwd()): string {
  const rel = path.relative(cwd, abs);
  // A path that shares nothing with the working directory but the root reads better absolute.
  if (path.isAbsolute(abs) && rel.startsWith("..") && abs.split(path.sep)[1] !== cwd.split(path.sep)[1]) return abs.split(path.sep).join("/");
  return (rel === "" ? "." : rel).split(path.sep).join("/");
}

function slashes(p: string): string {
  return p.split(path.sep).join("/");
}

/**
 * Finds and reads the configuration (`--config`, or the nearest abic.config.json from `cwd`
 * up), then combines it with the flags. Configuration mistakes come back as diagnostics (with
 * the file's text in `texts`); a bad flag throws UsageError.
 */
export function resolveGenSetup(flags: GenFlags, cwd: string, texts: Map<string, string>): { setup: GenSetup } | { diagnostics: Diagnostic[] } {
  let config: ConfigFile | null = null;
  const configPath = flags.config !== undefined ? path.resolve(cwd, flags.config) : findConfigFile(cwd);
  if (configPath !== null) {
    const read = readConfigFile(configPath, displayPath(configPath, cwd), texts);
    if (read.config === null) return { diagnostics: read.diagnostics };
    config = read.config;
  }
  const fromConfig = (p: string): string => path.resolve(config!.dir, p);
  const contract =
    flags.contract !== undefined
      ? path.resolve(cwd, flags.contract)
      : config?.contract != null
        ? fromConfig(config.contract)
        : path.resolve(config?.dir ?? cwd, DEFAULT_CONTRACT);
  const base = config?.dir ?? path.dirname(contract);
  const root =
    flags.out !== undefined ? path.resolve(cwd, flags.out) : config?.out != null ? fromConfig(config.out) : path.resolve(config?.dir ?? cwd, DEFAULT_OUT);

  const listed = config?.targets ?? null;
  const chosen = new Set([...(listed === null ? DEFAULT_TARGETS : listed.keys()), ...flags.enable]);
  const names = TARGET_NAMES.filter((n) => chosen.has(n));
  const targets = names.map((name): TargetSetup => {
    const entry = targetEntry(name)!;
    const own = listed?.get(name)?.out ?? null;
    // --out moves every target under it, as in the default layout.
    const out = flags.out === undefined && own !== null ? fromConfig(own) : path.join(root, entry.folder);
    return { name, folder: entry.folder, out };
  });

  let ts: TsOptions;
  try {
    ts = resolveTsOptions({ ...tsOptionsByName(listed?.get("ts")?.options ?? {}), ...parseTsOptions(flags.tsOpt) });
  } catch (e) {
    if (e instanceof OptionError) throw new UsageError(e.message);
    throw e;
  }
  return {
    setup: {
      configFile: configPath,
      contract,
      base,
      source: slashes(path.relative(base, contract)),
      root,
      targets,
      ts,
      denyWarnings: flags.denyWarnings || config?.denyWarnings === true,
    },
  };
}

export { CONFIG_FILE };
