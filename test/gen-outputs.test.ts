// `abic gen` in a user's tree, driven through the real CLI: it overwrites and removes only files
// it wrote, refuses an output folder that holds the contract, writes only what changed (an
// unchanged file keeps its inode and mtime), takes per-target folders from abic.config.json, and
// gives the same result from any working directory. The projects live outside the repository,
// so the repository's own abic.config.json does not apply to them.

import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { RECORD_FILE } from "../compiler/gen/writer.ts";

const BIN = path.resolve("bin/abic.js");
const SMALL = path.resolve("test/fixtures/gen/small/abi.idl");
const tmp = mkdtempSync(path.join(os.tmpdir(), "abic-gen-outputs-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function abic(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let projects = 0;
let seed: string | null = null;

/**
 * A fresh project folder holding the generators' fixture contract as abi.idl (and `files`).
 * `seeded`: with a copy of generated/ as `abic gen` leaves it, made once for the whole file, so
 * the project's gens reuse its formatted files instead of running prettier on a loaded machine
 * (tests that need a first gen into an empty folder do not seed).
 */
function project(files: Record<string, string> = {}, seeded = false): string {
  const dir = path.join(tmp, `p${projects++}`);
  mkdirSync(dir, { recursive: true });
  cpSync(SMALL, path.join(dir, "abi.idl"));
  if (seeded) {
    if (seed === null) {
      seed = path.join(tmp, "seed");
      mkdirSync(seed);
      cpSync(SMALL, path.join(seed, "abi.idl"));
      expect(abic(seed, "gen").status).toBe(0);
    }
    cpSync(path.join(seed, "generated"), path.join(dir, "generated"), { recursive: true });
  }
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Every file under `dir`, relative, with its inode, mtime and content. */
function snapshot(dir: string): Map<string, { ino: number; mtimeMs: number; text: string }> {
  const out = new Map<string, { ino: number; mtimeMs: number; text: string }>();
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full, `${prefix}${e.name}/`);
      else {
        const s = statSync(full);
        out.set(`${prefix}${e.name}`, { ino: s.ino, mtimeMs: s.mtimeMs, text: readFileSync(full, "utf8") });
      }
    }
  };
  if (existsSync(dir)) walk(dir, "");
  return out;
}

describe("files abic did not write", () => {
  test("survive gen, are listed with --verbose, and are never reported stale", () => {
    const p = project({}, true);
    expect(abic(p, "gen").status).toBe(0);
    writeFileSync(path.join(p, "generated/README.md"), "# Our generated bindings\n");
    writeFileSync(path.join(p, "generated/ts/extra.ts"), "export const mine = 1;\n");
    const r = abic(p, "gen", "--verbose");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("left    generated/README.md (not written by abic)\n");
    expect(r.stdout).toContain("left    generated/ts/extra.ts (not written by abic)\n");
    expect(readFileSync(path.join(p, "generated/README.md"), "utf8")).toBe("# Our generated bindings\n");
    expect(readFileSync(path.join(p, "generated/ts/extra.ts"), "utf8")).toBe("export const mine = 1;\n");
    expect(abic(p, "gen", "--check").status).toBe(0);
  });

  test("one in the way stops gen before anything is written, and gen says which", () => {
    const p = project({}, true);
    expect(abic(p, "gen").status).toBe(0);
    // A hand-written file where a generated one goes: abic did not write it (it is not in the
    // record), so the next gen refuses to overwrite it.
    rmSync(path.join(p, "generated/ts/index.ts"));
    writeFileSync(path.join(p, "generated/ts/index.ts"), "// my own index\n");
    writeFileSync(path.join(p, "abi.idl"), readFileSync(path.join(p, "abi.idl"), "utf8").replace("/// The demo import module.", "/// The demo import module, edited."));
    const before = snapshot(path.join(p, "generated"));
    const r = abic(p, "gen");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("abic gen: error: generated/ts/index.ts is in the way: abic would write this file, but did not write the one there;");
    expect(snapshot(path.join(p, "generated"))).toEqual(before);
    const json = JSON.parse(abic(p, "gen", "--format", "json").stdout);
    expect(json).toMatchObject({ ok: false, conflicts: ["ts/index.ts"] });
    expect(json.diagnostics.map((d: { code: string }) => d.code)).toContain("E0803");
  });

  test("a folder without a record (older abic): files with abic's banner are adopted, others kept", () => {
    const p = project({}, true);
    expect(abic(p, "gen").status).toBe(0);
    rmSync(path.join(p, "generated", RECORD_FILE));
    writeFileSync(path.join(p, "generated/ts/gone.ts"), "// Generated by abic from abi.idl (small_abi@1.1.0).\n// Do not edit.\n");
    writeFileSync(path.join(p, "generated/ts/notes.md"), "kept\n");
    const r = abic(p, "gen", "-v");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("removed generated/ts/gone.ts\n");
    expect(r.stdout).toMatch(/^wrote 0 files, kept \d+, removed 1 in generated\/$/m);
    expect(existsSync(path.join(p, "generated/ts/gone.ts"))).toBe(false);
    expect(readFileSync(path.join(p, "generated/ts/notes.md"), "utf8")).toBe("kept\n");
    expect(JSON.parse(readFileSync(path.join(p, "generated", RECORD_FILE), "utf8")).files).toContain("ts/index.ts");
  });
});

