// One unit of the fuzz campaign (scripts/fuzz.ts), run inside a worker thread: a batch of
// contracts (checked, generated, diffed, compiled together), or a chunk of damaged manifests or
// damaged guest modules. Every case is drawn from the seed and the unit's index alone, so a unit
// gives the same outcome whichever worker runs it and however many there are. Before each step
// the worker tells the main thread what it is about to run (`begin`, with its input and time
// limit), so a step that never returns is killed there and written as a hang.

import { mkdirSync } from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { compileText } from "../compiler/index.ts";
import { withFormatMemo, type FormatMemo } from "../compiler/gen/format.ts";
import { ManifestError, manifestJson, readManifest } from "../compiler/manifest.ts";
import type { ContractModel } from "../compiler/model.ts";
import { verifyModule } from "../compiler/verify.ts";
import { hostileContract, mutatedContract } from "../test/support/contract-arbitrary.ts";
import { damageJson, damageWasm, seeded } from "../test/support/damage.ts";
import { checkOnly, compileBatch, takeCompileMs, generateChecked, diffBothWays, type BatchCase, type BatchFailure, type Checked } from "../test/support/robustness.ts";

export interface Setup {
  seed: number;
  cases: number;
  batchSize: number;
  manifests: number;
  modules: number;
  /** Manifests or modules per unit. */
  chunk: number;
  compile: boolean;
  rust: number;
  strictCxx: boolean;
  genMutated: number;
  hangMs: number;
  /** Most candidates a shrink tries. */
  shrinkTries: number;
  /** Test aids for the campaign itself: `hang-verify`, `fail-c` (see fuzz.ts). */
  plant: string[];
  /** The real contract inlined, its file name, and the guest modules to damage. */
  realText: string;
  realFile: string;
  guests: Uint8Array[];
  features: string[];
  /** This worker's scratch folder. */
  scratch: string;
}

export type UnitKind = "contracts" | "manifests" | "modules";

export interface Unit {
  kind: UnitKind;
  index: number;
  /** Steps (`unitKey/step`) killed before: not run again. */
  skip: string[];
  /** Steps killed once: run again with PATIENCE times their limit (a loaded machine is slow). */
  patient?: string[];
}

/** How much longer a step killed once gets before it counts as a hang. */
export const PATIENCE = 4;

export interface Reproducer {
  kind: string;
  id: string;
  files: Record<string, string | Uint8Array>;
}

export interface UnitResult {
  counts: [string, number][];
  /** Milliseconds per phase (filled by the worker thread). */
  phaseMs?: [string, number][];
  reproducers: Reproducer[];
  maxCheckMs: number;
  maxGenMs: number;
}

export type Phase = "check" | "gen" | "diff" | "compile" | "shrink" | "manifest" | "verify";

export interface Begin {
  key: string;
  phase: Phase;
  limitMs: number;
  id: string;
  input: Record<string, string | Uint8Array>;
}

export const unitKey = (u: Pick<Unit, "kind" | "index">): string => `${u.kind}:${u.index}`;

/** What may take longer than a check: a generation (seconds for the real contract), a batch compile, a shrink. */
export function limitOf(phase: Phase, hangMs: number, cases = 1): number {
  if (phase === "gen") return 6 * hangMs;
  if (phase === "compile") return 60_000 + 6 * hangMs + 2_000 * cases;
  if (phase === "shrink") return 30 * hangMs;
  return hangMs;
}

class Tally {
  counts = new Map<string, number>();
  reproducers: Reproducer[] = [];
  maxCheckMs = 0;
  maxGenMs = 0;
  bump(k: string, n = 1): void {
    this.counts.set(k, (this.counts.get(k) ?? 0) + n);
  }
  result(): UnitResult {
    return { counts: [...this.counts], reproducers: this.reproducers, maxCheckMs: this.maxCheckMs, maxGenMs: this.maxGenMs };
  }
}

