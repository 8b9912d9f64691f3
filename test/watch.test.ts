// `abic gen --watch` and `abic check --watch` driven as a user does: start, edit a doc comment and
// see the regenerated file change, add a `use` of a file that does not exist yet (an error),
// create it (the watched set grew), break it and fix it, then stop with Ctrl-C (SIGINT).
// The test waits for what the user would see; it never asserts how long anything took.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, test } from "vitest";

const BIN = path.resolve("bin/abic.js");
const root = path.resolve("test/.build/watch");

interface Watcher {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves once `ready()` holds, checked on every output and every half second. */
  until(what: string, ready: () => boolean): Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: Watcher[] = [];

function start(args: string[], cwd: string): Watcher {
  const child = spawn(process.execPath, [BIN, ...args], { cwd });
  let out = "";
  let err = "";
  const listeners = new Set<() => void>();
  const poke = () => listeners.forEach((l) => l());
  child.stdout.on("data", (d: Buffer) => ((out += d.toString()), poke()));
  child.stderr.on("data", (d: Buffer) => ((err += d.toString()), poke()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const w: Watcher = {
    child,
    stdout: () => out,
    stderr: () => err,
    until: (what, ready) =>
      new Promise((resolve, reject) => {
        const timer = setInterval(check, 500);
        // Generous: a run formats TypeScript with prettier on a shared 2-core machine.
        const give = setTimeout(() => finish(new Error(`gave up waiting for ${what}\nstdout:\n${out}\nstderr:\n${err}`)), 100_000);
        function finish(e?: Error): void {
          clearInterval(timer);
          clearTimeout(give);
          listeners.delete(check);
          e ? reject(e) : resolve();
        }
        function check(): void {
          if (ready()) finish();
        }
        listeners.add(check);
        void exit.then(() => check());
        check();
      }),
    exit,
  };
  running.push(w);
  return w;
}

afterEach(() => {
  for (const w of running.splice(0)) if (w.child.exitCode === null) w.child.kill("SIGKILL");
});

/** Every generated file's text, joined: where a doc comment or a type shows up. */
function generatedText(dir: string): string {
  if (!existsSync(dir)) return "";
  const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(path.join(d, f)).isDirectory() ? walk(path.join(d, f)) : [path.join(d, f)]));
  return walk(dir)
    .map((f) => readFileSync(f, "utf8"))
    .join("\n");
}

const lines = (text: string, pattern: RegExp): number => text.split("\n").filter((l) => pattern.test(l)).length;

describe("--watch", () => {
  test("gen: regenerates on edits, follows new use lines, survives errors, stops on SIGINT", async () => {
    const dir = path.join(root, "gen");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    cpSync("test/fixtures/gen/small/abi.idl", path.join(dir, "abi.idl"));
    const idl = path.join(dir, "abi.idl");
    const out = path.join(dir, "out");
    const w = start(["gen", "--watch", "abi.idl", "--out", "out"], dir);

    await w.until("the first run", () => lines(w.stdout(), /abic gen: ok: wrote \d+ files, kept 0, removed 0 in out\//) === 1);
    expect(w.stdout()).toMatch(/^\[\d\d:\d\d:\d\d\] abic gen: ok: wrote \d+ files, kept 0, removed 0 in out\/ \(watching 1 file\)$/m);
    expect(generatedText(out)).not.toContain("edited while watching");

    // A doc comment edit: the docs are regenerated.
    writeFileSync(idl, readFileSync(idl, "utf8").replace("/// The demo import module.", "/// The demo import module, edited while watching."));
    await w.until("the docs to change", () => generatedText(out).includes("edited while watching"));
    await w.until("the second result line", () => lines(w.stdout(), /abic gen: ok:/) >= 2);

    // A `use` of a file that is not there: an error, reported, and the watch goes on.
    writeFileSync(idl, readFileSync(idl, "utf8").replace("package small_abi@1.2.0;", 'package small_abi@1.2.0;\n\nuse "extra.idl";'));
    await w.until("the missing file", () => w.stderr().includes("error E0001: cannot read `extra.idl`"));
    await w.until("a failed run", () => /abic gen: failed: 1 error, \d+ warnings?; out\/ left as it was \(watching 2 files\)/.test(w.stdout()));

    // Creating it is a change to a watched file: the set grew with the use line.
    writeFileSync(path.join(dir, "extra.idl"), "/// A type added while watching.\n@since(1.0.0)\ntype extra_watched = u32;\n");
    await w.until("the new type in the output", () => generatedText(out).includes("extra_watched"));

    // A mistake in the new file, then its fix.
    const before = w.stderr().length;
    const failedBefore = lines(w.stdout(), /abic gen: failed/);
    writeFileSync(path.join(dir, "extra.idl"), "/// A type added while watching.\n@since(1.0.0)\ntype extra_watched = u322;\n");
    await w.until("the diagnostic", () => w.stderr().slice(before).includes("error E0201: unknown type `u322`"));
    await w.until("its result line", () => lines(w.stdout(), /abic gen: failed/) > failedBefore);
    expect(w.stderr().slice(before)).toContain("help: did you mean `u32`?");
    expect(generatedText(out)).toContain("extra_watched");
    const failed = lines(w.stdout(), /abic gen: failed/);
    writeFileSync(path.join(dir, "extra.idl"), "/// A type added while watching.\n@since(1.0.0)\ntype extra_watched = u64;\n");
    await w.until("the fix", () => lines(w.stdout(), /abic gen: ok/) >= 4 && w.stdout().lastIndexOf("abic gen: ok") > w.stdout().lastIndexOf("abic gen: failed"));
    expect(lines(w.stdout(), /abic gen: failed/)).toBe(failed);

    w.child.kill("SIGINT");
    const { code, signal } = await w.exit;
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(w.stderr()).toContain("abic gen: stopped watching");
    // Nothing was left behind by the atomic writes.
    expect(readdirSync(dir).sort()).toEqual(["abi.idl", "extra.idl", "out"]);
  });

  test("check --format json: one JSON document per run, one per line", async () => {
    const dir = path.join(root, "check");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const idl = path.join(dir, "abi.idl");
    writeFileSync(idl, "/// p\npackage p@1.0.0;\n\n/// t\n@since(1.0.0)\ntype t = u32;\n");
    const w = start(["check", "--watch", "--format", "json", "abi.idl"], dir);
    await w.until("the first run", () => w.stdout().split("\n").length >= 2);
    writeFileSync(idl, "/// p\npackage p@1.0.0;\n\n/// t\n@since(1.0.0)\ntype t = u3;\n");
    await w.until("the second run", () => w.stdout().split("\n").filter(Boolean).some((l) => JSON.parse(l).ok === false));
    w.child.kill("SIGINT");
    expect((await w.exit).code).toBe(0);
    const runs = w.stdout().split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(runs[0]).toMatchObject({ schemaVersion: 1, command: "check", ok: true, errors: 0 });
    const failed = runs.find((r) => !r.ok);
    expect(failed.diagnostics[0]).toMatchObject({ code: "E0201", line: 6, suggestion: { replacement: expect.stringMatching(/^u\d+$/) } });
    expect(w.stderr()).toBe("");
  });
});
