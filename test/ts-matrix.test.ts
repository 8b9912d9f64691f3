// The generated TypeScript in ordinary TypeScript builds. For each choice of the TS target's
// options, the real contract's bindings are generated into a fresh project with its own
// tsconfig, compiled (or type-checked) by tsc, and run against a clang-built guest module; every
// variant must behave identically. Each project's tsconfig is the strict one of
// support/strict-tsconfig.ts (what `tsc --init` writes, plus the unused-code checks; no @types)
// with only what its choice needs changed.

import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, test } from "vitest";
import { compileFile, type TsOptions } from "../compiler/api.ts";
import { tsTarget } from "../compiler/gen/ts.ts";
import type { ContractModel } from "../compiler/model.ts";
import { compileC } from "../scripts/toolchain.ts";
import { STRICT_COMPILER_OPTIONS } from "./support/strict-tsconfig.ts";

const ROOT = path.resolve("test/.build/ts-matrix");
const GUEST = path.join(ROOT, "calls.wasm");
const require = createRequire(import.meta.url);
const TSC = require.resolve("typescript/bin/tsc");


interface Case {
  name: string;
  ts: Partial<TsOptions>;
  /** Changes to the strict tsconfig. Flags that only add checks are combined into one case. */
  tsconfig: Record<string, unknown>;
  /** How the consumer runs: its compiled JavaScript with node, or its TypeScript with tsx. */
  runs: { with: "node" | "tsx"; entry: string }[];
}

const CASES: Case[] = [
  {
    name: "NodeNext, emit with declarations, erasableSyntaxOnly, isolatedDeclarations; node",
    ts: {},
    tsconfig: { erasableSyntaxOnly: true, isolatedDeclarations: true, declaration: true, outDir: "out", rootDir: "." },
    runs: [{ with: "node", entry: "out/src/main.js" }],
  },
  {
    name: "bundler resolution, emit; node",
    ts: {},
    tsconfig: { module: "preserve", moduleResolution: "bundler", outDir: "out", rootDir: "." },
    runs: [{ with: "node", entry: "out/src/main.js" }],
  },
  {
    name: "import_extension=ts, erasableSyntaxOnly, rewriteRelativeImportExtensions, emit; node, and tsx from source",
    ts: { importExtension: "ts" },
    tsconfig: { erasableSyntaxOnly: true, rewriteRelativeImportExtensions: true, outDir: "out", rootDir: "." },
    runs: [
      { with: "node", entry: "out/src/main.js" },
      { with: "tsx", entry: "src/main.ts" },
    ],
  },
  {
    name: "import_extension=none, bundler resolution; tsx",
    ts: { importExtension: "none" },
    tsconfig: { module: "preserve", moduleResolution: "bundler", noEmit: true },
    runs: [{ with: "tsx", entry: "src/main.ts" }],
  },
  {
    name: "target=js+dts, a strict TS consumer against the declarations; node",
    ts: { target: "js+dts" },
    tsconfig: {},
    runs: [{ with: "node", entry: "src/main.js" }],
  },
];

const EXTENSION = { js: ".js", ts: ".ts", none: "" } as const;

/**
 * The consumer: implements a few imports, runs the guest's calls through the generated glue and
 * reports what happened. No Node APIs, so the project needs no @types/node.
 */
