// The libc block checked against upstream wasi-libc as installed (Debian's `wasi-libc`, read
// with llvm-nm and compiled against with clang): every function declared added is undefined
// upstream, every replaced one defined; absent ones are undefined too; header kinds match the
// installed sysroot; and upstream's headers declare every replaced function with the
// contract's prototype. A mismatch names the function and its file:line in abi/libc.idl.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { compileFile } from "../compiler/index.ts";
import type { ContractModel, LibcFunctionModel, Span } from "../compiler/model.ts";
import { llvmNm, wasiClang, wasiLibDir } from "../scripts/toolchain.ts";

const where = (s: Span) => `${s.file}:${s.line}:${s.column}`;

/** Upstream's defined functions (T or W), each with the library that defines it. */
function upstreamFunctions(libDir: string): Map<string, string> {
  const nm = llvmNm();
  const libs = readdirSync(libDir).filter((f) => f === "libc.a" || /^libwasi-emulated-[a-z-]+\.a$/.test(f)).sort();
  const out = new Map<string, string>();
  for (const lib of libs) {
    const run = spawnSync(nm, ["--defined-only", "--format=posix", join(libDir, lib)], { encoding: "utf8", maxBuffer: 64 << 20 });
    if (run.status !== 0) throw new Error(`${nm} failed on ${lib}: ${run.stderr}`);
    for (const line of run.stdout.split("\n")) {
      const m = /^(\S+) ([TW]) /.exec(line);
      if (m && !out.has(m[1]!)) out.set(m[1]!, lib);
    }
  }
  return out;
}

interface Delta {
  symbols: Set<string>;
  headers: Set<string>;
}

function readDelta(): Delta {
  const delta: Delta = { symbols: new Set(), headers: new Set() };
  for (const line of readFileSync("test/support/wasi-libc-since-debian.txt", "utf8").split("\n")) {
    const m = /^(symbol|header)\s+(\S+)\s+\S/.exec(line);
    if (m) (m[1] === "symbol" ? delta.symbols : delta.headers).add(m[2]!);
  }
  return delta;
}

/** Runs clang -fsyntax-only on C text; returns its error lines (empty when it compiles). */
function syntaxErrors(source: string): string[] {
  const { cc, baseArgs } = wasiClang();
  const run = spawnSync(cc, [...baseArgs, "-fsyntax-only", "-ferror-limit=0", "-Wno-everything", "-x", "c", "-"], { input: source, encoding: "utf8" });
  if (run.error) throw run.error;
  return run.stderr.split("\n").filter((l) => / error: /.test(l));
}

/**
 * The sysroot's include folder: where `<stdio.h>` resolves. Debian's clang searches the host's
 * /usr/include after it, so whether a header exists is decided by this folder alone.
 */
function sysrootIncludeDir(): string {
  const { cc, baseArgs } = wasiClang();
  const run = spawnSync(cc, [...baseArgs, "-M", "-x", "c", "-"], { input: "#include <stdio.h>\n", encoding: "utf8" });
  const stdio = run.stdout.split(/\s+/).find((p) => p.endsWith("/stdio.h"));
  if (run.status !== 0 || !stdio) throw new Error(`cannot find the sysroot's <stdio.h>: ${run.stderr}`);
  return dirname(stdio);
}

// The feature macros that make upstream's headers declare everything they have.
const FEATURES = ["_GNU_SOURCE", "_WASI_EMULATED_SIGNAL", "_WASI_EMULATED_GETPID", "_WASI_EMULATED_MMAN", "_WASI_EMULATED_PROCESS_CLOCKS"];