describe("an output folder that holds the contract is refused", () => {
  test.each([
    ["the project root (the contract's folder)", ".", "."],
    ["a folder the contract includes files from", "abi", "abi"],
    ["an ancestor of the contract's folder", "..", "proj/.."],
  ])("--out %s: one line, exit 1, nothing written or deleted", (_what, out) => {
    const root = project();
    // proj/ holds the contract (which `use`s abi/extra.idl) and hand-written code.
    const p = path.join(root, "proj");
    mkdirSync(path.join(p, "abi"), { recursive: true });
    writeFileSync(path.join(p, "abi.idl"), readFileSync(SMALL, "utf8").replace(/^(package [^;]+;)$/m, '$1\n\nuse "abi/extra.idl";'));
    writeFileSync(path.join(p, "abi/extra.idl"), "/// An extra type.\n@since(1.0.0)\ntype extra = u32;\n");
    writeFileSync(path.join(p, "main.ts"), "console.log('hand-written');\n");
    const before = snapshot(root);
    const r = abic(p, "gen", "--out", out);
    expect(r.status).toBe(1);
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("abic gen: error:"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^abic gen: error: refusing to generate into .*\/: it holds the contract's (abi\.idl|abi\/extra\.idl); give the generated files a folder of their own \(e\.g\. --out generated\)$/);
    expect(snapshot(root)).toEqual(before);
  });

  test("from another working directory too, and for a target's own folder in the configuration", () => {
    const p = project({ "abic.config.json": JSON.stringify({ targets: { ts: { out: "." }, c: true } }) });
    const before = snapshot(p);
    const r = abic(path.dirname(p), "gen", "--config", path.join(p, "abic.config.json"));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`refusing to generate into ${path.basename(p)}/ (the ts target's folder): it holds the contract's ${path.basename(p)}/abi.idl`);
    expect(snapshot(p)).toEqual(before);
  });
});

