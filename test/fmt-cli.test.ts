// `abic fmt` as a user runs it: in place (changed files only), --check, --diff, stdin, a file with
// syntax errors left alone, the default file set (the contract and its includes), and the
// checked model of a messy copy of the real contract unchanged by formatting.

import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { respace } from "./support/random-contract.ts";

const BIN = path.resolve("bin/abic.js");
const root = path.resolve("test/.build/fmt-cli");

function abic(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd: opts.cwd, input: opts.input, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const canonical = readFileSync("abi/host_system.idl", "utf8");
const messy = canonical
  .replace("use \"types.idl\";", "use   \"types.idl\" ;")
  .replace("@since(1.0.0) @tier(isolated)", "@tier( isolated )  @since(1.0.0)")
  .replace(/\n {8}/g, "\n  ")
  .replace("buf: buffer<u8>,\n", "buf : buffer < u8 >\n");
const broken = "/// p\npackage p@1.0.0;\nstruct s { a: u32\n";

function fresh(name: string): string {
  const dir = path.join(root, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "types.idl"), readFileSync("abi/types.idl", "utf8"));
  writeFileSync(path.join(dir, "messy.idl"), messy);
  writeFileSync(path.join(dir, "broken.idl"), broken);
  return dir;
}

describe("abic fmt FILES", () => {
  test("rewrites only the files that change and leaves a file with syntax errors untouched", () => {
    const dir = fresh("in-place");
    const past = new Date(2020, 0, 1);
    utimesSync(path.join(dir, "types.idl"), past, past);
    const r = abic(["fmt", dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(`formatted ${dir}/messy.idl\n`);
    expect(r.stderr).toMatch(/broken\.idl:\d+:\d+: error E0102: /);
    expect(r.stderr).toContain("1 file left untouched");
    expect(readFileSync(path.join(dir, "messy.idl"), "utf8")).toBe(canonical);
    expect(readFileSync(path.join(dir, "broken.idl"), "utf8")).toBe(broken);
    // Already formatted: not written at all.
    expect(statSync(path.join(dir, "types.idl")).mtime.getTime()).toBe(past.getTime());
    expect(readdirSync(dir).sort()).toEqual(["broken.idl", "messy.idl", "types.idl"]);
    // A second run has nothing to do.
    rmSync(path.join(dir, "broken.idl"));
    const again = abic(["fmt", dir]);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe("2 files were already formatted\n");
  });

  test("--check names the files that would change, writes nothing and exits 1", () => {
    const dir = fresh("check");
    rmSync(path.join(dir, "broken.idl"));
    const r = abic(["fmt", "--check", dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(`would reformat ${dir}/messy.idl\n`);
    expect(r.stderr).toContain("1 of 2 files are not formatted");
    expect(readFileSync(path.join(dir, "messy.idl"), "utf8")).toBe(messy);
    const ok = abic(["fmt", "--check", path.join(dir, "types.idl")]);
    expect(ok.status).toBe(0);
  });

  test("--diff prints a unified diff and writes nothing", () => {
    const dir = fresh("diff");
    const file = path.join(dir, "messy.idl");
    const r = abic(["fmt", "--diff", file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`--- ${file}`);
    expect(r.stdout).toContain('-use   "types.idl" ;');
    expect(r.stdout).toContain('+use "types.idl";');
    expect(r.stdout).toContain("-@tier( isolated )  @since(1.0.0)");
    expect(r.stdout).toContain("+@since(1.0.0) @tier(isolated)");
    expect(readFileSync(file, "utf8")).toBe(messy);
  });

  test("--check --format json: one record per unformatted file, at its first changed line", () => {
    const dir = fresh("json");
    const r = abic(["fmt", "--check", "--format", "json", dir]);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, command: "fmt", ok: false });
    expect(doc.files).toEqual([
      { file: `${dir}/broken.idl`, changed: null },
      { file: `${dir}/messy.idl`, changed: true },
      { file: `${dir}/types.idl`, changed: false },
    ]);
    const codes = doc.diagnostics.map((d: { code: string; file: string; line: number }) => [d.code, path.basename(d.file), d.line]);
    expect(codes).toContainEqual(["E0601", "messy.idl", 3]);
    expect(codes.some(([code, file]: [string, string]) => code === "E0102" && file === "broken.idl")).toBe(true);
  });

  test("`abic fmt -` formats stdin to stdout", () => {
    const r = abic(["fmt", "-"], { input: messy });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(canonical);
    const bad = abic(["fmt", "-"], { input: broken });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^<stdin>:\d+:\d+: error E0102/);
  });

  test("a missing file is an error, bad usage exits 2", () => {
    const r = abic(["fmt", path.join(root, "nope.idl")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error E0001: cannot read");
    expect(abic(["fmt", "-", "x.idl"]).status).toBe(2);
    expect(abic(["fmt", "--chek"]).status).toBe(2);
  });
});

describe("abic fmt on the contract", () => {
  test("without FILES it formats abi.idl and every file it includes; the checked model does not change", () => {
    const dir = path.join(root, "contract");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    cpSync("abi", path.join(dir, "abi"), { recursive: true });
    cpSync("abi.idl", path.join(dir, "abi.idl"));
    // Re-indent and re-space every file, as a careless edit or another editor would.
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const files = ["abi.idl", ...readdirSync(path.join(dir, "abi")).filter((f) => f.endsWith(".idl")).map((f) => `abi/${f}`)];
    for (const f of files) writeFileSync(path.join(dir, f), respace(readFileSync(path.join(dir, f), "utf8"), rand));
    const strip = (json: string) => JSON.stringify(JSON.parse(json), (k, v: unknown) => (k === "span" ? undefined : v));
    const before = abic(["ir"], { cwd: dir });
    expect(before.status).toBe(0);

    const r = abic(["fmt"], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n").sort()).toEqual(files.map((f) => `formatted ${f}`).sort());
    for (const f of files) expect(readFileSync(path.join(dir, f), "utf8"), f).toBe(readFileSync(f, "utf8"));
    expect(strip(abic(["ir"], { cwd: dir }).stdout)).toBe(strip(before.stdout));
    expect(abic(["fmt", "--check"], { cwd: dir }).status).toBe(0);
  });
});
