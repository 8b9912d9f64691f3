// The long robustness campaign (`npm run fuzz -- --cases N --seed S`): the properties of
// test/robustness.test.ts run for as long as asked. Contracts, half generated to be hostile
// (test/support/contract-arbitrary.ts) and half mutations of the real contract, are checked and
// the accepted ones generated (no throw, no hang), diffed against the real contract and against a
// mutation of themselves, and compiled in batches (C11 strict, C++17 strict, the layout program,
// strict TypeScript, optionally Rust). Damaged JSON manifests go through `abic diff`'s reader and
// the diff; damaged real guest modules through `abic verify`.
//
// The work is cut into units drawn from the seed alone (a batch of contracts, a chunk of
// manifests or modules; scripts/fuzz-work.ts) and run by `--jobs` worker threads, so the counts
// and reproducers are the same for a seed whatever the job count. Each step a worker runs is
// watched from here: one that outlives its limit (`--hang-ms` for a check, a diff, a manifest or
// a verify; six times that for a generation, more for a batch compile) is killed and its unit run
// again in a fresh worker with four times the limit for that step; killed again, it is counted
// as a hang and written as a reproducer, and the unit goes on without it.
//
// Every outcome is counted, printed at the end and written to <out>/summary.json; every failure
// is written as a reproducer folder under <out>/failures (the first contract of each kind of
// crash or compile failure in a batch shrunk first: items, members, then lines deleted while it
// still fails the same way). Exit status 1 when anything
// crashed, hung or failed to compile.
//
// Options (defaults): --cases 1000, --seed <time>, --manifests cases/10, --modules cases/10,
// --jobs <cores>, --batch 300 (contracts per unit and compile batch: one strict TypeScript
// program checks a batch, and a bigger program costs less per file), --rust 0 (crates built per
// batch), --chunk 1000 (manifests or modules per unit), --no-compile, --hang-ms 10000,
// --shrink-tries 250 (candidates per shrink), --gen-mutated (accepted mutations of the real
// contract generated per batch; one per 100 contracts of a batch), --strict-cxx (C++ without
// the one known exemption, see test/support/robustness.ts), --out test/.build/fuzz,
// --max-minutes (none: no unit starts after it, the summary counts what ran), --help (this
// text). For measuring and testing only:
// --measure-without-prettier (formatting replaced by the identity, to see the rest's cost),
// --plant hang-verify|fail-c (a verify that never returns; a C failure in every contract with a
// struct), to prove the watchdog and the shrinker.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { Worker as Thread } from "node:worker_threads";
import { compileFile } from "../compiler/index.ts";
import { inlineUses } from "../test/support/contract-arbitrary.ts";
import { PATIENCE, unitKey, type Begin, type Reproducer, type Setup, type Unit, type UnitResult } from "./fuzz-work.ts";
import { compileC } from "./toolchain.ts";

// A bad option is a usage error (status 2, one line), not a stack trace.
function parseOptions() {
  try {
    return parseArgs({
      options: {
        cases: { type: "string", default: "1000" },
        seed: { type: "string" },
        manifests: { type: "string" },
        modules: { type: "string" },
        jobs: { type: "string" },
        batch: { type: "string", default: "300" },
        chunk: { type: "string", default: "1000" },
        rust: { type: "string", default: "0" },
        "no-compile": { type: "boolean", default: false },
        "hang-ms": { type: "string", default: "10000" },
        "shrink-tries": { type: "string", default: "250" },
        "gen-mutated": { type: "string" },
        "strict-cxx": { type: "boolean", default: false },
        "measure-without-prettier": { type: "boolean", default: false },
        plant: { type: "string", multiple: true, default: [] },
        out: { type: "string", default: path.join("test", ".build", "fuzz") },
        "max-minutes": { type: "string" },
        help: { type: "boolean", default: false },
      },
    }).values;
  } catch (e) {
    process.stderr.write(`fuzz: ${e instanceof Error ? e.message : String(e)}\n(npm run fuzz -- --help lists the options)\n`);
    process.exit(2);
  }
}
const args = parseOptions();
if (args.help) {
  // The options are documented once, in the comment at the top of this file.
  const text = readFileSync(new URL(import.meta.url), "utf8");
  const options = text.slice(text.indexOf("// Options"), text.indexOf("\n\nimport"));
  process.stdout.write("usage: npm run fuzz -- [options]\n\n" + options.replace(/^\/\/ ?/gm, "") + "\n");
  process.exit(0);
}

