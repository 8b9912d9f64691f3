// `abic verify`: checks a compiled guest module against the contract before it runs, and
// prints the ABI version and features the module needs (computed from its imports).

import { readFileSync, statSync } from "node:fs";
import { compileFile } from "../index.ts";
import { positionOf, recordOf, type DiagnosticRecord, type RecordSeverity } from "../diagnostic-formats.ts";
import { TIERS, type Tier } from "../model.ts";
import { verifyRulesHelp } from "../rules.ts";
import { verifyModule } from "../verify.ts";
import { didYouMean } from "../suggest.ts";
import { UsageError, type CommandSpec, type Options } from "./args.ts";
import { OUTPUT_HELP, OUTPUT_OPTIONS, printDiagnostics, printEnvelope, printGithub, readOutput } from "./output.ts";

const VERIFY_OPTIONS = {
  tier: { type: "string", short: "t" },
  features: { type: "string" },
  abi: { type: "string" },
  ...OUTPUT_OPTIONS,
} as const satisfies Options;

export const verifyCommand: CommandSpec<typeof VERIFY_OPTIONS> = {
  summary: "Check a guest .wasm module against the contract",
  help: `Usage: abic verify MODULE.wasm [-t|--tier T] [--features F,...] [--abi FILE] [-f|--format F] [--color WHEN]

Reads the module's imports and exports with their function types and checks them
against the contract (default: abi.idl) as a host at tier T (default: full) with the
given unstable features enabled would link them: unknown modules and names, core
signature mismatches, imports newer than the contract, unstable or refused imports,
imports the tier does not link, deprecated imports (warning), missing or ill-typed
required exports. Prints the module's required ABI version and the features it uses.

${OUTPUT_HELP}
With --format json the document also holds the report (ok, findings, requiredVersion,
features, tier, enabledFeatures); each finding is a diagnostic record whose code is
its rule id and whose file is the module (no line: a module has none).

Exit status: 0 when the module would link, 1 when not, 2 on bad usage.

Rules (id, severity, what it checks):
${verifyRulesHelp()}`,
  options: VERIFY_OPTIONS,
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError("expected one MODULE.wasm");
    const file = positionals[0]!;
    const tier = (values.tier ?? "full") as Tier;
    if (!TIERS.includes(tier)) throw new UsageError(`unknown tier \`${tier}\` (expected ${TIERS.join(", ")})${didYouMean(tier, TIERS)}`);
    const features = (values.features ?? "")
      .split(",")
      .map((f) => f.trim())
      .filter(Boolean);
    const output = readOutput(values, io);
    const fail = (record: DiagnosticRecord, human: string): number => {
      if (output.format === "json") printEnvelope(io, "verify", false, [record], { module: file });
      else if (output.format === "github") printGithub(io, [record]);
      else io.err(human);
      return 1;
    };

    let bytes: Uint8Array;
    try {
      if (statSync(file).isDirectory())
        return fail(moduleRecord(file, "E0004", "is a directory, not a wasm module"), `${file}: error: is a directory, not a wasm module\n`);
      bytes = readFileSync(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = `cannot read: ${code === "ENOENT" ? "no such file" : String(code ?? e)}`;
      return fail(moduleRecord(file, "E0001", why), `${file}: error: ${why}\n`);
    }
    const c = compileFile(values.abi ?? "abi.idl");
    const contractErrors = c.diagnostics.filter((d) => d.severity === "error");
    if (output.format === "json" && !c.model) printEnvelope(io, "verify", false, contractErrors.map(recordOf), { module: file });
    else printDiagnostics(output, io, contractErrors, c.texts);
    if (!c.model) return 1;

    const report = verifyModule(bytes, c.model, { tier, features });
    const records = report.findings.map((f) => moduleRecord(file, f.rule, f.message, f.severity));
    if (output.format === "json") {
      printEnvelope(io, "verify", report.ok, records, { module: file, tier, enabledFeatures: features, ...report });
      return report.ok ? 0 : 1;
    }
    if (output.format === "github") {
      printGithub(io, records);
      return report.ok ? 0 : 1;
    }
    const p = output.err;
    for (const f of report.findings) io.err(`${p.bold(`${file}:`)} ${(f.severity === "error" ? p.error : p.warning)(`${f.severity} ${f.rule}`)}: ${f.message}\n`);
    io.out(`required ABI: ${c.model.package.name}@${report.requiredVersion ?? "(none)"}\n`);
    io.out(`features: ${report.features.length ? report.features.join(", ") : "(none)"}\n`);
    io.out(report.ok ? `${file}: links at tier ${tier}\n` : `${file}: would NOT link at tier ${tier}\n`);
    return report.ok ? 0 : 1;
  },
};

/** A finding about the module as a whole: it has a file but no line. */
function moduleRecord(file: string, code: string, message: string, severity: RecordSeverity = "error"): DiagnosticRecord {
  return { severity, code, message, ...positionOf(null, file), notes: [], suggestion: null };
}
