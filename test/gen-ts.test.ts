// The TS target: naming and lifting decisions of the view model, its options (import specifier
// extension, js+dts), linking rules (tier, unstable features, refused, stubbed, aliases) on a
// small contract, and `tsc -p` over the small bindings and generated/ts under a strict tsconfig.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { compileText } from "../compiler/index.ts";
import type { ContractModel } from "../compiler/model.ts";
import {
  camelCase,
  constantName,
  parameterName,
  pascalCase,
  coreLiteral,
  RUNTIME_EXPORTS,
  STATIC_RUNTIME,
  tsTarget,
  tsView,
  typeName,
} from "../compiler/gen/ts.ts";
import { OptionError, parseTsOptions, resolveTsOptions, type TsOptions } from "../compiler/gen/options.ts";
import { STRICT_COMPILER_OPTIONS } from "./support/strict-tsconfig.ts";

const BUILD = path.resolve("test/.build/gen-ts");
const TSC = path.resolve("node_modules/typescript/bin/tsc");

const CONTRACT = `
package small@1.0.0;

@since(1.0.0) @open
enum errno: u16 { success = 0, badf = 8, ilseq = 25, fault = 21, inval = 28, io = 29, nosys = 52 }

@since(1.0.0)
type fd = handle;

@since(1.0.0)
struct pair { a: u8, b: u64 }

/// The small module.
@since(1.0.0) @tier(isolated)
module small {
    alias small_old;

    @since(1.0.0)
    fn echo(x: u32, y: s64, flag: bool) -> result<u32, errno>;

    @since(1.0.0) @tier(full)
    fn privileged(fd: fd) -> result<(), errno>;

    @unstable(shiny)
    fn shiny(fd: fd) -> result<(), errno>;

    @since(1.0.0) @stubbed(nosys)
    fn stub(fd: fd) -> result<fd, errno>;

    @since(1.0.0) @refused("never linked")
    fn nope(fd: fd) -> result<(), errno>;

    @since(1.0.0)
    fn pair_get(%in: const_ptr<pair>) -> result<(first: pair, second: u32), errno>;

    @since(1.0.0) @sentinel(0xffff_ffff, fault = 7)
    fn count(s: string) -> u32;
}
`;

function smallModel(): ContractModel {
  const c = compileText(CONTRACT, "small.idl");
  if (c.model === null) throw new Error(c.diagnostics.map((d) => d.message).join("\n"));
  return c.model;
}

interface SmallGlue {
  imports: WebAssembly.Imports;
  unlinked: ReadonlyMap<string, string>;
}
interface SmallBindings {
  createImports(
    impl: { small?: Record<string, (...args: never[]) => unknown> },
    options: { memory?: WebAssembly.Memory; tier: string; features?: string[]; onError?: () => void },
  ): SmallGlue;
  fail(errno: number): Error;
}

async function generateInto(model: ContractModel, dir: string): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  for (const f of await tsTarget.generate(model, { source: "small.idl" })) {
    const file = path.join(dir, f.path);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, f.content);
  }
}

/** Type-checks `files` (relative to `dir`) under the strict tsconfig, as an ESM project. */
function tsc(dir: string, files: string[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
  const compilerOptions = { ...STRICT_COMPILER_OPTIONS, noEmit: true, erasableSyntaxOnly: true, isolatedDeclarations: true, declaration: true };
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include: files }));
  try {
    execFileSync(process.execPath, [TSC, "-p", dir], { encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    throw new Error(`tsc -p ${dir}:\n${(e as { stdout?: string }).stdout ?? String(e)}`);
  }
}

/** The relative import specifiers of a generated file. */
function specifiers(text: string): string[] {
  return [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom "(\.[^"]*)"/gm)].map((m) => m[1]!);
}

describe("names", () => {
  test("types and members are PascalCase, fields and methods camelCase, keywords escaped", () => {
    expect(typeName("event_fd_readwrite")).toBe("EventFdReadwrite");
    expect(typeName("symbol")).toBe("SymbolType");
    expect(pascalCase("2big")).toBe("_2big");
    expect(camelCase("buf_len")).toBe("bufLen");
    expect(camelCase("fd_write")).toBe("fdWrite");
    // One word, with or without underscores around it, as the split into words converts it.
    for (const [name, camel] of [["fd", "fd"], ["2big", "_2big"], ["", "_"], ["_", "__"], ["__x", "x"], ["x_", "x"], ["_2big", "_2big"], ["a__b", "aB"]])
      expect(camelCase(name), name).toBe(camel);
    expect(parameterName("in")).toBe("in_");
    expect(parameterName("ctx")).toBe("ctx_");
    expect(constantName("dircookie_start")).toBe("DIRCOOKIE_START");
  });

  test("plain-scalar failure values come from @sentinel, as core literals", () => {
    const count = smallModel().modules[0].functions.find((f) => f.name === "count")!;
    expect(count.result).toMatchObject({ kind: "scalar", sentinel: { error: 0xffffffff, fault: 7 } });
    expect(coreLiteral(0, false)).toBe("0");
    expect(coreLiteral(21, false)).toBe("21");
    expect(coreLiteral("18446744073709551615", true)).toBe("0xffffffffffffffffn");
    expect(coreLiteral(-1, true)).toBe("-1n");
  });
});

