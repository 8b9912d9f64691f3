// `abic run` end to end in a child Node process: stdio, exit statuses, and the one-line
// refusals (missing file, native binaries, scripts, no `_start`) with shell-like statuses.

import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { guest, sandbox } from "./conformance/build.ts";
import { compileC } from "../scripts/toolchain.ts";

function abicRun(args: string[], input = "") {
  const r = spawnSync(process.execPath, ["bin/abic.js", "run", ...args], { input, encoding: "utf8", timeout: 60000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe("abic run", () => {
  test("runs a stock wasi-libc program: args, --dir, --env, exit code", () => {
    const { data } = sandbox();
    const r = abicRun(["--dir", `${data}:/data`, "--env", "GREETING=hello world", guest("files"), "42", "--not-an-option"]);
    expect(r.out).not.toContain("FAIL");
    expect(r.out).toContain("arg[1]=42\narg[2]=--not-an-option\n");
    expect(r.status).toBe(42);
  }, 60000);

  test("stdin reaches the guest and stdout comes back; a trap is status 1 with a message", () => {
    const child = guest("child");
    expect(abicRun([child, "upcase"], "shout\n")).toMatchObject({ status: 0, out: "SHOUT\n" });
    const trap = abicRun([child, "trap"]);
    expect(trap.status).toBe(1);
    expect(trap.err).toMatch(/^abic run: .*trap: unreachable\n$/);
  }, 60000);

  test("refusals get one line and 126/127, never a stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "abic-run-"));
    const files: Record<string, Uint8Array | string> = {
      "elf.wasm": new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
      "pe.exe": "MZ\x90\x00",
      "script.wasm": "#!/bin/sh\necho hi\n",
      "text.wasm": "hello",
      "truncated.wasm": new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 9]),
    };
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
    const noStart = join(dir, "nostart.wasm");
    compileC({ sources: ["test/guests/verify/reactor.c"], out: noStart, noEntry: true, exports: ["foo"] });
    const cases: [string, number, RegExp][] = [
      [join(dir, "missing.wasm"), 127, /no such file/],
      [join(dir, "elf.wasm"), 126, /native ELF/],
      [join(dir, "pe.exe"), 126, /native PE/],
      [join(dir, "script.wasm"), 126, /#!/],
      [join(dir, "text.wasm"), 126, /not a wasm module/],
      [join(dir, "truncated.wasm"), 126, /malformed|invalid/],
      [noStart, 126, /_start/],
    ];
    for (const [file, status, message] of cases) {
      const r = abicRun([file]);
      expect(r.status, file).toBe(status);
      expect(r.err.trimEnd().split("\n"), file).toHaveLength(1);
      expect(r.err, file).toMatch(new RegExp(`^abic run: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `));
      expect(r.err, file).toMatch(message);
    }
  }, 60000);

  test("a tier that does not link host_process refuses the module", () => {
    const r = abicRun(["--tier", "isolated", guest("spawn")]);
    expect(r.status).toBe(126);
    expect(r.err).toMatch(/host_process/);
  }, 60000);

  test("--preopens hidden keeps the --dir out of the fd namespace; a bad value is a usage error", () => {
    const { root, data } = sandbox();
    const dirs = ["--dir", `${data}:/data`, "--dir", `${root}:/other`];
    const hidden = abicRun(["--preopens", "hidden", ...dirs, guest("p1_preopens"), "hidden"]);
    expect(hidden.out).not.toContain("FAIL");
    expect(hidden.out).toContain("ok: host_fs fd_cwd paths still reach /data");
    expect(hidden.status).toBe(0);
    const visible = abicRun([...dirs, guest("p1_preopens"), "visible"]);
    expect(visible.out).toContain("ok: fd 3 is the preopen /data");
    expect(visible.status).toBe(0);
    const bad = abicRun(["--preopens", "sideways", guest("p1_preopens")]);
    expect(bad.status).toBe(2);
    expect(bad.err).toMatch(/--preopens must be visible or hidden, not `sideways`/);
  }, 60000);
});
