// Builds the conformance guests (once per process) and runs them under the reference host.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileFile } from "../../compiler/index.ts";
import type { ContractModel } from "../../compiler/model.ts";
import { runModule, type RunOptions, type RunResult } from "../../host/index.ts";
import { compileC } from "../../scripts/toolchain.ts";

/** One guest per preview1 decision (test/preview1.test.ts): rights, final symlinks, ... */
export const PREVIEW1_GUESTS = ["p1_rights", "p1_nofollow", "p1_slash", "p1_append", "p1_times", "p1_sync", "p1_renumber", "p1_confine", "p1_preopens"] as const;
export const GUESTS = ["files", "escape", "pipes", "child", "spawn", "spawn_fs", "identity", "misbehave", "refused", "net", "echoserver", "fs_ext", "fs_attr", "net_ext", "exec", "locks", "passing", "tty", "porter", ...PREVIEW1_GUESTS] as const;
export const BUILD = "test/.build/conformance";

/**
 * The libc shim: the patched libc's functions as abi/libc.idl declares them, over the generated
 * wrappers. Guests written against libc (`porter`) compile with its headers and link its sources.
 */
export const LIBC_SHIM = {
  dir: "test/conformance/libc",
  include: "test/conformance/libc/include",
  sources: () => readdirSync("test/conformance/libc").filter((f) => f.endsWith(".c")).sort().map((f) => `test/conformance/libc/${f}`),
};
const SHIMMED: ReadonlySet<string> = new Set(["porter"]);

const built = new Set<string>();
let model: ContractModel | null = null;

/** The path of a built guest; compiles it on first use (a missing clang fails the test). */
export function guest(name: (typeof GUESTS)[number]): string {
  const out = `${BUILD}/${name}.wasm`;
  if (!built.has(name)) {
    const shim = SHIMMED.has(name);
    compileC({
      sources: [`test/conformance/${name}.c`, ...(shim ? LIBC_SHIM.sources() : [])],
      out,
      extraArgs: [...(shim ? ["-I", LIBC_SHIM.include] : []), "-I", "generated/c", "-Wno-deprecated-declarations"],
    });
    built.add(name);
  }
  return out;
}

export function contract(): ContractModel {
  model ??= compileFile("abi.idl").model;
  if (!model) throw new Error("abi.idl does not check");
  return model;
}

export interface Ran extends RunResult {
  out: string;
  err: string;
}

export async function run(name: (typeof GUESTS)[number], opts: Partial<RunOptions> = {}): Promise<Ran> {
  const result = await runModule({ module: guest(name), model: contract(), ...opts });
  return { ...result, out: Buffer.from(result.stdout).toString(), err: Buffer.from(result.stderr).toString() };
}

/** A sandbox folder `data/` with fixtures, plus a `secret.txt` next to it and links pointing out. */
export function sandbox(): { root: string; data: string } {
  const root = mkdtempSync(join(tmpdir(), "abic-conformance-"));
  const data = join(root, "data");
  mkdirSync(join(data, "out"), { recursive: true });
  mkdirSync(join(data, "sub"));
  writeFileSync(join(data, "input.txt"), "first line\n");
  writeFileSync(join(data, "inside.txt"), "inside\n");
  writeFileSync(join(root, "secret.txt"), "secret\n");
  symlinkSync(join(root, "secret.txt"), join(data, "out-abs"));
  symlinkSync("../secret.txt", join(data, "out-rel"));
  symlinkSync("..", join(data, "out-dir"));
  return { root, data };
}

export const read = (path: string) => readFileSync(path, "utf8");