describe("incremental writes", () => {
  test("a gen that changes nothing writes nothing: every inode and mtime stays", async () => {
    const p = project({}, true);
    expect(abic(p, "gen").status).toBe(0);
    const before = snapshot(path.join(p, "generated"));
    // Past the file system's timestamp granularity, so a rewrite would show.
    await new Promise((r) => setTimeout(r, 50));
    const r = abic(p, "gen");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^generated\/ is up to date \(\d+ files\)\n$/);
    expect(snapshot(path.join(p, "generated"))).toEqual(before);
  });

  test("a generated file changed to other bytes of the same size is written again", () => {
    const p = project({}, true);
    expect(abic(p, "gen").status).toBe(0);
    const header = path.join(p, "generated", "c", "wasi", "api.h");
    const original = readFileSync(header, "utf8");
    // One character for another: the size alone does not tell.
    const edited = original.replace("uint32_t", "uint32_T");
    expect(edited).not.toBe(original);
    expect(Buffer.byteLength(edited)).toBe(Buffer.byteLength(original));
    writeFileSync(header, edited);
    const r = abic(p, "gen", "--verbose");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("wrote   generated/c/wasi/api.h");
    expect(readFileSync(header, "utf8")).toBe(original);
  });

  test("a one-function edit rewrites exactly the files whose content it changes, nothing else", async () => {
    const p = project({}, true);
    expect(abic(p, "gen").status).toBe(0);
    const before = snapshot(path.join(p, "generated"));
    await new Promise((r) => setTimeout(r, 50));
    // The doc comment of one function of demo_ext.
    const idl = path.join(p, "abi.idl");
    const text = readFileSync(idl, "utf8");
    expect(text).toContain("    /// Answer a ping; see `demo.fd_close`.\n");
    writeFileSync(idl, text.replace("    /// Answer a ping; see `demo.fd_close`.\n", "    /// Answer a ping, edited; see `demo.fd_close`.\n"));
    const r = abic(p, "gen", "--verbose");
    expect(r.status).toBe(0);
    const after = snapshot(path.join(p, "generated"));
    const rewritten = [...after].filter(([f, s]) => before.get(f)?.ino !== s.ino || before.get(f)?.mtimeMs !== s.mtimeMs).map(([f]) => f);
    const changed = [...after].filter(([f, s]) => before.get(f)?.text !== s.text).map(([f]) => f);
    expect(rewritten.sort()).toEqual(changed.sort());
    // The function's module in every language, its docs page and the manifest; no other module.
    expect(changed).toEqual(expect.arrayContaining(["ts/demo_ext.ts", "c/demo_ext.h", "rust/src/demo_ext.rs", "docs/demo_ext.md", "abi.json"]));
    expect(changed.filter((f) => /(^|\/)demo\.(ts|h|rs|md)$/.test(f))).toEqual([]);
    expect(changed.length).toBeLessThan(after.size / 2);
    // The record lists the same files, and holds digests only of files prettier formatted (none
    // here: TS and Markdown are laid out by their targets), so it is not rewritten.
    expect(changed).not.toContain(RECORD_FILE);
    const outputs = changed.filter((f) => f !== RECORD_FILE);
    const wrote = r.stdout.split("\n").filter((l) => l.startsWith("wrote   ")).map((l) => l.slice(8).replace(/^generated\//, ""));
    expect(wrote.sort()).toEqual(outputs.sort());
    expect(r.stdout).toContain(`wrote ${outputs.length} files, kept ${after.size - 1 - outputs.length}, removed 0 in generated/`);
  });

  test("files no longer generated are removed, with the folders they leave empty", () => {
    const p = project({}, true);
    expect(abic(p, "gen").status).toBe(0);
    const idl = path.join(p, "abi.idl");
    writeFileSync(path.join(p, "generated/rust/src/keep.txt"), "mine\n");
    // Without the extension module, its files in every target are gone.
    const text = readFileSync(idl, "utf8").replace(" and `demo_ext.ext_ping`", "").replace(", demo_ext::ext_ping;", ";");
    const start = text.indexOf("/// An extension module");
    const end = text.indexOf("/// How the runtime starts a command.");
    expect(start).toBeGreaterThan(0);
    writeFileSync(idl, text.slice(0, start) + text.slice(end));
    const r = abic(p, "gen");
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/removed [1-9]\d* in generated\//);
    for (const f of ["ts/demo_ext.ts", "c/demo_ext.h", "rust/src/demo_ext.rs", "docs/demo_ext.md"]) expect(existsSync(path.join(p, "generated", f)), f).toBe(false);
    expect(existsSync(path.join(p, "generated/ts/demo.ts"))).toBe(true);
    expect(readFileSync(path.join(p, "generated/rust/src/keep.txt"), "utf8")).toBe("mine\n");
  });
});

describe("abic.config.json", () => {
  test("per-target folders and options, found from a subfolder; flags override", () => {
    const config = {
      $schema: "./node_modules/abic/abic.config.schema.json",
      contract: "abi.idl",
      targets: {
        ts: { out: "src/generated", options: { import_extension: "ts" } },
        c: { out: "sysroot/include" },
        docs: { out: "docs/abi" },
        manifest: true,
      },
    };
    const p = project({ "abic.config.json": JSON.stringify(config, null, 2), "src/main.ts": "// mine\n" });
    mkdirSync(path.join(p, "src/deep"), { recursive: true });
    const r = abic(path.join(p, "src/deep"), "gen");
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("wrote 20 files, kept 0, removed 0 in ../../docs/abi/, ../../generated/, ../generated/, ../../sysroot/include/\n");
    expect(readFileSync(path.join(p, "src/generated/index.ts"), "utf8")).toContain('export * from "./runtime.ts";');
    expect(existsSync(path.join(p, "sysroot/include/wasi/api.h"))).toBe(true);
    expect(existsSync(path.join(p, "docs/abi/index.md"))).toBe(true);
    expect(existsSync(path.join(p, "generated/abi.json"))).toBe(true);
    // Targets not listed do not run.
    expect(existsSync(path.join(p, "generated/rust"))).toBe(false);
    expect(existsSync(path.join(p, "generated/abi.report.txt"))).toBe(false);
    expect(readFileSync(path.join(p, "src/main.ts"), "utf8")).toBe("// mine\n");
    // --ts-opt overrides the configured option; --out moves every target under it.
    const o = abic(p, "gen", "--out", "elsewhere", "--ts-opt", "import_extension=js");
    expect(o.status).toBe(0);
    expect(readFileSync(path.join(p, "elsewhere/ts/index.ts"), "utf8")).toContain('export * from "./runtime.js";');
    expect(existsSync(path.join(p, "elsewhere/c/wasi/api.h"))).toBe(true);
    expect(abic(p, "gen", "--check").status).toBe(0);
  });

  test("denyWarnings in the configuration fails a contract with warnings", () => {
    const p = project({ "abic.config.json": '{ "denyWarnings": true }\n' });
    const r = abic(p, "gen");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("warnings are errors (--deny-warnings)");
    expect(existsSync(path.join(p, "generated"))).toBe(false);
  });

  test.each([
    ['{ "outt": "gen" }', 'abic.config.json:1:3: error E0702: unknown key `/outt`', 'help: did you mean `"out"`?'],
    ['{\n  "targets": { "ts": { "options": { "target": "js" } } }\n}', "abic.config.json:2:47: error E0702: `/targets/ts/options/target` must be one of \"ts\", \"js+dts\", not `\"js\"`", 'help: did you mean `"ts"`?'],
    ['{ "targets": { "doc": true } }', "abic.config.json:1:16: error E0702: unknown key `/targets/doc`", 'help: did you mean `"docs"`?'],
    ['{ "targets": { "c": { "out": "" } } }', "abic.config.json:1:30: error E0702: `/targets/c/out` must not be empty", null],
    ['{ "denyWarnings": "yes" }', 'abic.config.json:1:19: error E0702: `/denyWarnings` must be true or false, not `"yes"`', null],
    ['{ "targets": { "ts": { "out": "x", }, } }', "abic.config.json:1:36: error E0702: not valid JSON: a trailing comma is not allowed in JSON", null],
    ['{ "targets": { "ts": { "options": { "target": "js+dts", "import_extension": "ts" } } } }', "abic.config.json:1:35: error E0702: `/targets/ts/options`: import_extension=ts needs target=ts: JavaScript files cannot import .ts files", null],
  ])("%s is reported at its place", (text, first, help) => {
    const p = project({ "abic.config.json": text });
    const r = abic(p, "gen");
    expect(r.status).toBe(1);
    expect(r.stderr.split("\n")[0]).toBe(first);
    if (help !== null) expect(r.stderr).toContain(help);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(p, "generated"))).toBe(false);
  });

  test("every mistake of a file in one run, also as JSON", () => {
    const p = project({ "abic.config.json": '{ "out": 1, "targets": { "rust": 3, "c": { "options": { "x": "y" } } } }' });
    const doc = JSON.parse(abic(p, "gen", "--format", "json").stdout);
    expect(doc).toMatchObject({ command: "gen", ok: false, errors: 3 });
    expect(doc.diagnostics.map((d: { message: string; line: number; column: number }) => [d.message, d.line, d.column])).toEqual([
      ["`/out` must be a folder (a string), not `1`", 1, 10],
      ["`/targets/rust` must be true, false or an object with `out` and `options`, not `3`", 1, 34],
      ["the c target takes no options", 1, 57],
    ]);
  });
});

