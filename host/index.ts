// The reference host's entry point: run one command module with its stdio connected either
// to the Node process's own descriptors or to in-memory pipes, and report its exit status.

import { realpathSync, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import type { ContractModel, Tier } from "../compiler/api.ts";
import type { DescriptorSpec } from "./fdtable.ts";
import { Kernel, type PreopenMode } from "./kernel.ts";
import { Pipe } from "./pipe.ts";

export interface RunOptions {
  /** The module file. */
  module: string;
  /** argv[0]; default: the module path as given. */
  argv0?: string;
  args?: string[];
  /** `KEY=VALUE` entries; the contract's defaults fill HOME, USER, SHELL and PATH. */
  env?: string[];
  /** Host folders exposed as preopened directories under the guest names. */
  dirs?: { host: string; guest: string }[];
  /**
   * How the preopened directories are presented (abi.idl's `preopens` convention): `visible`
   * (the default), fds 3.. described by `fd_prestat_get`, as stock wasi-libc and Rust std need;
   * `hidden`, the agentOS runtime's, where no fd names them and only host_fs's `fd_cwd` paths
   * reach them.
   */
  preopens?: PreopenMode;
  tier?: Tier;
  features?: string[];
  /** Where spawned commands are found by name; default: the module's directory. */
  commandDirs?: string[];
  model: ContractModel;
  /** `inherit` uses the Node process's fd 0; bytes are fed through a pipe. Default: empty. */
  stdin?: "inherit" | Uint8Array;
  /** `inherit` writes to the Node process's fd; `capture` collects the bytes. Default: capture. */
  stdout?: "inherit" | "capture";
  stderr?: "inherit" | "capture";
  debug?: boolean;
  /**
   * Extra PEM certificates `net_tls_connect` trusts besides Node's root store (which already
   * includes `NODE_EXTRA_CA_CERTS`, the way to add one to `abic run`).
   */
  tlsCa?: string[];
}

export interface RunResult {
  /** The shell-style status: n for exit(n), 128+n for signal n, 126/127 when it never ran. */
  exitCode: number;
  signal: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
  /** Why the module could not run (one line), when it did not. */
  error?: string;
}

const DEFAULT_ENV: [string, string][] = [
  ["HOME", "/root"],
  ["USER", "root"],
  ["SHELL", "/bin/sh"],
  ["PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
];

/** Drains a pipe's read end on the main thread until every writer is gone. */
async function drain(pipe: Pipe, stop: { now: boolean }): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const waitAsync = (Atomics as unknown as { waitAsync?: (a: Int32Array, i: number, v: number, t: number) => { value: Promise<unknown> | string } }).waitAsync;
  for (;;) {
    const seq = pipe.seq;
    const got = pipe.tryRead(1 << 20);
    if (got && got.length === 0) break;
    if (got) {
      chunks.push(got);
      continue;
    }
    if (stop.now) break;
    const waited = waitAsync?.(pipe.header, 4, seq, 50);
    if (waited && typeof waited.value !== "string") await waited.value;
    else if (!waited) await new Promise((r) => setTimeout(r, 5));
  }
  pipe.release("r");
  return Buffer.concat(chunks);
}

export async function runModule(opts: RunOptions): Promise<RunResult> {
  const empty = new Uint8Array(0);
  const tier = opts.tier ?? "full";
  const dirs = (opts.dirs ?? []).map((d) => ({ host: realpathSync(d.host), guest: d.guest }));
  for (const d of dirs) if (!statSync(d.host).isDirectory()) throw new Error(`--dir ${d.host}: not a directory`);
  const kernel = new Kernel({
    model: opts.model,
    tier,
    features: opts.features ?? [],
    commandDirs: (opts.commandDirs ?? [dirname(resolve(opts.module))]).map((d) => resolve(d)),
    preopens: dirs,
    preopenMode: opts.preopens ?? "visible",
    winsize: process.stdout.isTTY ? [process.stdout.columns, process.stdout.rows] : null,
    debug: opts.debug ?? false,
    ...(opts.tlsCa ? { tlsCa: opts.tlsCa } : {}),
  });
  const loaded = await kernel.load(resolve(opts.module));
  if (!loaded.ok) return { exitCode: loaded.status, signal: 0, stdout: empty, stderr: empty, error: loaded.reason };

  const stop = { now: false };
  const fds: [number, DescriptorSpec][] = [];
  if (opts.stdin === "inherit") fds.push([0, { kind: "host", osfd: 0, readable: true, writable: false }]);
  else {
    const data = opts.stdin ?? empty;
    const pipe = Pipe.create(Math.max(65536, data.length));
    pipe.tryWrite(data);
    pipe.release("w");
    fds.push([0, { kind: "pipe", sab: pipe.sab, end: "r" }]);
  }
  const drains: Promise<Uint8Array>[] = [];
  for (const fd of [1, 2] as const) {
    if ((fd === 1 ? opts.stdout : opts.stderr) === "inherit") {
      fds.push([fd, { kind: "host", osfd: fd, readable: false, writable: true }]);
      drains.push(Promise.resolve(empty));
    } else {
      const pipe = Pipe.create();
      fds.push([fd, { kind: "pipe", sab: pipe.sab, end: "w" }]);
      drains.push(drain(pipe, stop));
    }
  }
  const env = [...(opts.env ?? [])];
  for (const [key, value] of DEFAULT_ENV) if (!env.some((e) => e.startsWith(`${key}=`))) env.push(`${key}=${value}`);
  const argv0 = opts.argv0 ?? opts.module;
  const pid = kernel.start(loaded.module, null, basename(argv0), [argv0, ...(opts.args ?? [])], env, fds);
  const status = await kernel.waitExit(pid);
  await kernel.shutdown();
  // Orphans may still hold a write end: collect what is buffered and stop.
  stop.now = true;
  const [stdout, stderr] = await Promise.all(drains);
  return { exitCode: status.signal ? 128 + status.signal : status.code & 0xff, signal: status.signal, stdout: stdout!, stderr: stderr! };
}
