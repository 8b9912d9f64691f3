// The generated TS glue, executed: a clang-built guest calls imports through the generated C
// headers and runs in Node against generated/ts with a test implementation. Checks arguments,
// results, out-values in guest memory, and errno `fault` on bad ranges with the implementation
// provably not called.

import { readFileSync } from "node:fs";
import { beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  createImports,
  Errno,
  fail,
  Filetype,
  Preopentype,
  ProcExit,
  type GuestImports,
  type HostFs,
  type HostProcess,
  type WasiSnapshotPreview1,
} from "../generated/ts/index.ts";
import { compileC } from "../scripts/toolchain.ts";

const OUT = "test/.build/glue/calls.wasm";
const PAGE = 65536;

interface GuestExports {
  memory: WebAssembly.Memory;
  scratch_ptr(): number;
  grow(pages: number): number;
  call_fd_write(fd: number, iovs: number, len: number, out: number): number;
  call_fd_fdstat_get(fd: number, out: number): number;
  call_fd_prestat_get(fd: number, out: number): number;
  call_clock_time_get(id: number, precision: bigint, out: number): number;
  call_args_sizes_get(argc: number, bufSize: number): number;
  call_random_get(buf: number, len: number): number;
  call_proc_getpid(out: number): number;
  call_path_size(fd: number, path: number, len: number, follow: number): bigint;
  call_path_size_cstr(fd: number, path: number): bigint;
  call_proc_exit(code: number): void;
}

let wasm: WebAssembly.Module;
beforeAll(() => {
  compileC({
    sources: ["test/guests/glue/calls.c"],
    out: OUT,
    includeDirs: ["generated/c"],
    extraArgs: ["-nostartfiles", "-Wl,--no-entry"],
  });
  wasm = new WebAssembly.Module(readFileSync(OUT));
}, 120_000);

/** Every implementation call, in order: [method, ...lifted arguments]. */
let calls: unknown[][];
let errors: unknown[];
let growDuringWrite = 0;

const wasi: Partial<WasiSnapshotPreview1> = {
  fdWrite(fd, iovs, ctx) {
    const chunks: string[] = [];
    for (let i = 0; i < iovs.length; i++) {
      chunks.push(Buffer.from(ctx.memory.bytes(iovs.bufAt(i), iovs.bufLenAt(i))).toString("utf8"));
    }
    calls.push(["fdWrite", fd, iovs.length, chunks.join("")]);
    if (fd === 9) return fail(Errno.Badf);
    if (fd === 13) throw new Error("implementation bug");
    if (fd === 14) throw Object.assign(new Error("carries errno"), { errno: Errno.Nospc });
    if (growDuringWrite > 0) guest().memory.grow(growDuringWrite);
    return chunks.join("").length;
  },
  fdFdstatGet(fd) {
    calls.push(["fdFdstatGet", fd]);
    return {
      fsFiletype: Filetype.RegularFile,
      fsFlags: 0x11,
      fsRightsBase: 0x1234_5678_9abc_def0n,
      fsRightsInheriting: 7n,
    };
  },
  fdPrestatGet(fd) {
    calls.push(["fdPrestatGet", fd]);
    return { tag: Preopentype.Dir, value: { prNameLen: 5 } };
  },
  clockTimeGet(id, precision) {
    calls.push(["clockTimeGet", id, precision]);
    return 0xfedc_ba98_7654_3210n;
  },
  argsSizesGet() {
    calls.push(["argsSizesGet"]);
    return { argc: 3, argvBufSize: 42 };
  },
  randomGet(buf) {
    calls.push(["randomGet", buf.length]);
    for (let i = 0; i < buf.length; i++) buf[i] = i + 1;
  },
  procExit(rval) {
    calls.push(["procExit", rval]);
  },
};
const hostProcess: Partial<HostProcess> = {
  procGetpid() {
    calls.push(["procGetpid"]);
    return 4242;
  },
};
const hostFs: Partial<HostFs> = {
  pathSize(fd, path, follow) {
    calls.push(["pathSize", fd, path, follow]);
    if (path === "boom") throw new Error("boom");
    return BigInt(path.length) * 1000n;
  },
};

let glue: GuestImports;
let instance: WebAssembly.Instance | undefined;
function guest(): GuestExports {
  if (instance === undefined) throw new Error("not instantiated");
  return instance.exports as unknown as GuestExports;
}

beforeEach(() => {
  calls = [];
  errors = [];
  growDuringWrite = 0;
  glue = createImports(
    { wasiSnapshotPreview1: wasi, hostProcess, hostFs },
    {
      getMemory: () => guest().memory,
      tier: "full",
      onError: (error, site) => errors.push([site.module, site.function, error]),
    },
  );
  glue.assertLinkable(wasm);
  instance = new WebAssembly.Instance(wasm, glue.imports);
});

