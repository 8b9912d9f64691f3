// The CLI as a user meets it: exit codes, error shapes, and never a stack trace for a mistake.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { SCHEMA_VERSION } from "../compiler/model.ts";

const BIN = path.resolve("bin/abic.js");

function abic(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function expectNoStack(text: string): void {
  expect(text).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  expect(text).not.toMatch(/internal error/);
}

const scratch = path.join("test", ".build", "cli");
// Fresh each run: output folders left by an earlier abic (without its record of what it wrote)
// would be someone else's files to this one.
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });

describe("abic check", () => {
  test("the real contract checks with no errors and no warnings", () => {
    const r = abic("check", "abi.idl");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^command_abi@\d+\.\d+\.\d+: \d+ types/);
  });

  test("a file with several mistakes reports all of them with positions and exits 1", () => {
    const r = abic("check", "test/fixtures/invalid/acceptance-mixed/input.idl");
    expect(r.status).toBe(1);
    const heads = r.stderr.split("\n").filter((l) => /: error E\d{4}:/.test(l));
    const codes = heads.map((l) => /error (E\d{4})/.exec(l)![1]);
    // a syntax error, an unknown type, a duplicate member, a value too large for its representation
    expect(codes).toEqual(expect.arrayContaining(["E0102", "E0201", "E0203", "E0210"]));
    for (const h of heads) expect(h).toMatch(/^test\/fixtures\/invalid\/acceptance-mixed\/input\.idl:\d+:\d+: error E\d{4}: /);
    expect(r.stderr).toMatch(/\^~*/);
    expectNoStack(r.stderr);
  });

  test.each([
    ["missing file", "test/.build/cli/nope.idl", "E0001"],
    ["directory", "test", "E0004"],
    ["empty file", "test/fixtures/invalid/empty/input.idl", "E0003"],
    ["not UTF-8", "test/fixtures/invalid/not-utf8/input.idl", "E0002"],
  ])("%s gets a clear error", (_, file, code) => {
    const r = abic("check", file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`error ${code}:`);
    expectNoStack(r.stderr);
  });

  test("a binary file is reported, not crashed on", () => {
    const f = path.join(scratch, "binary.idl");
    writeFileSync(f, Buffer.from([0, 97, 115, 109, 1, 0, 0, 0, 0xff, 0xfe]));
    const r = abic("check", f);
    expect(r.status).toBe(1);
    expectNoStack(r.stderr);
  });
});

describe("usage", () => {
  test("--help, --version and help <command>", () => {
    expect(abic("--help").stdout).toContain("Usage: abic <command>");
    expect(abic("--version").stdout).toMatch(/^abic \d+\.\d+\.\d+/);
    const h = abic("help", "check");
    expect(h.status).toBe(0);
    expect(h.stdout).toContain("Usage: abic check");
  });

  test.each([["frobnicate"], ["check", "--bogus"], ["check", "a.idl", "b.idl"], ["help", "nothing"]])(
    "bad usage %s exits 2",
    (...args) => {
      const r = abic(...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^abic: error: /);
      expectNoStack(r.stderr);
    },
  );
});