function consumer(extension: string): string {
  return `import {
  createImports,
  Errno,
  fail,
  Filetype,
  ProcExit,
  type HostFs,
  type HostProcess,
  type WasiSnapshotPreview1,
} from "../generated/ts/index${extension}";

interface Guest {
  memory: WebAssembly.Memory;
  scratch_ptr(): number;
  call_fd_write(fd: number, iovs: number, len: number, out: number): number;
  call_fd_fdstat_get(fd: number, out: number): number;
  call_proc_getpid(out: number): number;
  call_path_size_cstr(fd: number, path: number): bigint;
  call_proc_exit(code: number): void;
}

export function run(bytes: Uint8Array<ArrayBuffer>): Record<string, unknown> {
  const calls: string[] = [];
  const written: string[] = [];
  const wasi: Partial<WasiSnapshotPreview1> = {
    fdWrite(fd, iovs, ctx) {
      calls.push("fdWrite");
      if (fd !== 1) return fail(Errno.Badf);
      let n = 0;
      for (let i = 0; i < iovs.length; i++) {
        const chunk = ctx.memory.bytes(iovs.bufAt(i), iovs.bufLenAt(i));
        written.push(new TextDecoder().decode(chunk));
        n += chunk.length;
      }
      return n;
    },
    fdFdstatGet() {
      calls.push("fdFdstatGet");
      return { fsFiletype: Filetype.RegularFile, fsFlags: 0x11, fsRightsBase: 0x1234n, fsRightsInheriting: 7n };
    },
    procExit() {
      calls.push("procExit");
    },
    // The guest imports these too; they only need to link.
    argsSizesGet: () => ({ argc: 0, argvBufSize: 0 }),
    clockTimeGet: () => 0n,
    fdPrestatGet: () => fail(Errno.Badf),
    randomGet: () => undefined,
  };
  const hostProcess: Partial<HostProcess> = { procGetpid: () => 4242 };
  const hostFs: Partial<HostFs> = { pathSize: (_fd, path) => BigInt(path.length) * 1000n };
  let instance: WebAssembly.Instance | undefined;
  const guest = (): Guest => {
    if (instance === undefined) throw new Error("not instantiated");
    return instance.exports as unknown as Guest;
  };
  const glue = createImports({ wasiSnapshotPreview1: wasi, hostProcess, hostFs }, { getMemory: () => guest().memory, tier: "full" });
  const module = new WebAssembly.Module(bytes);
  glue.assertLinkable(module);
  instance = new WebAssembly.Instance(module, glue.imports);

  const g = guest();
  const s = g.scratch_ptr();
  const dv = new DataView(g.memory.buffer);
  new Uint8Array(g.memory.buffer).set(new TextEncoder().encode("hello\\u0000abc\\u0000"), s + 64);
  dv.setUint32(s, s + 64, true);
  dv.setUint32(s + 4, 5, true);
  const write = g.call_fd_write(1, s, 1, s + 32);
  const nwritten = dv.getUint32(s + 32, true);
  const badf = g.call_fd_write(9, s, 1, s + 32);
  const outOfRange = g.call_fd_write(1, g.memory.buffer.byteLength - 4, 1, s + 32);
  const misaligned = g.call_fd_write(1, s + 1, 1, s + 32);
  const fdstat = g.call_fd_fdstat_get(3, s + 128);
  const getpid = g.call_proc_getpid(s + 32);
  const pid = dv.getUint32(s + 32, true);
  const pathSize = g.call_path_size_cstr(3, s + 70);
  let exitCode = -1;
  try {
    g.call_proc_exit(7);
  } catch (e) {
    if (e instanceof ProcExit) exitCode = e.code;
  }
  return {
    write,
    nwritten,
    written: written.join(""),
    badf,
    outOfRange,
    misaligned,
    fdstat,
    filetype: dv.getUint8(s + 128),
    fdflags: dv.getUint16(s + 130, true),
    rightsBase: String(dv.getBigUint64(s + 136, true)),
    getpid,
    pid,
    pathSize: String(pathSize),
    exitCode,
    calls,
  };
}
`;
}

/** Runs the consumer's `run` on the guest and prints its report (plain JS: nothing to type-check). */
const RUNNER = `import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const { run } = await import(pathToFileURL(process.argv[2]).href);
process.stdout.write(JSON.stringify(run(new Uint8Array(readFileSync(process.argv[3])))));
`;

/** What every variant must report: WASI's numbers (badf 8, fault 21, regular_file 4), not the glue's. */
const EXPECTED = {
  write: 0,
  nwritten: 5,
  written: "hello",
  badf: 8,
  outOfRange: 21,
  misaligned: 21,
  fdstat: 0,
  filetype: 4,
  fdflags: 0x11,
  rightsBase: String(0x1234),
  getpid: 0,
  pid: 4242,
  pathSize: "3000",
  exitCode: 7,
  // The out-of-range and misaligned calls never reach the implementation.
  calls: ["fdWrite", "fdWrite", "fdFdstatGet", "procExit"],
};

const run = promisify(execFile);