function dv(): DataView {
  return new DataView(guest().memory.buffer);
}

function writeText(at: number, text: string): number {
  const bytes = Buffer.from(text, "utf8");
  new Uint8Array(guest().memory.buffer).set(bytes, at);
  return bytes.length;
}

describe("a clang guest through the generated glue", { timeout: 60_000 }, () => {
  test("fd_write: iovecs lifted to a checked list, the result written to the out-pointer", () => {
    const s = guest().scratch_ptr();
    const n1 = writeText(s + 256, "hello, ");
    const n2 = writeText(s + 512, "world");
    dv().setUint32(s, s + 256, true);
    dv().setUint32(s + 4, n1, true);
    dv().setUint32(s + 8, s + 512, true);
    dv().setUint32(s + 12, n2, true);
    dv().setUint32(s + 64, 0xdeadbeef, true);
    expect(guest().call_fd_write(1, s, 2, s + 64)).toBe(Errno.Success);
    expect(calls).toEqual([["fdWrite", 1, 2, "hello, world"]]);
    expect(dv().getUint32(s + 64, true)).toBe(12);
  });

  test("a returned Failure is the errno and leaves the out-value unwritten", () => {
    const s = guest().scratch_ptr();
    dv().setUint32(s + 64, 0xdeadbeef, true);
    expect(guest().call_fd_write(9, s, 0, s + 64)).toBe(Errno.Badf);
    expect(dv().getUint32(s + 64, true)).toBe(0xdeadbeef);
  });

  test("a thrown exception goes to onError and returns io; an errno property is kept", () => {
    const s = guest().scratch_ptr();
    expect(guest().call_fd_write(13, s, 0, s + 64)).toBe(Errno.Io);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toEqual(["wasi_snapshot_preview1", "fd_write", expect.any(Error)]);
    expect(guest().call_fd_write(14, s, 0, s + 64)).toBe(Errno.Nospc);
    expect(errors).toHaveLength(1);
  });

  test.each([
    ["iovecs past the end of memory", (s: number, size: number) => [size - 8, 2, s + 64]],
    ["iovecs wrapping past 2^32", (s: number) => [0xfffffff8, 2, s + 64]],
    ["a huge iovec count", (s: number) => [s, 0x20000000, s + 64]],
    ["misaligned iovecs", (s: number) => [s + 2, 1, s + 64]],
    ["an out-pointer past the end", (_s: number, size: number) => [0, 0, size - 2]],
    ["an out-pointer wrapping", () => [0, 0, 0xfffffffe]],
    ["a misaligned out-pointer", (s: number) => [s, 0, s + 65]],
  ])("fault without calling the implementation: %s", (_name, args) => {
    const s = guest().scratch_ptr();
    const [iovs, len, out] = args(s, guest().memory.buffer.byteLength);
    expect(guest().call_fd_write(1, iovs, len, out)).toBe(Errno.Fault);
    expect(calls).toEqual([]);
  });

  test("an iovec pointing out of range faults inside the implementation (ctx.memory.bytes)", () => {
    const s = guest().scratch_ptr();
    dv().setUint32(s, 0xfffffff0, true);
    dv().setUint32(s + 4, 32, true);
    expect(guest().call_fd_write(1, s, 1, s + 64)).toBe(Errno.Fault);
    expect(errors).toEqual([]);
  });

  test("after memory.grow between calls the new pages are in range and views are re-derived", () => {
    const s = guest().scratch_ptr();
    const before = guest().memory.buffer.byteLength;
    expect(guest().call_args_sizes_get(before, before + 4)).toBe(Errno.Fault);
    expect(calls).toEqual([]);
    expect(guest().grow(1)).toBe(before / PAGE);
    expect(guest().call_args_sizes_get(before, before + 4)).toBe(Errno.Success);
    expect(dv().getUint32(before, true)).toBe(3);
    expect(dv().getUint32(before + 4, true)).toBe(42);
    expect(guest().call_fd_write(1, s, 0, before + PAGE - 4)).toBe(Errno.Success);
    expect(guest().call_fd_write(1, s, 0, before + PAGE - 2)).toBe(Errno.Fault);
  });

  test("memory.grow during a call: the out-value lands in the new buffer", () => {
    const s = guest().scratch_ptr();
    const n = writeText(s + 256, "grow");
    dv().setUint32(s, s + 256, true);
    dv().setUint32(s + 4, n, true);
    const old = guest().memory.buffer;
    growDuringWrite = 2;
    expect(guest().call_fd_write(1, s, 1, s + 64)).toBe(Errno.Success);
    expect(old.byteLength).toBe(0); // detached by the grow
    expect(dv().getUint32(s + 64, true)).toBe(4);
  });

  test("struct out-value (fdstat) written at the model's offsets", () => {
    const s = guest().scratch_ptr();
    expect(guest().call_fd_fdstat_get(3, s + 128)).toBe(Errno.Success);
    expect(calls).toEqual([["fdFdstatGet", 3]]);
    expect(dv().getUint8(s + 128)).toBe(Filetype.RegularFile);
    expect(dv().getUint16(s + 130, true)).toBe(0x11);
    expect(dv().getBigUint64(s + 136, true)).toBe(0x1234_5678_9abc_def0n);
    expect(dv().getBigUint64(s + 144, true)).toBe(7n);
    expect(guest().call_fd_fdstat_get(3, s + 132)).toBe(Errno.Fault); // needs 8-byte alignment
    expect(calls).toHaveLength(1);
  });

  test("variant out-value (prestat): tag and payload", () => {
    const s = guest().scratch_ptr();
    expect(guest().call_fd_prestat_get(3, s + 128)).toBe(Errno.Success);
    expect(dv().getUint8(s + 128)).toBe(Preopentype.Dir);
    expect(dv().getUint32(s + 132, true)).toBe(5);
  });

  test("u64 parameters arrive as bigint and u64 out-values are written", () => {
    const s = guest().scratch_ptr();
    expect(guest().call_clock_time_get(1, -1n, s + 128)).toBe(Errno.Success);
    expect(calls).toEqual([["clockTimeGet", 1, 0xffff_ffff_ffff_ffffn]]);
    expect(dv().getBigUint64(s + 128, true)).toBe(0xfedc_ba98_7654_3210n);
  });

  test("buffer<u8> is a zero-copy view the implementation fills", () => {
    const s = guest().scratch_ptr();
    expect(guest().call_random_get(s + 300, 4)).toBe(Errno.Success);
    expect([...new Uint8Array(guest().memory.buffer, s + 300, 4)]).toEqual([1, 2, 3, 4]);
    expect(guest().call_random_get(guest().memory.buffer.byteLength - 2, 4)).toBe(Errno.Fault);
    expect(calls).toEqual([["randomGet", 4]]);
  });

  test("host_process.proc_getpid (tier full) writes one u32", () => {
    const s = guest().scratch_ptr();
    expect(guest().call_proc_getpid(s + 200)).toBe(Errno.Success);
    expect(dv().getInt32(s + 200, true)).toBe(4242);
  });

  test("strings are decoded; bad ranges and invalid UTF-8 never reach a plain-scalar function", () => {
    const s = guest().scratch_ptr();
    const n = writeText(s + 400, "dir/é.txt");
    new Uint8Array(guest().memory.buffer)[s + 400 + n] = 0;
    expect(guest().call_path_size(3, s + 400, n, 1)).toBe(BigInt(9 * 1000));
    expect(guest().call_path_size_cstr(3, s + 400)).toBe(BigInt(9 * 1000));
    expect(calls).toEqual([
      ["pathSize", 3, "dir/é.txt", 1],
      ["pathSize", 3, "dir/é.txt", 1],
    ]);
    calls = [];
    const max = -1n; // path_size's documented error value, u64::MAX, as wasm's signed i64
    expect(guest().call_path_size(3, 0xfffffff0, 0x20, 1)).toBe(max);
    new Uint8Array(guest().memory.buffer).set([0x66, 0xc3, 0x28], s + 400);
    expect(guest().call_path_size(3, s + 400, 3, 1)).toBe(max);
    expect(calls).toEqual([]);
    writeText(s + 400, "boom");
    expect(guest().call_path_size(3, s + 400, 4, 1)).toBe(max);
    expect(errors).toHaveLength(1);
  });

  test("proc_exit: the implementation is told, then ProcExit unwinds the guest", () => {
    let thrown: unknown;
    try {
      guest().call_proc_exit(7);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ProcExit);
    expect((thrown as ProcExit).code).toBe(7);
    expect(calls).toEqual([["procExit", 7]]);
  });

  test("a tier below a module's functions leaves them out; instantiation names the import", () => {
    const low = createImports(
      { wasiSnapshotPreview1: wasi, hostProcess, hostFs },
      { tier: "isolated" },
    );
    expect(low.unlinked.get("host_process.proc_getpid")).toBe("needs tier full");
    expect(() => low.assertLinkable(wasm)).toThrow(/host_process\.proc_getpid: needs tier full/);
    expect(() => new WebAssembly.Instance(wasm, low.imports)).toThrow(/proc_getpid/);
  });

  test("a missing implementation leaves its functions out", () => {
    const partial = createImports({ wasiSnapshotPreview1: wasi }, { tier: "full" });
    expect(partial.unlinked.get("host_fs.path_size")).toBe("not implemented by the runtime");
    expect(() => partial.assertLinkable(wasm)).toThrow(
      /host_fs\.path_size: not implemented by the runtime/,
    );
    expect(() => new WebAssembly.Instance(wasm, partial.imports)).toThrow(/host_process|host_fs/);
  });
});
