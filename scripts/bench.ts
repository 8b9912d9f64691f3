// `npm run bench`: ns per import call for a guest looping inside wasm over `fd_write` (one
// 16-byte iovec) and `proc_getpid` (one u32 out-value), through (a) the generated glue, (b) a
// minimal hand-written glue with the same checks, (c) a bare import that does nothing.
// Prints the ratios against the targets (generated <= 1.15x hand-written, <= 4x bare).
// Then the CLI's start-up: `abic --version` and `abic check` on abi.idl against `node -e 0`
// (targets: --version <= 2x node -e 0, check <= 0.25 s), check both cold (`--no-cache`: lex,
// parse, check) and warm (answered by the check cache), and cold on a command's first run (no
// code cache); then the front end's scale: `abic check`
// cold on synthetic contracts of 1,000 and 10,000 functions with peak memory (issue 10: the
// front end should take about 1 s of the 10k contract's 5 s gen, and grow no worse than linearly).
// Then the host benchmark (bench-host.ts): a C guest under `abic run` against node:wasi.
// Then `abic gen` (bench-gen.ts): the real contract and synthetic 1k/10k-function contracts,
// cold (no cache), cached (empty output folder, caches kept), no-op and after one edit, with CPU
// time and peak memory, against `node -e 0`.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  createImports,
  type HostProcess,
  type WasiSnapshotPreview1,
} from "../generated/ts/index.ts";
import { abicProcess, benchGen, syntheticContract } from "./bench-gen.ts";
import { benchHost } from "./bench-host.ts";
import { compileC } from "./toolchain.ts";

const OUT = "test/.build/bench/loop.wasm";
const N = 1_000_000;
const WARMUP = 3;
const RUNS = 15;

interface LoopExports {
  memory: WebAssembly.Memory;
  loop_fd_write(n: number): number;
  loop_getpid(n: number): number;
}

type Variant = "generated" | "hand-written" | "bare";
type Setup = (getMemory: () => WebAssembly.Memory) => WebAssembly.Imports;

/**
 * false: fd_write behaves like a write to /dev/null (sums the iovec lengths), so the figures are
 * the glue's own cost. true: it also takes each iovec's bytes as a checked zero-copy view, as a
 * real write must; that adds one typed-array allocation per iovec to both glues.
 */
let takeBytes = false;

/** The data the implementations touch: both glues hand the 16 bytes over as a checked view. */
let sink = 0;

function generated(getMemory: () => WebAssembly.Memory): WebAssembly.Imports {
  const wasi: Partial<WasiSnapshotPreview1> = {
    fdWrite(_fd, iovs, ctx) {
      let n = 0;
      for (let i = 0; i < iovs.length; i++) {
        if (takeBytes) {
          const bytes = ctx.memory.bytes(iovs.bufAt(i), iovs.bufLenAt(i));
          sink ^= bytes[0];
          n += bytes.length;
        } else {
          n += iovs.bufLenAt(i);
        }
      }
      return n;
    },
  };
  const hostProcess: Partial<HostProcess> = { procGetpid: () => 42 };
  return createImports({ wasiSnapshotPreview1: wasi, hostProcess }, { getMemory, tier: "full" })
    .imports;
}

/** What a careful person writes by hand: cached views, the same range and alignment checks. */
function handWritten(getMemory: () => WebAssembly.Memory): WebAssembly.Imports {
  let u8 = new Uint8Array(0);
  let dv = new DataView(u8.buffer);
  const refresh = (): void => {
    const buffer = getMemory().buffer;
    u8 = new Uint8Array(buffer);
    dv = new DataView(buffer);
  };
  const fits = (ptr: number, len: number, align: number): boolean => {
    if ((ptr & (align - 1)) !== 0) return false;
    if (ptr + len <= u8.length) return true;
    refresh();
    return ptr + len <= u8.length;
  };
  return {
    wasi_snapshot_preview1: {
      fd_write(_fd: number, iovs: number, iovsLen: number, out: number): number {
        const p = iovs >>> 0;
        const n = iovsLen >>> 0;
        const o = out >>> 0;
        if (!fits(p, n * 8, 4) || !fits(o, 4, 4)) return 21;
        let total = 0;
        for (let i = 0; i < n; i++) {
          const buf = dv.getUint32(p + i * 8, true);
          const len = dv.getUint32(p + i * 8 + 4, true);
          if (!fits(buf, len, 1)) return 21;
          if (takeBytes) {
            const bytes = u8.subarray(buf, buf + len);
            sink ^= bytes[0];
            total += bytes.length;
          } else {
            total += len;
          }
        }
        dv.setUint32(o, total, true);
        return 0;
      },
    },
    host_process: {
      proc_getpid(out: number): number {
        const o = out >>> 0;
        if (!fits(o, 4, 4)) return 21;
        dv.setInt32(o, 42, true);
        return 0;
      },
    },
  };
}

