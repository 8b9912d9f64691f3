// The check cache: what `abic check` found for a contract, kept so that checking the same texts
// again with the same abic prints the same result without lexing, parsing or checking anything
// (and without loading the parser). It is an extra layer over the cold path, never a second
// source of truth: an entry is used only when abic's version and front-end code, the working
// directory, the root file and every file the check read (or failed to read) are exactly as
// they were, so a hit is by construction what a cold run would print.
//
// It lives in the project's node_modules/.cache/abic/ (as the generation cache does); a folder
// without node_modules above it gets no cache. Reading or writing it never fails a check.

import type * as Crypto from "node:crypto";
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "./diagnostics.ts";
import { packageFile } from "./package-files.ts";
import { readSource } from "./read-source.ts";

/** What a check found, as much as `abic check` prints. */
export interface CheckOutcome {
  diagnostics: Diagnostic[];
  /** The summary line of the checked model; null when there is no model (errors). */
  summary: string | null;
}

/** A cache hit: the outcome, and the files read to validate it (names and texts, as a compilation gives them). */
export interface CachedCheck extends CheckOutcome {
  files: string[];
  texts: Map<string, string>;
}

interface Entry extends CheckOutcome {
  key: string;
  /** Every file the check read or tried to read, in order, with what reading it gave. */
  reads: FileRead[];
}

/**
 * node:crypto, loaded on first use: a `check --no-cache` never hashes, and loading the module
 * (and the ~20 internal modules it loads) is a few percent of such a run.
 */
let crypto: typeof Crypto | null = null;
function createHash(algorithm: string): Crypto.Hash {
  crypto ??= createRequire(import.meta.url)("node:crypto") as typeof Crypto;
  return crypto.createHash(algorithm);
}

function digest(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Identifies abic's front end: the version in package.json and the code of every compiled
 * module the checker is made of (the compiler folder and lang/; not gen/, fmt/, lsp/ or the
 * commands, which do not change what a check finds), so a rebuilt or upgraded abic never sees
 * an older abic's entries.
 */
export function frontEndIdentity(version = JSON.parse(readFileSync(packageFile("package.json"), "utf8")).version as string): string {
  const hash = createHash("sha256").update(`abic ${version}\0`);
  const root = path.dirname(fileURLToPath(import.meta.url));
  for (const dir of [root, path.join(root, "lang")])
    for (const f of readdirSync(dir).sort())
      if (/\.[jt]s$/.test(f) && !f.endsWith(".d.ts")) hash.update(`${f}\0`).update(readFileSync(path.join(dir, f)));
  return hash.digest("hex");
}

/**
 * The cache file for checking `root` from the working directory, in the nearest node_modules
 * above the contract's folder; null when there is none.
 */
export function checkCacheFile(root: string): string | null {
  const name = `check-${digest(`${process.cwd()}\0${path.resolve(root)}`).slice(0, 32)}.json`;
  for (let dir = path.dirname(path.resolve(root)); ; dir = path.dirname(dir)) {
    try {
      if (lstatSync(path.join(dir, "node_modules")).isDirectory()) return path.join(dir, "node_modules", ".cache", "abic", name);
    } catch {
      // No node_modules here: look further up.
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/** One file a check read: its name and what reading it gave (see `readRecord`). */
export interface FileRead {
  file: string;
  read: string;
}

/** What reading a file gave, as a digest: its text, or why it could not be read. */
export function readRecord(result: ReturnType<typeof readSource>): string {
  return "text" in result ? `text ${digest(result.text)}` : `error ${result.diagnostic.code} ${result.diagnostic.message}`;
}

/** The cached outcome of checking `root`, when the entry's identity is `identity` and every file it read reads the same now. */
export function cachedCheck(cacheFile: string | null, identity: string, root: string): CachedCheck | null {
  if (cacheFile === null) return null;
  let entry: Entry;
  try {
    entry = JSON.parse(readFileSync(cacheFile, "utf8")) as Entry;
  } catch {
    return null;
  }
  if (entry?.key !== `${identity}\0${root}` || !Array.isArray(entry.reads) || !Array.isArray(entry.diagnostics)) return null;
  const texts = new Map<string, string>();
  for (const { file, read } of entry.reads) {
    const now = readSource(file);
    if (readRecord(now) !== read) return null;
    if ("text" in now) texts.set(file, now.text);
  }
  return { diagnostics: entry.diagnostics, summary: entry.summary, files: entry.reads.map((r) => r.file), texts };
}

/**
 * Keeps the outcome of checking `root`, which read `reads` (as the check's own reader saw them,
 * so an edit made while it ran is a miss next time). Best effort: a cache that cannot be written
 * only makes the next check slower.
 */
export function rememberCheck(cacheFile: string | null, identity: string, root: string, reads: readonly FileRead[], outcome: CheckOutcome): void {
  if (cacheFile === null) return;
  const entry: Entry = { key: `${identity}\0${root}`, reads: [...reads], diagnostics: outcome.diagnostics, summary: outcome.summary };
  try {
    mkdirSync(path.dirname(cacheFile), { recursive: true });
    const temp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(entry));
    renameSync(temp, cacheFile);
  } catch {
    // Best effort, see above.
  }
}
