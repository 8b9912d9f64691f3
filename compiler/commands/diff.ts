// `abic diff`: loads both sides (IDL file, JSON manifest, or a file at a git revision), runs
// diffContracts, and prints the findings and the version verdict for people or machines.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { UsageError, type CommandIO, type CommandSpec, type Options } from "./args.ts";
import { OUTPUT_HELP, OUTPUT_OPTIONS, printDiagnostics, printEnvelope, printGithub, readOutput, type Output } from "./output.ts";
import { positionOf, recordOf, type DiagnosticRecord, type RecordSeverity } from "../diagnostic-formats.ts";
import { diffContracts, type DiffReport, type Finding } from "../diff.ts";
import { PLAIN, type Palette } from "../palette.ts";
import { compileFile } from "../index.ts";
import { ManifestError, readManifest } from "../manifest.ts";
import { diffRulesHelp } from "../rules.ts";
import type { ContractModel, Span } from "../model.ts";

/** A side that cannot be loaded; its message is printed as is, and the run exits 1. */
class LoadError extends Error {
  constructor(
    message: string,
    readonly code = "E0701",
  ) {
    super(message);
  }
}

/** Where a side's load problems go: printed at once, or kept for the JSON document. */
interface Sink {
  io: CommandIO;
  output: Output;
  records: DiagnosticRecord[];
}

/** A finding as a diagnostic record: policy findings fail the run, breaks call for review. */
export function findingRecord(f: Finding): DiagnosticRecord {
  const severity: RecordSeverity = f.class === "policy" ? "error" : f.class === "break" || f.class === "source-break" ? "warning" : "info";
  const at = f.new ?? f.old;
  return {
    severity,
    code: f.rule,
    message: `${f.class}: ${f.item}: ${f.message}`,
    ...positionOf(at),
    notes: f.new && f.old ? [{ message: "the old side is here", ...positionOf(f.old) }] : [],
    suggestion: null,
  };
}

const DIFF_OPTIONS = { ...OUTPUT_OPTIONS, against: { type: "string" } } as const satisfies Options;

export const diffCommand: CommandSpec<typeof DIFF_OPTIONS> = {
  summary: "Compare two versions of a contract and check the version bump",
  help: `Usage: abic diff [--format human|json|github] [--color WHEN] OLD NEW
       abic diff [--format human|json|github] [--color WHEN] --against REF [FILE]

Compares two checked contracts (computed layouts, numbers, core signatures and gates,
not text) and prints every change with a stable rule id, its class (break,
source-break, addition, docs, policy, info), the item, and both source locations.
Each side is an IDL file, or a JSON manifest as printed by \`abic ir\` (a name ending
in .json). With --against, OLD is FILE (default: abi.idl) as committed at the git
revision REF, with every file it includes, and NEW is the working FILE.

The required bump is the largest among the findings (break and source-break: major,
addition: minor, docs: patch; changes to unstable items are information only) and is
compared with the bump from OLD's package version to NEW's, using Cargo's rules
before 1.0 (0.y.z: y is major, z minor; 0.0.z: every change is major).

${OUTPUT_HELP}
With --format json the document holds the report (old, new, findings, requiredBump,
declaredBump, ok) and every finding again as a diagnostic record (code: the rule id;
severity: error for policy findings, warning for breaks, info for the rest).

Exit status: 0 when the declared bump covers the changes, 1 when it does not, when the
major is bumped without a break, on any other policy finding, or when a side cannot
be loaded; 2 on bad usage.

Rules (id, class, what it protects):
${diffRulesHelp()}`,
  options: DIFF_OPTIONS,
  async run({ values, positionals }, io) {
    const output = readOutput(values, io);
    const sink: Sink = { io, output, records: [] };
    const against = values.against;
    let oldSide: { model: ContractModel } | null;
    let newSide: { model: ContractModel } | null;
    try {
      if (against !== undefined) {
        if (positionals.length > 1) throw new UsageError(`with --against, expected at most one FILE, got ${positionals.length}`);
        const file = positionals[0] ?? "abi.idl";
        oldSide = loadAtRevision(against, file, sink);
        newSide = loadSide(file, sink);
      } else {
        if (positionals.length !== 2) throw new UsageError(`expected OLD and NEW, got ${positionals.length} argument${positionals.length === 1 ? "" : "s"}`);
        oldSide = loadSide(positionals[0]!, sink);
        newSide = loadSide(positionals[1]!, sink);
      }
    } catch (e) {
      if (!(e instanceof LoadError)) throw e;
      const record: DiagnosticRecord = { severity: "error", code: e.code, message: e.message, ...positionOf(null), notes: [], suggestion: null };
      if (output.format === "human") io.err(`abic: error: ${e.message}\n`);
      else if (output.format === "github") printGithub(io, [record]);
      else printEnvelope(io, "diff", false, [...sink.records, record]);
      return 1;
    }
    if (!oldSide || !newSide) {
      if (output.format === "json") printEnvelope(io, "diff", false, sink.records);
      return 1;
    }
    const report = diffContracts(oldSide.model, newSide.model);
    const records = report.findings.map(findingRecord);
    if (output.format === "json") printEnvelope(io, "diff", report.ok, records, report);
    else if (output.format === "github") printGithub(io, records);
    else io.out(formatReport(report, output.out));
    return report.ok ? 0 : 1;
  },
};

