// Builds generated Rust crates and Rust guests with Debian's rustc for wasm32-wasi, cached by
// content: a build is reused only when the sources, features, flags and compiler are the same.
// A missing toolchain fails the caller (scripts/toolchain.ts installs it where it can).

import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import * as path from "node:path";
import { compileRust, wasiRust, type RustCompileOptions } from "../../scripts/toolchain.ts";

const CACHE = path.resolve("test/.build/rust-cache");

/** Every `.rs` file under a folder, sorted, for cache keys. */
function rustSources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...rustSources(p));
    else if (e.name.endsWith(".rs")) out.push(p);
  }
  return out.sort();
}

function key(parts: (string | Buffer)[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex").slice(0, 24);
}

/**
 * Runs a compile into the cache unless an identical one is there; returns the cached output,
 * `<cache>/<key>/<file>` (rustc wants an rlib named `lib<crate>.rlib`).
 */
function cachedCompile(opts: Omit<RustCompileOptions, "out">, inputs: string[], file: string): string {
  const k = key([
    wasiRust().version,
    JSON.stringify({ ...opts, source: path.relative(process.cwd(), opts.source) }),
    ...inputs.flatMap((f) => [path.relative(process.cwd(), f), readFileSync(f)]),
  ]);
  const dir = path.join(CACHE, k);
  if (existsSync(path.join(dir, file))) return path.join(dir, file);
  // Build in a private folder, then rename it: parallel test files may build the same thing.
  const partial = `${dir}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  compileRust({ ...opts, out: path.join(partial, file) });
  try {
    renameSync(partial, dir);
  } catch (error) {
    if (!existsSync(path.join(dir, file))) throw error; // another process won the race
    rmSync(partial, { recursive: true, force: true });
  }
  return path.join(dir, file);
}

export interface CrateBuild {
  /** The compiled rlib. */
  rlib: string;
  crateName: string;
}

/** Compiles a generated crate (`<dir>/src/lib.rs`) as an rlib with `-D warnings`. */
export function buildCrate(
  dir: string,
  opts: { crateName: string; features: string[]; extraArgs?: string[] },
): CrateBuild {
  const source = path.join(dir, "src", "lib.rs");
  const rlib = cachedCompile(
    {
      source,
      crateType: "rlib",
      crateName: opts.crateName,
      features: [...opts.features].sort(),
      extraArgs: ["-O", "-D", "warnings", ...(opts.extraArgs ?? [])],
    },
    rustSources(path.join(dir, "src")),
    `lib${opts.crateName}.rlib`,
  );
  return { rlib, crateName: opts.crateName };
}

/** Compiles a Rust guest (a binary crate using `crate`) and copies it to `out`. */
export function buildGuest(source: string, crate: CrateBuild, out: string): string {
  const wasm = cachedCompile(
    {
      source,
      crateType: "bin",
      externs: { [crate.crateName]: crate.rlib },
      extraArgs: ["-O", "-D", "warnings", "-C", "debuginfo=0", "-C", "strip=debuginfo"],
    },
    [...rustSources(path.dirname(source)), crate.rlib],
    `${path.basename(source, ".rs")}.wasm`,
  );
  mkdirSync(path.dirname(out), { recursive: true });
  copyFileSync(wasm, out);
  return out;
}