describe("one argument parser (node:util parseArgs) under every command's declared options", () => {
  const warned = path.join(scratch, "parser-warned.idl");
  writeFileSync(warned, "/// p\npackage demo@1.0.0;\n\n@since(1.0.0)\nconst k: u32 = 1;\n");
  const broken = path.join(scratch, "parser-broken.idl");
  writeFileSync(broken, "/// p\npackage demo@1.0.0;\n\n@since(1.0.0)\nconst k: u32 = 1;\n\n/// s\n@since(1.0.0)\nstruct s {\n    /// f\n    f: nope,\n}\n");

  test("check -q: errors only, no warnings, counts or summary line (a file named `-q` needs `--`)", () => {
    const quietClean = abic("check", "-q", warned);
    expect(quietClean).toMatchObject({ status: 0, stdout: "", stderr: "" });
    expect(abic("check", warned).stderr).toMatch(/warning W0401/);
    const quietBroken = abic("check", broken, "--quiet");
    expect(quietBroken.status).toBe(1);
    expect(quietBroken.stderr).toMatch(/error E0201: unknown type `nope`/);
    expect(quietBroken.stderr).not.toMatch(/W0401|1 error/);
    const asFile = abic("check", "--", "-q");
    expect(asFile.status).toBe(1);
    expect(asFile.stderr).toMatch(/^-q:1:1: error E0001: cannot read `-q`/);
  });

  test("short and long forms are one option: -f json is --format=json, -q with it keeps the JSON errors-only", () => {
    const short = JSON.parse(abic("check", "-q", "-f", "json", broken).stdout);
    const long = JSON.parse(abic("check", "--quiet", "--format=json", broken).stdout);
    expect(short).toEqual(long);
    expect(short.diagnostics.map((d: { code: string }) => d.code)).toEqual(["E0201"]);
    const withWarnings = JSON.parse(abic("check", "--format", "json", broken).stdout);
    expect(withWarnings.diagnostics.map((d: { code: string }) => d.code)).toContain("W0401");
  });

  test("gen -o DIR writes there; --deny-warnings with it turns the warning into a failure", () => {
    const out = path.join(scratch, "parser-out");
    const r = abic("gen", "test/fixtures/gen/small/abi.idl", "-o", out);
    expect(r.status).toBe(0);
    expect(readFileSync(path.join(out, "abi.json"), "utf8")).toContain('"schemaVersion"');
    expect(abic("gen", "test/fixtures/gen/small/abi.idl", "-o", out, "--check").status).toBe(0);
    const denied = abic("gen", warned, "-o", path.join(scratch, "parser-denied"), "--deny-warnings");
    expect(denied.status).toBe(1);
    expect(denied.stderr).toMatch(/error W0401/);
  });

  test.each([
    [["check", "-x"], "unknown option `-x`\n"],
    [["check", "--format"], "option --format needs a value"],
    [["check", "--watch=yes"], "option --watch takes no value"],
    [["check", "-f", "json", "--format", "human"], "option --format given more than once"],
    [["gen", "--outt", "x"], "unknown option `--outt`; did you mean `--out`?"],
    [["verify", "m.wasm", "--featurs", "x"], "unknown option `--featurs`; did you mean `--features`?"],
    [["verify", "m.wasm", "-t", "ful"], "unknown tier `ful` (expected isolated, read-only, read-write, full); did you mean `full`?"],
    [["run", "--tierr", "full", "m.wasm"], "unknown option `--tierr`; did you mean `--tier`?"],
    [["--format", "json", "check"], "unknown option `--format` (options go after the command)"],
  ])("abic %j is a usage error: %s", (args, message) => {
    const r = abic(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`abic: error: ${message}`);
    expectNoStack(r.stderr);
  });

  test("every option a command declares is in its help, with its short form", async () => {
    const { COMMANDS } = await import("../compiler/commands.ts");
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const spec = await entry.load();
      const help = abic("help", name).stdout;
      expect(abic(name, "-h").stdout, name).toBe(help);
      for (const [option, o] of Object.entries(spec.options)) {
        expect(help, `${name} --${option}`).toContain(`--${option}`);
        if (o.short) expect(help, `${name} -${o.short}`).toMatch(new RegExp(`-${o.short}[ ,|]`));
      }
    }
  });
});