/** Two processes at a time: tsc over the whole bindings is the cost, and machines have 2 cores. */
let running = 0;
const waiting: (() => void)[] = [];
async function limited<T>(job: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await job();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

async function tsc(project: string): Promise<void> {
  try {
    await limited(() => run(process.execPath, [TSC, "-p", project], { encoding: "utf8" }));
  } catch (e) {
    throw new Error(`tsc -p ${project} failed:\n${(e as { stdout?: string }).stdout ?? String(e)}`);
  }
}

function dirName(c: Case): string {
  return c.name.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

/** The generated files per option set, rendered once. */
const generated = new Map<string, Promise<{ path: string; content: string }[]>>();
function bindings(ts: Partial<TsOptions>): Promise<{ path: string; content: string }[]> {
  const key = JSON.stringify(ts);
  let files = generated.get(key);
  if (files === undefined) {
    files = tsTarget.generate(model, { source: "abi.idl", ts });
    generated.set(key, files);
  }
  return files;
}

/** Builds and runs one case (once, whoever asks first); resolves to the consumer's report. */
const outcomes = new Map<Case, Promise<unknown>>();
function outcome(c: Case): Promise<unknown> {
  let result = outcomes.get(c);
  if (result === undefined) {
    result = buildAndRun(c);
    outcomes.set(c, result);
  }
  return result;
}

async function buildAndRun(c: Case): Promise<unknown> {
  const dir = path.join(ROOT, dirName(c));
  mkdirSync(path.join(dir, "src"), { recursive: true });
  for (const f of await bindings(c.ts)) {
    const file = path.join(dir, "generated", f.path);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, f.content);
  }
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module", private: true }) + "\n");
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { ...STRICT_COMPILER_OPTIONS, ...c.tsconfig }, include: ["src", "generated"] }, null, 2),
  );
  writeFileSync(path.join(dir, "src/main.ts"), consumer(EXTENSION[c.ts.importExtension ?? "js"]));
  writeFileSync(path.join(dir, "run.mjs"), RUNNER);
  await tsc(dir);
  const reports = [];
  for (const r of c.runs) {
    const args = [...(r.with === "tsx" ? ["--import", "tsx"] : []), "run.mjs", r.entry, GUEST];
    const { stdout } = await limited(() => run(process.execPath, args, { cwd: dir, encoding: "utf8" }));
    reports.push(JSON.parse(stdout));
  }
  return reports;
}

let model: ContractModel;
beforeAll(() => {
  rmSync(ROOT, { recursive: true, force: true });
  mkdirSync(ROOT, { recursive: true });
  compileC({
    sources: ["test/guests/glue/calls.c"],
    out: GUEST,
    includeDirs: ["generated/c"],
    extraArgs: ["-nostartfiles", "-Wl,--no-entry"],
  });
  const c = compileFile("abi.idl");
  if (c.model === null) throw new Error("abi.idl does not check");
  model = c.model;
}, 120_000);

describe.concurrent("generated TypeScript in ordinary builds", { timeout: 600_000 }, () => {
  for (const c of CASES) {
    test(c.name, async () => {
      expect(await outcome(c)).toEqual(c.runs.map(() => EXPECTED));
    });
  }

  test("js+dts: the declarations are what tsc emits for the ts output (comments and layout aside)", async () => {
    const [withDeclarations, jsDts] = [CASES[0]!, CASES[4]!];
    await Promise.all([outcome(withDeclarations), outcome(jsDts)]);
    const fromTsc = path.join(ROOT, dirName(withDeclarations), "out/generated/ts");
    const ours = path.join(ROOT, dirName(jsDts), "generated/ts");
    const files = readdirSync(ours).filter((f) => f.endsWith(".d.ts")).sort();
    expect(files).toEqual(readdirSync(fromTsc).filter((f) => f.endsWith(".d.ts")).sort());
    // Whitespace, comments, trailing separators and a union's leading `|` carry no meaning in a
    // declaration file; everything else must match.
    const tokens = (file: string): string =>
      readFileSync(file, "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/\/\/.*$/gm, "")
        .replace(/\s+/g, "")
        .replace(/[,;](?=[)\]}>])/g, "")
        .replace(/([=(<,:])\|/g, "$1");
    for (const f of files) expect(tokens(path.join(ours, f)), f).toBe(tokens(path.join(fromTsc, f)));
  });
});
