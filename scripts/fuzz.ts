// The long robustness campaign (`npm run fuzz -- --cases N --seed S`): the properties of
// test/robustness.test.ts run for as long as asked. Contracts, half generated to be hostile
// (test/support/contract-arbitrary.ts) and half mutations of the real contract, are checked and
// the accepted ones generated (no throw, no hang), diffed against the real contract and against a
// mutation of themselves, and compiled in batches (C11 strict, C++, the layout program, strict
// TypeScript, optionally Rust). Damaged JSON manifests go through `abic diff`'s reader and the
// diff; damaged real guest modules through `abic verify`. Every outcome is counted; every failure
// is written as a reproducer under the output folder (a crashing contract first shrunk line by
// line). Exit status 1 when anything crashed, hung or failed to compile.
//
// Options (defaults): --cases 1000, --seed <time>, --manifests cases/10, --modules cases/10,
// --batch 50 (contracts per compile batch), --rust 0 (crates built per batch), --no-compile,
// --hang-ms 10000 (a check slower than this is a hang), --gen-mutated 1 (accepted mutations of
// the real contract generated per batch), --out test/.build/fuzz.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import fc from "fast-check";
import { compileFile, compileText } from "../compiler/index.ts";
import { ManifestError, manifestJson, readManifest } from "../compiler/manifest.ts";
import type { ContractModel } from "../compiler/model.ts";
import { verifyModule } from "../compiler/verify.ts";
import { hostileContract, inlineUses, mutatedContract } from "../test/support/contract-arbitrary.ts";
import { damageJson, damageWasm, seeded } from "../test/support/damage.ts";
import { checkAndGenerate, compileBatch, diffBothWays, type BatchCase } from "../test/support/robustness.ts";
import { compileC } from "./toolchain.ts";

const { values: args } = parseArgs({
  options: {
    cases: { type: "string", default: "1000" },
    seed: { type: "string" },
    manifests: { type: "string" },
    modules: { type: "string" },
    batch: { type: "string", default: "50" },
    rust: { type: "string", default: "0" },
    "no-compile": { type: "boolean", default: false },
    "hang-ms": { type: "string", default: "10000" },
    "gen-mutated": { type: "string", default: "1" },
    out: { type: "string", default: path.join("test", ".build", "fuzz") },
  },
});

function count(name: string, value: string | undefined, fallback: number): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`fuzz: --${name} must be a whole number, not \`${value}\`\n`);
    process.exit(2);
  }
  return n;
}

const cases = count("cases", args.cases, 1000);
const seed = count("seed", args.seed, Date.now() % 2 ** 31);
const manifests = count("manifests", args.manifests, Math.ceil(cases / 10));
const modules = count("modules", args.modules, Math.ceil(cases / 10));
const batchSize = Math.max(1, count("batch", args.batch, 50));
const rustPerBatch = count("rust", args.rust, 0);
const hangMs = count("hang-ms", args["hang-ms"], 10_000);
const genMutated = count("gen-mutated", args["gen-mutated"], 1);
const compile = !args["no-compile"];
const OUT = args.out!;
const FAILURES = path.join(OUT, "failures");
rmSync(FAILURES, { recursive: true, force: true });
mkdirSync(FAILURES, { recursive: true });

const REAL = "abi.idl";
// The real contract as one text, so mutations reach every file of it.
const REAL_INLINED = "abi-inlined.idl";
const realText = inlineUses(REAL, (f) => readFileSync(f, "utf8"));
const realModel = compileFile(REAL).model;
if (!realModel) throw new Error(`${REAL} does not check`);

const counts = new Map<string, number>();
const bump = (k: string): void => void counts.set(k, (counts.get(k) ?? 0) + 1);
let failureCount = 0;
const started = Date.now();

