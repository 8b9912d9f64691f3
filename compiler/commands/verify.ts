// `abic verify`: checks a compiled guest module against the contract before it runs, and
// prints the ABI version and features the module needs (computed from its imports).

import { readFileSync, statSync } from "node:fs";
import { compileFile } from "../index.ts";
import { formatDiagnostic } from "../diagnostics.ts";
import { TIERS, type Tier } from "../model.ts";
import { verifyRulesHelp } from "../rules.ts";
import { verifyModule } from "../verify.ts";
import { UsageError, type CommandSpec } from "./args.ts";

const VERIFY_OPTIONS = {
  tier: { type: "string", short: "t" },
  features: { type: "string" },
  abi: { type: "string" },
  format: { type: "string", short: "f" },
} as const;

export const verifyCommand: CommandSpec<typeof VERIFY_OPTIONS> = {
  summary: "Check a guest .wasm module against the contract",
  help: `Usage: abic verify MODULE.wasm [-t T] [--features F,...] [--abi FILE] [-f human|json]

Reads the module's imports and exports with their function types and checks them
against the contract (default: abi.idl) as a host at tier T (default: full) with the
given unstable features enabled would link them: unknown modules and names, core
signature mismatches, imports newer than the contract, unstable or refused imports,
imports the tier does not link, deprecated imports (warning), missing or ill-typed
required exports. Prints the module's required ABI version and the features it uses.
Exit status: 0 when the module would link, 1 when not, 2 on bad usage.

Rules (id, severity, what it checks):
${verifyRulesHelp()}`,
  options: VERIFY_OPTIONS,
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError("expected one MODULE.wasm");
    const file = positionals[0]!;
    const tier = (values.tier ?? "full") as Tier;
    if (!TIERS.includes(tier)) throw new UsageError(`unknown tier \`${tier}\` (expected ${TIERS.join(", ")})`);
    const features = (values.features ?? "")
      .split(",")
      .map((f) => f.trim())
      .filter(Boolean);
    const format = values.format ?? "human";
    if (format !== "human" && format !== "json") throw new UsageError("--format is human or json");

    let bytes: Uint8Array;
    try {
      if (statSync(file).isDirectory()) {
        io.err(`${file}: error: is a directory, not a wasm module\n`);
        return 1;
      }
      bytes = readFileSync(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      io.err(`${file}: error: cannot read: ${code === "ENOENT" ? "no such file" : String(code ?? e)}\n`);
      return 1;
    }
    const c = compileFile(values.abi ?? "abi.idl");
    for (const d of c.diagnostics) if (d.severity === "error") io.err(formatDiagnostic(d, c.texts) + "\n");
    if (!c.model) return 1;

    const report = verifyModule(bytes, c.model, { tier, features });
    if (format === "json") {
      io.out(JSON.stringify({ module: file, tier, enabledFeatures: features, ...report }, null, 2) + "\n");
      return report.ok ? 0 : 1;
    }
    for (const f of report.findings) {
      io.err(`${file}: ${f.severity} ${f.rule}: ${f.message}\n`);
    }
    io.out(`required ABI: ${c.model.package.name}@${report.requiredVersion ?? "(none)"}\n`);
    io.out(`features: ${report.features.length ? report.features.join(", ") : "(none)"}\n`);
    io.out(report.ok ? `${file}: links at tier ${tier}\n` : `${file}: would NOT link at tier ${tier}\n`);
    return report.ok ? 0 : 1;
  },
};
