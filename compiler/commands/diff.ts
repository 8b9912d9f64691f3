// `abic diff`: loads both sides (IDL file, JSON manifest, or a file at a git revision), runs
// diffContracts, and prints the findings and the version verdict for people or machines.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { UsageError, type CommandIO, type CommandSpec } from "./args.ts";
import { formatDiagnostic } from "../diagnostics.ts";
import { diffContracts, type DiffReport, type Finding } from "../diff.ts";
import { compileFile } from "../index.ts";
import { ManifestError, readManifest } from "../manifest.ts";
import { diffRulesHelp } from "../rules.ts";
import type { ContractModel, Span } from "../model.ts";

/** A side that cannot be loaded; its message is printed as is, and the run exits 1. */
class LoadError extends Error {}

const DIFF_OPTIONS = { format: { type: "string", short: "f" }, against: { type: "string" } } as const;

export const diffCommand: CommandSpec<typeof DIFF_OPTIONS> = {
  summary: "Compare two versions of a contract and check the version bump",
  help: `Usage: abic diff [-f human|json] OLD NEW
       abic diff [-f human|json] --against REF [FILE]

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

Exit status: 0 when the declared bump covers the changes, 1 when it does not, when the
major is bumped without a break, on any other policy finding, or when a side cannot
be loaded; 2 on bad usage.

Rules (id, class, what it protects):
${diffRulesHelp()}`,
  options: DIFF_OPTIONS,
  async run({ values, positionals }, io) {
    const format = values.format ?? "human";
    if (format !== "human" && format !== "json") throw new UsageError(`--format must be human or json, not \`${format}\``);
    const against = values.against;
    let oldSide: { model: ContractModel } | null;
    let newSide: { model: ContractModel } | null;
    try {
      if (against !== undefined) {
        if (positionals.length > 1) throw new UsageError(`with --against, expected at most one FILE, got ${positionals.length}`);
        const file = positionals[0] ?? "abi.idl";
        oldSide = loadAtRevision(against, file, io);
        newSide = loadSide(file, io);
      } else {
        if (positionals.length !== 2) throw new UsageError(`expected OLD and NEW, got ${positionals.length} argument${positionals.length === 1 ? "" : "s"}`);
        oldSide = loadSide(positionals[0]!, io);
        newSide = loadSide(positionals[1]!, io);
      }
    } catch (e) {
      if (e instanceof LoadError) {
        io.err(`abic: error: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
    if (!oldSide || !newSide) return 1;
    const report = diffContracts(oldSide.model, newSide.model);
    io.out(format === "json" ? JSON.stringify(report, null, 2) + "\n" : formatReport(report));
    return report.ok ? 0 : 1;
  },
};

/** Loads an IDL file or a manifest; prints IDL errors and returns null when there are any. */
function loadSide(file: string, io: CommandIO, rename?: (f: string) => string): { model: ContractModel } | null {
  if (!existsSync(file)) throw new LoadError(`cannot read \`${rename ? rename(file) : file}\`: no such file`);
  if (file.endsWith(".json")) return { model: loadManifest(file) };
  const c = compileFile(file);
  const errors = c.diagnostics.filter((d) => d.severity === "error");
  if (c.model && errors.length === 0) return { model: rename ? renameFiles(c.model, rename) : c.model };
  const texts = new Map([...c.texts].map(([k, v]) => [rename ? rename(k) : k, v]));
  for (const d of errors) io.err(formatDiagnostic(rename ? renameFiles(d, rename) : d, texts) + "\n");
  io.err(`abic: error: \`${rename ? rename(file) : file}\` has ${errors.length} error${errors.length === 1 ? "" : "s"}; cannot compare it\n`);
  return null;
}

function loadManifest(file: string): ContractModel {
  try {
    return readManifest(readFileSync(file, "utf8"), file);
  } catch (e) {
    if (e instanceof ManifestError) throw new LoadError(e.message);
    throw e;
  }
}

/**
 * Loads FILE as committed at REF: the tree is exported with `git archive` into a temporary
 * directory (so every included file comes from the same revision), and locations print as `REF:path`.
 */
function loadAtRevision(ref: string, file: string, io: CommandIO): { model: ContractModel } | null {
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
    return loadSide(path.join(tmp, rel), io, rename);
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
export function formatReport(report: DiffReport): string {
  const lines: string[] = [];
  for (const f of report.findings) lines.push(...formatFinding(f));
  const counts = new Map<string, number>();
  for (const f of report.findings) counts.set(f.class, (counts.get(f.class) ?? 0) + 1);
  if (report.findings.length === 0) lines.push("no changes");
  else lines.push("", [...counts].map(([cls, n]) => `${n} ${cls}`).join(", "));
  const declared = report.declaredBump === null ? "goes back" : report.declaredBump;
  lines.push(`required bump: ${report.requiredBump}; declared: ${report.old.version} -> ${report.new.version} (${declared}): ${report.ok ? "ok" : "FAIL"}`);
  return lines.join("\n") + "\n";
}

function formatFinding(f: Finding): string[] {
  const lines = [`${f.class.padEnd(12)} ${f.rule.padEnd(27)} ${f.item}: ${f.message}`];
  if (f.old) lines.push(`  old: ${where(f.old)}`);
  if (f.new) lines.push(`  new: ${where(f.new)}`);
  return lines;
}
