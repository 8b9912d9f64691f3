// `npm run bench` (second part): keystroke-to-diagnostics latency of `abic lsp` on the real
// contract. The server runs as an editor runs it (the real bin, stdio, every contract file
// open); each keystroke in abi/types.idl alternately breaks and fixes a type name, and the
// time runs from sending didChange to receiving the diagnostics of that document version.
// Baseline, measured in the same run: a full compileFile of the contract from disk, which is
// what a server without caches would do per keystroke.

import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { compileFile } from "../compiler/index.ts";
import { LspClient, REPO, uriOf } from "./lsp-client.ts";

const KEYSTROKES = 60;
/** Time between keystrokes: a brisk typist. */
const TYPING_GAP_MS = 120;
const TARGET_MS = 150;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function keystrokes(debounceMs: number): Promise<number[]> {
  const client = new LspClient();
  await client.initialize(REPO, { debounceMs });
  const files = ["abi.idl", ...readdirSync(path.join(REPO, "abi")).filter((f) => f.endsWith(".idl")).map((f) => `abi/${f}`)];
  for (const f of files) {
    const first = client.nextDiagnostics(uriOf(f));
    await client.open(uriOf(f), readFileSync(path.join(REPO, f), "utf8"));
    await first;
  }
  const uri = uriOf("abi/types.idl");
  const lines = readFileSync(path.join(REPO, "abi/types.idl"), "utf8").split("\n");
  const line = lines.findIndex((l) => l.includes("fs_filetype: filetype,"));
  const character = lines[line]!.indexOf("filetype,") + "filetyp".length;
  const samples: number[] = [];
  for (let i = 0; i < KEYSTROKES; i++) {
    const broken = i % 2 === 0;
    const start = performance.now();
    const version = await client.change(uri, [
      broken
        ? { range: { start: { line, character }, end: { line, character: character + 1 } }, text: "" }
        : { range: { start: { line, character }, end: { line, character } }, text: "e" },
    ]);
    const published = await client.nextDiagnostics(uri, (p) => p.version === version);
    samples.push(performance.now() - start);
    if (published.diagnostics.length !== (broken ? 1 : 0)) throw new Error(`unexpected diagnostics: ${JSON.stringify(published.diagnostics)}`);
    await sleep(TYPING_GAP_MS);
  }
  await client.close();
  return samples.slice(4); // the first keystrokes still pay for JIT warm-up
}

async function main(): Promise<void> {
  const full: number[] = [];
  for (let i = 0; i < 15; i++) {
    const start = performance.now();
    compileFile(path.join(REPO, "abi.idl"));
    full.push(performance.now() - start);
  }
  const baseline = percentile(full.slice(3), 0.5);
  console.log(`\nabic lsp: keystroke-to-diagnostics on the real contract (abi/types.idl, ${KEYSTROKES} keystrokes ${TYPING_GAP_MS} ms apart)\n`);
  console.log("debounce     median      p90      max   median/full compile   target");
  for (const debounce of [30, 0]) {
    const s = await keystrokes(debounce);
    const median = percentile(s, 0.5);
    console.log(
      `${`${debounce} ms`.padEnd(9)} ${median.toFixed(1).padStart(6)} ms ${percentile(s, 0.9).toFixed(1).padStart(6)} ms ${Math.max(...s).toFixed(1).padStart(6)} ms ${(median / baseline).toFixed(2).padStart(12)}x        ${median <= TARGET_MS ? "ok" : "SLOW"} (<= ${TARGET_MS} ms)`,
    );
  }
  console.log(`\nbaseline: full compileFile of abi.idl from disk, median ${baseline.toFixed(1)} ms (15 runs, in this process)`);
  console.log("30 ms is the default debounce (what an editor gets); 0 ms shows the server's own work.");
}

await main();
