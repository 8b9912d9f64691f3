// bin/abic.js runs the CLI bundle (dist/abic.cjs) with V8's code cache. These tests install a copy
// of the bin and the bundle as a package (node_modules/abic in a temporary project) and hold it
// to what a user must be able to rely on: the same output as the ES modules in dist/compiler, a
// cache file per command under node_modules/.cache/abic keyed by the bundle, Node and the
// architecture, stale or damaged data replaced, and nothing written anywhere else.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const REPO = path.resolve(".");

/** `abic check` on the real contract without the check cache, as the tsc-emitted ES modules print it. */
function esModuleRun(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const script = `const { main } = await import(${JSON.stringify(new URL("../dist/compiler/cli.js", import.meta.url).href)}); process.exitCode = await main(process.argv.slice(1));`;
  return spawnSync(process.execPath, ["--input-type=module", "-e", script, "--", ...args], { cwd, encoding: "utf8" });
}

let work: string;

/** A project with abic installed in its node_modules: the bin, the bundle, package.json and the ES modules. */
function install(root: string): string {
  const pkg = path.join(root, "node_modules", "abic");
  mkdirSync(path.join(pkg, "bin"), { recursive: true });
  mkdirSync(path.join(pkg, "dist"), { recursive: true });
  // bin/package.json makes bin/abic.js a CommonJS script (see its header).
  cpSync(path.join(REPO, "bin"), path.join(pkg, "bin"), { recursive: true });
  cpSync(path.join(REPO, "dist/abic.cjs"), path.join(pkg, "dist/abic.cjs"));
  cpSync(path.join(REPO, "package.json"), path.join(pkg, "package.json"));
  // The check cache's identity reads the compiled front end in dist/compiler.
  symlinkSync(path.join(REPO, "dist/compiler"), path.join(pkg, "dist/compiler"));
  return pkg;
}

const CONTRACT = `package tiny@1.0.0;

/// A point.
@since(1.0.0)
struct point {
    /// Across.
    x: s32,
    /// Down.
    y: s32,
}
`;

/** Two fields without doc comments: two warnings. */
const WARNED = CONTRACT.replace("/// Across.", "").replace("/// Down.", "");

let project: string;
let bin: string;
let cacheFolder: string;

function abic(args: string[], cwd = project): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8" });
}

/** The key line a cache file must start with for this bundle and this Node. */
function expectedKey(pkg: string): Buffer {
  const file = path.join(pkg, "dist/abic.cjs");
  const bundle = readFileSync(file);
  const digest = /^\/\* abic-bundle sha256:([0-9a-f]{64}) \*\/\n/.exec(bundle.toString("latin1", 0, 100))![1];
  return Buffer.from(`abic code cache ${digest} ${bundle.length} ${statSync(file).mtimeMs} ${process.version} ${process.arch}\n`, "latin1");
}

