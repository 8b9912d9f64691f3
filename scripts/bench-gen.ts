// The generation benchmark (part of `npm run bench`): wall time and peak memory of `abic gen` as
// whole processes, next to `node -e 0` measured in the same run. Three contracts: the real one
// (abi.idl) and two synthetic ones of 1,000 and 10,000 functions (10 and 100 modules of 100
// functions, each taking a `list<u8>` and a struct pointer). Each is generated four ways:
// - cold: into an empty folder with no cache at all (no node_modules/.cache/abic): everything is
//   checked, rendered and laid out; what a first run or a CI job without caches pays;
// - cached: into an empty folder, with the cache the cold run left (a CI job that restores
//   node_modules but not the output folder);
// - no-op: again, nothing changed (the generation cache answers; nothing is rendered);
// - one edit: after a doc edit of one function (everything is rendered, only changed files are
//   written).
// Targets (issue 10): the real contract's gen <= 1.0 s cold; the 10k contract <= 5 s and
// <= 500 MB; 1k -> 10k no worse than linear (<= 10x). CPU time (user + system) is printed next to
// wall time: on a loaded machine it is the steadier figure.
//
// ABIC_BENCH_GEN=real,1k picks contracts (default: all three).
//
// The projects live in the system's temporary folder, so this repository's abic.config.json does
// not apply to them; peak RSS and CPU time come from the process itself (scripts/bench/maxrss.cjs).

import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import * as path from "node:path";

const MAXRSS = path.resolve("scripts/bench/maxrss.cjs");

/**
 * Which contracts to measure: ABIC_BENCH_GEN=real,1k,10k (the default: all three). The 10k
 * contract alone can take minutes while a target still formats it through prettier.
 */
const SIZES = (process.env.ABIC_BENCH_GEN ?? "real,1k,10k").split(",").map((s) => s.trim());
const BIN = path.resolve("bin/abic.js");

/** The synthetic contract: `modules` modules of `functions` functions each. */
export function syntheticContract(modules: number, functions: number): string {
  const out = [
    "/// A synthetic contract for the generation benchmark.",
    "package synth@1.0.0;",
    "",
    "/// Error codes (the members the TypeScript glue answers with).",
    "@since(1.0.0)",
    "enum errno: u16 {",
    "    /// No error.",
    "    success = 0,",
    "    /// Bad address.",
    "    fault = 21,",
    "    /// Illegal byte sequence.",
    "    ilseq = 25,",
    "    /// Invalid argument.",
    "    inval = 28,",
    "    /// I/O error.",
    "    io = 29,",
    "}",
    "",
    "/// A record the functions fill in.",
    "@since(1.0.0)",
    "struct rec {",
    "    /// A count.",
    "    count: u32,",
    "    /// A size.",
    "    size: u64,",
    "}",
    "",
  ];
  for (let m = 0; m < modules; m++) {
    const mod = `m${String(m).padStart(3, "0")}`;
    out.push(`/// Module ${m}.`, "@since(1.0.0)", `module ${mod} {`);
    for (let f = 0; f < functions; f++) {
      out.push(
        `    /// Function ${f} of module ${m}.`,
        "    @since(1.0.0)",
        `    fn ${mod}_f${String(f).padStart(3, "0")}(`,
        "        /// The bytes.",
        "        data: list<u8>,",
        "        /// Where the record goes.",
        "        out: ptr<rec>,",
        "    ) -> result<u32, errno>;",
        "",
      );
    }
    out.push("}", "");
  }
  return out.join("\n");
}

export interface Sample {
  ms: number;
  cpuMs: number;
  rssMb: number;
}

