// The preview1 decisions of abi/wasi_snapshot_preview1.idl, one conformance guest each (C with
// stock wasi-libc, calling wasi_snapshot_preview1 directly as outside preview1 test programs
// do), run under the reference host. Each guest checks its own results; this file also checks
// what they leave on the host's disk, which a guest cannot see past its sandbox.

import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { RunOptions } from "../host/index.ts";
import { PREVIEW1_GUESTS, run, sandbox } from "./conformance/build.ts";

const failures = (out: string) => out.split("\n").filter((l) => l.startsWith("FAIL"));

/**
 * Runs a decision's guest with a fresh sandbox as `/data` (plus `options`): every check ok, one
 * named one among them, exit 0. Returns the sandbox for the checks a guest cannot make.
 */
async function decided(name: (typeof PREVIEW1_GUESTS)[number], check: string, options: Partial<RunOptions> = {}) {
  const box = sandbox();
  const r = await run(name, { dirs: [{ host: box.data, guest: "/data" }], ...options });
  expect(failures(r.out)).toEqual([]);
  expect(r.out).toContain(`ok: ${check}\n`);
  expect(r.exitCode).toBe(0);
  return box;
}

describe("preview1 decisions", () => {
  test("1 rights: by file type and access mode; copied directory rights open a directory", async () => {
    const { data } = await decided("p1_rights", "path_open(\".\", O_DIRECTORY) with the preopen's rights");
    expect(readFileSync(join(data, "input.txt"), "utf8")).toBe("first line\n");
  }, 20000);

  test("2 final symlinks: not followed without symlink_follow (loop, notdir), nothing created", async () => {
    const { data } = await decided("p1_nofollow", "no follow: a dangling link: loop, not noent");
    expect(lstatSync(join(data, "dangling")).isSymbolicLink()).toBe(true);
    expect(statSync(join(data, "missing")).isFile()).toBe(true);
  }, 20000);

  test("3 trailing slashes: notdir for a non-directory, never a file made from new/", async () => {
    const { data } = await decided("p1_slash", "unlink file/: notdir");
    expect(readdirSync(data).sort()).toEqual(["input.txt", "inside.txt", "out", "out-abs", "out-dir", "out-rel", "sub", "to-file", "to-sub"]);
  }, 20000);

  test("4 append: set and cleared by fd_fdstat_set_flags, writes follow it", async () => {
    const { data } = await decided("p1_append", "without append the write lands at the offset");
    expect(readFileSync(join(data, "out", "log"), "utf8")).toBe("aXcde123");
  }, 20000);

  test("5 timestamps: to the microsecond; the other one kept; now is the frozen realtime", async () => {
    const { data } = await decided("p1_times", "now is the frozen realtime clock");
    const st = statSync(join(data, "out", "t"), { bigint: true });
    expect(st.atimeNs).toBe(5_000_005_000n);
    expect(st.mtimeNs).toBe(6_000_006_000n);
  }, 20000);

  test("6 dsync, rsync, sync: honoured and reported; changing them answers notsup", async () => {
    await decided("p1_sync", "fdstat reports dsync|sync|append");
  }, 20000);

  test("7 fd_renumber: the target must be open", async () => {
    await decided("p1_renumber", "renumber onto a closed fd: badf");
  }, 20000);

  test("8 `..`: confined beneath the directory descriptor; nothing above it touched", async () => {
    const { root, data } = await decided("p1_confine", "../file from sub: notcapable");
    expect(existsSync(join(data, "made"))).toBe(false);
    expect(existsSync(join(data, "moved"))).toBe(false);
    expect(readdirSync(root).sort()).toEqual(["data", "secret.txt"]);
  }, 20000);

  describe("9 preopens", () => {
    const dirs = () => {
      const { root, data } = sandbox();
      const other = join(root, "other");
      mkdirSync(other);
      return [
        { host: data, guest: "/data" },
        { host: other, guest: "/other" },
      ];
    };
    test("visible (the default): each mapping a preopen from fd 3, in order, found by stock wasi-libc", async () => {
      await decided("p1_preopens", "fd 4 is the preopen /other", { args: ["visible"], dirs: dirs() });
    }, 20000);
    test("hidden: no preopen in the fd namespace; host_fs fd_cwd paths reach the mappings", async () => {
      await decided("p1_preopens", "host_fs fd_cwd paths still reach /data", { args: ["hidden"], dirs: dirs(), preopens: "hidden" });
    }, 20000);
    test("the isolated tier has no preopens in either presentation", async () => {
      for (const preopens of ["visible", "hidden"] as const)
        await decided("p1_preopens", "no mapping at all: host_fs finds nothing", { args: ["none"], dirs: dirs(), preopens, tier: "isolated" });
    }, 30000);
  });
});