/** The first line of an error with numbers and quoted names blanked: failures alike share it. */
export function signature(outcome: string, detail: string): string {
  const line = detail.split("\n").find((l) => /error|Error/.test(l)) ?? detail.split("\n")[0] ?? "";
  return `${outcome} ${line.replace(/^.*?error/, "error").replace(/`[^`]*`|'[^']*'|"[^"]*"/g, "…").replace(/\d+/g, "N").trim()}`;
}

/**
 * The text cut into units at nesting `level`: at level 0 each top-level item with the doc lines
 * and annotations before it, at level 1 each member of a body likewise; braces in strings and
 * comments are not counted. A unit ends at a line ending in `;`, `,`, `{` or `}` (or a blank
 * line) that leaves the nesting at `level` or above.
 */
export function units(lines: string[], level: number): string[][] {
  const out: string[][] = [];
  let depth = 0;
  let unit: string[] = [];
  for (const line of lines) {
    const code = line.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\/\/.*$/, "");
    for (const ch of code) depth += ch === "{" ? 1 : ch === "}" ? -1 : 0;
    unit.push(line);
    if (depth <= level && (/[;,{}]\s*$/.test(code) || line.trim() === "")) {
      out.push(unit);
      unit = [];
    }
  }
  if (unit.length > 0) out.push(unit);
  return out;
}

/**
 * Deletes parts while `still` holds: whole items, then members, then single lines, each by
 * greedy halving (delta reduction); bounded in tries and time, since each try runs the pipeline.
 */
export async function shrinkText(text: string, still: (candidate: string) => Promise<boolean>, maxTries = 250, maxMs = 120_000): Promise<string> {
  let lines = text.split("\n");
  const until = Date.now() + maxMs;
  let tries = 0;
  const budget = (): boolean => tries < maxTries && Date.now() < until;
  for (const level of [0, 1, Infinity]) {
    let parts = level === Infinity ? lines.map((l) => [l]) : units(lines, level);
    for (let chunk = Math.max(1, Math.floor(parts.length / 2)); chunk >= 1 && budget(); chunk = Math.floor(chunk / 2)) {
      for (let at = 0; at < parts.length && budget(); ) {
        const candidate = [...parts.slice(0, at), ...parts.slice(at + chunk)];
        tries++;
        if (candidate.length > 0 && (await still(candidate.flat().join("\n")))) parts = candidate;
        else at += chunk;
      }
    }
    lines = parts.flat();
  }
  return lines.join("\n");
}

/** A map that keeps its `max` newest entries. */
class Recent<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.max) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}

/** A map that keeps nothing (what a run formatted is not written anywhere here). */
class Nowhere<K, V> extends Map<K, V> {
  override set(): this {
    return this;
  }
}

/**
 * The formatting memo `abic gen` keeps across runs (gen/format.ts), kept here across a worker's
 * generations: a text formatted once (the same doc text in a table, the same glue statement) is
 * not formatted again. The result is the same bytes by construction (the key is a digest of
 * exactly what was formatted, with prettier's version and options); a text prettier throws on is
 * never remembered, so it throws again wherever it comes back.
 */
export function campaignMemo(max = 20_000): FormatMemo {
  const known = new Recent<string, string>(max);
  return { known, byKey: known, used: new Nowhere() };
}

export class Worker {
  private keptManifests: string[] | null = null;
  private formatMemo = campaignMemo();
  private phaseMs = new Map<string, number>();
  private realModel: ContractModel;

  constructor(
    private setup: Setup,
    private begin: (b: Begin) => void,
  ) {
    const real = compileText(setup.realText, setup.realFile).model;
    if (!real) throw new Error(`${setup.realFile} does not check`);
    this.realModel = real;
  }

  run(unit: Unit): Promise<UnitResult> {
    if (unit.kind === "contracts") return this.contracts(unit);
    if (unit.kind === "manifests") return Promise.resolve(this.manifests(unit));
    return Promise.resolve(this.modules(unit));
  }

