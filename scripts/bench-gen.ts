// The generation benchmark (part of `npm run bench`): wall time and peak memory of `abic gen` as
// whole processes, next to `node -e 0` measured in the same run. Three contracts: the real one
// (abi.idl) and two synthetic ones of 1,000 and 10,000 functions (10 and 100 modules of 100
// functions, each taking a `list<u8>` and a struct pointer), each generated into an empty folder
// (fresh: everything is rendered and formatted, no cache), again with nothing changed (no-op:
// the generation cache answers) and after a doc edit of one function (one edit: everything is
// rendered, only the changed files are formatted). Targets (issue 10): the real contract's gen <= 1.0 s; the 10k contract
// <= 5 s and <= 500 MB; 1k -> 10k no worse than linear (<= 10x).
//
// ABIC_BENCH_GEN=real,1k picks contracts (default: all three).
//
// The projects live in the system's temporary folder, so this repository's abic.config.json does
// not apply to them; peak RSS comes from the process itself (scripts/bench/maxrss.cjs).

import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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

interface Sample {
  ms: number;
  rssMb: number;
}

/** One `abic gen` process in `cwd`: its wall time and peak RSS. */
function gen(cwd: string, args: string[]): Sample {
  const rssFile = path.join(cwd, ".maxrss");
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--require", MAXRSS, BIN, "gen", ...args], {
    cwd,
    stdio: "pipe",
    encoding: "utf8",
    env: { ...process.env, ABIC_BENCH_MAXRSS: rssFile },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`abic gen ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  const rssMb = Number(readFileSync(rssFile, "utf8")) / 1024;
  return { ms, rssMb };
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

interface Row {
  name: string;
  fresh: Sample;
  noop: Sample;
  edit: Sample;
}

/** Fresh, no-op and one-edit generations of the contract in `dir` (median of `runs` each). */
function measure(name: string, dir: string, edit: (text: string) => string, runs: number): Row {
  // As in a project that installed abic: gen keeps its generation cache in node_modules/.cache.
  mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  const idl = path.join(dir, "abi.idl");
  const original = readFileSync(idl, "utf8");
  const fresh: Sample[] = [];
  const noop: Sample[] = [];
  const edited: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    rmSync(path.join(dir, "generated"), { recursive: true, force: true });
    rmSync(path.join(dir, "node_modules", ".cache"), { recursive: true, force: true });
    writeFileSync(idl, original);
    fresh.push(gen(dir, []));
    noop.push(gen(dir, []));
    writeFileSync(idl, edit(original));
    edited.push(gen(dir, []));
  }
  const pick = (xs: Sample[]): Sample => ({ ms: median(xs.map((x) => x.ms)), rssMb: Math.max(...xs.map((x) => x.rssMb)) });
  return { name, fresh: pick(fresh), noop: pick(noop), edit: pick(edited) };
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

    console.log(`\nabic gen: ms of wall time and peak RSS (MB); node -e 0 takes ${node.toFixed(0)} ms in this run\n`);
    console.log("contract         fresh ms  x node   MB   no-op ms  x node   MB   one edit ms  x node   MB");
    for (const r of rows) {
      const cell = (s: Sample, w: number): string => `${s.ms.toFixed(0).padStart(w)} ${(s.ms / node).toFixed(1).padStart(7)} ${s.rssMb.toFixed(0).padStart(5)}`;
      console.log(`${r.name.padEnd(15)} ${cell(r.fresh, 9)} ${cell(r.noop, 10)} ${cell(r.edit, 13)}`);
    }
    const row = (name: string): Row | undefined => rows.find((r) => r.name === name);
    const [realRow, k1, k10] = [row("abi.idl"), row("1k functions"), row("10k functions")];
    const verdict = (ok: boolean): string => (ok ? "ok" : "MISS");
    console.log("");
    if (realRow)
      console.log(`abi.idl gen (no-op) <= 1000 ms: ${realRow.noop.ms.toFixed(0)} ms ${verdict(realRow.noop.ms <= 1000)}; fresh ${realRow.fresh.ms.toFixed(0)} ms ${verdict(realRow.fresh.ms <= 1000)}`);
    if (k10)
      for (const [what, s] of [["fresh", k10.fresh], ["no-op", k10.noop], ["one edit", k10.edit]] as const)
        console.log(`10k ${what.padEnd(8)} <= 5000 ms, <= 500 MB: ${s.ms.toFixed(0)} ms ${verdict(s.ms <= 5000)}, ${s.rssMb.toFixed(0)} MB ${verdict(s.rssMb <= 500)}`);
    if (k1 && k10) {
      const ratio = (k10.fresh.ms - node) / (k1.fresh.ms - node);
      console.log(`1k -> 10k fresh (time beyond node -e 0) <= 10x: ${ratio.toFixed(1)}x ${verdict(ratio <= 10)}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) benchGen();