describe("abic ir", () => {
  test("prints the model with layouts and core signatures", () => {
    const out = execFileSync(process.execPath, [BIN, "ir", "abi.idl"], { encoding: "utf8", maxBuffer: 64 << 20 });
    const m = JSON.parse(out);
    expect(m.schemaVersion).toBe(SCHEMA_VERSION);
    expect(m.package).toMatchObject({ name: "command_abi", version: expect.stringMatching(/^1\.\d+\.\d+$/) });
    const iovec = m.types.find((t: { name: string }) => t.name === "iovec");
    expect(iovec).toMatchObject({ kind: "struct", size: 8, align: 4 });
    expect(iovec.fields.map((f: { name: string; offset: number; size: number }) => [f.name, f.offset, f.size])).toEqual([
      ["buf", 0, 4],
      ["buf_len", 4, 4],
    ]);
    const wasi = m.modules.find((x: { name: string }) => x.name === "wasi_snapshot_preview1");
    expect(wasi.aliases).toContain("wasi_unstable");
    const fdWrite = wasi.functions.find((f: { name: string }) => f.name === "fd_write");
    expect(fdWrite.import).toEqual({ module: "wasi_snapshot_preview1", name: "fd_write" });
    expect(fdWrite.core).toEqual({ params: ["i32", "i32", "i32", "i32"], results: ["i32"] });
    for (const key of ["since", "unstable", "deprecated", "status", "tiers", "docs"]) expect(fdWrite).toHaveProperty(key);
  });
});

describe("DIAGNOSTICS.md", () => {
  test("documents every code the compiler can emit", () => {
    const doc = readFileSync("DIAGNOSTICS.md", "utf8");
    const sources = execFileSync("git", ["ls-files", "compiler"], { encoding: "utf8" })
      .split("\n")
      .filter((f) => f.endsWith(".ts"))
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    const codes = new Set([...sources.matchAll(/"([EW]0\d{3})"/g)].map((m) => m[1]!));
    expect(codes.size).toBeGreaterThan(20);
    for (const code of codes) expect(doc, `${code} is undocumented`).toContain(`| ${code} |`);
  });

  test("gives each code one meaning, in the range of its section", () => {
    const doc = readFileSync("DIAGNOSTICS.md", "utf8");
    const rows = [...doc.matchAll(/^\| ([EW]0\d{3}) \|/gm)].map((m) => m[1]!);
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.filter((code, i) => rows.indexOf(code) !== i), "codes documented twice").toEqual([]);
    // Each section is headed `## Title (E05xx)`: its codes share those first two digits.
    for (const section of doc.split(/^## /m).slice(1)) {
      const range = /\(([EW]\d{2})xx\)/.exec(section.split("\n")[0]!)?.[1];
      for (const [, code] of section.matchAll(/^\| ([EW]0\d{3}) \|/gm)) expect(code!.slice(0, 3), `${code} under ${section.split("\n")[0]}`).toBe(range);
    }
  });
});

describe("abic gen --ts-opt", () => {
  test("bad names, values and combinations are usage errors (exit 2, one line, nothing written)", () => {
    for (const [opt, message] of [
      ["target=js", "TypeScript option target must be ts, js+dts; got `js`"],
      ["import_extension=ts,target=js+dts", "import_extension=ts needs target=ts: JavaScript files cannot import .ts files"],
      ["imports=js", "unknown TypeScript option `imports` (expected import_extension, target)"],
    ] as const) {
      const out = path.join(scratch, "ts-opt-bad");
      const r = abic("gen", "abi.idl", "--out", out, "--ts-opt", opt);
      expect(r.status, opt).toBe(2);
      expect(r.stderr.split("\n")[0], opt).toBe(`abic: error: ${message}`);
      expectNoStack(r.stderr);
      expect(() => readFileSync(path.join(out, "abi.json"))).toThrow();
    }
  });

  test("target=js+dts,import_extension=none writes JavaScript and declarations with bare specifiers", () => {
    const out = path.join(scratch, "ts-opt-jsdts");
    const r = abic("gen", "abi.idl", "--out", out, "--ts-opt", "target=js+dts,import_extension=none");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const js = readFileSync(path.join(out, "ts/index.js"), "utf8");
    expect(js).toContain('export * from "./runtime";');
    expect(readFileSync(path.join(out, "ts/index.d.ts"), "utf8")).toContain("export declare function createImports(");
    expect(() => readFileSync(path.join(out, "ts/index.ts"))).toThrow();
  });
});
