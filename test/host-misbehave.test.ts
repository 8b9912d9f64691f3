// One host runs command after command: a guest that traps mid-call, is killed, or passes bad
// arguments ends with the contract's status and the next command still runs normally. Also
// the host's own building blocks: the sandbox resolver and the SAB pipe.

import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { Failure } from "../generated/ts/index.ts";
import { Pipe } from "../host/pipe.ts";
import { resolvePath } from "../host/sandbox.ts";
import { run } from "./conformance/build.ts";

describe("host keeps running after a misbehaving guest", () => {
  test("trap, then a normal run, then bad arguments, then a normal run", async () => {
    const trap = await run("misbehave", { args: ["trap"] });
    expect(trap.exitCode).toBe(1);
    expect(trap.out).toContain("about to trap\n");
    expect(trap.err).toMatch(/trap: unreachable/);
    const next = await run("child", { args: ["upcase"], stdin: new TextEncoder().encode("still alive\n") });
    expect(next).toMatchObject({ exitCode: 0, out: "STILL ALIVE\n" });
    const bad = await run("misbehave");
    expect(bad.out).not.toContain("FAIL");
    expect(bad.exitCode).toBe(0);
    const exit = await run("child", { args: ["exit", "300"] });
    expect(exit.exitCode).toBe(300 & 0xff);
  }, 30000);
});

describe("sandbox resolver", () => {
  const root = mkdtempSync(join(tmpdir(), "abic-sandbox-"));
  mkdirSync(join(root, "a/b"), { recursive: true });
  symlinkSync("b", join(root, "a/inner"));
  symlinkSync("../..", join(root, "a/up"));
  symlinkSync("/etc", join(root, "abs"));
  symlinkSync("loop", join(root, "loop"));
  const errno = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as Failure).errno;
    }
    return 0;
  };

  test("stays inside and follows links that do", () => {
    expect(resolvePath(root, [], "a/inner/../b/./x", true).rel).toEqual(["a", "b", "x"]);
    expect(resolvePath(root, ["a"], "..", true).rel).toEqual([]);
    expect(resolvePath(root, [], "a/inner", false).rel).toEqual(["a", "inner"]);
  });

  test("refuses every way out", () => {
    expect(errno(() => resolvePath(root, [], "..", true))).toBe(76);
    expect(errno(() => resolvePath(root, [], "/etc/passwd", true))).toBe(76);
    expect(errno(() => resolvePath(root, [], "a/up/x", true))).toBe(76);
    expect(errno(() => resolvePath(root, [], "abs/passwd", true))).toBe(76);
    expect(errno(() => resolvePath(root, [], "abs", true))).toBe(76);
    expect(errno(() => resolvePath(root, [], "loop", true))).toBe(32);
    expect(errno(() => resolvePath(root, [], "", true))).toBe(44);
  });
});

describe("SAB pipe", () => {
  test("ring wraps, EOF when writers are gone, EPIPE without readers", () => {
    const pipe = Pipe.create(8);
    expect(pipe.tryRead(4)).toBeNull();
    expect(pipe.tryWrite(new TextEncoder().encode("abcdef"))).toBe(6);
    expect(new TextDecoder().decode(pipe.tryRead(4)!)).toBe("abcd");
    expect(pipe.tryWrite(new TextEncoder().encode("ghijklmn"))).toBe(6);
    expect(pipe.tryWrite(new Uint8Array(1))).toBe(0);
    expect(new TextDecoder().decode(pipe.tryRead(100)!)).toBe("efghijkl");
    pipe.release("w");
    expect(pipe.tryRead(1)).toEqual(new Uint8Array(0));
    pipe.addRef("w");
    pipe.release("r");
    expect(errnoOf(() => pipe.tryWrite(new Uint8Array(1)))).toBe(64);
  });
});

function errnoOf(f: () => unknown): number {
  try {
    f();
  } catch (e) {
    return (e as Failure).errno;
  }
  return 0;
}
