// abic as a package: `npm pack` of this repository holds only what a user needs, and installed
// into a fresh project (outside this checkout, so nothing resolves from its node_modules) it
// runs `npx abic`, generates bindings for a contract of its own, serves `abic lsp` to an
// editor, and its API loads from plain Node ESM and type-checks from a strict TypeScript file.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { STRICT_COMPILER_OPTIONS } from "./support/strict-tsconfig.ts";
import { LspClient } from "../scripts/lsp-client.ts";

const REPO = path.resolve(".");
const TSC = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const VERSION: string = JSON.parse(readFileSync("package.json", "utf8")).version;

const CONTRACT = `package tiny@1.0.0;

@since(1.0.0) @open
enum errno: u16 { success = 0, badf = 8, ilseq = 25, fault = 21, inval = 28, io = 29 }

@since(1.0.0)
struct point { x: s32, y: s32 }

@since(1.0.0) @tier(isolated)
module tiny {
    @since(1.0.0)
    fn origin() -> result<point, errno>;
}
`;

let work: string;
let project: string;
let packed: { name: string; files: { path: string }[]; filename: string };

const run = (cmd: string, args: string[], cwd = project): string =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: "pipe", env: { ...process.env, npm_config_update_notifier: "false" } });

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), "abic-package-"));
  // dist/ is current (the test setup builds it), so packing needs no prepare script.
  const out = run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], REPO);
  packed = JSON.parse(out)[0];
  project = path.join(work, "project");
  mkdirSync(project);
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  // Dependencies come from npm's cache when it has them (it does after `npm ci` here).
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--save-dev", path.join(work, packed.filename)]);
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the tarball", () => {
  test("holds the compiled code, templates, contract and docs, and nothing of the repository's own", () => {
    const files = packed.files.map((f) => f.path);
    for (const needed of [
      "bin/abic.js",
      "dist/abic.cjs",
      "dist/compiler/api.js",
      "dist/compiler/api.d.ts",
      "dist/compiler/cli.js",
      "dist/compiler/lsp/server.js",
      "dist/compiler/fmt/index.js",
      "dist/host/worker.js",
      "templates/ts/runtime.ts",
      "templates/ts/module.ts.hbs",
      "templates/html/page.html.hbs",
      "templates/html/search.js",
      "templates/html/style.css",
      "abi.idl",
      "abi/types.idl",
      "README.md",
      "LANGUAGE.md",
      "DIAGNOSTICS.md",
      "LICENSE",
      "package.json",
    ])
      expect(files, needed).toContain(needed);
    const unwanted = files.filter((f) =>
      /^(test|scripts|\.ci|generated|compiler|host|node_modules)\/|^abi\/releases\/|^tsconfig|\.tsbuildinfo$|^vitest/.test(f),
    );
    expect(unwanted).toEqual([]);
  });

  test("installs without TypeScript or tsx: nothing interprets TypeScript at run time", () => {
    expect(existsSync(path.join(project, "node_modules/abic/dist/compiler/api.js"))).toBe(true);
    expect(existsSync(path.join(project, "node_modules/typescript"))).toBe(false);
    expect(existsSync(path.join(project, "node_modules/tsx"))).toBe(false);
    // The language server's protocol library is a run-time dependency; the test clients are not.
    expect(existsSync(path.join(project, "node_modules/vscode-languageserver/package.json"))).toBe(true);
    expect(existsSync(path.join(project, "node_modules/vscode-textmate"))).toBe(false);
    // The HTML reference renders with markdown-it at run time; its browser test's driver is not shipped.
    expect(existsSync(path.join(project, "node_modules/markdown-it/package.json"))).toBe(true);
    expect(existsSync(path.join(project, "node_modules/playwright-core"))).toBe(false);
  });
});