describe("view model", () => {
  test("the interface lifts types and the glue checks layouts from the model", () => {
    const view = tsView(smallModel(), { source: "small.idl" });
    const small = view.modules[0];
    expect(small.interfaceName).toBe("Small");
    expect(small.implKey).toBe("small");
    expect(small.aliases).toEqual(['"small_old"']);
    const echo = small.methods.find((m) => m.name === "echo")!;
    expect(echo.signature).toBe("x: number, y: bigint, flag: boolean, ctx: CallContext");
    expect(echo.returns).toBe("number | Failure");
    const pairGet = small.methods.find((m) => m.name === "pairGet")!;
    expect(pairGet.signature).toBe("in_: number, ctx: CallContext");
    expect(pairGet.returns).toBe("PairGetResult | Failure");
    const glue = small.glue.find((g) => g.importName === "pair_get")!;
    // const_ptr<pair>: one pair (16 bytes, align 8); out-values: a pair, then a u32.
    expect(glue.body.join("\n")).toContain(
      "$m.fits($p0, 16, 8) && $m.fits($o0, 16, 8) && $m.fits($o1, 4, 4)",
    );
    expect(small.glue.find((g) => g.importName === "stub")).toMatchObject({
      kind: "stubbed",
      stubValue: "52",
    });
    expect(small.glue.find((g) => g.importName === "nope")).toMatchObject({ kind: "refused" });
    const pair = view.types.types.find((t) => t.name === "Pair");
    expect(pair).toMatchObject({ kind: "struct", size: 16, align: 8 });
  });
});

describe("generated bindings", { timeout: 120_000 }, () => {
  let bindings: SmallBindings;
  const dir = path.join(BUILD, "small");
  beforeAll(async () => {
    await generateInto(smallModel(), dir);
    bindings = (await import(pathToFileURL(path.join(dir, "ts/index.ts")).href)) as SmallBindings;
  });

  test("type-check alone under a strict tsconfig, erasable syntax, isolated declarations (the small contract)", () => {
    tsc(dir, ["ts/*.ts"]);
  });

  test("generated/ts type-checks alone under the same tsconfig", () => {
    if (!existsSync("generated/ts/index.ts")) throw new Error("generated/ts is missing: run `npx abic gen`");
    tsc(path.join(BUILD, "checked-in"), [path.resolve("generated/ts/*.ts")]);
  });

  test("linking follows tier, features, refusals, stubs and aliases", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const calls: unknown[][] = [];
    const impl = {
      echo: (x: number, y: bigint, flag: boolean) => (calls.push(["echo", x, y, flag]), x + 1),
      privileged: () => undefined,
      shiny: () => undefined,
      pairGet: () => ({ first: { a: 1, b: 2n }, second: 3 }),
      count: (s: string) => s.length,
    };
    const low = bindings.createImports({ small: impl }, { memory, tier: "isolated" });
    const fns = low.imports.small;
    expect(low.imports.small_old).toBe(fns);
    expect(Object.keys(fns).sort()).toEqual(["count", "echo", "pair_get", "stub"]);
    expect(low.unlinked).toEqual(
      new Map([
        ["small.privileged", "needs tier full"],
        ["small.shiny", "needs unstable feature shiny"],
        ["small.nope", "refused: never linked"],
      ]),
    );
    const stub = fns.stub as (fd: number, out: number) => number;
    expect(stub(1, 0)).toBe(52);

    const high = bindings.createImports(
      { small: impl },
      { memory, tier: "full", features: ["shiny"] },
    );
    expect(Object.keys(high.imports.small).sort()).toEqual([
      "count",
      "echo",
      "pair_get",
      "privileged",
      "shiny",
      "stub",
    ]);

    const none = bindings.createImports({}, { memory, tier: "full" });
    expect(Object.keys(none.imports.small)).toEqual(["stub"]);
  });

  test("raw arguments are converted, results written, bad ranges fault before the call", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const calls: unknown[][] = [];
    const glue = bindings.createImports(
      {
        small: {
          echo: (x: number, y: bigint, flag: boolean) => (calls.push([x, y, flag]), x + 1),
          pairGet: () => ({ first: { a: 0xab, b: 0x1122334455667788n }, second: 77 }),
        },
      },
      { memory, tier: "isolated" },
    );
    const echo = glue.imports.small.echo as (
      x: number,
      y: bigint,
      flag: number,
      out: number,
    ) => number;
    const dv = new DataView(memory.buffer);
    expect(echo(-1, -5n, 0x100, 64)).toBe(0);
    expect(calls).toEqual([[0xffffffff, -5n, false]]);
    expect(dv.getUint32(64, true)).toBe(0); // 0xffffffff + 1 wraps to 0 as a u32
    expect(echo(1, 0n, 1, 65)).toBe(21);
    expect(echo(1, 0n, 1, 65536 - 2)).toBe(21);
    expect(echo(1, 0n, 1, -4)).toBe(21);
    expect(calls).toHaveLength(1);

    // A plain-scalar function answers its @sentinel values: fault for a bad range, error for
    // text that is not UTF-8 and for an implementation that throws.
    let counted = 0;
    const scalar = bindings.createImports(
      {
        small: {
          count: (s: string) => {
            counted++;
            if (s === "boom") throw new Error("boom");
            return s.length;
          },
        },
      },
      { memory, tier: "isolated", onError: () => {} },
    );
    const count = scalar.imports.small.count as (p: number, n: number) => number;
    new Uint8Array(memory.buffer).set([0x61, 0x62, 0xff, 0x62, 0x6f, 0x6f, 0x6d], 256);
    expect(count(256, 2)).toBe(2);
    expect(count(65536 - 1, 2)).toBe(7);
    expect(count(256, 3)).toBe(0xffffffff);
    expect(counted).toBe(1);
    expect(count(259, 4)).toBe(0xffffffff);
    expect(counted).toBe(2);

    const pairGet = glue.imports.small.pair_get as (p: number, o0: number, o1: number) => number;
    expect(pairGet(0, 128, 160)).toBe(0);
    expect(dv.getUint8(128)).toBe(0xab);
    expect(dv.getBigUint64(136, true)).toBe(0x1122334455667788n);
    expect(dv.getUint32(160, true)).toBe(77);
    expect(pairGet(4, 128, 160)).toBe(21); // const_ptr<pair> must be 8-aligned
  });
});