function bare(): WebAssembly.Imports {
  return { wasi_snapshot_preview1: { fd_write: () => 0 }, host_process: { proc_getpid: () => 0 } };
}

const SETUPS: Record<Variant, Setup> = { generated, "hand-written": handWritten, bare };

function instantiate(wasm: WebAssembly.Module, setup: Setup): LoopExports {
  let instance: WebAssembly.Instance | undefined;
  const getMemory = (): WebAssembly.Memory => (instance!.exports as unknown as LoopExports).memory;
  instance = new WebAssembly.Instance(wasm, setup(getMemory));
  return instance.exports as unknown as LoopExports;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main(): void {
  compileC({
    sources: ["scripts/bench/loop.c"],
    out: OUT,
    includeDirs: ["generated/c"],
    extraArgs: ["-O2", "-nostartfiles", "-Wl,--no-entry"],
  });
  const wasm = new WebAssembly.Module(readFileSync(OUT));
  const results: Record<string, Record<Variant, number>> = {};
  // Variants are interleaved run by run, so load from other processes hits them alike.
  const variants = Object.keys(SETUPS) as Variant[];
  const guests = variants.map((variant) => {
    const guest = instantiate(wasm, SETUPS[variant]);
    if (variant !== "bare" && guest.loop_getpid(1) !== 42)
      throw new Error(`${variant}: proc_getpid glue is wrong`);
    if (variant !== "bare" && guest.loop_fd_write(1) !== 16)
      throw new Error(`${variant}: fd_write glue is wrong`);
    return guest;
  });
  for (const [fn, bytes, loop] of [
    ["fd_write", false, (g: LoopExports, n: number) => g.loop_fd_write(n)],
    ["proc_getpid", false, (g: LoopExports, n: number) => g.loop_getpid(n)],
    ["fd_write+bytes", true, (g: LoopExports, n: number) => g.loop_fd_write(n)],
  ] as const) {
    takeBytes = bytes;
    const samples = variants.map((): number[] => []);
    results[fn] = { generated: 0, "hand-written": 0, bare: 0 };
    for (let run = 0; run < WARMUP + RUNS; run++) {
      guests.forEach((g, i) => {
        const start = process.hrtime.bigint();
        loop(g, N);
        const ns = Number(process.hrtime.bigint() - start) / N;
        if (run >= WARMUP) samples[i].push(ns);
      });
    }
    variants.forEach((v, i) => (results[fn][v] = median(samples[i])));
  }
  console.log(`ns per call (median of ${RUNS} runs of ${N} calls, after ${WARMUP} warm-up runs)\n`);
  console.log(
    "function         generated  hand-written    bare   gen/hand (<=1.15)   gen/bare (<=4)",
  );
  for (const [fn, r] of Object.entries(results)) {
    const vsHand = r.generated / r["hand-written"];
    const vsBare = r.generated / r.bare;
    console.log(
      `${fn.padEnd(15)} ${r.generated.toFixed(1).padStart(10)} ${r["hand-written"].toFixed(1).padStart(13)} ${r.bare
        .toFixed(1)
        .padStart(
          7,
        )}   ${vsHand.toFixed(2).padStart(8)}x ${vsHand <= 1.15 ? "ok  " : "MISS"}   ${vsBare.toFixed(2).padStart(8)}x ${vsBare <= 4 ? "ok" : "MISS"}`,
    );
  }
  console.log(
    "\nfd_write+bytes: the implementation also takes a checked Uint8Array of the 16 bytes (both glues).",
  );
  if (sink === -1) console.log(sink);
}

const STARTUP_RUNS = 21;

/** Where bin/abic.js keeps the CLI bundle's code cache in this checkout, one file per command. */
const CODE_CACHE = path.resolve("node_modules/.cache/abic");

/** Wall time of whole processes, interleaved run by run, as `npm run bench` measures start-up. */
function startup(): void {
  const commands: { name: string; args: string[]; before?: () => void }[] = [
    { name: "node -e 0", args: ["-e", "0"] },
    { name: "abic --version", args: ["bin/abic.js", "--version"] },
    { name: "abic check --no-cache", args: ["bin/abic.js", "check", "--no-cache", "abi.idl"] },
    // The warm-up runs leave the check cache current, so every measured run is a hit.
    { name: "abic check", args: ["bin/abic.js", "check", "abi.idl"] },
    // A first run: the command's code cache is removed (and so written again) every time.
    { name: "abic check --no-cache, no code cache", args: ["bin/abic.js", "check", "--no-cache", "abi.idl"], before: () => rmSync(path.join(CODE_CACHE, "code-check.bin"), { force: true }) },
  ];
  const samples = commands.map((): number[] => []);
  for (let run = 0; run < WARMUP + STARTUP_RUNS; run++) {
    commands.forEach(({ name, args, before }, i) => {
      before?.();
      const start = process.hrtime.bigint();
      const r = spawnSync(process.execPath, args, { stdio: "pipe" });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
      if (run >= WARMUP) samples[i]!.push(ms);
    });
  }
  // Leave check's code cache in place for the runs below.
  spawnSync(process.execPath, ["bin/abic.js", "check", "--no-cache", "abi.idl"], { stdio: "pipe" });
  const [node, version, cold, warm, first] = samples.map(median) as [number, number, number, number, number];
  console.log(`\nstart-up, ms of wall time (median of ${STARTUP_RUNS} runs, after ${WARMUP} warm-up runs)\n`);
  console.log("command              ms   x node -e 0   target");
  console.log(`node -e 0      ${node.toFixed(0).padStart(8)}          1.00`);
  const row = (name: string, ms: number, target: string, ok: boolean): void =>
    console.log(`${name.padEnd(14)} ${ms.toFixed(0).padStart(8)}   ${(ms / node).toFixed(2).padStart(11)}   ${target} ${ok ? "ok" : "MISS"}`);
  row("--version", version, "<= 2x node", version / node <= 2);
  row("check (cold)", cold, "<= 250 ms ", cold <= 250);
  row("check (warm)", warm, "<= 250 ms ", warm <= 250);
  console.log(`${"check (first)".padEnd(14)} ${first.toFixed(0).padStart(8)}   ${(first / node).toFixed(2).padStart(11)}`);
  console.log("cold: --no-cache (lex, parse, check); warm: the same check answered by the check cache;");
  console.log("first: cold, and without the code cache bin/abic.js keeps per command (a command's first run after a build or install)");
}

/** One `abic check` process in `cwd`: wall time and peak RSS (MB). */
function checkProcess(cwd: string, args: string[]): { ms: number; rssMb: number } {
  return abicProcess(cwd, ["check", ...args, "abi.idl"]);
}

/** `abic check` on the synthetic 1k and 10k-function contracts: cold and warm, wall time and peak RSS. */
function frontEndScale(): void {
  const root = mkdtempSync(path.join(tmpdir(), "abic-bench-check-"));
  try {
    const nodeRuns: number[] = [];
    const rows: { name: string; cold: { ms: number; rssMb: number }; warm: { ms: number; rssMb: number } }[] = [];
    for (const [name, modules, runs] of [
      ["1k functions", 10, 5],
      ["10k functions", 100, 3],
    ] as const) {
      const dir = path.join(root, String(modules));
      mkdirSync(path.join(dir, "node_modules"), { recursive: true });
      writeFileSync(path.join(dir, "abi.idl"), syntheticContract(modules, 100));
      const cold: { ms: number; rssMb: number }[] = [];
      const warm: { ms: number; rssMb: number }[] = [];
      for (let i = 0; i < runs; i++) {
        const start = process.hrtime.bigint();
        spawnSync(process.execPath, ["-e", "0"]);
        nodeRuns.push(Number(process.hrtime.bigint() - start) / 1e6);
        cold.push(checkProcess(dir, ["--no-cache"]));
        if (i === 0) checkProcess(dir, []); // fills the cache
        warm.push(checkProcess(dir, []));
      }
      const pick = (xs: { ms: number; rssMb: number }[]) => ({ ms: median(xs.map((x) => x.ms)), rssMb: Math.max(...xs.map((x) => x.rssMb)) });
      rows.push({ name, cold: pick(cold), warm: pick(warm) });
    }
    const node = median(nodeRuns);
    console.log(`\nabic check at scale: ms of wall time (median) and peak RSS (MB); node -e 0 takes ${node.toFixed(0)} ms in this run\n`);
    console.log("contract         cold ms  x node    MB   warm ms  x node    MB");
    for (const r of rows)
      console.log(
        `${r.name.padEnd(14)} ${r.cold.ms.toFixed(0).padStart(9)} ${(r.cold.ms / node).toFixed(1).padStart(7)} ${r.cold.rssMb.toFixed(0).padStart(5)} ${r.warm.ms.toFixed(0).padStart(9)} ${(r.warm.ms / node).toFixed(1).padStart(7)} ${r.warm.rssMb.toFixed(0).padStart(5)}`,
      );
    const [k1, k10] = rows as [(typeof rows)[0], (typeof rows)[0]];
    const ratio = (k10.cold.ms - node) / (k1.cold.ms - node);
    console.log(`\n10k cold <= 1000 ms: ${k10.cold.ms.toFixed(0)} ms ${k10.cold.ms <= 1000 ? "ok" : "MISS"}; 1k -> 10k cold (time beyond node -e 0) <= 10x: ${ratio.toFixed(1)}x ${ratio <= 10 ? "ok" : "MISS"}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main();
startup();
frontEndScale();
benchHost();
benchGen();
