// `abic gen` and `abic gen --check` as CI uses them: the checked-in generated/ is current, an
// edited, missing or extra file makes --check fail with a diff, and writes are atomic.

import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { writeAtomically, staleFiles } from "../compiler/commands/gen.ts";

function abic(...args: string[]) {
  const r = spawnSync(process.execPath, [path.resolve("bin/abic.js"), ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const scratch = path.join("test", ".build", "gen-check");

describe("abic gen --check", () => {
  test("passes on the checked-in generated/", () => {
    const r = abic("gen", "--check");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/generated\/ is up to date \(\d+ files\)/);
  });

  test("fails with a unified diff when a file is edited, removed or added", () => {
    const out = path.join(scratch, "copy");
    rmSync(out, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    cpSync("generated", out, { recursive: true });
    expect(abic("gen", "--check", "--out", out).status).toBe(0);

    const header = path.join(out, "c", "wasi", "api.h");
    writeFileSync(header, readFileSync(header, "utf8").replace("#define __WASI_ERRNO_BADF (UINT16_C(8))", "#define __WASI_ERRNO_BADF (UINT16_C(9))"));
    rmSync(path.join(out, "abi.json"));
    writeFileSync(path.join(out, "stale.txt"), "left over\n");
    const r = abic("gen", "--check", "--out", out);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`--- ${out}/c/wasi/api.h`);
    expect(r.stdout).toContain("-#define __WASI_ERRNO_BADF (UINT16_C(9))");
    expect(r.stdout).toContain("+#define __WASI_ERRNO_BADF (UINT16_C(8))");
    expect(r.stdout).toContain(`+++ ${out}/abi.json`);
    expect(r.stdout).toContain(`--- ${out}/stale.txt`);
    expect(r.stderr).toMatch(/3 generated files are stale/);

    // and `abic gen` repairs all three
    expect(abic("gen", "--out", out).status).toBe(0);
    expect(abic("gen", "--check", "--out", out).status).toBe(0);
    expect(existsSync(path.join(out, "stale.txt"))).toBe(false);
  });

  test("a contract with errors writes nothing and exits 1", () => {
    const out = path.join(scratch, "untouched");
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, "keep.txt"), "previous output\n");
    const r = abic("gen", "test/fixtures/invalid/acceptance-mixed/input.idl", "--out", out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error E0201");
    expect(readFileSync(path.join(out, "keep.txt"), "utf8")).toBe("previous output\n");
  });
});

describe("unwritable output folders are user errors", () => {
  test.each([["/proc/abic-gen"], ["/proc/nope/gen"], ["package.json/gen"]])("--out %s", (out) => {
    const r = abic("gen", "--out", out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^abic gen: error: cannot write /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("atomic writes", () => {
  test("a failure part-way leaves the previous folder untouched", () => {
    const out = path.join(scratch, "atomic");
    rmSync(out, { recursive: true, force: true });
    writeAtomically([{ path: "a.txt", content: "one\n" }], out);
    // a path that cannot be written (a file where a folder must go) fails the second generation
    expect(() =>
      writeAtomically(
        [
          { path: "b", content: "x" },
          { path: "b/c.txt", content: "y" },
        ],
        out,
      ),
    ).toThrow();
    expect(readFileSync(path.join(out, "a.txt"), "utf8")).toBe("one\n");
    expect(staleFiles([{ path: "a.txt", content: "one\n" }], out)).toEqual([]);
  });
});
