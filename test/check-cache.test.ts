// The check cache: a repeated `abic check` answers from node_modules/.cache/abic/, and prints
// exactly what a check from scratch prints; an edit to the contract or to a file it includes, a
// file that appears or disappears, or another abic is a miss. To tell a hit from a miss, the
// tests write a marker into the stored entry: a hit prints it, a miss does not.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cachedCheck, checkCacheFile, frontEndIdentity, readRecord, rememberCheck } from "../compiler/check-cache.ts";
import { readSource } from "../compiler/read-source.ts";
import { GLUE_ERRNO_IDL } from "./support/errno-idl.ts";

const BIN = path.resolve("bin/abic.js");
const root = mkdtempSync(path.join(tmpdir(), "abic-check-cache-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function abic(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TYPES = GLUE_ERRNO_IDL;

const MAIN = `/// A contract.
package demo@1.0.0;

use "types.idl";

/// Things.
@since(1.0.0)
module things {
    /// Gets a thing.
    @since(1.0.0)
    fn get(
        /// Which one.
        which: u32,
    ) -> result<(
        /// The thing.
        thing: u32,
    ), errno>;

    @since(1.0.0)
    fn undocumented(which: u32) -> result<(), errno>;
}
`;

/** A fresh project: abi.idl including types.idl, and a node_modules folder for the cache. */
function project(): string {
  const dir = mkdtempSync(path.join(root, "p-"));
  mkdirSync(path.join(dir, "node_modules"));
  writeFileSync(path.join(dir, "abi.idl"), MAIN);
  writeFileSync(path.join(dir, "types.idl"), TYPES);
  return dir;
}

function cacheEntries(dir: string): string[] {
  const cache = path.join(dir, "node_modules", ".cache", "abic");
  try {
    return readdirSync(cache).map((f) => path.join(cache, f));
  } catch {
    return [];
  }
}

/** Replaces the stored summary line of the only entry with a marker, so that a hit shows. */
function mark(dir: string): void {
  const [file, ...rest] = cacheEntries(dir);
  expect(file).toBeDefined();
  expect(rest).toEqual([]);
  const entry = JSON.parse(readFileSync(file!, "utf8"));
  expect(entry.summary).toMatch(/^demo@1\.0\.0: /);
  entry.summary = "MARKER from the cache";
  writeFileSync(file!, JSON.stringify(entry));
}

describe("abic check with the check cache", () => {
  test("a repeat prints exactly what a check from scratch prints: warnings, code frames, summary, exit code", () => {
    const dir = project();
    const cold = abic(dir, "check", "--no-cache", "abi.idl");
    expect(cacheEntries(dir)).toEqual([]); // --no-cache neither reads nor writes
    expect(cold.status).toBe(0);
    expect(cold.stderr).toContain("warning W0401");
    expect(cold.stderr).toContain("abi.idl:20:8");
    const first = abic(dir, "check", "abi.idl");
    expect(cacheEntries(dir)).toHaveLength(1);
    const second = abic(dir, "check", "abi.idl");
    expect(first).toEqual(cold);
    expect(second).toEqual(cold);
    // ...and it did come from the cache.
    mark(dir);
    expect(abic(dir, "check", "abi.idl").stdout).toBe("MARKER from the cache\n");
    expect(abic(dir, "check", "--no-cache", "abi.idl").stdout).toBe(cold.stdout);
  });

  test("errors: the same diagnostics, formats and flags from the cache", () => {
    const dir = project();
    writeFileSync(path.join(dir, "abi.idl"), MAIN.replace("which: u32,", "which: u33,").replace("fn get(", "fn get(\n        x: $,"));
    for (const flags of [[], ["--format", "json"], ["--format", "github"], ["--deny-warnings"], ["-q"]]) {
      const cold = abic(dir, "check", "--no-cache", ...flags, "abi.idl");
      expect(cold.status).toBe(1);
      expect(abic(dir, "check", ...flags, "abi.idl")).toEqual(cold);
      expect(abic(dir, "check", ...flags, "abi.idl")).toEqual(cold);
    }
  });

  test("an edit to the contract, to a file it includes, or a file that disappears is a miss", () => {
    const dir = project();
    const clean = abic(dir, "check", "abi.idl");
    mark(dir);
    expect(abic(dir, "check", "abi.idl").stdout).toContain("MARKER");

    // The root file: one character of a doc comment.
    writeFileSync(path.join(dir, "abi.idl"), MAIN.replace("Gets a thing.", "Gets a thing!"));
    expect(abic(dir, "check", "abi.idl")).toEqual(clean);
    mark(dir);
    expect(abic(dir, "check", "abi.idl").stdout).toContain("MARKER");

    // The included file: a new member changes nothing the summary says, but it is a miss.
    writeFileSync(path.join(dir, "types.idl"), TYPES.replace("    /// I/O error.", "    /// Again.\n    again = 6,\n    /// I/O error."));
    expect(abic(dir, "check", "abi.idl")).toEqual(clean);
    mark(dir);

    // The included file disappears: the error a cold check gives, not the marker.
    rmSync(path.join(dir, "types.idl"));
    const gone = abic(dir, "check", "abi.idl");
    expect(gone.status).toBe(1);
    expect(gone.stderr).toContain("error E0001");
    expect(gone).toEqual(abic(dir, "check", "--no-cache", "abi.idl"));

    // ...and comes back: a miss again (the entry says it could not be read).
    writeFileSync(path.join(dir, "types.idl"), TYPES);
    expect(abic(dir, "check", "abi.idl")).toEqual(clean);
  });

  test("another abic (version or front-end code) never uses an entry", () => {
    const dir = project();
    const file = path.join(dir, "abi.idl");
    const cacheFile = checkCacheFile(file);
    expect(cacheFile).toBe(path.join(dir, "node_modules", ".cache", "abic", path.basename(cacheFile!)));
    const reads = [file, path.join(dir, "types.idl")].map((f) => ({ file: f, read: readRecord(readSource(f)) }));
    const outcome = { diagnostics: [], summary: "demo@1.0.0: remembered" };
    const current = frontEndIdentity();
    rememberCheck(cacheFile, current, file, reads, outcome);
    expect(cachedCheck(cacheFile, current, file)?.summary).toBe("demo@1.0.0: remembered");
    expect(frontEndIdentity("0.1.0-other")).not.toBe(current);
    expect(cachedCheck(cacheFile, frontEndIdentity("0.1.0-other"), file)).toBeNull();
    expect(cachedCheck(cacheFile, "a rebuilt front end", file)).toBeNull();
    // Another root file in the same folder never reads this entry either.
    expect(cachedCheck(cacheFile, current, path.join(dir, "types.idl"))).toBeNull();
  });

  test("without node_modules above the contract there is no cache, and nothing is written", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "abic-no-cache-"));
    try {
      writeFileSync(path.join(dir, "abi.idl"), MAIN);
      writeFileSync(path.join(dir, "types.idl"), TYPES);
      const found = checkCacheFile(path.join(dir, "abi.idl"));
      if (found !== null) return; // a node_modules folder above the temp folder: nothing to test here
      expect(abic(dir, "check", "abi.idl").status).toBe(0);
      expect(readdirSync(dir).sort()).toEqual(["abi.idl", "types.idl"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
