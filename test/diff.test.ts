// `abic diff`: one fixture folder per rule id (old, new, expected findings and verdict), the
// version-bump arithmetic, and the CLI's exit codes and error messages.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { actualBump, bumpVerdict, compareBumps, requiredBump, type Bump } from "../compiler/bump.ts";
import { diffContracts, type DiffReport } from "../compiler/diff.ts";
import { main } from "../compiler/cli.ts";
import { compileFile } from "../compiler/index.ts";
import { readManifest } from "../compiler/manifest.ts";
import type { ContractModel } from "../compiler/model.ts";
import { DIFF_RULES } from "../compiler/rules.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const FIXTURES = path.join(ROOT, "test/fixtures/diff");
const ABIC = path.join(ROOT, "bin/abic.js");

function load(dir: string, side: "old" | "new"): ContractModel {
  const json = path.join(dir, `${side}.json`);
  if (existsSync(json)) return readManifest(readFileSync(json, "utf8"), json);
  const c = compileFile(path.join(dir, `${side}.idl`));
  const errors = c.diagnostics.filter((d) => d.severity === "error");
  if (!c.model) throw new Error(`${dir}/${side}.idl: ${errors.map((d) => `${d.span.line}:${d.span.column} ${d.code} ${d.message}`).join("; ")}`);
  return c.model;
}

/** The comparable summary of a report: `CLASS RULE ITEM` sorted, then the verdict line. */
function summary(report: DiffReport): string[] {
  const lines = report.findings.map((f) => `${f.class} ${f.rule} ${f.item}`).sort();
  lines.push(`verdict required=${report.requiredBump} declared=${report.declaredBump ?? "back"} ${report.ok ? "ok" : "FAIL"}`);
  return lines;
}

const cases = readdirSync(FIXTURES).sort();

describe("diff fixtures", () => {
  it.each(cases)("%s", (name) => {
    const dir = path.join(FIXTURES, name);
    const report = diffContracts(load(dir, "old"), load(dir, "new"));
    // `npm run golden` (UPDATE_GOLDEN=1) rewrites the expectation after an intended rule change.
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(path.join(dir, "expected.txt"), summary(report).join("\n") + "\n");
    const expected = readFileSync(path.join(dir, "expected.txt"), "utf8").trim().split("\n").filter(Boolean);
    const [findings, verdict] = [expected.slice(0, -1).sort(), expected.slice(-1)];
    expect(summary(report)).toEqual([...findings, ...verdict]);
    for (const f of report.findings) expect(f.old ?? f.new, `${f.rule} has a location`).toBeDefined();
  });

  it("has a fixture for every rule of the catalog, and reports no rule outside it", () => {
    const seen = new Map<string, string>();
    for (const name of cases)
      for (const line of readFileSync(path.join(FIXTURES, name, "expected.txt"), "utf8").split("\n")) {
        const [cls, rule] = line.split(" ");
        if (cls !== "verdict" && rule) seen.set(rule, cls!);
      }
    const catalogued = Object.keys(DIFF_RULES);
    expect(catalogued.filter((id) => !seen.has(id))).toEqual([]);
    expect([...seen.keys()].filter((id) => !catalogued.includes(id))).toEqual([]);
    for (const [rule, cls] of seen) expect(DIFF_RULES[rule as keyof typeof DIFF_RULES].classes, rule).toContain(cls);
  });

  it("reports the three real arity changes as breaks with both locations", () => {
    for (const name of ["fn_same_core_signature_getaddrinfo", "fn_same_core_signature_path_mode", "fn_same_core_signature_chmod"]) {
      const dir = path.join(FIXTURES, name);
      const f = diffContracts(load(dir, "old"), load(dir, "new")).findings.find((x) => x.rule === "FN_SAME_CORE_SIGNATURE")!;
      expect(f.class).toBe("break");
      expect(f.old?.file).toMatch(/old\.idl$/);
      expect(f.new?.file).toMatch(/new\.idl$/);
    }
    const dir = path.join(FIXTURES, "fn_same_core_signature_getaddrinfo");
    const f = diffContracts(load(dir, "old"), load(dir, "new")).findings[0]!;
    expect(f.message).toBe("core signature changed: (i32 i32 i32 i32 i32 i32) -> (i32) became (i32 i32 i32 i32 i32 i32 i32) -> (i32)");
  });

  it("is pure: diffing a model with itself finds nothing and leaves the inputs alone", () => {
    const dir = path.join(FIXTURES, "vr_case_added");
    const model = load(dir, "new");
    const before = JSON.stringify(model);
    const report = diffContracts(model, model);
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    expect(JSON.stringify(model)).toBe(before);
  });
});