/** Loads an IDL file or a manifest; prints IDL errors and returns null when there are any. */
function loadSide(file: string, sink: Sink, rename?: (f: string) => string): { model: ContractModel } | null {
  if (!existsSync(file)) throw new LoadError(`cannot read \`${rename ? rename(file) : file}\`: no such file`);
  if (file.endsWith(".json")) return { model: loadManifest(file) };
  const c = compileFile(file);
  const errors = c.diagnostics.filter((d) => d.severity === "error");
  if (c.model && errors.length === 0) return { model: rename ? renameFiles(c.model, rename) : c.model };
  const texts = new Map([...c.texts].map(([k, v]) => [rename ? rename(k) : k, v]));
  const shown = errors.map((d) => (rename ? renameFiles(d, rename) : d));
  if (sink.output.format === "json") sink.records.push(...shown.map(recordOf));
  else printDiagnostics(sink.output, sink.io, shown, texts);
  if (sink.output.format === "human")
    sink.io.err(`abic: error: \`${rename ? rename(file) : file}\` has ${errors.length} error${errors.length === 1 ? "" : "s"}; cannot compare it\n`);
  return null;
}

function loadManifest(file: string): ContractModel {
  try {
    return readManifest(readFileSync(file, "utf8"), file);
  } catch (e) {
    if (e instanceof ManifestError) throw new LoadError(e.message, e.code);
    throw e;
  }
}

/**
 * Loads FILE as committed at REF: the tree is exported with `git archive` into a temporary
 * directory (so every included file comes from the same revision), and locations print as `REF:path`.
 */
function loadAtRevision(ref: string, file: string, sink: Sink): { model: ContractModel } | null {
  const dir = path.dirname(path.resolve(file));
  const git = (args: string[], input?: Buffer): Buffer => execFileSync("git", args, { cwd: dir, stdio: ["pipe", "pipe", "pipe"], input, maxBuffer: 1 << 30 });
  let root: string;
  try {
    root = git(["rev-parse", "--show-toplevel"]).toString().trim();
  } catch {
    throw new LoadError(`\`${file}\` is not inside a git repository, so --against ${ref} cannot be read`);
  }
  try {
    git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch {
    throw new LoadError(`unknown git revision \`${ref}\``);
  }
  const rel = path.relative(root, path.resolve(file)).split(path.sep).join("/");
  try {
    git(["cat-file", "-e", `${ref}:${rel}`]);
  } catch {
    throw new LoadError(`\`${rel}\` does not exist at revision \`${ref}\``);
  }
  const tmp = mkdtempSync(path.join(tmpdir(), "abic-diff-"));
  try {
    const tar = git(["archive", "--format=tar", ref]);
    execFileSync("tar", ["-x", "-C", tmp], { input: tar, stdio: ["pipe", "ignore", "pipe"], maxBuffer: 1 << 30 });
    const prefix = tmp + path.sep;
    const rename = (f: string): string => {
      const abs = path.resolve(f);
      return abs.startsWith(prefix) ? `${ref}:${abs.slice(prefix.length).split(path.sep).join("/")}` : f;
    };
    return loadSide(path.join(tmp, rel), sink, rename);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Rewrites every span's file (and the model's file list) through `rename`. */
function renameFiles<T>(value: T, rename: (f: string) => string): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, key === "files" ? "file" : undefined));
    if (typeof v === "string" && key === "file") return rename(v);
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value) as T;
}

const where = (s: Span): string => `${s.file}:${s.line}:${s.column}`;

/** One line per finding, its locations indented below, then the version verdict. */
export function formatReport(report: DiffReport, palette: Palette = PLAIN): string {
  const lines: string[] = [];
  for (const f of report.findings) lines.push(...formatFinding(f, palette));
  const counts = new Map<string, number>();
  for (const f of report.findings) counts.set(f.class, (counts.get(f.class) ?? 0) + 1);
  if (report.findings.length === 0) lines.push("no changes");
  else lines.push("", [...counts].map(([cls, n]) => `${n} ${cls}`).join(", "));
  const declared = report.declaredBump === null ? "goes back" : report.declaredBump;
  lines.push(
    `required bump: ${report.requiredBump}; declared: ${report.old.version} -> ${report.new.version} (${declared}): ${report.ok ? palette.help("ok") : palette.error("FAIL")}`,
  );
  return lines.join("\n") + "\n";
}

const CLASS_STYLE: Record<Finding["class"], keyof Palette> = {
  break: "error",
  "source-break": "error",
  policy: "error",
  addition: "added",
  docs: "dim",
  info: "dim",
};

function formatFinding(f: Finding, palette: Palette): string[] {
  const style = palette[CLASS_STYLE[f.class]] as (s: string) => string;
  const lines = [`${style(f.class.padEnd(12))} ${f.rule.padEnd(27)} ${f.item}: ${f.message}`];
  if (f.old) lines.push(`  old: ${where(f.old)}`);
  if (f.new) lines.push(`  new: ${where(f.new)}`);
  return lines;
}