describe("options", () => {
  const model = smallModel();
  const filesOf = async (ts: Partial<TsOptions>) => tsTarget.generate(model, { source: "small.idl", ts });

  test("import_extension sets every relative specifier, the static runtime's included", async () => {
    for (const [ext, suffix] of [["js", ".js"], ["ts", ".ts"], ["none", ""]] as const) {
      const files = await filesOf({ importExtension: ext });
      const runtime = files.find((f) => f.path === "ts/runtime.ts")!;
      expect(specifiers(runtime.content)).toEqual([`./contract${suffix}`]);
      const all = files.flatMap((f) => specifiers(f.content));
      expect(all.length).toBeGreaterThan(10);
      for (const s of all) expect(s, `${ext}: ${s}`).toMatch(suffix === "" ? /^\.\/[a-z_]+$/ : new RegExp(`^\\./[a-z_]+\\${suffix}$`));
    }
  });

  test("the default output is TypeScript sources only, with .js specifiers and no tsconfig", async () => {
    const files = await filesOf({});
    expect(files.map((f) => f.path).sort()).toEqual(
      ["ts/contract.ts", "ts/index.ts", "ts/runtime.ts", "ts/small.ts", "ts/types.ts"],
    );
    expect(specifiers(files.find((f) => f.path === "ts/index.ts")!.content)).toContain("./runtime.js");
  });

  test("target=js+dts writes JavaScript and declarations of the same files, no TypeScript", async () => {
    const files = await filesOf({ target: "js+dts" });
    expect(files.map((f) => f.path).sort()).toEqual(
      ["contract", "index", "runtime", "small", "types"].flatMap((n) => [`ts/${n}.d.ts`, `ts/${n}.js`]),
    );
    const js = files.find((f) => f.path === "ts/small.js")!.content;
    // Types are gone from the JavaScript; the glue is not.
    expect(js).not.toMatch(/\): number|^export interface|^import type|\bas Errno\b/m);
    expect(js).toContain("export function linkSmall(impl, $link)");
    const dts = files.find((f) => f.path === "ts/small.d.ts")!.content;
    expect(dts).toMatch(
      /export declare function linkSmall\(\s*impl: Partial<Small> \| undefined,\s*\$link: Linker,?\s*\): WebAssembly\.ModuleImports;/,
    );
    expect(dts).not.toContain("$m.fits");
  });

  test("option parsing and checking: names as protoc-gen-es spells them, clear errors", () => {
    expect(parseTsOptions(["import_extension=none,target=js+dts"])).toEqual({ importExtension: "none", target: "js+dts" });
    expect(resolveTsOptions({})).toEqual({ importExtension: "js", target: "ts" });
    expect(() => parseTsOptions(["import_ext=js"])).toThrow(/unknown TypeScript option `import_ext`/);
    expect(() => parseTsOptions(["target"])).toThrow(/needs a value: target=ts\|js\+dts/);
    expect(() => parseTsOptions(["target=ts", "target=js+dts"])).toThrow(/given more than once/);
    expect(() => resolveTsOptions({ target: "js" as "ts" })).toThrow(OptionError);
    expect(() => resolveTsOptions({ importExtension: "ts", target: "js+dts" })).toThrow(/JavaScript files cannot import \.ts files/);
  });
});

test("RUNTIME_EXPORTS lists exactly what the static runtime exports", () => {
  const text = readFileSync(STATIC_RUNTIME, "utf8");
  const exported = [...text.matchAll(/^export (?:declare )?(?:abstract )?(?:class|function|const|type|interface) ([A-Za-z0-9_]+)/gm)].map((m) => m[1]);
  expect([...RUNTIME_EXPORTS].sort()).toEqual(exported.sort());
});
