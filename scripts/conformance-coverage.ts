// Which `provided` contract functions the conformance guests import: reads each built guest's
// imports (test/.build/conformance/*.wasm; run the conformance tests first) and prints the
// percentage and the functions no guest imports.
// Usage: node --import tsx scripts/conformance-coverage.ts [ABI_FILE]

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compileFile } from "../compiler/index.ts";
import { readModule } from "../compiler/wasm/reader.ts";

const BUILD = "test/.build/conformance";

const c = compileFile(process.argv[2] ?? "abi.idl");
if (!c.model) {
  console.error("conformance-coverage: the contract does not check");
  process.exit(1);
}
const aliases = new Map<string, string>();
for (const m of c.model.modules) for (const a of [m.name, ...m.aliases]) aliases.set(a, m.name);

let guests: string[];
try {
  guests = readdirSync(BUILD).filter((f) => f.endsWith(".wasm"));
} catch {
  guests = [];
}
if (guests.length === 0) {
  console.error(`conformance-coverage: no guests in ${BUILD}; run \`npx vitest run test/conformance.test.ts\` first`);
  process.exit(1);
}
const imported = new Set<string>();
for (const file of guests) {
  for (const imp of readModule(readFileSync(join(BUILD, file))).imports) {
    if (imp.kind === "func") imported.add(`${aliases.get(imp.module) ?? imp.module}.${imp.name}`);
  }
}

const provided = c.model.modules.flatMap((m) =>
  m.functions.filter((f) => f.status.kind === "provided").map((f) => `${m.name}.${f.import.name}`),
);
const covered = provided.filter((name) => imported.has(name));
const uncovered = provided.filter((name) => !imported.has(name));
const pct = ((100 * covered.length) / provided.length).toFixed(1);
console.log(`conformance coverage: ${covered.length}/${provided.length} provided functions imported by ${guests.length} guests (${pct}%)`);
for (const m of c.model.modules) {
  const mine = provided.filter((n) => n.startsWith(`${m.name}.`));
  const hit = mine.filter((n) => imported.has(n)).length;
  console.log(`  ${m.name.padEnd(24)} ${String(hit).padStart(3)}/${mine.length}`);
}
console.log(`uncovered (${uncovered.length}):`);
for (const name of uncovered) console.log(`  ${name}`);
