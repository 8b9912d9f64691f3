// What every abic command shares: its I/O, its spec, and the argument parser.

import type { Environment } from "../palette.ts";
import { suggest } from "../suggest.ts";

export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout and stderr are terminals (colour in auto mode); false when absent. */
  isTTY?: { out: boolean; err: boolean };
  /** The environment (NO_COLOR, TERM); process.env when absent. */
  env?: Environment;
}

export class UsageError extends Error {}

function unknownOption(arg: string, key: string, known: string[]): UsageError {
  const best = suggest(key, known);
  return new UsageError(`unknown option \`${arg}\`${best === null ? "" : `; did you mean \`--${best}\`?`}`);
}

export interface CommandSpec {
  summary: string;
  help: string;
  run(args: string[], io: CommandIO): Promise<number>;
}

/**
 * A command's options, declared once: `flags` take no value, `values` take one, `multi` may be
 * repeated. Every command keeps its set in one constant, so the parser can change underneath.
 */
export interface OptionSpec {
  flags?: readonly string[];
  values?: readonly string[];
  multi?: readonly string[];
}

/** Parses `--flag`, `--key value`/`--key=value` and positionals against a declared option set. */
export function parseArgs(
  args: string[],
  spec: OptionSpec,
): { flags: Set<string>; values: Map<string, string[]>; positionals: string[] } {
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  const takesValue = new Set([...(spec.values ?? []), ...(spec.multi ?? [])]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const key = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (takesValue.has(key)) {
        const value = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (value === undefined) throw new UsageError(`option --${key} needs a value`);
        if (values.has(key) && !(spec.multi ?? []).includes(key)) throw new UsageError(`option --${key} given more than once`);
        values.set(key, [...(values.get(key) ?? []), value]);
      } else if ((spec.flags ?? []).includes(key) && eq < 0) flags.add(key);
      else throw unknownOption(a, key, [...(spec.flags ?? []), ...takesValue]);
    } else positionals.push(a);
  }
  return { flags, values, positionals };
}
