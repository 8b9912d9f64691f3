// What every abic command shares: its I/O, its spec (with the options it declares), and the one
// argument parser, node:util's parseArgs: long and short options, `--key=value`, `--`, and a
// usage error (exit 2) for anything undeclared.

import { parseArgs as nodeParseArgs } from "node:util";

import type { Environment } from "../palette.ts";
import { didYouMean } from "../suggest.ts";

export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout and stderr are terminals (colour in auto mode); false when absent. */
  isTTY?: { out: boolean; err: boolean };
  /** The environment (NO_COLOR, TERM); process.env when absent. */
  env?: Environment;
}

export class UsageError extends Error {}

export interface OptionSpec {
  type: "string" | "boolean";
  /** A one-letter alias: `-q` for `--quiet`. */
  short?: string;
  /** May be given several times; the values are collected in order. */
  multiple?: boolean;
}

export type Options = Readonly<Record<string, OptionSpec>>;

/** The parsed option values: a boolean, a string, or (multiple) the strings in order. */
export type Values<O extends Options> = {
  [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : O[K]["multiple"] extends true ? string[] : string;
};

export interface ParsedArgs<O extends Options> {
  values: Values<O>;
  positionals: string[];
  /** With `passThrough`: the words after the first positional, never parsed. */
  rest: string[];
}

export interface CommandSpec<O extends Options = Options> {
  summary: string;
  help: string;
  options: O;
  /** The first positional ends the options: every word after it is its own (`abic run MODULE ARGS...`). */
  passThrough?: boolean;
  run(args: ParsedArgs<O>, io: CommandIO): Promise<number>;
}

/** Every command also takes `-h`/`--help`. */
const HELP = { help: { type: "boolean", short: "h" } } as const satisfies Options;

/**
 * Parses a command's words against its declared options; throws UsageError for an unknown
 * option, a missing or unexpected value, or a single-valued option given twice. Returns
 * `values.help` set when help was asked for.
 */
export function parseArgs<O extends Options>(args: readonly string[], options: O, passThrough = false): ParsedArgs<O> & { help: boolean } {
  const all = { ...options, ...HELP };
  let own = args;
  let split: { positionals: string[]; rest: string[] } | null = null;
  if (passThrough) {
    // A lenient pass finds the first positional (a value-taking option keeps its value).
    const { tokens } = nodeParseArgs({ args: [...args], options: all, strict: false, allowPositionals: true, tokens: true });
    const first = tokens.find((t) => t.kind === "positional" || t.kind === "option-terminator");
    if (first !== undefined) {
      const at = first.kind === "option-terminator" ? first.index + 1 : first.index;
      own = args.slice(0, first.index);
      split = { positionals: args.slice(at, at + 1), rest: args.slice(at + 1) };
    }
  }
  let parsed;
  try {
    parsed = nodeParseArgs({ args: [...own], options: all, strict: true, allowPositionals: true, tokens: true });
  } catch (e) {
    throw new UsageError(usageMessage(e, Object.keys(all)));
  }
  const seen = new Set<string>();
  for (const t of parsed.tokens) {
    if (t.kind !== "option") continue;
    const spec = all[t.name as keyof typeof all] as OptionSpec | undefined;
    if (spec?.type === "string" && !spec.multiple) {
      if (seen.has(t.name)) throw new UsageError(`option --${t.name} given more than once`);
      seen.add(t.name);
    }
  }
  const { help, ...values } = parsed.values as Record<string, unknown>;
  return { values: values as Values<O>, positionals: split?.positionals ?? parsed.positionals, rest: split?.rest ?? [], help: help === true };
}

/** node's parse errors, in the CLI's words; an unknown option gets the closest declared one. */
function usageMessage(e: unknown, known: readonly string[]): string {
  const code = (e as { code?: string }).code;
  const message = e instanceof Error ? e.message : String(e);
  // node names an option `'-q, --quiet'`, `'--out <value>'` or `'-x'`: keep the long form.
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? "";
  const option = /--[\w-]+/.exec(quoted)?.[0] ?? quoted.split(/[ ,]/)[0]!;
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      // Only long options are matched: a single letter is no evidence of what was meant.
      return `unknown option \`${option}\`${option.startsWith("--") ? didYouMean(option.slice(2), known, (o) => `--${o}`) : ""}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return /does not take an argument/.test(message) ? `option ${option} takes no value` : `option ${option} needs a value`;
    default:
      return message;
  }
}