/** Writes one failure's reproducer files into its own folder. */
function reproducer(kind: string, id: string, files: Record<string, string | Uint8Array>): void {
  failureCount++;
  const dir = path.join(FAILURES, `${kind.replace(/:/g, "-")}-${id}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
}

/**
 * The smallest text (by whole lines, greedy halving then single lines) that still gives the same
 * crash outcome; bounded, since every try runs check and gen.
 */
async function shrink(text: string, outcome: string): Promise<string> {
  let lines = text.split("\n");
  let tries = 0;
  const still = async (candidate: string[]): Promise<boolean> => {
    tries++;
    return (await checkAndGenerate(candidate.join("\n"), outcome === "crash:gen")).outcome === outcome;
  };
  for (let chunk = Math.floor(lines.length / 2); chunk >= 1 && tries < 300; chunk = Math.floor(chunk / 2)) {
    for (let at = 0; at < lines.length && tries < 300; ) {
      const candidate = [...lines.slice(0, at), ...lines.slice(at + chunk)];
      if (candidate.length > 0 && (await still(candidate))) lines = candidate;
      else at += chunk;
    }
  }
  return lines.join("\n");
}

function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function progress(what: string, done: number, total: number): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${what} ${done}/${total} (${elapsed(started)})   `);
}

// ---- contracts

const keptManifests: string[] = [manifestJson(realModel)];
let maxCheckMs = 0;
let maxGenMs = 0;

async function contractCampaign(): Promise<void> {
  const batches = Math.ceil(cases / batchSize);
  for (let b = 0; b < batches; b++) {
    const n = Math.min(batchSize, cases - b * batchSize);
    // Each batch has its own seed, so one case reproduces from (seed, batch, index).
    const generated = fc.sample(hostileContract, { numRuns: Math.ceil(n / 2), seed: seed + b });
    const mutated = fc.sample(mutatedContract(realText), { numRuns: Math.floor(n / 2), seed: seed + b });
    const ownMutations = fc.sample(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { numRuns: n, seed: seed + b });
    const texts = [...generated.map((t) => ({ t, from: "generated" })), ...mutated.map((t) => ({ t, from: "mutated" }))];
    const accepted: (BatchCase & { text: string })[] = [];
    let mutatedGenerated = 0;
    for (const [i, { t, from }] of texts.entries()) {
      const id = `s${seed}-b${b}-${from}-${i}`;
      // An accepted mutation of the real contract is the real contract nearly: generating it
      // costs seconds, so only the first `--gen-mutated` of a batch are.
      const generate = from === "generated" || mutatedGenerated < genMutated;
      const r = await checkAndGenerate(t, generate, from === "generated" ? "contract.idl" : REAL_INLINED);
      if (from === "mutated" && r.model) mutatedGenerated++;
      bump(`${from}:${r.outcome}`);
      maxGenMs = Math.max(maxGenMs, r.genMs);
      maxCheckMs = Math.max(maxCheckMs, r.checkMs);
      if (r.checkMs > hangMs) {
        bump("hang:check");
        reproducer("hang-check", id, { "contract.idl": t, "time.txt": `${Math.round(r.checkMs)} ms\n` });
      }
      if (r.outcome === "crash:check" || r.outcome === "crash:gen") {
        const small = await shrink(t, r.outcome);
        reproducer(r.outcome, id, { "contract.idl": small, "original.idl": t, "error.txt": r.error ?? "" });
        continue;
      }
      if (!r.model) continue;
      // Diffs: against the real contract, and against an accepted mutation of itself.
      const mutation = fc.sample(mutatedContract(t), { numRuns: 1, seed: ownMutations[i]! })[0]!;
      const other = compileText(mutation, "contract.idl").model;
      for (const [name, against, text] of [["real", realModel!, realText], ["mutation", other, mutation]] as const) {
        if (!against) continue;
        bump(`diff:${name}`);
        const err = diffBothWays(r.model, against);
        if (err) reproducer("crash:diff", `${id}-${name}`, { "old.idl": t, "new.idl": text, "error.txt": err });
      }
      if (keptManifests.length < 20) keptManifests.push(manifestJson(r.model));
      if (r.files.length > 0) accepted.push({ id, model: r.model, files: r.files, text: t });
    }
    if (compile && accepted.length > 0) {
      const failures = compileBatch(path.join(OUT, "batch"), accepted, { c: true, ts: true, rust: rustPerBatch });
      counts.set("compiled", (counts.get("compiled") ?? 0) + accepted.length);
      for (const f of failures) {
        bump(f.outcome);
        const text = accepted.find((a) => a.id === f.id)?.text ?? "";
        reproducer(f.outcome, f.id, { "contract.idl": text, "error.txt": f.detail });
      }
    }
    progress("contracts", Math.min(cases, (b + 1) * batchSize), cases);
  }
}

// ---- manifests for `abic diff`