  /** Runs `fn` as step `step` of the unit unless it was killed before (then null). */
  private step<T>(unit: Unit, step: string, phase: Phase, id: string, input: Begin["input"], fn: () => T, cases = 1, kind?: string): T | null {
    const key = `${unitKey(unit)}/${step}`;
    if (unit.skip.includes(key)) return null;
    const limitMs = limitOf(phase, this.setup.hangMs, cases) * ((unit.patient ?? []).includes(key) ? PATIENCE : 1);
    this.begin({ key, phase, limitMs, id, input });
    // Time per phase, for the summary (wall time: Node 20 has no CPU clock per thread).
    const t0 = performance.now();
    const record = (): void => {
      const ms = performance.now() - t0;
      this.phaseMs.set(phase, (this.phaseMs.get(phase) ?? 0) + ms);
      // The same time by kind of contract too (`check/mutated`), to see where it goes.
      if (kind !== undefined) this.phaseMs.set(`${phase}/${kind}`, (this.phaseMs.get(`${phase}/${kind}`) ?? 0) + ms);
    };
    const r = fn();
    if (r instanceof Promise) void r.finally(record);
    else record();
    return r;
  }

  /** Milliseconds per phase since the last call. */
  takePhaseMs(): [string, number][] {
    const out = [...this.phaseMs, ...takeCompileMs().map(([k, v]): [string, number] => [`compile/${k}`, v])];
    this.phaseMs.clear();
    return out;
  }

  /** checkAndGenerate with the planted compile failure applied (a test of the campaign asks for it). */
  private async checkGen(text: string, generate: boolean, file: string): Promise<Checked> {
    const checked = checkOnly(text, file);
    return generate ? this.generate(checked, file) : checked;
  }

  private async generate(checked: Checked, file: string): Promise<Checked> {
    const r = await withFormatMemo(this.formatMemo, () => generateChecked(checked, file));
    if (this.setup.plant.includes("fail-c") && r.model?.types.some((t) => t.kind === "struct"))
      r.files = r.files.map((f) => (f.path.endsWith(".h") && f.path.startsWith("c/") ? { ...f, content: `${f.content}\n#ifndef __cplusplus\n#error planted: the contract has a struct\n#endif\n` } : f));
    return r;
  }

  // ---- contracts