describe("the frozen 1.0.0 release against abi.idl", () => {
  it("passes at 1.1.0 and reports each declared deviation as an addition (the manifest predates the field)", () => {
    const file = path.join(ROOT, "abi/releases/1.0.0.json");
    const release = readManifest(readFileSync(file, "utf8"), file);
    expect(readFileSync(file, "utf8")).not.toContain('"deviation"');
    expect(readFileSync(file, "utf8")).not.toContain('"sentinel"');
    const current = compileFile(path.join(ROOT, "abi.idl")).model!;
    const report = diffContracts(release, current);
    expect(report.ok).toBe(true);
    expect(report.requiredBump).toBe("minor");
    const reported = report.findings.filter((f) => f.rule === "FN_DEVIATION_CHANGED").map((f) => `${f.class} ${f.item}`).sort();
    const declared = current.modules.flatMap((m) => m.functions.filter((f) => f.deviation !== null).map((f) => `addition ${m.name}.${f.name}`)).sort();
    expect(declared.length).toBeGreaterThan(0);
    expect(reported).toEqual(declared);
    // The failure values of plain-scalar functions are declared since 1.1.0 (@sentinel).
    const sentinels = report.findings.filter((f) => f.rule === "FN_SENTINEL_DECLARED").map((f) => `${f.class} ${f.item}`).sort();
    const scalar = current.modules.flatMap((m) => m.functions.filter((f) => f.result.kind === "scalar").map((f) => `addition ${m.name}.${f.name}`)).sort();
    expect(scalar).toHaveLength(11);
    expect(sentinels).toEqual(scalar);
    expect(report.findings.filter((f) => f.class === "break" || f.class === "source-break")).toEqual([]);
  });
});

describe("version bump arithmetic", () => {
  it.each([
    ["1.0.0", "1.0.0", "none"],
    ["1.0.0", "1.0.1", "patch"],
    ["1.0.0", "1.1.0", "minor"],
    ["1.4.2", "1.5.0", "minor"],
    ["1.0.0", "2.0.0", "major"],
    ["0.1.0", "0.1.1", "minor"], // 0.y.z: z is minor
    ["0.1.0", "0.2.0", "major"], // 0.y.z: y is major
    ["0.1.5", "0.2.0", "major"],
    ["0.0.1", "0.0.2", "major"], // 0.0.z: every change is major
    ["0.0.3", "0.1.0", "major"],
    ["0.9.0", "1.0.0", "major"],
    ["1.0.0-alpha", "1.0.0", "major"], // a pre-release tag change is major
    ["1.0.0", "1.0.1-rc.1", "major"],
    ["1.1.0", "1.0.0", null],
    ["0.2.0", "0.1.9", null],
  ] as const)("%s -> %s is %s", (a, b, bump) => {
    expect(actualBump(a, b)).toBe(bump);
  });

  it("rejects malformed versions", () => {
    expect(() => actualBump("1.0", "1.0.0")).toThrow(/invalid version/);
  });

  it.each([
    [[], "none"],
    [["info"], "none"],
    [["policy"], "none"],
    [["docs", "info"], "patch"],
    [["docs", "addition"], "minor"],
    [["addition", "source-break"], "major"],
    [["break", "docs"], "major"],
  ] as const)("requiredBump(%j) is %s", (classes, bump) => {
    expect(requiredBump(classes.map((c) => ({ class: c })))).toBe(bump);
  });

  const version = fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3)).map(([a, b, c]) => `${a}.${b}.${c}`);
  fcTest.prop([version, version])("a bump exists exactly when the version does not go back, and is none only for equal versions", (a, b) => {
    const bump = actualBump(a, b);
    const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
    const cmp = Math.sign(x[0]! - y[0]!) || Math.sign(x[1]! - y[1]!) || Math.sign(x[2]! - y[2]!);
    expect(bump === null).toBe(cmp > 0);
    expect(bump === "none").toBe(cmp === 0);
    // Before 1.0 nothing is ever a patch bump.
    if (x[0] === 0 && bump !== null) expect(bump).not.toBe("patch");
  });

  fcTest.prop([fc.array(fc.constantFrom("break", "source-break", "addition", "docs", "policy", "info" as const))])(
    "the required bump is the maximum over the findings",
    (classes) => {
      const bumps = classes.map((c) => requiredBump([{ class: c }]));
      const max = bumps.reduce<Bump>((m, b) => (compareBumps(b, m) > 0 ? b : m), "none");
      expect(requiredBump(classes.map((c) => ({ class: c })))).toBe(max);
    },
  );
});