function count(name: string, value: string | undefined, fallback: number): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`fuzz: --${name} must be a whole number, not \`${value}\`\n`);
    process.exit(2);
  }
  return n;
}

const PLANTS = ["hang-verify", "fail-c"];
for (const p of args.plant!)
  if (!PLANTS.includes(p)) {
    process.stderr.write(`fuzz: --plant takes ${PLANTS.join(" or ")}, not \`${p}\`\n`);
    process.exit(2);
  }

const cases = count("cases", args.cases, 1000);
const seed = count("seed", args.seed, Date.now() % 2 ** 31);
const manifests = count("manifests", args.manifests, Math.ceil(cases / 10));
const modules = count("modules", args.modules, Math.ceil(cases / 10));
const jobs = Math.max(1, count("jobs", args.jobs, availableParallelism()));
const batchSize = Math.max(1, count("batch", args.batch, 300));
// A time budget: no unit starts after it (those started finish), and the summary says so.
const maxMinutes = args["max-minutes"] === undefined ? null : count("max-minutes", args["max-minutes"], 0);
const CHUNK = Math.max(1, count("chunk", args.chunk, 1000));
const OUT = args.out!;
const FAILURES = path.join(OUT, "failures");
rmSync(FAILURES, { recursive: true, force: true });
mkdirSync(FAILURES, { recursive: true });

const REAL = "abi.idl";
const realModel = compileFile(REAL).model;
if (!realModel) throw new Error(`${REAL} does not check`);

/** The real guest modules `verify` gets damaged copies of. */
function guestModules(): Uint8Array[] {
  if (modules === 0) return [];
  const dir = path.join(OUT, "guests");
  mkdirSync(dir, { recursive: true });
  const guests: { name: string; extraArgs?: string[] }[] = [
    { name: "hello" },
    { name: "minimal", extraArgs: ["-nostartfiles"] },
    { name: "gates", extraArgs: ["-nostartfiles"] },
    { name: "bad_trampoline", extraArgs: ["-nostartfiles"] },
  ];
  return guests.map((g) => {
    const out = path.join(dir, `${g.name}.wasm`);
    compileC({ sources: [`test/guests/verify/${g.name}.c`], out, extraArgs: g.extraArgs ?? [] });
    return new Uint8Array(readFileSync(out));
  });
}

const setup: Omit<Setup, "scratch"> = {
  seed,
  cases,
  batchSize,
  manifests,
  modules,
  chunk: CHUNK,
  compile: !args["no-compile"],
  rust: count("rust", args.rust, 0),
  strictCxx: args["strict-cxx"]!,
  genMutated: count("gen-mutated", args["gen-mutated"], Math.ceil(batchSize / 100)),
  hangMs: count("hang-ms", args["hang-ms"], 10_000),
  shrinkTries: count("shrink-tries", args["shrink-tries"], 250),
  plant: args.plant!,
  // The real contract as one text, so mutations reach every file of it.
  realText: inlineUses(REAL, (f) => readFileSync(f, "utf8")),
  realFile: "abi-inlined.idl",
  guests: guestModules(),
  features: [...new Set(realModel.modules.flatMap((m) => [m.unstable, ...m.functions.map((f) => f.unstable)]).filter((f): f is string => f !== null))],
};

// ---- the units, the pool and its watchdog

// The three kinds of unit spread evenly through the queue, so a campaign stopped by
// --max-minutes has run some of each.
const queue: Unit[] = (
  [
    ["contracts", Math.ceil(cases / batchSize)],
    ["manifests", Math.ceil(manifests / CHUNK)],
    ["modules", Math.ceil(modules / CHUNK)],
  ] as const
)
  .flatMap(([kind, n]) => Array.from({ length: n }, (_, index) => ({ unit: { kind, index, skip: [], patient: [] } as Unit, at: (index + 0.5) / n })))
  .sort((a, b) => a.at - b.at)
  .map((u) => u.unit);
const unitSize = (u: Unit): number =>
  u.kind === "contracts" ? Math.min(batchSize, cases - u.index * batchSize) : Math.min(CHUNK, (u.kind === "manifests" ? manifests : modules) - u.index * CHUNK);

const counts = new Map<string, number>();
const bump = (k: string, n = 1): void => void counts.set(k, (counts.get(k) ?? 0) + n);
const reproducers: string[] = [];
const done = { contracts: 0, manifests: 0, modules: 0 };
const finished: Record<Unit["kind"], number> = { contracts: 0, manifests: 0, modules: 0 };
const phaseMs = new Map<string, number>();
let stoppedEarly = false;
const slowRetries: string[] = [];
let maxCheckMs = 0;
let maxGenMs = 0;
const started = Date.now();