  private async contracts(unit: Unit): Promise<UnitResult> {
    const { seed, batchSize, cases, realText, realFile } = this.setup;
    const tally = new Tally();
    const b = unit.index;
    const n = Math.min(batchSize, cases - b * batchSize);
    // Each batch has its own seed, so one case reproduces from (seed, batch, index).
    const generated = fc.sample(hostileContract, { numRuns: Math.ceil(n / 2), seed: seed + b });
    const mutated = fc.sample(mutatedContract(realText), { numRuns: Math.floor(n / 2), seed: seed + b });
    const ownMutations = fc.sample(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { numRuns: n, seed: seed + b });
    const texts = [...generated.map((t) => ({ t, from: "generated" as const })), ...mutated.map((t) => ({ t, from: "mutated" as const }))];
    const accepted: (BatchCase & { text: string; file: string })[] = [];
    let mutatedGenerated = 0;
    const shrunk = new Set<string>();
    for (const [i, { t, from }] of texts.entries()) {
      const id = `s${seed}-b${b}-${from}-${i}`;
      const file = from === "generated" ? "contract.idl" : realFile;
      // An accepted mutation of the real contract is nearly the real contract: generating it
      // costs much, so only the first `genMutated` of a batch are.
      const checked = this.step(unit, `${i}`, "check", id, { [file]: t }, () => checkOnly(t, file), 1, from);
      if (checked === null) continue;
      const generate = from === "generated" || mutatedGenerated < this.setup.genMutated;
      if (from === "mutated" && checked.model) mutatedGenerated++;
      const gen = generate && checked.model ? this.step(unit, `${i}-gen`, "gen", id, { [file]: t }, () => this.generate(checked, file), 1, from) : Promise.resolve(checked);
      const r = gen === null ? null : await gen;
      if (r === null) continue;
      tally.bump(`${from}:${r.outcome}`);
      tally.maxGenMs = Math.max(tally.maxGenMs, r.genMs);
      tally.maxCheckMs = Math.max(tally.maxCheckMs, r.checkMs);
      if (r.outcome === "crash:check" || r.outcome === "crash:gen") {
        tally.bump(r.outcome);
        const small = await this.shrinkOnce(unit, shrunk, signature(r.outcome, r.error ?? ""), id, t, (c) => this.checkGen(c, r.outcome === "crash:gen", file).then((x) => x.outcome === r.outcome));
        tally.reproducers.push({ kind: r.outcome, id, files: { [file]: small ?? t, ...(small !== null ? { "original.idl": t } : {}), "error.txt": r.error ?? "" } });
        continue;
      }
      if (!r.model) continue;
      const model = r.model;
      // Diffs: against the real contract, and against an accepted mutation of itself.
      const mutation = fc.sample(mutatedContract(t), { numRuns: 1, seed: ownMutations[i]! })[0]!;
      this.step(unit, `${i}-diff`, "diff", id, { "old.idl": t, "new.idl": mutation }, () => {
        const mutationChecked = checkOnly(mutation, file);
        if (mutationChecked.outcome === "crash:check") {
          tally.bump("crash:check");
          tally.reproducers.push({ kind: "crash:check", id: `${id}-mutation`, files: { [file]: mutation, "error.txt": mutationChecked.error ?? "" } });
        }
        const other = mutationChecked.model;
        for (const [name, against, text] of [["real", this.realModel, realText], ["mutation", other, mutation]] as const) {
          if (!against) continue;
          tally.bump(`diff:${name}`);
          const err = diffBothWays(model, against);
          if (err) {
            tally.bump("crash:diff");
            tally.reproducers.push({ kind: "crash:diff", id: `${id}-${name}`, files: { "old.idl": t, "new.idl": text, "error.txt": err } });
          }
        }
      }, 1, from);
      if (r.files.length > 0) accepted.push({ id, model, files: r.files, text: t, file });
    }
    if (this.setup.compile && accepted.length > 0) {
      const dir = path.join(this.setup.scratch, "batch");
      const failures = this.step(unit, "compile", "compile", `s${seed}-b${b}`, {}, () => compileBatch(dir, accepted, this.compileOptions(this.setup.rust)), accepted.length);
      if (failures !== null) {
        tally.bump("compiled", accepted.length);
        for (const f of failures) {
          tally.bump(f.outcome);
          const k = accepted.find((a) => a.id === f.id);
          if (!k) {
            tally.reproducers.push({ kind: f.outcome, id: `s${seed}-b${b}-${f.id}`, files: { "error.txt": f.detail } });
            continue;
          }
          const small = await this.shrinkOnce(unit, shrunk, signature(f.outcome, f.detail), k.id, k.text, (c) => this.stillFails(c, k.file, f.outcome));
          tally.reproducers.push({ kind: f.outcome, id: f.id, files: { [k.file]: small ?? k.text, ...(small !== null ? { "original.idl": k.text } : {}), "error.txt": f.detail } });
        }
      }
    }
    return tally.result();
  }

  private compileOptions(rust: number): { c: boolean; ts: boolean; rust: number; strictCxx: boolean } {
    return { c: true, ts: true, rust, strictCxx: this.setup.strictCxx };
  }

  /** Whether a candidate text still checks, generates and fails to compile the same way. */
  private async stillFails(text: string, file: string, outcome: BatchFailure["outcome"]): Promise<boolean> {
    const r = await this.checkGen(text, true, file);
    if (!r.model || r.files.length === 0) return false;
    const dir = path.join(this.setup.scratch, "shrink");
    const opts = { ...this.compileOptions(1), only: outcome };
    return compileBatch(dir, [{ id: "case", model: r.model, files: r.files }], opts).some((f) => f.outcome === outcome);
  }

