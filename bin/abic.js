#!/usr/bin/env node
// Entry point of the abic CLI. Runs dist/abic.cjs, the CLI bundled into one script by
// `npm run build` (which `npm ci` runs as the `prepare` script; nothing interprets TypeScript at
// run time), and compiles it with V8's code cache: a run reuses the bytecode an earlier run of
// the same command compiled, instead of parsing and compiling abic's code again.
//
// The code cache is one file per command in node_modules/.cache/abic/ (the node_modules abic is
// installed in, or its own in a checkout; none: no cache). Each starts with a key line (the
// bundle's digest, size and time, Node's version and the architecture); a file with another key,
// or data V8 rejects, is replaced after the run. Reading or writing it never fails a command.
//
// A CommonJS script (bin/package.json says so; the package is ESM): an ES module entry point
// costs Node its ES module loader, and each `node:` module it imports gets an ES module facade
// that reads every export, which loads node:fs's streams: together ~5% of a cold `abic check`.
"use strict";
const { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const path = require("node:path");
const { pathToFileURL } = require("node:url");
const { Script } = require("node:vm");

const root = path.join(__dirname, "..");
const bundle = path.join(root, "dist", "abic.cjs");
let bytes;
try {
  bytes = readFileSync(bundle);
} catch {
  process.stderr.write("abic: not built: dist/abic.cjs is missing; run `npm run build` in the abic folder\n");
  process.exit(70);
}

/** Commands with nothing running once they return (`cli`: no command, e.g. --version or --help). */
const DONE_ON_RETURN = new Set(["check", "ir", "help", "cli"]);
// The key: the digest the build wrote on the bundle's first line (scripts/bundle-cli.ts), and the
// bundle's size and modification time, so that a bundle changed since (by hand) never meets an
// older cache; then Node's version and the architecture. No digest line: no cache.
const digest = /^\/\* abic-bundle sha256:([0-9a-f]{64}) \*\/\n/.exec(bytes.toString("latin1", 0, 100))?.[1];
const key = digest && `abic code cache ${digest} ${bytes.length} ${statSync(bundle).mtimeMs} ${process.version} ${process.arch}\n`;
const command = /^[a-z]{1,16}$/.test(process.argv[2] ?? "") ? process.argv[2] : "cli";
const cacheFolder = codeCacheFolder(root);
const cacheFile = cacheFolder === null || !key ? null : path.join(cacheFolder, `code-${command}.bin`);
let cachedData;
try {
  const data = cacheFile === null ? null : readFileSync(cacheFile);
  if (data !== null && data.length > key.length && data.toString("latin1", 0, key.length) === key) cachedData = data.subarray(key.length);
} catch {
  // No cache yet: compile from source.
}

// The bundle is ASCII (esbuild escapes the rest), so latin1 decodes it without a UTF-8 pass.
const script = new Script(bytes.toString("latin1"), { filename: bundle, cachedData });
const cli = { exports: {} };
const dist = pathToFileURL(path.join(root, "dist") + path.sep);
script.runInThisContext()(
  cli.exports,
  createRequire(bundle),
  cli,
  bundle,
  path.dirname(bundle),
  (file) => new URL(file, dist).href,
  (specifier) => import(specifier),
);
void run();

async function run() {
  process.exitCode = await cli.exports.main(process.argv.slice(2));

  // Kept after the run, so the functions the command compiled lazily are in it too; only for runs
  // that did their work (0: fine, 1: errors in the input), not usage errors or crashes.
  if (cacheFile !== null && (cachedData === undefined || script.cachedDataRejected) && (process.exitCode === 0 || process.exitCode === 1)) {
    try {
      mkdirSync(cacheFolder, { recursive: true });
      const temp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(temp, Buffer.concat([Buffer.from(key, "latin1"), script.createCachedData()]));
      renameSync(temp, cacheFile);
    } catch {
      // Best effort: without the cache the next run only compiles again.
    }
  }

  // Once `check`, `ir` or `--version` has returned, nothing is left to do, but Node would still
  // wait for V8's background work (optimising compiles, the last incremental GC step) before
  // exiting: tens of milliseconds. Those exit at once, unless output is still queued (a pipe is
  // asynchronous on some systems); commands that may leave work running (a host's workers, a
  // server) end as Node ends them.
  if (DONE_ON_RETURN.has(command) && process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
}

/** node_modules/.cache/abic of the node_modules abic is installed in, or of its own checkout; null when neither exists. */
function codeCacheFolder(packageRoot) {
  for (let dir = packageRoot; path.dirname(dir) !== dir; dir = path.dirname(dir))
    if (path.basename(dir) === "node_modules") return path.join(dir, ".cache", "abic");
  try {
    if (statSync(path.join(packageRoot, "node_modules")).isDirectory()) return path.join(packageRoot, "node_modules", ".cache", "abic");
  } catch {
    // No node_modules: no cache.
  }
  return null;
}