describe("the same result from any working directory", () => {
  test("without a configuration: banners name the contract from its folder; --check agrees from two cwds", () => {
    const p = project({}, true);
    const parent = path.dirname(p);
    const name = path.basename(p);
    expect(abic(parent, "gen", `${name}/abi.idl`, "--out", `${name}/generated`).status).toBe(0);
    expect(readFileSync(path.join(p, "generated/ts/index.ts"), "utf8")).toMatch(/^\/\/ Generated by abic from abi\.idl \(small_abi@/);
    expect(readFileSync(path.join(p, "generated/abi.json"), "utf8")).toContain('"file": "abi.idl"');
    expect(abic(p, "gen", "--check").stdout).toBe("generated/ is up to date (28 files)\n");
    expect(abic(parent, "gen", `${name}/abi.idl`, "--out", `${name}/generated`, "--check").stdout).toBe(`${name}/generated/ is up to date (28 files)\n`);
    expect(abic(path.join(p, "generated"), "gen", "../abi.idl", "--out", ".", "--check").status).toBe(0);
  });

  test("with a configuration: names are relative to its folder, from a subfolder or with --config", () => {
    const p = project({ "abic.config.json": '{ "contract": "api/abi.idl", "out": "out" }' });
    mkdirSync(path.join(p, "api"));
    cpSync(path.join(p, "abi.idl"), path.join(p, "api/abi.idl"));
    mkdirSync(path.join(p, "tools"));
    expect(abic(path.join(p, "tools"), "gen").status).toBe(0);
    expect(readFileSync(path.join(p, "out/c/demo.h"), "utf8")).toContain("Generated by abic from api/abi.idl (small_abi@");
    expect(abic(p, "gen", "--check").status).toBe(0);
    expect(abic(tmp, "gen", "--check", "--config", path.join(p, "abic.config.json")).status).toBe(0);
  });
});

describe("reusing what prettier formatted before", () => {
  test("a hand-edited or swapped file is formatted again, never taken from the record", () => {
    const p = project({}, true);
    expect(abic(p, "gen").status).toBe(0);
    const fresh = snapshot(path.join(p, "generated"));
    const out = path.join(p, "generated");
    const record = JSON.parse(readFileSync(path.join(out, RECORD_FILE), "utf8")) as { formatted: Record<string, string> };
    // Only files prettier formatted are vouched for by the key of their input and their digest:
    // the TypeScript files are laid out by their templates (gen/format.ts layoutTypeScript) and
    // the Markdown pages are written as prettier prints them (gen/docs-markdown.ts), and this
    // contract has nothing either must hand to prettier.
    expect(Object.keys(record.formatted)).not.toContain("ts/demo.ts");
    expect(Object.keys(record.formatted)).not.toContain("docs/demo.md");
    // That part of the record is a cache: without it nothing is stale, and gen puts it back.
    writeFileSync(path.join(out, RECORD_FILE), JSON.stringify({ ...record, formatted: {} }));
    expect(abic(p, "gen", "--check").status).toBe(0);
    expect(abic(p, "gen").status).toBe(0);
    expect(JSON.parse(readFileSync(path.join(out, RECORD_FILE), "utf8")).formatted).toEqual(record.formatted);
    // An edit keeping the banner, and two files swapped (each still listed, with the other's key).
    const demo = path.join(out, "ts/demo.ts");
    writeFileSync(demo, readFileSync(demo, "utf8").replace("export", "export  "));
    const [a, b] = [path.join(out, "docs/demo.md"), path.join(out, "docs/demo_ext.md")];
    const [ta, tb] = [readFileSync(a, "utf8"), readFileSync(b, "utf8")];
    writeFileSync(a, tb);
    writeFileSync(b, ta);
    const check = abic(p, "gen", "--check");
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(/3 generated files are stale/);
    expect(abic(p, "gen").status).toBe(0);
    const repaired = snapshot(out);
    for (const f of ["ts/demo.ts", "docs/demo.md", "docs/demo_ext.md"]) expect(repaired.get(f)?.text, f).toBe(fresh.get(f)?.text);
  });
});

describe("formatting", () => {
  test("every TypeScript and Markdown file in generated/ is exactly what prettier makes of it", async () => {
    const { formatMarkdown, formatTypeScript } = await import("../compiler/gen/format.ts");
    const files = [...snapshot("generated")].filter(([f]) => f.endsWith(".ts") || f.endsWith(".md"));
    expect(files.length).toBeGreaterThan(20);
    // Outside a run's memo, these call prettier itself.
    for (const [f, { text }] of files) expect(await (f.endsWith(".md") ? formatMarkdown(text) : formatTypeScript(text)), f).toBe(text);
  });
});

describe("the configuration's JSON Schema", () => {
  test("abic.config.schema.json is what the declarations make, and names every target and option", async () => {
    const { schemaText, SCHEMA_FILE } = await import("../scripts/config-schema.ts");
    expect(readFileSync(SCHEMA_FILE, "utf8"), "run `node --import tsx scripts/config-schema.ts`").toBe(schemaText());
    const schema = JSON.parse(schemaText());
    expect(Object.keys(schema.properties.targets.properties)).toEqual(["manifest", "c", "ts", "rust", "docs", "html", "report"]);
    expect(schema.properties.targets.properties.ts.oneOf[1].properties.options.properties.target.enum).toEqual(["ts", "js+dts"]);
    expect(schema.additionalProperties).toBe(false);
  });
});

describe("the generation cache (node_modules/.cache/abic)", () => {
  test("a no-op gen is told from the files the last gen read, and repeats its warnings; an included file's edit is seen", () => {
    const extra = "/// A constant from an included file.\n@since(1.0.0)\nconst extra_limit: u32 = 7;\n";
    const p = project({ "node_modules/.keep": "", "more/extra.idl": extra }, true);
    const idl = path.join(p, "abi.idl");
    writeFileSync(idl, readFileSync(idl, "utf8").replace(/^(package [^\n]*\n)/m, '$1use "more/extra.idl";\n'));
    const initial = abic(p, "gen");
    expect(initial.status).toBe(0);
    const cacheDir = path.join(p, "node_modules/.cache/abic");
    const cache = () => JSON.parse(readFileSync(path.join(cacheDir, readdirSync(cacheDir)[0]!), "utf8")) as { sources?: { read: string[]; missing: string[] } };
    // The files the contract was read from, as the loader names them (relative to its folder).
    expect(cache().sources?.read.sort()).toEqual(["abi.idl", "more/extra.idl"]);
    expect(cache().sources?.missing).toEqual([]);
    // The fixture has undocumented parameters: the same warnings, with their code frames, come
    // from the cache when nothing changed.
    expect(initial.stderr).toMatch(/warning W0401/);
    const noop = abic(p, "gen");
    expect(noop.stdout).toMatch(/^generated\/ is up to date/);
    expect(noop.stderr).toBe(initial.stderr);
    expect(abic(p, "gen", "--check").stderr).toBe(initial.stderr);
    expect(abic(p, "gen", "--deny-warnings").status).toBe(1);
    // An edit of the included file alone changes what the files give: gen renders again.
    writeFileSync(path.join(p, "more/extra.idl"), extra.replace("= 7", "= 9"));
    expect(abic(p, "gen").stdout).toMatch(/^wrote [1-9]/);
    expect(readFileSync(path.join(p, "generated/abi.json"), "utf8")).toMatch(/"name": "extra_limit",\s*"type": \{[^}]*\},\s*"value": 9,/);
    expect(abic(p, "gen", "--check").status).toBe(0);
    // A new warning in the included file is reported, and again by the no-op gen after it.
    writeFileSync(path.join(p, "more/extra.idl"), extra.replace("/// A constant from an included file.\n", ""));
    const warned = abic(p, "gen");
    expect(warned.status).toBe(0);
    expect(warned.stderr).toMatch(/more\/extra\.idl:\d+:\d+: warning W0401/);
    expect(abic(p, "gen").stderr).toBe(warned.stderr);
  });

  test("a gen into an empty folder takes prettier's earlier results from the cache, and only those whose input is unchanged", () => {
    // `__strong__` is doc text the docs leave to prettier (it prints `**strong**`).
    const p = project({ "node_modules/.keep": "" });
    const idl = path.join(p, "abi.idl");
    writeFileSync(idl, readFileSync(idl, "utf8").replace("/// Answer a ping;", "/// Answer a __strong__ ping;"));
    expect(abic(p, "gen").status).toBe(0);
    const cold = snapshot(path.join(p, "generated"));
    expect(cold.get("docs/demo_ext.md")?.text).toContain("Answer a **strong** ping;");
    const cacheDir = path.join(p, "node_modules/.cache/abic");
    const cacheFile = path.join(cacheDir, readdirSync(cacheDir)[0]!);
    const cache = JSON.parse(readFileSync(cacheFile, "utf8")) as { formatted: Record<string, string> };
    const keys = Object.keys(cache.formatted).filter((k) => cache.formatted[k]!.includes("**strong**"));
    expect(keys.length).toBeGreaterThan(0);
    // An empty output folder with the cache gives the same files...
    rmSync(path.join(p, "generated"), { recursive: true });
    expect(abic(p, "gen").status).toBe(0);
    const cached = snapshot(path.join(p, "generated"));
    expect([...cached].map(([f, x]) => [f, x.text])).toEqual([...cold].map(([f, x]) => [f, x.text]));
    // ...and they come from the cache: an entry doctored under its key shows up in the page.
    const doctored = { ...cache, formatted: Object.fromEntries(Object.entries(cache.formatted).map(([k, v]) => [k, keys.includes(k) ? v.replace("**strong**", "**from the cache**") : v])) };
    writeFileSync(cacheFile, JSON.stringify(doctored));
    rmSync(path.join(p, "generated"), { recursive: true });
    expect(abic(p, "gen").status).toBe(0);
    expect(readFileSync(path.join(p, "generated/docs/demo_ext.md"), "utf8")).toContain("Answer a **from the cache** ping;");
    // An edited input has another key: prettier formats it, whatever the cache holds.
    writeFileSync(cacheFile, JSON.stringify(doctored));
    writeFileSync(idl, readFileSync(idl, "utf8").replace("/// Answer a __strong__ ping;", "/// Answer a __strong__ pong;"));
    expect(abic(p, "gen").status).toBe(0);
    const page = readFileSync(path.join(p, "generated/docs/demo_ext.md"), "utf8");
    expect(page).toContain("Answer a **strong** pong;");
    expect(page).not.toContain("from the cache");
  });

  test("a gen with the same inputs renders nothing, yet an edited output or an edited contract is seen", async () => {
    const p = project({ "node_modules/.keep": "" }, true);
    expect(abic(p, "gen").status).toBe(0);
    const caches = readdirSync(path.join(p, "node_modules/.cache/abic"));
    expect(caches).toHaveLength(1);
    const fresh = snapshot(path.join(p, "generated"));
    // An output edited by hand: its digest no longer matches, so gen renders and repairs it.
    const header = path.join(p, "generated/c/demo.h");
    writeFileSync(header, readFileSync(header, "utf8") + "// edited\n");
    expect(abic(p, "gen", "--check").status).toBe(1);
    expect(abic(p, "gen").status).toBe(0);
    expect(readFileSync(header, "utf8")).toBe(fresh.get("c/demo.h")?.text);
    // A cache that claims another generation is not believed either.
    const cacheFile = path.join(p, "node_modules/.cache/abic", caches[0]!);
    const cache = JSON.parse(readFileSync(cacheFile, "utf8")) as { generation: string };
    writeFileSync(cacheFile, JSON.stringify({ ...cache, generation: "0".repeat(32) }));
    expect(abic(p, "gen").stdout).toMatch(/^generated\/ is up to date/);
    expect(JSON.parse(readFileSync(cacheFile, "utf8")).generation).toBe(cache.generation);
    // Proof that a matching cache is all gen consults: a file changed together with its digest
    // in the cache is taken as generated (nothing is rendered to compare it with).
    const { digest } = await import("../compiler/gen/format.ts");
    const doctored = fresh.get("c/demo.h")!.text + "// doctored\n";
    writeFileSync(header, doctored);
    const withDoctored = JSON.parse(readFileSync(cacheFile, "utf8")) as { digests: Record<string, Record<string, string>> };
    withDoctored.digests[realpathSync(path.join(p, "generated"))]!["c/demo.h"] = digest(doctored);
    writeFileSync(cacheFile, JSON.stringify(withDoctored));
    expect(abic(p, "gen", "--check").status).toBe(0);
    rmSync(cacheFile);
    expect(abic(p, "gen", "--check").status).toBe(1);
    expect(abic(p, "gen").status).toBe(0);
    // An edit of the contract changes the key: the docs follow it.
    writeFileSync(path.join(p, "abi.idl"), readFileSync(path.join(p, "abi.idl"), "utf8").replace("/// Answer a ping;", "/// Answer a ping, edited;"));
    expect(abic(p, "gen").stdout).toMatch(/^wrote [1-9]/);
    expect(readFileSync(path.join(p, "generated/docs/demo_ext.md"), "utf8")).toContain("Answer a ping, edited;");
  });
});