  /**
   * The failing text shrunk, for the first failure of its signature in this unit (null for the
   * others: one small reproducer per kind of failure is what a reader needs, and shrinking costs
   * hundreds of runs).
   */
  private async shrinkOnce(unit: Unit, done: Set<string>, sig: string, id: string, text: string, still: (c: string) => Promise<boolean>): Promise<string | null> {
    if (done.has(sig)) return null;
    done.add(sig);
    const p = this.step(unit, `shrink-${id}`, "shrink", id, { "contract.idl": text }, () => shrinkText(text, still, this.setup.shrinkTries, limitOf("shrink", this.setup.hangMs) / 2));
    return p === null ? null : await p;
  }

  // ---- manifests for `abic diff`

  /** The manifests damaged: the real contract's, and those of the accepted contracts among batch 0's first generated ones. */
  private manifestsToDamage(): unknown[] {
    if (this.keptManifests === null) {
      const first = fc.sample(hostileContract, { numRuns: Math.min(20, Math.ceil(this.setup.batchSize / 2)), seed: this.setup.seed });
      const models = first.map((t) => compileText(t, "contract.idl").model).filter((m): m is ContractModel => m !== null);
      this.keptManifests = [this.realModel, ...models].map((m) => manifestJson(m));
    }
    return this.keptManifests.map((m) => JSON.parse(m) as unknown);
  }

  private manifests(unit: Unit): UnitResult {
    const { seed, chunk, manifests } = this.setup;
    const tally = new Tally();
    const docs = this.manifestsToDamage();
    const rand = seeded((seed ^ 0x5eed) + unit.index * 7919);
    for (let i = unit.index * chunk; i < Math.min(manifests, (unit.index + 1) * chunk); i++) {
      const { doc, what } = damageJson(docs[i % docs.length], rand, 1 + Math.floor(rand() * 3));
      const text = JSON.stringify(doc, null, 2);
      const id = `s${seed}-${i}`;
      this.step(unit, `${i}`, "manifest", id, { "manifest.json": text, "damage.txt": what.join("\n") }, () => {
        let model: ContractModel;
        try {
          model = readManifest(text, "damaged.json");
        } catch (e) {
          if (e instanceof ManifestError) return tally.bump(`manifest:${e.code}`);
          tally.bump("crash:manifest");
          tally.reproducers.push({ kind: "crash:manifest", id, files: { "manifest.json": text, "damage.txt": what.join("\n"), "error.txt": String((e as Error).stack ?? e) } });
          return;
        }
        tally.bump("manifest:accepted");
        const err = diffBothWays(model, this.realModel);
        if (err) {
          tally.bump("crash:diff");
          tally.reproducers.push({ kind: "crash:diff-manifest", id, files: { "manifest.json": text, "damage.txt": what.join("\n"), "error.txt": err } });
        }
      });
    }
    return tally.result();
  }

  // ---- modules for `abic verify`

  private modules(unit: Unit): UnitResult {
    const { seed, chunk, modules, guests, features } = this.setup;
    const tally = new Tally();
    const rand = seeded((seed ^ 0xface) + unit.index * 7919);
    for (let i = unit.index * chunk; i < Math.min(modules, (unit.index + 1) * chunk); i++) {
      const { bytes, what } = damageWasm(guests[i % guests.length]!, rand, 1 + Math.floor(rand() * 4));
      const id = `s${seed}-${i}`;
      this.step(unit, `${i}`, "verify", id, { "module.wasm": bytes, "damage.txt": what.join("\n") }, () => {
        // A test of the campaign plants a verify that never returns.
        if (i === 0 && this.setup.plant.includes("hang-verify")) for (;;);
        try {
          const report = verifyModule(bytes, this.realModel, { tier: i % 2 ? "full" : "isolated", features: i % 3 ? [] : features });
          tally.bump(report.ok ? "verify:ok" : "verify:refused");
        } catch (e) {
          tally.bump("crash:verify");
          tally.reproducers.push({ kind: "crash:verify", id, files: { "module.wasm": bytes, "damage.txt": what.join("\n"), "error.txt": String((e as Error).stack ?? e) } });
        }
      });
    }
    return tally.result();
  }
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
