// The contract itself (abi.idl) against the reference inventory: every import the runtime
// serves exists with exactly the core signature the reference tables give, preview1 statuses
// are right, and real guests built with stock wasi-libc link against it.

import { mkdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { compileFile } from "../compiler/index.ts";
import type { ContractModel } from "../compiler/model.ts";
import { verifyModule } from "../compiler/verify.ts";
import { compileC } from "../scripts/toolchain.ts";

const I = "i32";
const n = (k: number) => Array<string>(k).fill(I).join(" ");

/**
 * Core signatures transcribed by hand from ../shared/reference/agentos-abi.md §2 and
 * agentos-abi-gaps.md (params -> results). Independent of the IDL: a typo in either shows here.
 */
const REFERENCE: Record<string, Record<string, string>> = {
  wasi_snapshot_preview1: {
    args_get: `${n(2)} -> i32`,
    args_sizes_get: `${n(2)} -> i32`,
    environ_get: `${n(2)} -> i32`,
    environ_sizes_get: `${n(2)} -> i32`,
    clock_res_get: `${n(2)} -> i32`,
    clock_time_get: `i32 i64 i32 -> i32`,
    fd_advise: `i32 i64 i64 i32 -> i32`,
    fd_allocate: `i32 i64 i64 -> i32`,
    fd_close: `i32 -> i32`,
    fd_datasync: `i32 -> i32`,
    fd_fdstat_get: `${n(2)} -> i32`,
    fd_fdstat_set_flags: `${n(2)} -> i32`,
    fd_fdstat_set_rights: `i32 i64 i64 -> i32`,
    fd_filestat_get: `${n(2)} -> i32`,
    fd_filestat_set_size: `i32 i64 -> i32`,
    fd_filestat_set_times: `i32 i64 i64 i32 -> i32`,
    fd_pread: `i32 i32 i32 i64 i32 -> i32`,
    fd_prestat_get: `${n(2)} -> i32`,
    fd_prestat_dir_name: `${n(3)} -> i32`,
    fd_pwrite: `i32 i32 i32 i64 i32 -> i32`,
    fd_read: `${n(4)} -> i32`,
    fd_readdir: `i32 i32 i32 i64 i32 -> i32`,
    fd_renumber: `${n(2)} -> i32`,
    fd_seek: `i32 i64 i32 i32 -> i32`,
    fd_sync: `i32 -> i32`,
    fd_tell: `${n(2)} -> i32`,
    fd_write: `${n(4)} -> i32`,
    path_create_directory: `${n(3)} -> i32`,
    path_filestat_get: `${n(5)} -> i32`,
    path_filestat_set_times: `i32 i32 i32 i32 i64 i64 i32 -> i32`,
    path_link: `${n(7)} -> i32`,
    path_open: `i32 i32 i32 i32 i32 i64 i64 i32 i32 -> i32`,
    path_readlink: `${n(6)} -> i32`,
    path_remove_directory: `${n(3)} -> i32`,
    path_rename: `${n(6)} -> i32`,
    path_symlink: `${n(5)} -> i32`,
    path_unlink_file: `${n(3)} -> i32`,
    poll_oneoff: `${n(4)} -> i32`,
    proc_exit: `i32 -> `,
    proc_raise: `i32 -> i32`,
    random_get: `${n(2)} -> i32`,
    sched_yield: ` -> i32`,
    sock_accept: `${n(3)} -> i32`,
    sock_recv: `${n(6)} -> i32`,
    sock_send: `${n(5)} -> i32`,
    sock_shutdown: `${n(2)} -> i32`,
  },
  host_process: {
    proc_spawn: `${n(10)} -> i32`,
    proc_spawn_v2: `${n(12)} -> i32`,
    proc_spawn_v3: `${n(17)} -> i32`,
    proc_spawn_v4: `${n(21)} -> i32`,
    proc_exec: `${n(8)} -> i32`,
    proc_fexec: `${n(7)} -> i32`,
    proc_waitpid: `${n(4)} -> i32`,
    proc_waitpid_v2: `${n(6)} -> i32`,
    proc_waitpid_v3: `${n(4)} -> i32`,
    proc_kill: `${n(2)} -> i32`,
    proc_getpid: `i32 -> i32`,
    proc_getppid: `i32 -> i32`,
    proc_getrlimit: `${n(3)} -> i32`,
    proc_setrlimit: `i32 i64 i64 -> i32`,
    proc_umask: `${n(2)} -> i32`,
    umask: `${n(3)} -> i32`,
    proc_itimer_real: `i32 i64 i64 i32 i32 -> i32`,
    proc_getpgid: `${n(2)} -> i32`,
    proc_setpgid: `${n(2)} -> i32`,
    fd_pipe: `${n(2)} -> i32`,
    fd_dup: `${n(2)} -> i32`,
    fd_dup2: `${n(2)} -> i32`,
    fd_dup_min: `${n(3)} -> i32`,
    fd_getfd: `${n(2)} -> i32`,
    fd_setfd: `${n(2)} -> i32`,
    fd_flock: `${n(2)} -> i32`,
    fd_record_lock: `i32 i32 i32 i64 i64 i32 i32 i32 i32 -> i32`,
    proc_closefrom: `i32 -> i32`,
    fd_socketpair: `${n(5)} -> i32`,
    fd_sendmsg_rights: `${n(7)} -> i32`,
    fd_recvmsg_rights: `${n(9)} -> i32`,
    sleep_ms: `i32 -> i32`,
    pty_open: `${n(2)} -> i32`,
    proc_sigaction: `${n(5)} -> i32`,
    proc_signal_mask_v2: `${n(5)} -> i32`,
    proc_ppoll_v1: `i32 i32 i64 i64 i32 i32 i32 i32 -> i32`,
  },
  host_net: {
    net_socket: `${n(4)} -> i32`,
    net_set_nonblock: `${n(2)} -> i32`,
    net_connect: `${n(3)} -> i32`,
    net_getaddrinfo: `${n(7)} -> i32`,
    net_dns_query_rr_v1: `${n(8)} -> i32`,
    net_bind: `${n(3)} -> i32`,
    net_listen: `${n(2)} -> i32`,
    net_accept: `${n(4)} -> i32`,
    net_validate_socket: `i32 -> i32`,
    net_validate_accept: `i32 -> i32`,
    net_getsockname: `${n(3)} -> i32`,
    net_getpeername: `${n(3)} -> i32`,
    net_send: `${n(5)} -> i32`,
    net_recv: `${n(5)} -> i32`,
    net_sendto: `${n(7)} -> i32`,
    net_recvfrom: `${n(7)} -> i32`,
    net_setsockopt: `${n(5)} -> i32`,
    net_getsockopt: `${n(5)} -> i32`,
    net_poll: `${n(4)} -> i32`,
    net_close: `i32 -> i32`,
    net_tls_connect: `${n(3)} -> i32`,
  },
  host_user: {
    getuid: `i32 -> i32`,
    getgid: `i32 -> i32`,
    geteuid: `i32 -> i32`,
    getegid: `i32 -> i32`,
    getresuid: `${n(3)} -> i32`,
    getresgid: `${n(3)} -> i32`,
    setuid: `i32 -> i32`,
    seteuid: `i32 -> i32`,
    setgid: `i32 -> i32`,
    setegid: `i32 -> i32`,
    setreuid: `${n(2)} -> i32`,
    setregid: `${n(2)} -> i32`,
    setresuid: `${n(3)} -> i32`,
    setresgid: `${n(3)} -> i32`,
    getgroups: `${n(3)} -> i32`,
    setgroups: `${n(2)} -> i32`,
    getpwuid: `${n(4)} -> i32`,
    getpwnam: `${n(5)} -> i32`,
    getpwent: `${n(4)} -> i32`,
    getgrgid: `${n(4)} -> i32`,
    getgrnam: `${n(5)} -> i32`,
    getgrent: `${n(4)} -> i32`,
    isatty: `${n(2)} -> i32`,
  },
  host_tty: {
    read: `${n(3)} -> i32`,
    isatty: `i32 -> i32`,
    get_size: `${n(3)} -> i32`,
    set_size: `${n(3)} -> i32`,
    get_attr: `${n(3)} -> i32`,
    set_attr: `${n(3)} -> i32`,
    get_pgrp: `${n(2)} -> i32`,
    set_pgrp: `${n(2)} -> i32`,
    get_sid: `${n(2)} -> i32`,
    set_raw_mode: `i32 -> i32`,
  },
  host_system: {
    get_identity: `${n(3)} -> i32`,
  },
  host_fs: {
    open_tmpfile: `${n(6)} -> i32`,
    fd_link: `${n(4)} -> i32`,
    remount: `${n(4)} -> i32`,
    path_mknod: `i32 i32 i32 i32 i64 -> i32`,
    path_renameat2: `${n(7)} -> i32`,
    path_statfs: `${n(8)} -> i32`,
    fd_fiemap: `${n(5)} -> i32`,
    fd_punch_hole: `i32 i64 i64 -> i32`,
    fd_insert_range: `i32 i64 i64 -> i32`,
    fd_collapse_range: `i32 i64 i64 -> i32`,
    fd_zero_range: `i32 i64 i64 i32 -> i32`,
    set_open_mode: `i32 -> i32`,
    set_open_direct: `i32 -> i32`,
    path_owner: `${n(6)} -> i32`,
    path_mode: `${n(4)} -> i32`,
    path_size: `${n(4)} -> i64`,
    path_blocks: `${n(4)} -> i64`,
    path_rdev: `${n(4)} -> i64`,
    fd_owner: `${n(3)} -> i32`,
    fd_mode: `i32 -> i32`,
    fd_size: `i32 -> i64`,
    fd_blocks: `i32 -> i64`,
    path_access: `${n(5)} -> i32`,
    path_chown: `${n(6)} -> i32`,
    fd_chown: `${n(3)} -> i32`,
    chown: `${n(6)} -> i32`,
    fchown: `${n(3)} -> i32`,
    chmod: `${n(4)} -> i32`,
    fchmod: `${n(2)} -> i32`,
    path_getxattr: `${n(9)} -> i32`,
    path_setxattr: `${n(9)} -> i32`,
    path_listxattr: `${n(7)} -> i32`,
    path_removexattr: `${n(6)} -> i32`,
    fd_getxattr: `${n(6)} -> i32`,
    fd_setxattr: `${n(6)} -> i32`,
    fd_listxattr: `${n(4)} -> i32`,
    fd_removexattr: `${n(3)} -> i32`,
    ftruncate: `i32 i64 -> i32`,
  },
};

const REFUSED_PREVIEW1 = ["fd_advise", "fd_fdstat_set_rights", "proc_raise", "sock_accept", "sock_recv", "sock_send"];

let model: ContractModel;
function contract(): ContractModel {
  if (!model) {
    const c = compileFile("abi.idl");
    expect(c.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    model = c.model!;
  }
  return model;
}

describe("abi.idl", () => {
  test("checks with no errors and no warnings, as command_abi@1.1.0", () => {
    // 1.1.0: the failure values of the plain-scalar functions are declared (@sentinel).
    expect(contract().package).toMatchObject({ name: "command_abi", version: "1.1.0" });
  });

  test("every plain-scalar function declares what it returns on failure", () => {
    const U64_MAX = "18446744073709551615";
    const sentinels = Object.fromEntries(
      contract().modules.flatMap((m) =>
        m.functions.flatMap((f) => (f.result.kind === "scalar" ? [[`${m.name}.${f.name}`, f.result.sentinel]] : [])),
      ),
    );
    expect(sentinels).toEqual({
      "host_fs.path_mode": { error: 0, fault: 0 },
      "host_fs.path_size": { error: U64_MAX, fault: U64_MAX },
      "host_fs.path_blocks": { error: U64_MAX, fault: U64_MAX },
      "host_fs.path_rdev": { error: 0, fault: 0 },
      "host_fs.fd_mode": { error: 0, fault: 0 },
      "host_fs.fd_size": { error: U64_MAX, fault: U64_MAX },
      "host_fs.fd_blocks": { error: U64_MAX, fault: U64_MAX },
      "host_tty.read": { error: 0, fault: 0 },
      "host_tty.isatty": { error: 0, fault: 0 },
      // Linux errnos: EIO for a failed host, WASI `fault` (21) for a bad output range.
      "host_tty.get_size": { error: 5, fault: 21 },
      "host_tty.set_raw_mode": { error: 25, fault: 25 },
    });
  });

  test("declares exactly the reference's modules and functions with the reference's core signatures", () => {
    const actual: Record<string, Record<string, string>> = {};
    for (const m of contract().modules)
      actual[m.name] = Object.fromEntries(m.functions.map((f) => [f.name, `${f.core.params.join(" ")} -> ${f.core.results.join(" ")}`]));
    expect(actual).toEqual(REFERENCE);
  });

  test("preview1: 46 functions, the six refused ones refused and the other 40 linked", () => {
    const wasi = contract().modules.find((m) => m.name === "wasi_snapshot_preview1")!;
    expect(wasi.aliases).toEqual(["wasi_unstable"]);
    expect(wasi.functions).toHaveLength(46);
    const refused = wasi.functions.filter((f) => f.status.kind === "refused").map((f) => f.name);
    expect(refused.sort()).toEqual([...REFUSED_PREVIEW1].sort());
    for (const f of wasi.functions.filter((f) => f.status.kind === "refused")) expect((f.status as { reason: string }).reason).not.toBe("");
    expect(wasi.functions.filter((f) => f.status.kind === "provided")).toHaveLength(40);
    for (const f of wasi.functions) expect(f.tiers).toEqual(["isolated", "read-only", "read-write", "full"]);
  });

  test("every stable item is gated @since(1.0.0) and documented", () => {
    const m = contract();
    const items = [...m.types, ...m.constants, ...m.modules, ...m.modules.flatMap((x) => x.functions)];
    for (const i of items) {
      if (i.unstable === null) expect(i.since, i.name).toBe("1.0.0");
      expect(i.docs.trim(), i.name).not.toBe("");
    }
    expect(m.command?.since).toBe("1.0.0");
  });

  test("unstable items say they are not yet confirmed", () => {
    const m = contract();
    const unstable = [...m.types, ...m.constants, ...m.modules.flatMap((x) => x.functions)].filter((i) => i.unstable !== null);
    expect(unstable.length).toBeGreaterThan(0);
    for (const i of unstable) expect(i.docs, i.name).toMatch(/not yet confirmed/i);
  });

  test("the command contract requires memory and _start, and offers the signal trampoline", () => {
    const exports = contract().command!.exports;
    expect(exports.find((e) => e.name === "memory")).toMatchObject({ kind: "memory", required: true });
    expect(exports.find((e) => e.name === "_start")).toMatchObject({ kind: "func", required: true, params: [], results: [] });
    expect(exports.find((e) => e.name === "__wasi_signal_trampoline")).toMatchObject({ required: false, params: ["i32"] });
  });
});

describe("real guests built with clang and stock wasi-libc link against the contract", () => {
  test("printf, files, directories, clocks, poll, random, args and env", () => {
    const dir = path.join("test", ".build", "contract");
    mkdirSync(dir, { recursive: true });
    const out = path.join(dir, "everyday.wasm");
    compileC({ sources: ["test/guests/contract/everyday.c"], out });
    const bytes = readFileSync(out);
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
    // the guest really exercises a broad slice of preview1
    for (const name of ["fd_write", "fd_read", "path_open", "fd_readdir", "clock_time_get", "poll_oneoff", "random_get", "args_get", "environ_get"])
      expect(imports.map((i) => i.name)).toContain(name);
    const report = verifyModule(bytes, contract(), { tier: "isolated", features: [] });
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.requiredVersion).toBe("1.0.0");
  });
});