/** Every file under `dir` (symlinks not followed) with its size and mtime, but those under `skip`. */
function snapshot(dir: string, skip: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (p === skip) continue;
      if (e.isDirectory()) walk(p);
      else {
        const s = statSync(p, { throwIfNoEntry: false });
        out.set(p, s ? `${s.size} ${s.mtimeMs}` : "link");
      }
    }
  };
  walk(dir);
  return out;
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), "abic-bundle-"));
  project = path.join(work, "project");
  const pkg = install(project);
  bin = path.join(pkg, "bin/abic.js");
  cacheFolder = path.join(project, "node_modules/.cache/abic");
  writeFileSync(path.join(project, "tiny.idl"), CONTRACT);
  writeFileSync(path.join(project, "warned.idl"), WARNED);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the CLI bundle", () => {
  test("starts with the SHA-256 of the rest, written by the build", () => {
    const bundle = readFileSync(path.join(REPO, "dist/abic.cjs"));
    const newline = bundle.indexOf(10);
    const digest = /^\/\* abic-bundle sha256:([0-9a-f]{64}) \*\/$/.exec(bundle.toString("latin1", 0, newline))?.[1];
    expect(digest).toBe(createHash("sha256").update(bundle.subarray(newline + 1)).digest("hex"));
  });

  test("prints what the ES modules print: the real contract, a contract with warnings, --version, help and usage errors", () => {
    writeFileSync(path.join(project, "abi.idl"), readFileSync(path.join(REPO, "abi.idl")));
    cpSync(path.join(REPO, "abi"), path.join(project, "abi"), { recursive: true });
    for (const args of [["check", "--no-cache", "abi.idl"], ["check", "--no-cache", "tiny.idl"], ["check", "--no-cache", "warned.idl"], ["--version"], ["help", "check"], ["chek"], ["ir", "tiny.idl"]]) {
      const bundled = abic(args);
      const modules = esModuleRun(args, project);
      expect({ status: bundled.status, stdout: bundled.stdout, stderr: bundled.stderr }, args.join(" ")).toEqual({ status: modules.status, stdout: modules.stdout, stderr: modules.stderr });
    }
  });

  test("a command's first run keeps its code cache, keyed by bundle, Node and architecture; later runs leave it as it is", () => {
    rmSync(cacheFolder, { recursive: true, force: true });
    const first = abic(["check", "--no-cache", "tiny.idl"]);
    expect(first.status).toBe(0);
    const file = path.join(cacheFolder, "code-check.bin");
    const data = readFileSync(file);
    const key = expectedKey(path.dirname(path.dirname(bin)));
    expect(data.subarray(0, key.length).equals(key)).toBe(true);
    expect(data.length).toBeGreaterThan(key.length + 10_000);
    const before = statSync(file).mtimeMs;
    const second = abic(["check", "--no-cache", "tiny.idl"]);
    expect(second).toMatchObject({ status: 0, stdout: first.stdout, stderr: first.stderr });
    expect(readFileSync(file).equals(data)).toBe(true);
    expect(statSync(file).mtimeMs).toBe(before);
    // Each command has its own: --version did not touch check's.
    expect(abic(["--version"]).status).toBe(0);
    expect(existsSync(path.join(cacheFolder, "code-cli.bin"))).toBe(true);
    expect(readFileSync(file).equals(data)).toBe(true);
  });

  test("a cache of another bundle or Node, data V8 rejects, or a cut file is replaced, and the output does not change", () => {
    const expected = abic(["check", "--no-cache", "tiny.idl"]);
    const file = path.join(cacheFolder, "code-check.bin");
    const key = expectedKey(path.dirname(path.dirname(bin)));
    const junk = Buffer.alloc(50_000, 7);
    const otherNode = Buffer.from(key.toString("latin1").replace(process.version, "v20.0.0"), "latin1");
    for (const [what, content] of [
      ["another key", Buffer.concat([otherNode, readFileSync(file).subarray(key.length)])],
      ["rejected data", Buffer.concat([key, junk])],
      ["a cut file", key.subarray(0, 20)],
    ] as const) {
      writeFileSync(file, content);
      const r = abic(["check", "--no-cache", "tiny.idl"]);
      expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }, what).toEqual({ status: expected.status, stdout: expected.stdout, stderr: expected.stderr });
      const now = readFileSync(file);
      expect(now.equals(content), what).toBe(false);
      expect(now.subarray(0, key.length).equals(key), what).toBe(true);
    }
  });

  test("writes nothing outside node_modules/.cache/abic, leaves no temporary files, and keeps no cache for usage errors", () => {
    rmSync(cacheFolder, { recursive: true, force: true });
    const before = snapshot(work, cacheFolder);
    for (const args of [["check", "--no-cache", "tiny.idl"], ["--version"], ["ir", "tiny.idl"], ["chek", "tiny.idl"], ["check", "--bogus"]]) abic(args);
    expect(snapshot(work, cacheFolder)).toEqual(before);
    expect(readdirSync(cacheFolder).sort()).toEqual(["code-check.bin", "code-cli.bin", "code-ir.bin"]);
  });

  test("a cache folder that cannot be written does not fail a command", () => {
    rmSync(cacheFolder, { recursive: true, force: true });
    mkdirSync(path.dirname(cacheFolder), { recursive: true });
    writeFileSync(cacheFolder, "not a folder");
    try {
      const r = abic(["check", "--no-cache", "tiny.idl"]);
      expect(r).toMatchObject({ status: 0, stderr: "" });
      expect(r.stdout).toMatch(/^tiny@1\.0\.0: /);
    } finally {
      rmSync(cacheFolder, { force: true });
    }
  });

  test("without node_modules around abic there is no code cache, and the command works", () => {
    const loose = path.join(work, "loose");
    const pkg = install(loose);
    const bare = path.join(work, "bare-abic");
    cpSync(pkg, bare, { recursive: true, verbatimSymlinks: true });
    rmSync(loose, { recursive: true, force: true });
    const before = snapshot(work, cacheFolder);
    const r = spawnSync(process.execPath, [path.join(bare, "bin/abic.js"), "check", "--no-cache", path.join(project, "tiny.idl")], { cwd: work, encoding: "utf8" });
    expect(r).toMatchObject({ status: 0, stderr: "" });
    expect(snapshot(work, cacheFolder)).toEqual(before);
  });
});