describe("the libc block against upstream wasi-libc", () => {
  let model: ContractModel;
  let upstream: Map<string, string>;
  let delta: Delta;

  beforeAll(() => {
    const c = compileFile("abi.idl");
    if (!c.model) throw new Error("abi.idl does not check");
    model = c.model;
    upstream = upstreamFunctions(wasiLibDir());
    delta = readDelta();
  }, 300_000);

  const byChange = (change: LibcFunctionModel["change"]) => model.libc.filter((f) => f.change === change);

  test("the symbol table is read: libc.a and its emulation libraries", () => {
    for (const f of ["printf", "malloc", "open", "__wasi_fd_write"]) expect(upstream.get(f), f).toBe("libc.a");
    expect(upstream.get("getpid")).toBe("libwasi-emulated-getpid.a");
    expect(upstream.get("signal")).toBe("libwasi-emulated-signal.a");
    expect(upstream.size).toBeGreaterThan(1000);
  });

  test("every function declared added is not defined upstream", () => {
    const mismatches = byChange("added")
      .filter((f) => upstream.has(f.name) || delta.symbols.has(f.name))
      .map((f) => `${where(f.span)}: \`${f.name}\` is declared added, but upstream wasi-libc defines it (${upstream.get(f.name) ?? "at the pinned commit"})`);
    expect(byChange("added").length).toBeGreaterThan(40);
    expect(mismatches).toEqual([]);
  });

  test("every function declared replaced is defined upstream", () => {
    const mismatches = byChange("replaced")
      .filter((f) => !upstream.has(f.name) && !delta.symbols.has(f.name))
      .map((f) => `${where(f.span)}: \`${f.name}\` is declared replaced, but upstream wasi-libc does not define it`);
    expect(byChange("replaced").length).toBeGreaterThan(15);
    expect(mismatches).toEqual([]);
  });

  test("the entries newer than Debian's snapshot are needed and declared replaced", () => {
    const replaced = new Set(byChange("replaced").map((f) => f.name));
    for (const s of delta.symbols) {
      expect(upstream.has(s), `${s}: Debian's wasi-libc defines it already; drop it from the list`).toBe(false);
      expect(replaced.has(s), `${s}: not a replaced function of the libc block`).toBe(true);
    }
    const headers = new Set(model.libcSurface!.headers.filter((h) => h.change !== "unomitted" && h.change !== "added").map((h) => h.name));
    for (const h of delta.headers) expect(headers.has(h), `<${h}>: not an upstream header of the libc block`).toBe(true);
  });

  test("absent functions are not defined upstream either", () => {
    const defined = model.libcSurface!.absent.filter((a) => upstream.has(a.name)).map((a) => `${where(a.span)}: \`${a.name}\` is declared absent, but upstream defines it (${upstream.get(a.name)})`);
    expect(model.libcSurface!.absent.length).toBeGreaterThan(3);
    expect(defined).toEqual([]);
  });

  test("headers: upstream, patched and replaced ones are installed upstream; unomitted and added ones are not", () => {
    const include = sysrootIncludeDir();
    expect(existsSync(join(include, "wasi", "api.h"))).toBe(true);
    const mismatches: string[] = [];
    for (const h of model.libcSurface!.headers) {
      const installed = existsSync(join(include, h.name)) || delta.headers.has(h.name);
      const shouldExist = h.change === "upstream" || h.change === "patched" || h.change === "replaced";
      if (shouldExist && !installed) mismatches.push(`${where(h.span)}: <${h.name}> is declared ${h.change}, but upstream does not install it`);
      if (!shouldExist && installed) mismatches.push(`${where(h.span)}: <${h.name}> is declared ${h.change}, but upstream installs it`);
      if (shouldExist && existsSync(join(include, h.name))) {
        const errors = syntaxErrors(`${FEATURES.map((f) => `#define ${f}`).join("\n")}\n#include <${h.name}>\n`);
        if (errors.length) mismatches.push(`${where(h.span)}: upstream <${h.name}> does not compile: ${errors.join("; ")}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);

  test("upstream's headers declare every replaced function, with the contract's prototype", () => {
    const checked = byChange("replaced").filter((f) => !delta.symbols.has(f.name));
    const headers = [...new Set(checked.map((f) => f.header))];
    // `#line` puts each use and each redeclaration at the function's line in abi/libc.idl, so
    // clang's own message names it: "conflicting types for 'x'", "use of undeclared identifier".
    const source = [
      ...FEATURES.map((f) => `#define ${f}`),
      ...headers.map((h) => `#include <${h}>`),
      ...checked.flatMap((f) => [`#line ${f.span.line} "${f.span.file}"`, `static void *const abic_uses_${f.name} = (void *)&${f.name};`]),
      ...checked.flatMap((f) => [`#line ${f.span.line} "${f.span.file}"`, `${f.prototype};`]),
    ].join("\n");
    expect(checked.length).toBeGreaterThan(15);
    expect(syntaxErrors(source)).toEqual([]);
  }, 120_000);

  test("a wrong prototype or an undeclared function is caught, at its line in the contract", () => {
    // The same check on a doctored copy of two functions must fail and say where.
    const pipeLike = byChange("replaced").find((f) => f.name === "isatty")!;
    const source = [
      ...FEATURES.map((f) => `#define ${f}`),
      "#include <unistd.h>",
      `#line ${pipeLike.span.line} "${pipeLike.span.file}"`,
      "long isatty(int fd);",
      `#line 7 "${pipeLike.span.file}"`,
      "static void *const abic_uses_pipe = (void *)&pipe;",
    ].join("\n");
    const errors = syntaxErrors(source);
    expect(errors.some((e) => e.startsWith(`${pipeLike.span.file}:${pipeLike.span.line}:`) && /conflicting types for 'isatty'/.test(e))).toBe(true);
    expect(errors.some((e) => e.startsWith(`${pipeLike.span.file}:7:`) && /undeclared identifier 'pipe'/.test(e))).toBe(true);
  }, 60_000);
});
