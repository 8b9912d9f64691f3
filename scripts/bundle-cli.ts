// Bundles the CLI (compiler/cli.ts and everything its commands load) into one classic script,
// dist/abic.cjs, which bin/abic.js compiles with V8's code cache. One file instead of ~40 ES
// modules, and a script (not a module) because only scripts take V8 cached data in Node 20.
// The published API stays the tsc-emitted ES modules in dist/compiler/, and the reference host's
// workers run the ES modules in dist/host.
//
// Two things a classic script lacks are handed in by bin/abic.js as wrapper parameters:
// - `import.meta.url`: each module gets the URL of its tsc-emitted twin in dist/, so every path
//   it computes from it (package root, templates, host workers) is the same as in dist/;
// - `import()` of a package (prettier): a script compiled by vm has no dynamic import without
//   an experimental flag, so bin/abic.js's own `import()` does it (it resolves from the same
//   package root). Dynamic imports of abic's own modules are bundled (lazily initialised).
//
// Run by `npm run build` (after tsc) and by the tests' global setup.

import * as esbuild from "esbuild";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Where the bundle goes, relative to the package root (bin/abic.js loads it from there). */
export const CLI_BUNDLE = "dist/abic.cjs";

/**
 * The bundle's first line: the SHA-256 of everything after it, which bin/abic.js keys the code
 * cache with (computed here once, not by every run).
 */
export const DIGEST_LINE = /^\/\* abic-bundle sha256:([0-9a-f]{64}) \*\/\n/;

/** The bundle is one function expression; bin/abic.js calls it with these, in this order. */
const WRAPPER = "(function (exports, require, module, __filename, __dirname, __abicModuleUrl, __abicImport) {";

/** `import.meta.url` of a module: the URL of its tsc-emitted twin (`compiler/x.ts` -> dist/compiler/x.js). */
function moduleUrl(file: string): string {
  const rel = path.relative(ROOT, path.resolve(ROOT, file)).split(path.sep).join("/").replace(/\.ts$/, ".js");
  return `__abicModuleUrl(${JSON.stringify(rel)})`;
}

/** A dynamic import of a package (abic's own files are bundled, and their imports made lazy by esbuild). */
const PACKAGE_IMPORT = /\bimport\((["'])([^."'/][^"']*)\1\)/g;

/**
 * chevrotain.ts loads chevrotain's single-file build by a computed URL (fast for the ES modules
 * in dist/); the bundle takes the same file in statically.
 */
function chevrotainShim(): string {
  const entry = createRequire(path.join(ROOT, "package.json")).resolve("chevrotain");
  const min = path.join(path.dirname(entry), "..", "chevrotain.min.mjs");
  const source = readFileSync(path.join(ROOT, "compiler/chevrotain.ts"), "utf8");
  const names = /export const \{([^}]+)\} = chevrotain;/.exec(source)?.[1];
  if (!names) throw new Error("compiler/chevrotain.ts: no `export const { ... } = chevrotain;` to re-export");
  return `export {${names}} from ${JSON.stringify(min)};`;
}

/** Builds dist/abic.cjs, digest line first; throws on any esbuild error or warning, or a dynamic import left in the output. */
export async function bundleCli(): Promise<void> {
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ["compiler/cli.ts"],
    outfile: CLI_BUNDLE,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    // npm dependencies stay packages, loaded from node_modules when a command needs them.
    packages: "external",
    legalComments: "none",
    banner: { js: WRAPPER },
    footer: { js: "})" },
    logLevel: "silent",
    plugins: [
      {
        name: "abic-script",
        setup(build) {
          build.onResolve({ filter: /(^|\/)chevrotain\.ts$/ }, () => ({ path: "chevrotain", namespace: "abic-chevrotain" }));
          build.onLoad({ filter: /.*/, namespace: "abic-chevrotain" }, () => ({ contents: chevrotainShim(), loader: "js", resolveDir: ROOT }));
          build.onLoad({ filter: /\.ts$/ }, (args) => {
            const source = readFileSync(args.path, "utf8");
            const rest = source.replaceAll("import.meta.url", "");
            if (rest.includes("import.meta")) throw new Error(`${args.path}: only import.meta.url can be bundled into a script`);
            return {
              contents: source.replaceAll("import.meta.url", moduleUrl(args.path)).replace(PACKAGE_IMPORT, (_, _q, name: string) => `__abicImport(${JSON.stringify(name)})`),
              loader: "ts",
            };
          });
        },
      },
    ],
  });
  const problems = [...result.errors, ...result.warnings];
  if (problems.length) throw new Error((await esbuild.formatMessages(problems, { kind: "error" })).join("\n"));
  const out = readFileSync(path.join(ROOT, CLI_BUNDLE), "utf8");
  const dynamic = /\bimport\(/.exec(out);
  if (dynamic) throw new Error(`${CLI_BUNDLE}: a dynamic import is left at offset ${dynamic.index}; a vm script cannot run it`);
  const digest = createHash("sha256").update(out).digest("hex");
  writeFileSync(path.join(ROOT, CLI_BUNDLE), `/* abic-bundle sha256:${digest} */\n${out}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bundleCli();