// Each `node bin/abic.js` start costs a new process, so only the end-to-end checks spawn
// the real binary; the error paths run `main` in-process with captured output.
const SPAWN_TIMEOUT = 120_000;

async function runInProcess(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const status = await main(["diff", ...args], { out: (s) => void (stdout += s), err: (s) => void (stderr += s) });
  return { status, stdout, stderr };
}

describe("abic diff CLI", () => {
  const run = (args: string[], cwd = ROOT) => spawnSync("node", [ABIC, "diff", ...args], { cwd, encoding: "utf8" });
  const fixture = (name: string, side: string) => path.join("test/fixtures/diff", name, side);

  it("exits 0 and prints the verdict when the bump covers the changes", () => {
    const r = run([fixture("fn_added", "old.idl"), fixture("fn_added", "new.idl")]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^addition\s+FN_ADDED\s+m\.g: function added$/m);
    expect(r.stdout).toMatch(/^ {2}new: test\/fixtures\/diff\/fn_added\/new\.idl:\d+:\d+$/m);
    expect(r.stdout).toContain("required bump: minor; declared: 1.0.0 -> 1.1.0 (minor): ok");
  }, SPAWN_TIMEOUT);

  it("exits 1 on net_getaddrinfo 6 -> 7 params with a minor bump", () => {
    const name = "fn_same_core_signature_getaddrinfo";
    const r = run([fixture(name, "old.idl"), fixture(name, "new.idl")]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /^break\s+FN_SAME_CORE_SIGNATURE\s+host_net\.net_getaddrinfo: core signature changed: \(i32 i32 i32 i32 i32 i32\) -> \(i32\) became \(i32 i32 i32 i32 i32 i32 i32\) -> \(i32\)$/m,
    );
    expect(r.stdout).toMatch(/^ {2}old: test\/fixtures\/diff\/fn_same_core_signature_getaddrinfo\/old\.idl:\d+:\d+$/m);
    expect(r.stdout).toContain("required bump: major; declared: 1.0.0 -> 1.1.0 (minor): FAIL");
  }, SPAWN_TIMEOUT);

  it("prints JSON with --format json and reads a manifest side", () => {
    const name = "gate_since_not_future";
    const r = run(["--format", "json", fixture(name, "old.idl"), fixture(name, "new.json")]);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as DiffReport;
    expect(report.findings.map((f) => f.rule).sort()).toEqual(["GATE_SINCE_IMMUTABLE", "GATE_SINCE_NOT_FUTURE"]);
    expect(report.ok).toBe(false);
  }, SPAWN_TIMEOUT);

  it("exits 1 without a stack trace for a missing file, bad JSON, a wrong schema and an IDL with errors", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "abic-diff-test-"));
    try {
      writeFileSync(path.join(dir, "bad.json"), "{not json");
      writeFileSync(path.join(dir, "schema.json"), JSON.stringify({ schemaVersion: 99 }));
      writeFileSync(path.join(dir, "bad.idl"), "/// x\npackage p@1.0.0;\n@since(1.0.0)\ntype t = nope;\n");
      const ok = fixture("fn_added", "old.idl");
      const cases: [string, RegExp][] = [
        [path.join(dir, "missing.idl"), /abic: error: cannot read `.*missing\.idl`: no such file/],
        [path.join(dir, "bad.json"), /is not valid JSON/],
        [path.join(dir, "schema.json"), /schemaVersion 99/],
        [path.join(dir, "bad.idl"), /bad\.idl:4:10: error E0201: unknown type `nope`/],
      ];
      for (const [file, message] of cases) {
        const r = await runInProcess([ok, file]);
        expect(r.status, file).toBe(1);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(r.stderr).not.toContain("internal error");
      }
      // The real binary too: exit status 1 and no stack trace on stderr.
      const r = run([ok, path.join(dir, "missing.idl")]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^abic: error: cannot read `.*missing\.idl`: no such file\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, SPAWN_TIMEOUT);

  it("exits 2 on bad usage", async () => {
    for (const args of [[], ["one.idl"], ["a", "b", "c"], ["--format", "xml", "a", "b"], ["--bogus", "a", "b"], ["--against", "HEAD", "a", "b"]]) {
      const r = await runInProcess(args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/abic: error: /);
    }
    const r = run(["only-one.idl"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/abic: error: expected OLD and NEW, got 1 argument/);
  }, SPAWN_TIMEOUT);

  it("--against REF reads the file and its includes at that revision, with REF:path locations", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "abic-diff-git-"));
    try {
      const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
      git("init", "-q");
      git("config", "user.email", "t@example.com");
      git("config", "user.name", "t");
      const src = path.join(FIXTURES, "fn_same_core_signature_getaddrinfo");
      const old = readFileSync(path.join(src, "old.idl"), "utf8");
      // Split the contract over two files so the include must come from the revision too.
      const [head, errno] = [old.slice(0, old.indexOf("/// Error codes.")), old.slice(old.indexOf("/// Error codes."))];
      execFileSync("mkdir", ["-p", path.join(dir, "abi")]);
      writeFileSync(path.join(dir, "abi.idl"), head + 'use "abi/rest.idl";\n');
      writeFileSync(path.join(dir, "abi/rest.idl"), errno);
      git("add", ".");
      git("commit", "-q", "-m", "v1");
      git("tag", "v1.0.0");

      let r = run(["--against", "v1.0.0"], dir);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("no changes");

      const updated = readFileSync(path.join(src, "new.idl"), "utf8");
      writeFileSync(path.join(dir, "abi/rest.idl"), updated.slice(updated.indexOf("/// Error codes.")));
      writeFileSync(path.join(dir, "abi.idl"), updated.slice(0, updated.indexOf("/// Error codes.")) + 'use "abi/rest.idl";\n');
      r = run(["--against", "v1.0.0", "abi.idl"], dir);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/^ {2}old: v1\.0\.0:abi\/rest\.idl:\d+:\d+$/m);
      expect(r.stdout).toMatch(/^ {2}new: abi\/rest\.idl:\d+:\d+$/m);

      r = run(["--against", "no-such-tag"], dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/unknown git revision `no-such-tag`/);
      r = run(["--against", "v1.0.0", "other.idl"], dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/does not exist at revision/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, SPAWN_TIMEOUT);
});

describe("an unchanged version is the next release in progress", () => {
  it("doc fixes pass without a bump; additions and breaks still need one", () => {
    expect(bumpVerdict("1.0.0", "1.0.0", [{ class: "docs" }]).insufficient).toBe(false);
    expect(bumpVerdict("1.0.0", "1.0.0", []).insufficient).toBe(false);
    expect(bumpVerdict("1.0.0", "1.0.0", [{ class: "addition" }]).insufficient).toBe(true);
    expect(bumpVerdict("1.0.0", "1.0.0", [{ class: "break" }]).insufficient).toBe(true);
  });
});
