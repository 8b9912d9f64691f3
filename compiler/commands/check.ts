// `abic check` and `abic ir`: the front end from the command line.

import { compileFile, type Compilation } from "../index.ts";
import { formatDiagnostic, formatDiagnostics } from "../diagnostics.ts";
import { manifestJson } from "../manifest.ts";
import { UsageError, type CommandIO, type CommandSpec } from "./args.ts";

/** Prints the diagnostics (errors only, without counts, when `quiet`); true when the model was built. */
function report(c: Compilation, io: CommandIO, quiet = false): boolean {
  if (quiet) for (const d of c.diagnostics) if (d.severity === "error") io.err(formatDiagnostic(d, c.texts) + "\n");
  const text = quiet ? "" : formatDiagnostics(c.diagnostics, c.texts);
  if (text) io.err(text);
  return c.model !== null;
}

function oneFile(positionals: string[]): string {
  if (positionals.length > 1) throw new UsageError(`expected one IDL file, got ${positionals.length}`);
  return positionals[0] ?? "abi.idl";
}

const CHECK_OPTIONS = { quiet: { type: "boolean", short: "q" } } as const;

export const checkCommand: CommandSpec<typeof CHECK_OPTIONS> = {
  summary: "Check a contract and report every error and warning",
  help: `Usage: abic check [-q] [FILE]

Parses and checks FILE (default: abi.idl) and every file it includes, and prints
every error and warning as FILE:LINE:COL: error CODE: message with a code frame.

  -q, --quiet   print errors only: no warnings, no counts, no summary line

Exit status: 0 when there are no errors, 1 when there are, 2 on bad usage.`,
  options: CHECK_OPTIONS,
  async run({ values, positionals }, io) {
    const quiet = values.quiet === true;
    const c = compileFile(oneFile(positionals));
    if (!report(c, io, quiet)) return 1;
    const m = c.model!;
    const fns = m.modules.reduce((n, mod) => n + mod.functions.length, 0);
    if (!quiet)
      io.out(`${m.package.name}@${m.package.version}: ${m.types.length} types, ${m.constants.length} constants, ${m.modules.length} modules, ${fns} functions${m.libc.length ? `, ${m.libc.length} libc functions` : ""}\n`);
    return 0;
  },
};

export const irCommand: CommandSpec<{}> = {
  summary: "Print the checked model as JSON",
  help: `Usage: abic ir [FILE]

Prints the checked model of FILE (default: abi.idl) as JSON on stdout: the package,
every type with its size, alignment and field offsets, constants, modules and
functions with their import names and core wasm signatures, the command contract, and
the libc surface (\`libc\`: each patched libc function with its header, C prototype,
change and imports; \`libcSurface\`: the headers and absent functions).
The format is versioned by its \`schemaVersion\` field.`,
  options: {},
  async run({ positionals }, io) {
    const c = compileFile(oneFile(positionals));
    if (!report(c, io)) return 1;
    io.out(manifestJson(c.model!));
    return 0;
  },
};
