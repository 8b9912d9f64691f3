// The floor of the host benchmark: the same measures as host.c made from JavaScript with the
// Node calls a host has to use (process.hrtime.bigint, fs.writeSync), with the same counts and
// rounds. What `abic run` costs above this is the host's own overhead. Usage: node node-floor.mjs DIR
import { closeSync, openSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";

const ROUNDS = 7;
const buf = new Uint8Array(65536).fill(120);
const path = join(process.argv[2], "floor.out");
const fd = openSync(path, "w");
const now = process.hrtime.bigint;
let sink = 0n;

function timed(op, n) {
  const samples = [];
  for (let r = -1; r < ROUNDS; r++) {
    let position = 0;
    const start = now();
    for (let i = 0; i < n; i++) position += op(position);
    if (r >= 0) samples.push(Number(now() - start) / n);
  }
  return samples.sort((a, b) => a - b)[ROUNDS >> 1];
}

const measures = [
  ["clock_gettime", () => ((sink += now()), 0), 200000],
  ["file_write_64", (at) => writeSync(fd, buf, 0, 64, at), 20000],
  ["file_write_64k", (at) => writeSync(fd, buf, 0, 65536, at), 200],
  ["stdout_write_64", () => writeSync(1, buf, 0, 64, null), 20000],
];
for (const [name, op, n] of measures) process.stderr.write(`${name} ${timed(op, n).toFixed(1)}\n`);
closeSync(fd);
unlinkSync(path);
if (sink === -1n) console.log(sink);
