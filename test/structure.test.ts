// The shape of the import graph, read from the sources: the reference host stays separable.
// Only `abic run` loads host/ (lazily, through its command module), the public API loads none of
// it, and host/ reaches the compiler only through its public API (compiler/api.ts); the compiler
// has no import cycles.

import { readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

/** The repository files a source imports, statically or with `import()`, relative to the root. */
function importsOf(file: string): { static: string[]; dynamic: string[]; types: string[] } {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out = { static: [] as string[], dynamic: [] as string[], types: [] as string[] };
  const resolve = (spec: string): string | null =>
    spec.startsWith(".") ? path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), spec)).split(path.sep).join("/") : null;
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      // `import type` and `export type` are erased: they load nothing.
      const typeOnly = ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly === true : node.isTypeOnly;
      const target = resolve(node.moduleSpecifier.text);
      if (target) (typeOnly ? out.types : out.static).push(target);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      const target = arg && ts.isStringLiteral(arg) ? resolve(arg.text) : null;
      if (target) out.dynamic.push(target);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** Every repository file reachable from `roots`, not entering `stop`. */
function reachable(roots: string[], stop: Set<string> = new Set()): Set<string> {
  const seen = new Set<string>();
  const todo = [...roots];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file) || stop.has(file) || !file.endsWith(".ts")) continue;
    seen.add(file);
    const { static: s, dynamic: d } = importsOf(file);
    todo.push(...s, ...d);
  }
  return seen;
}

describe("the reference host is separable", () => {
  test("only `abic run` loads host/, lazily, through compiler/commands/run.ts", () => {
    const commands = importsOf("compiler/commands.ts");
    expect(commands.dynamic).toContain("compiler/commands/run.ts");
    expect(commands.static).not.toContain("compiler/commands/run.ts");
    const withoutRun = reachable(["compiler/cli.ts", "compiler/api.ts"], new Set(["compiler/commands/run.ts"]));
    expect(withoutRun.size).toBeGreaterThan(20);
    expect([...withoutRun].filter((f) => f.startsWith("host/"))).toEqual([]);
    expect(reachable(["compiler/commands/run.ts"]).has("host/index.ts")).toBe(true);
  });

  test("host/ reaches the compiler only through its public API", () => {
    const host = [...reachable(["host/index.ts", "host/worker.ts"])].filter((f) => f.startsWith("host/"));
    expect(host.length).toBeGreaterThan(10);
    const intoCompiler = host.flatMap((f) => {
      const { static: s, dynamic: d, types: t } = importsOf(f);
      return [...s, ...d, ...t].filter((x) => x.startsWith("compiler/")).map((x) => `${f} -> ${x}`);
    });
    expect(intoCompiler.filter((e) => !e.endsWith("-> compiler/api.ts"))).toEqual([]);
    // The workers never load the compiler at all.
    expect([...reachable(["host/worker.ts"])].filter((f) => f.startsWith("compiler/"))).toEqual([]);
  });
});

describe("the compiler's modules", () => {
  test("import each other without a cycle (type imports included)", () => {
    const files = [...reachable(["compiler/cli.ts", "compiler/api.ts"])].filter((f) => f.startsWith("compiler/"));
    const edges = new Map(files.map((f) => {
      const { static: s, dynamic: d, types: t } = importsOf(f);
      return [f, [...s, ...d, ...t].filter((x) => x.startsWith("compiler/"))] as const;
    }));
    const state = new Map<string, "open" | "done">();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]): void => {
      if (state.get(f) === "done") return;
      if (state.get(f) === "open") {
        cycles.push([...trail.slice(trail.indexOf(f)), f].join(" -> "));
        return;
      }
      state.set(f, "open");
      for (const g of edges.get(f) ?? []) visit(g, [...trail, f]);
      state.set(f, "done");
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
