// Function shapes the real contract does not have yet, generated from a small contract and run
// end to end: a clang-built guest calls through the generated C header into the generated TS
// glue. A plain-scalar function taking a `list<struct>` must release its reused list accessor
// after every call (it once kept it taken after the first `return`, so every later call built
// a new accessor), and answer its @sentinel values.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { cTarget } from "../compiler/gen/c.ts";
import { tsTarget } from "../compiler/gen/ts.ts";
import { compileText } from "../compiler/index.ts";
import { compileC } from "../scripts/toolchain.ts";
import { OPEN_GLUE_ERRNO_IDL } from "./support/errno-idl.ts";

const BUILD = path.resolve("test/.build/glue-shapes");

const CONTRACT = `
package shapes@1.0.0;

${OPEN_GLUE_ERRNO_IDL}
/// Functions of shapes the real contract lacks.
@since(1.0.0)
module ext {
    /// A region of memory to read.
    @since(1.0.0)
    struct ciovec {
        /// Start.
        buf: const_ptr<u8>,
        /// Length.
        buf_len: usize,
    }

    /// Sums the lengths; 0xffff_fffe when it fails, 0xffff_ffff for a list outside memory.
    @since(1.0.0) @sentinel(0xffff_fffe, fault = 0xffff_ffff)
    fn ext_sum(
        /// The regions.
        iovs: list<ciovec>,
    ) -> u32;

    /// Takes note of the regions; returns nothing.
    @since(1.0.0)
    fn ext_note(
        /// The regions.
        iovs: list<ciovec>,
    );
}
`;

interface Bindings {
  createImports(
    impl: { ext?: Record<string, (...args: never[]) => unknown> },
    options: { getMemory: () => WebAssembly.Memory; tier: string; onError?: () => void },
  ): { imports: WebAssembly.Imports };
}

interface Guest {
  memory: WebAssembly.Memory;
  sum(n: number): number;
  sum_bad(): number;
  note(n: number): void;
}

interface IovecList {
  length: number;
  bufLenAt(i: number): number;
}

let bindings: Bindings;
let wasm: WebAssembly.Module;

beforeAll(async () => {
  const c = compileText(CONTRACT, "shapes.idl");
  if (!c.model) throw new Error(c.diagnostics.map((d) => `${d.span.line}:${d.span.column} ${d.message}`).join("\n"));
  rmSync(BUILD, { recursive: true, force: true });
  for (const f of [...(await cTarget.generate(c.model, { source: "shapes.idl" })), ...(await tsTarget.generate(c.model, { source: "shapes.idl" }))]) {
    const file = path.join(BUILD, f.path);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, f.content);
  }
  const out = path.join(BUILD, "shapes.wasm");
  compileC({ sources: ["test/guests/glue/shapes.c"], out, includeDirs: [path.join(BUILD, "c")], extraArgs: ["-nostartfiles", "-Wl,--no-entry"] });
  wasm = new WebAssembly.Module(readFileSync(out));
  bindings = (await import(pathToFileURL(path.join(BUILD, "ts/index.ts")).href)) as Bindings;
}, 120_000);

function instantiate(impl: Record<string, (...args: never[]) => unknown>): Guest {
  let instance: WebAssembly.Instance | undefined;
  const glue = bindings.createImports(
    { ext: { extSum: () => 0, extNote: () => undefined, ...impl } },
    { getMemory: () => instance!.exports.memory as WebAssembly.Memory, tier: "isolated", onError: () => {} },
  );
  instance = new WebAssembly.Instance(wasm, glue.imports);
  return instance.exports as unknown as Guest;
}

describe("a plain-scalar function taking a list of structs", () => {
  test("reuses one list accessor on every call, and answers its sentinels", () => {
    const seen: IovecList[] = [];
    let fail = false;
    const guest = instantiate({
      extSum: (iovs: IovecList) => {
        seen.push(iovs);
        if (fail) throw new Error("implementation failed");
        let n = 0;
        for (let i = 0; i < iovs.length; i++) n += iovs.bufLenAt(i);
        return n;
      },
    });
    expect([guest.sum(1), guest.sum(2), guest.sum(4), guest.sum(3)]).toEqual([1, 3, 10, 6]);
    // One accessor, re-aimed: the call released it before returning its value.
    expect(new Set(seen).size).toBe(1);
    fail = true;
    expect(guest.sum(2) >>> 0).toBe(0xfffffffe);
    fail = false;
    expect(guest.sum(2)).toBe(3);
    expect(new Set(seen).size).toBe(1);
    expect(guest.sum_bad() >>> 0).toBe(0xffffffff);
    expect(seen).toHaveLength(6);
  });
});

describe("a function with no result taking a list of structs", () => {
  test("reuses one list accessor, including after the implementation throws", () => {
    const seen: [IovecList, number][] = [];
    const guest = instantiate({
      extNote: (iovs: IovecList) => {
        seen.push([iovs, iovs.length]);
        if (iovs.length === 2) throw new Error("implementation failed");
      },
    });
    guest.note(1);
    guest.note(2);
    guest.note(3);
    expect(seen.map(([, n]) => n)).toEqual([1, 2, 3]);
    expect(new Set(seen.map(([l]) => l)).size).toBe(1);
  });
});