/** One abic process (`args` from the command on) in `cwd`: its wall time, CPU time and peak RSS. */
export function abicProcess(cwd: string, args: string[]): Sample {
  const rssFile = path.join(cwd, ".maxrss");
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--require", MAXRSS, BIN, ...args], {
    cwd,
    stdio: "pipe",
    encoding: "utf8",
    env: { ...process.env, ABIC_BENCH_MAXRSS: rssFile },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`abic ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { ms, cpuMs: Number(readFileSync(`${rssFile}.cpu`, "utf8")), rssMb: Number(readFileSync(rssFile, "utf8")) / 1024 };
}

/** One `abic gen` process in `cwd`. */
function gen(cwd: string, args: string[]): Sample {
  return abicProcess(cwd, ["gen", ...args]);
}

function nodeBaseline(runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    spawnSync(process.execPath, ["-e", "0"]);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const KINDS = ["cold", "cached", "no-op", "one edit"] as const;
type Kind = (typeof KINDS)[number];

interface Row {
  name: string;
  samples: Record<Kind, Sample>;
}

/** Cold, cached, no-op and one-edit generations of the contract in `dir` (median of `runs` each). */
function measure(name: string, dir: string, edit: (text: string) => string, runs: number): Row {
  // As in a project that installed abic: gen keeps its caches in node_modules/.cache.
  mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  const idl = path.join(dir, "abi.idl");
  const original = readFileSync(idl, "utf8");
  const taken: Record<Kind, Sample[]> = { cold: [], cached: [], "no-op": [], "one edit": [] };
  for (let i = 0; i < runs; i++) {
    rmSync(path.join(dir, "generated"), { recursive: true, force: true });
    rmSync(path.join(dir, "node_modules", ".cache"), { recursive: true, force: true });
    writeFileSync(idl, original);
    taken.cold.push(gen(dir, []));
    rmSync(path.join(dir, "generated"), { recursive: true, force: true });
    taken.cached.push(gen(dir, []));
    taken["no-op"].push(gen(dir, []));
    writeFileSync(idl, edit(original));
    taken["one edit"].push(gen(dir, []));
  }
  const pick = (xs: Sample[]): Sample => ({ ms: median(xs.map((x) => x.ms)), cpuMs: median(xs.map((x) => x.cpuMs)), rssMb: Math.max(...xs.map((x) => x.rssMb)) });
  return { name, samples: { cold: pick(taken.cold), cached: pick(taken.cached), "no-op": pick(taken["no-op"]), "one edit": pick(taken["one edit"]) } };
}

export function benchGen(): void {
  const root = mkdtempSync(path.join(tmpdir(), "abic-bench-gen-"));
  try {
    const node = nodeBaseline(7);
    const rows: Row[] = [];
    // The real contract, with its includes.
    if (SIZES.includes("real")) {
      const real = path.join(root, "real");
      mkdirSync(real);
      cpSync("abi.idl", path.join(real, "abi.idl"));
      cpSync("abi", path.join(real, "abi"), { recursive: true });
      rows.push(measure("abi.idl", real, (t) => t.replace("/// ", "/// Edited. "), 5));
    }
    for (const [name, modules, runs] of [
      ["1k functions", 10, 3],
      ["10k functions", 100, 1],
    ] as const) {
      if (!SIZES.includes(name.split(" ")[0]!)) continue;
      const dir = path.join(root, name.split(" ")[0]!);
      mkdirSync(dir);
      writeFileSync(path.join(dir, "abi.idl"), syntheticContract(modules, 100));
      rows.push(measure(name, dir, (t) => t.replace("/// Function 7 of module 3.", "/// Function 7 of module 3, edited."), runs));
    }

    console.log(`\nabic gen: wall ms, CPU ms (user + system) and peak RSS (MB); node -e 0 takes ${node.toFixed(0)} ms in this run; load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}\n`);
    console.log(`${"contract".padEnd(15)}${KINDS.map((k) => `${k.padStart(10)} wall  x node    CPU    MB`).join(" |")}`);
    for (const r of rows) {
      const cell = (s: Sample): string => `${s.ms.toFixed(0).padStart(15)} ${(s.ms / node).toFixed(1).padStart(7)} ${s.cpuMs.toFixed(0).padStart(6)} ${s.rssMb.toFixed(0).padStart(5)}`;
      console.log(`${r.name.padEnd(15)}${KINDS.map((k) => cell(r.samples[k])).join(" |")}`);
    }
    const row = (name: string): Row | undefined => rows.find((r) => r.name === name);
    const [realRow, k1, k10] = [row("abi.idl"), row("1k functions"), row("10k functions")];
    const verdict = (ok: boolean): string => (ok ? "ok" : "MISS");
    console.log("");
    if (realRow)
      console.log(
        `abi.idl gen <= 1000 ms: ${KINDS.map((k) => `${k} ${realRow.samples[k].ms.toFixed(0)} ms ${verdict(realRow.samples[k].ms <= 1000)}`).join("; ")}`,
      );
    if (k10)
      for (const k of KINDS) {
        const s = k10.samples[k];
        console.log(`10k ${k.padEnd(8)} <= 5000 ms, <= 500 MB: ${s.ms.toFixed(0)} ms ${verdict(s.ms <= 5000)}, ${s.rssMb.toFixed(0)} MB ${verdict(s.rssMb <= 500)}`);
      }
    if (k1 && k10) {
      const ratio = (k10.samples.cold.ms - node) / (k1.samples.cold.ms - node);
      const cpuRatio = k10.samples.cold.cpuMs / k1.samples.cold.cpuMs;
      console.log(`1k -> 10k cold (wall beyond node -e 0) <= 10x: ${ratio.toFixed(1)}x ${verdict(ratio <= 10)}; CPU ${cpuRatio.toFixed(1)}x`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) benchGen();
