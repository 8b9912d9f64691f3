// The abic commands: each parses its own arguments and returns an exit status.

import { compileFile, type Compilation } from "./index.ts";
import { formatDiagnostic } from "./diagnostics.ts";
import { genCommand } from "./commands/gen.ts";
import { verifyCommand } from "./commands/verify.ts";

export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
}

export class UsageError extends Error {}

export interface CommandSpec {
  summary: string;
  help: string;
  run(args: string[], io: CommandIO): Promise<number>;
}

/** Parses `--flag`, `--key value`/`--key=value` and positionals against a declared option set. */
export function parseArgs(
  args: string[],
  spec: { flags?: string[]; values?: string[]; multi?: string[] },
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
      else throw new UsageError(`unknown option \`${a}\``);
    } else positionals.push(a);
  }
  return { flags, values, positionals };
}

function report(c: Compilation, io: CommandIO): boolean {
  for (const d of c.diagnostics) io.err(formatDiagnostic(d, c.texts) + "\n");
  const errors = c.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = c.diagnostics.length - errors;
  if (errors || warnings) io.err(`${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}\n`);
  return c.model !== null;
}

function oneFile(positionals: string[]): string {
  if (positionals.length > 1) throw new UsageError(`expected one IDL file, got ${positionals.length}`);
  return positionals[0] ?? "abi.idl";
}

export const COMMANDS: Record<string, CommandSpec> = {
  gen: genCommand,
  verify: verifyCommand,
  check: {
    summary: "Check a contract and report every error and warning",
    help: `Usage: abic check [FILE]

Parses and checks FILE (default: abi.idl) and every file it includes, and prints
every error and warning as FILE:LINE:COL: error CODE: message with a code frame.
Exit status: 0 when there are no errors, 1 when there are, 2 on bad usage.`,
    async run(args, io) {
      const { positionals } = parseArgs(args, {});
      const c = compileFile(oneFile(positionals));
      if (!report(c, io)) return 1;
      const m = c.model!;
      const fns = m.modules.reduce((n, mod) => n + mod.functions.length, 0);
      io.out(`${m.package.name}@${m.package.version}: ${m.types.length} types, ${m.constants.length} constants, ${m.modules.length} modules, ${fns} functions\n`);
      return 0;
    },
  },
  ir: {
    summary: "Print the checked model as JSON",
    help: `Usage: abic ir [FILE]

Prints the checked model of FILE (default: abi.idl) as JSON on stdout: the package,
every type with its size, alignment and field offsets, constants, modules and
functions with their import names and core wasm signatures, and the command contract.
The format is versioned by its \`schemaVersion\` field.`,
    async run(args, io) {
      const { positionals } = parseArgs(args, {});
      const c = compileFile(oneFile(positionals));
      if (!report(c, io)) return 1;
      io.out(JSON.stringify(c.model, null, 2) + "\n");
      return 0;
    },
  },
};