function manifestCampaign(): void {
  const rand = seeded(seed ^ 0x5eed);
  const docs = keptManifests.map((m) => JSON.parse(m) as unknown);
  for (let i = 0; i < manifests; i++) {
    const base = docs[i % docs.length];
    const { doc, what } = damageJson(base, rand, 1 + Math.floor(rand() * 3));
    const text = JSON.stringify(doc, null, 2);
    let model: ContractModel;
    try {
      model = readManifest(text, "damaged.json");
    } catch (e) {
      if (e instanceof ManifestError) {
        bump(`manifest:${e.code}`);
        continue;
      }
      bump("crash:manifest");
      reproducer("crash:manifest", `s${seed}-${i}`, { "manifest.json": text, "damage.txt": what.join("\n"), "error.txt": String((e as Error).stack ?? e) });
      continue;
    }
    bump("manifest:accepted");
    const err = diffBothWays(model, realModel!);
    if (err) {
      bump("crash:diff");
      reproducer("crash:diff-manifest", `s${seed}-${i}`, { "manifest.json": text, "damage.txt": what.join("\n"), "error.txt": err });
    }
    if (i % 100 === 0) progress("manifests", i, manifests);
  }
}

// ---- modules for `abic verify`

const GUESTS: { name: string; extraArgs?: string[] }[] = [
  { name: "hello" },
  { name: "minimal", extraArgs: ["-nostartfiles"] },
  { name: "gates", extraArgs: ["-nostartfiles"] },
  { name: "bad_trampoline", extraArgs: ["-nostartfiles"] },
];

function moduleCampaign(): void {
  if (modules === 0) return;
  const dir = path.join(OUT, "guests");
  mkdirSync(dir, { recursive: true });
  const guests = GUESTS.map((g) => {
    const out = path.join(dir, `${g.name}.wasm`);
    compileC({ sources: [`test/guests/verify/${g.name}.c`], out, extraArgs: g.extraArgs ?? [] });
    return new Uint8Array(readFileSync(out));
  });
  const rand = seeded(seed ^ 0xface);
  const features = [...new Set(realModel!.modules.flatMap((m) => [m.unstable, ...m.functions.map((f) => f.unstable)]).filter((f): f is string => f !== null))];
  for (let i = 0; i < modules; i++) {
    const { bytes, what } = damageWasm(guests[i % guests.length]!, rand, 1 + Math.floor(rand() * 4));
    const t0 = Date.now();
    try {
      const report = verifyModule(bytes, realModel!, { tier: i % 2 ? "full" : "isolated", features: i % 3 ? [] : features });
      bump(report.ok ? "verify:ok" : "verify:refused");
    } catch (e) {
      bump("crash:verify");
      reproducer("crash:verify", `s${seed}-${i}`, { "module.wasm": bytes, "damage.txt": what.join("\n"), "error.txt": String((e as Error).stack ?? e) });
    }
    const ms = Date.now() - t0;
    if (ms > hangMs) {
      bump("hang:verify");
      reproducer("hang:verify", `s${seed}-${i}`, { "module.wasm": bytes, "time.txt": `${ms} ms\n` });
    }
    if (i % 500 === 0) progress("modules", i, modules);
  }
}

const phases: [string, () => unknown][] = [
  ["contracts", contractCampaign],
  ["manifests", manifestCampaign],
  ["modules", moduleCampaign],
];
const times: string[] = [];
for (const [name, run] of phases) {
  const t0 = Date.now();
  await run();
  times.push(`${name} ${elapsed(t0)}`);
}
if (process.stderr.isTTY) process.stderr.write("\n");

const lines = [
  `fuzz: seed ${seed}, ${cases} contracts, ${manifests} manifests, ${modules} modules${compile ? "" : " (no compile)"}; ${times.join(", ")}; total ${elapsed(started)}`,
  `  slowest check ${Math.round(maxCheckMs)} ms, slowest gen ${Math.round(maxGenMs)} ms`,
  ...[...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `  ${k.padEnd(28)} ${v}`),
  failureCount === 0 ? "fuzz: no crash, hang or compile failure" : `fuzz: ${failureCount} failures written to ${FAILURES}`,
];
process.stdout.write(lines.join("\n") + "\n");
process.exitCode = failureCount === 0 ? 0 : 1;