/** Writes one failure's reproducer files into its own folder. */
function writeReproducer(r: Reproducer): void {
  const dir = path.join(FAILURES, `${r.kind.replace(/:/g, "-")}-${r.id}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(r.files)) writeFileSync(path.join(dir, name), content);
  reproducers.push(path.relative(OUT, dir));
}

function seconds(since: number): number {
  return Math.round((Date.now() - since) / 100) / 10;
}

let lastProgress = 0;
function progress(): void {
  const now = Date.now();
  const line = `contracts ${done.contracts}/${cases}, manifests ${done.manifests}/${manifests}, modules ${done.modules}/${modules} (${seconds(started)} s)`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}   `);
  else if (now - lastProgress > 30_000) {
    lastProgress = now;
    process.stderr.write(`${line}\n`);
  }
}

function absorb(unit: Unit, r: UnitResult): void {
  for (const [k, v] of r.counts) bump(k, v);
  for (const [k, v] of r.phaseMs ?? []) phaseMs.set(k, (phaseMs.get(k) ?? 0) + v);
  for (const rep of r.reproducers) writeReproducer(rep);
  maxCheckMs = Math.max(maxCheckMs, r.maxCheckMs);
  maxGenMs = Math.max(maxGenMs, r.maxGenMs);
  done[unit.kind] += unitSize(unit);
  // When the last contract is in (the campaign's contracts/s is measured up to it).
  if (done[unit.kind] === (unit.kind === "contracts" ? cases : unit.kind === "manifests" ? manifests : modules)) finished[unit.kind] = Date.now();
  progress();
}

/** A step killed by the watchdog, or one whose worker died: counted and written, then skipped. */
function lost(unit: Unit, begin: Begin, what: string, note: string): void {
  bump(`${what}:${begin.phase}`);
  writeReproducer({ kind: `${what}-${begin.phase}`, id: begin.id, files: { ...begin.input, "step.txt": `${begin.key} (${begin.phase})\n${note}\n` } });
  queue.unshift({ ...unit, skip: [...unit.skip, begin.key] });
}

function runSlot(slot: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const scratch = path.join(OUT, "work", `job${slot}`);
    const start = (): void => {
      const thread = new Thread(new URL("./fuzz-worker.mjs", import.meta.url), {
        workerData: { setup: { ...setup, scratch }, withoutPrettier: args["measure-without-prettier"] },
      });
      let unit: Unit | null = null;
      let begin: Begin | null = null;
      let timer: NodeJS.Timeout | null = null;
      let over = false;
      const next = (): void => {
        if (maxMinutes !== null && Date.now() - started > maxMinutes * 60_000 && queue.length > 0) {
          stoppedEarly = true;
          queue.length = 0;
        }
        unit = queue.shift() ?? null;
        begin = null;
        if (unit === null) {
          over = true;
          void thread.terminate().then(() => resolve());
        } else thread.postMessage(unit);
      };
      const replace = (): void => {
        over = true;
        if (timer) clearTimeout(timer);
        void thread.terminate().then(start, reject);
      };
      thread.on("message", (m: { type: string; begin?: Begin; result?: UnitResult; error?: string }) => {
        if (timer) clearTimeout(timer);
        if (m.type === "ready") return next();
        if (m.type === "begin") {
          begin = m.begin!;
          const b = begin;
          timer = setTimeout(() => {
            // Killed once: the unit runs again with more time for this step (wall time on a
            // shared machine is not the step's own); killed again, it is a hang.
            if ((unit!.patient ?? []).includes(b.key)) lost(unit!, b, "hang", `killed after ${b.limitMs / PATIENCE} ms, then again after ${b.limitMs} ms`);
            else {
              slowRetries.push(`${b.key} (${b.phase}, over ${b.limitMs} ms)`);
              queue.unshift({ ...unit!, patient: [...(unit!.patient ?? []), b.key] });
            }
            replace();
          }, b.limitMs);
          return;
        }
        if (m.type === "error") return reject(new Error(`fuzz: the campaign itself failed on ${unitKey(unit!)}:\n${m.error}`));
        absorb(unit!, m.result!);
        next();
      });
      thread.on("error", (e) => {
        if (over) return;
        // The worker died (out of memory, a stack overflow outside any try): the step it ran
        // is a crash like any other; without one, the campaign itself is broken.
        if (unit !== null && begin !== null) {
          lost(unit, begin, "crash", e.stack ?? String(e));
          replace();
        } else reject(e);
      });
      thread.on("exit", (code) => {
        if (!over && code !== 0 && !(unit !== null && begin !== null)) reject(new Error(`fuzz: worker exited with ${code}`));
      });
    };
    start();
  });
}

