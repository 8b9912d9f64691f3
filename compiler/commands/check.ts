// `abic check` and `abic ir`: the front end from the command line.

import { compileFile, type Compilation } from "../index.ts";
import { formatDiagnostics } from "../diagnostics.ts";
import { parseArgs, UsageError, type CommandIO, type CommandSpec } from "./args.ts";

function report(c: Compilation, io: CommandIO): boolean {
  const text = formatDiagnostics(c.diagnostics, c.texts);
  if (text) io.err(text);
  return c.model !== null;
}

function oneFile(positionals: string[]): string {
  if (positionals.length > 1) throw new UsageError(`expected one IDL file, got ${positionals.length}`);
  return positionals[0] ?? "abi.idl";
}

export const checkCommand: CommandSpec = {
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
    io.out(`${m.package.name}@${m.package.version}: ${m.types.length} types, ${m.constants.length} constants, ${m.modules.length} modules, ${fns} functions${m.libc.length ? `, ${m.libc.length} libc functions` : ""}\n`);
    return 0;
  },
};

export const irCommand: CommandSpec = {
  summary: "Print the checked model as JSON",
  help: `Usage: abic ir [FILE]

Prints the checked model of FILE (default: abi.idl) as JSON on stdout: the package,
every type with its size, alignment and field offsets, constants, modules and
functions with their import names and core wasm signatures, the command contract, and
the libc surface (\`libc\`: each patched libc function with its header, C prototype,
change and imports; \`libcSurface\`: the headers and absent functions).
The format is versioned by its \`schemaVersion\` field.`,
  async run(args, io) {
    const { positionals } = parseArgs(args, {});
    const c = compileFile(oneFile(positionals));
    if (!report(c, io)) return 1;
    io.out(JSON.stringify(c.model, null, 2) + "\n");
    return 0;
  },
};
