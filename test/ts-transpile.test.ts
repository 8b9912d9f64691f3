// The syntactic TypeScript transforms behind the TS target's js+dts output: type erasure (each
// construct the generated code may use, and a refusal for everything that is not erasable),
// declarations (signatures kept, bodies and private details dropped), and import rewriting.

import { describe, expect, test } from "vitest";
import { formatJavaScript, formatTypeScript } from "../compiler/gen/format.ts";
import { declarations, eraseTypes, rewriteRelativeImports, TranspileError } from "../compiler/gen/ts-transpile.ts";

const SOURCE = `import type { Only } from "./only.ts";
import { type T, value } from "./mixed.ts";
export type { Only };

/** A shape. */
export interface Shape {
  size: number;
}
export type Id = number | string;

/** Doubles. */
export function twice<N extends number>(n: N, by: number = 2, label?: string): number {
  const x = n as number;
  const y = { a: 1 } satisfies Record<string, number>;
  return x * by + (label ? y.a : 0) + value!;
}

export const TABLE = { a: 1, b: -2n, c: ["x", true] } as const;
export const COUNT: number = new Map<string, T>().size;

export abstract class Base<V> implements Shape {
  size: number = 0;
  private hidden = 1;
  protected readonly kept: string;
  declare extra: number;
  count!: number;
  static made: number = 0;

  constructor(kept: string) {
    this.kept = kept;
  }

  abstract get(index: number): V;

  /** Iterates. */
  *[Symbol.iterator](): IterableIterator<V> {
    yield this.get(this.hidden);
  }

  get twice(): number {
    return this.size * 2;
  }

  private helper(): void {}

  is(x: unknown): x is V {
    return x !== undefined;
  }
}

function local(a: number): number {
  return a;
}
`;

describe("eraseTypes", () => {
  test("removes every type and keeps the behaviour", async () => {
    const js = await formatJavaScript(await eraseTypes(SOURCE, "source.ts"));
    expect(js).toBe(
      await formatJavaScript(`import { value } from "./mixed.ts";

/** Doubles. */
export function twice(n, by = 2, label) {
  const x = n;
  const y = { a: 1 };
  return x * by + (label ? y.a : 0) + value;
}

export const TABLE = { a: 1, b: -2n, c: ["x", true] };
export const COUNT = new Map().size;

export class Base {
  size = 0;
  hidden = 1;
  kept;

  count;
  static made = 0;

  constructor(kept) {
    this.kept = kept;
  }

  /** Iterates. */
  *[Symbol.iterator]() {
    yield this.get(this.hidden);
  }

  get twice() {
    return this.size * 2;
  }

  helper() {}

  is(x) {
    return x !== undefined;
  }
}

function local(a) {
  return a;
}
`),
    );
  });

  test.each([
    ["an enum", "export enum E { A }"],
    ["a namespace", "namespace N { export const a = 1; }"],
    ["a parameter property", "class C { constructor(readonly x: number) {} }"],
    ["an angle-bracket assertion", "const x = <number>y;"],
  ])("refuses %s", async (_what, source) => {
    await expect(eraseTypes(source, "bad.ts")).rejects.toThrow(TranspileError);
    await expect(eraseTypes(source, "bad.ts")).rejects.toThrow(/^bad\.ts:1: /);
  });
});

describe("declarations", () => {
  test("keeps types and signatures, drops bodies, private details and module-private values", async () => {
    const dts = await formatTypeScript(await declarations(SOURCE, "source.ts"));
    expect(dts).toBe(
      // \`T\` is used by a body only, so its import is dropped.
      await formatTypeScript(`import type { Only } from "./only.ts";
export type { Only };

/** A shape. */
export interface Shape {
  size: number;
}

export type Id = number | string;

/** Doubles. */
export declare function twice<N extends number>(n: N, by?: number, label?: string): number;

export declare const TABLE: {
  readonly a: 1;
  readonly b: -2n;
  readonly c: readonly ["x", true];
};

export declare const COUNT: number;

export declare abstract class Base<V> implements Shape {
  size: number;
  private hidden;
  protected readonly kept: string;
  extra: number;
  count: number;
  static made: number;
  constructor(kept: string);
  abstract get(index: number): V;
  /** Iterates. */
  [Symbol.iterator](): IterableIterator<V>;
  get twice(): number;
  private helper;
  is(x: unknown): x is V;
}
`),
    );
  });

  test.each([
    ["an exported constant without a type", "export const x = compute();", /without an explicit type or `as const`/],
    ["a function without a return type", "export function f(a: number) { return a; }", /a function without an explicit type/],
    ["a public property without a type", "export class C { x = 1; }", /a class property without an explicit type/],
    ["an exported let", "export let x: number = 1;", /an exported `let` or `var`/],
  ])("refuses %s", async (_what, source, message) => {
    await expect(declarations(source, "bad.ts")).rejects.toThrow(message);
  });
});

describe("rewriteRelativeImports", () => {
  const source = `import { a } from "./a.ts";\nimport type { B } from "../b.ts";\nexport * from "./c.ts";\nimport x from "pkg";\n`;

  test.each([
    [".js", ["./a.js", "../b.js", "./c.js"]],
    [".ts", ["./a.ts", "../b.ts", "./c.ts"]],
    ["", ["./a", "../b", "./c"]],
  ] as const)("to %j", async (extension, expected) => {
    const out = await rewriteRelativeImports(source, "s.ts", extension);
    expect([...out.matchAll(/"(\.[^"]*)"/g)].map((m) => m[1])).toEqual(expected);
    expect(out).toContain('from "pkg"');
  });

  test("a relative import without .ts is refused", async () => {
    await expect(rewriteRelativeImports(`import { a } from "./a.js";`, "s.ts", ".js")).rejects.toThrow(/without a \.ts extension/);
  });
});