describe("installed in a fresh project", () => {
  test("npx abic --version", () => {
    expect(run("npx", ["--no-install", "abic", "--version"])).toBe(`abic ${VERSION}\n`);
  });

  test("npx abic gen on the project's own contract", () => {
    writeFileSync(path.join(project, "tiny.idl"), CONTRACT);
    expect(run("npx", ["--no-install", "abic", "check", "tiny.idl"])).toMatch(/^tiny@1\.0\.0: /);
    // The CLI bundle's code cache lives with the check cache, in the project's node_modules.
    expect(existsSync(path.join(project, "node_modules/.cache/abic/code-check.bin"))).toBe(true);
    expect(run("npx", ["--no-install", "abic", "gen", "tiny.idl", "--out", "gen"])).toMatch(/^wrote \d+ files, kept 0, removed 0 in gen\/\n$/);
    const index = readFileSync(path.join(project, "gen/ts/index.ts"), "utf8");
    expect(index).toContain("Generated by abic from tiny.idl (tiny@1.0.0)");
    expect(index).toContain('export * from "./tiny.js";');
    expect(existsSync(path.join(project, "gen/c/tiny.h"))).toBe(true);
    expect(existsSync(path.join(project, "gen/abi.json"))).toBe(true);
    expect(existsSync(path.join(project, "gen/html"))).toBe(false);
  });

  test("npx abic gen --enable html: the HTML reference from the installed templates", () => {
    writeFileSync(path.join(project, "tiny.idl"), CONTRACT);
    expect(run("npx", ["--no-install", "abic", "gen", "tiny.idl", "--out", "site", "--enable", "html"])).toMatch(/^wrote \d+ files, kept 0, removed 0 in site\/$/m);
    const index = readFileSync(path.join(project, "site/html/index.html"), "utf8");
    expect(index).toContain("Generated by abic from tiny.idl (tiny@1.0.0)");
    expect(index).toContain('<script src="search-index.js" defer></script>');
    for (const asset of ["search.js", "search-index.js", "style.css"]) expect(existsSync(path.join(project, "site/html", asset)), asset).toBe(true);
  });

  test("npx abic run: the reference host's workers run from the installed package", () => {
    // (module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
    //   (memory (export "memory") 1) (func (export "_start") (call 0 (i32.const 3))))
    const exit3 = Buffer.concat([
      Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 8, 2, 0x60, 1, 0x7f, 0, 0x60, 0, 0, 2, 0x24, 1, 0x16]),
      Buffer.from("wasi_snapshot_preview1"),
      Buffer.from([9]),
      Buffer.from("proc_exit"),
      Buffer.from([0, 0, 3, 2, 1, 1, 5, 3, 1, 0, 1, 7, 0x13, 2, 6]),
      Buffer.from("memory"),
      Buffer.from([2, 0, 6]),
      Buffer.from("_start"),
      Buffer.from([0, 1, 0x0a, 8, 1, 6, 0, 0x41, 3, 0x10, 0, 0x0b]),
    ]);
    writeFileSync(path.join(project, "exit3.wasm"), exit3);
    const r = spawnSync("npx", ["--no-install", "abic", "run", "exit3.wasm"], { cwd: project, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(3);
  });

  test("abic lsp from the installed package: diagnostics, hover and formatting of the project's contract", async () => {
    const file = path.join(project, "tiny.idl");
    writeFileSync(file, CONTRACT);
    const uri = pathToFileURL(file).href;
    const client = new LspClient([], { bin: path.join(project, "node_modules/abic/bin/abic.js"), cwd: project });
    try {
      await client.initialize(project);
      const typo = CONTRACT.replace("struct point { x: s32,", "struct point { x: s23,");
      const published = client.nextDiagnostics(uri);
      await client.open(uri, typo);
      // (Its items have no doc comments: those are warnings.)
      const d = (await published).diagnostics.filter((x) => x.severity === 1);
      expect(d.map((x) => [x.code, x.range.start, x.data])).toEqual([
        ["E0201", { line: 6, character: 18 }, { replacement: "s32", replace: { start: { line: 6, character: 18 }, end: { line: 6, character: 21 } } }],
      ]);
      const hover = await client.request<{ contents: { value: string } }>("textDocument/hover", { textDocument: { uri }, position: { line: 6, character: 9 } });
      expect(hover.contents.value).toContain("struct point");
      const edits = await client.request<unknown[]>("textDocument/formatting", { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } });
      // One-line enum and struct bodies are laid out one member per line.
      expect(edits.length).toBeGreaterThan(0);
      expect(client.stderr).toBe("");
    } finally {
      await client.close();
    }
  });

  test("the API from plain Node ESM", () => {
    writeFileSync(
      path.join(project, "api.mjs"),
      `import { compileText, formatDiagnostics, generate, diffContracts, verifyModule } from "abic";
import { readFileSync } from "node:fs";
const c = compileText(readFileSync("tiny.idl", "utf8"), "tiny.idl");
const broken = compileText("package tiny@1.0.0; @since(1.0.0) struct s { a: nope }", "broken.idl");
const files = await generate(c.model, { source: "tiny.idl", ts: { target: "js+dts" } });
const report = diffContracts(c.model, c.model);
// A module importing tiny.nope: () -> (), which the contract does not have.
const guest = new Uint8Array([
  0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
  1, 4, 1, 0x60, 0, 0,
  2, 13, 1, 4, 0x74, 0x69, 0x6e, 0x79, 4, 0x6e, 0x6f, 0x70, 0x65, 0, 0,
]);
const verdict = verifyModule(guest, c.model, { tier: "full", features: [] });
console.log(JSON.stringify({
  ok: c.model !== null,
  broken: formatDiagnostics(broken.diagnostics, broken.texts).split("\\n").filter((l) => / error |errors?,/.test(l)),
  files: files.filter((f) => f.path.startsWith("ts/")).map((f) => f.path).sort(),
  changes: report.findings.length,
  linkOk: verdict.ok,
  rules: verdict.findings.map((f) => f.rule),
}));
`,
    );
    expect(JSON.parse(run(process.execPath, ["api.mjs"]))).toEqual({
      ok: true,
      broken: ["broken.idl:1:49: error E0201: unknown type `nope`", "1 error, 2 warnings"],
      files: ["contract", "index", "runtime", "tiny", "types"].flatMap((n) => [`ts/${n}.d.ts`, `ts/${n}.js`]),
      changes: 0,
      linkOk: false,
      rules: ["IMP_NAME_EXISTS"],
    });
  });

  test("the API from a strict TypeScript file, checked by tsc", () => {
    writeFileSync(
      path.join(project, "api.ts"),
      `import { compileText, generate, diffContracts, type Compilation, type ContractModel, type DiffReport, type GeneratedFile, type TsOptions } from "abic";

export async function outputs(text: string): Promise<GeneratedFile[]> {
  const c: Compilation = compileText(text, "tiny.idl");
  const model: ContractModel | null = c.model;
  if (model === null) return [];
  const ts: Partial<TsOptions> = { importExtension: "none" };
  const report: DiffReport = diffContracts(model, model);
  return report.ok ? generate(model, { ts }) : [];
}
`,
    );
    writeFileSync(
      path.join(project, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { ...STRICT_COMPILER_OPTIONS, noEmit: true }, files: ["api.ts"] }),
    );
    expect(() => run(process.execPath, [TSC, "-p", project])).not.toThrow();
  });
});