await Promise.all(Array.from({ length: Math.min(jobs, Math.max(1, queue.length)) }, (_, slot) => runSlot(slot)));
if (process.stderr.isTTY) process.stderr.write("\n");

// ---- the outcome

const total = seconds(started);
const contractSeconds = done.contracts > 0 ? ((finished.contracts || Date.now()) - started) / 1000 : 0;
const failures = [...counts].filter(([k]) => /^(crash|hang|fail):/.test(k)).reduce((n, [, v]) => n + v, 0);
const summary = {
  seed,
  cases,
  manifests,
  modules,
  /** What ran: all of the above unless --max-minutes stopped the campaign early. */
  done,
  stoppedEarly,
  jobs,
  batch: batchSize,
  compile: setup.compile,
  strictCxx: setup.strictCxx,
  withoutPrettier: args["measure-without-prettier"],
  plant: setup.plant,
  seconds: total,
  contractsPerSecond: contractSeconds > 0 ? Math.round((done.contracts / contractSeconds) * 100) / 100 : null,
  slowestCheckMs: Math.round(maxCheckMs),
  slowestGenMs: Math.round(maxGenMs),
  /** Seconds spent in each phase, summed over the workers (a compile's include clang's). */
  phaseSeconds: Object.fromEntries([...phaseMs].filter(([k]) => !k.includes("/")).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, Math.round(v / 100) / 10])),
  /** The same split further: check and gen by kind of contract (`gen/mutated`), compile by step (`compile/c++`, `compile/ts`). */
  phaseDetailSeconds: Object.fromEntries([...phaseMs].filter(([k]) => k.includes("/")).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, Math.round(v / 100) / 10])),
  /** CPU seconds of this process, all threads (clang, rustc not included). */
  cpuSeconds: ((u) => Math.round((u.user + u.system) / 1e5) / 10)(process.cpuUsage()),
  /** Steps killed once and run again with more time (not failures; they depend on the load). */
  slowRetries,
  counts: Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b))),
  failures,
  reproducers: reproducers.sort(),
};
mkdirSync(OUT, { recursive: true });
writeFileSync(path.join(OUT, "summary.json"), JSON.stringify(summary, null, 2) + "\n");

const lines = [
  ...(stoppedEarly ? [`fuzz: stopped after ${maxMinutes} minutes: ${done.contracts} of ${cases} contracts, ${done.manifests} of ${manifests} manifests, ${done.modules} of ${modules} modules ran`] : []),
  `fuzz: seed ${seed}, ${done.contracts} contracts, ${done.manifests} manifests, ${done.modules} modules, ${jobs} jobs${setup.compile ? "" : " (no compile)"}${summary.withoutPrettier ? " (without prettier: measuring only)" : ""}; ${total} s` +
    (summary.contractsPerSecond !== null ? `, ${summary.contractsPerSecond} contracts/s` : ""),
  ...(slowRetries.length > 0 ? [`  ${slowRetries.length} steps ran over their limit once and were run again with ${PATIENCE}x the time: ${slowRetries.slice(0, 5).join(", ")}`] : []),
  `  slowest check ${summary.slowestCheckMs} ms, slowest gen ${summary.slowestGenMs} ms`,
  `  seconds per phase (summed over jobs): ${Object.entries(summary.phaseSeconds).map(([k, v]) => `${k} ${v}`).join(", ")}; CPU ${summary.cpuSeconds} s (clang's not included)`,
  `  in detail: ${Object.entries(summary.phaseDetailSeconds).map(([k, v]) => `${k} ${v}`).join(", ")}`,
  ...Object.entries(summary.counts).map(([k, v]) => `  ${k.padEnd(28)} ${v}`),
  failures === 0 ? "fuzz: no crash, hang or compile failure" : `fuzz: ${failures} failures, ${reproducers.length} reproducers written to ${FAILURES}`,
  `fuzz: summary in ${path.join(OUT, "summary.json")}`,
];
process.stdout.write(lines.join("\n") + "\n");
process.exitCode = failures === 0 ? 0 : 1;
