// The main thread's process table: starts each guest in a worker thread, answers their
// system calls (spawn, wait, kill, process groups), resolves commands by name in the
// command directory, and records exit statuses.

import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MessageChannel, Worker } from "node:worker_threads";
import { classifyExecutable, verifyModule, type ContractModel, type Tier } from "../compiler/api.ts";
import { serveSyscalls, type Reply, type Request } from "./channel.ts";
import { EXEC_IMAGE_MAX, Errno } from "../generated/ts/index.ts";
import { releaseSpec, type DescriptorSpec } from "./fdtable.ts";
import { refusalCheck } from "./impls.ts";
import { FlockTable } from "./flock.ts";
import { XattrStore } from "./fs-xattr.ts";
import { RecordLockTable } from "./record-lock.ts";
import { NetKernel } from "./net-kernel.ts";
import type { ExitMessage, WorkerInit } from "./worker.ts";

/**
 * How a process sees the preopened directories (abi.idl's `preopens` convention): `visible`,
 * the preview1 presentation (fds 3.. that `fd_prestat_get` describes; what stock wasi-libc and
 * Rust std need), or `hidden`, the agentOS runtime's (no fd; only paths relative to the cwd
 * reach them, which here means host_fs's `fd_cwd`).
 */
export type PreopenMode = "visible" | "hidden";

export interface KernelOptions {
  model: ContractModel;
  tier: Tier;
  features: string[];
  /** Directories searched, in order, for commands spawned by name. */
  commandDirs: string[];
  /** Sandbox roots handed to every process as preopened directories. */
  preopens: { host: string; guest: string }[];
  /** How the preopens are presented: numbered fds from 3 (preview1) or hidden capabilities. */
  preopenMode: PreopenMode;
  /** Terminal size reported by host_tty when stdio is a terminal. */
  winsize: [number, number] | null;
  debug: boolean;
  /** Extra PEM certificates `net_tls_connect` trusts (besides Node's store). */
  tlsCa?: string[];
}

export interface ExitStatus {
  code: number;
  signal: number;
}

interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  worker: Worker | null;
  pending: Int32Array;
  exit: ExitStatus | null;
  reaped: boolean;
  /** The real-time interval timer (SIGALRM), if armed. */
  itimer: { timeout: NodeJS.Timeout; due: number; intervalMs: number } | null;
}

const SIGALRM = 14;
/** setTimeout's longest delay; longer timers re-arm until they are due. */
const MAX_DELAY_MS = 0x7fffffff;

/** A module ready to run, or why it cannot be (a one-line reason and the shell status). */
export type Loaded = { ok: true; module: WebAssembly.Module } | { ok: false; status: 126 | 127; errno: number; reason: string };

/**
 * The worker's compiled JavaScript. Workers always run the build, also when the kernel itself
 * runs from its TypeScript source (the tests build first): nothing interprets TypeScript at run time.
 */
const WORKER_FILE = import.meta.url.endsWith(".js")
  ? fileURLToPath(new URL("./worker.js", import.meta.url))
  : join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "host", "worker.js");

export class Kernel {
  private readonly procs = new Map<number, Proc>();
  private nextPid = 1;
  private exitListeners: (() => void)[] = [];
  private readonly refusal: (module: WebAssembly.Module) => string | null;
  private readonly cache = new Map<string, Loaded>();
  private readonly net: NetKernel;
  private readonly locks = new FlockTable();
  /** Emulated extended attributes, shared by every process and never persisted. */
  private readonly xattrs = new XattrStore();
  private readonly recordLocks = new RecordLockTable();
  /** SCM_RIGHTS in flight: per receiving socket id, the descriptors of each message, in order. */
  private readonly rights = new Map<number, DescriptorSpec[][]>();

  constructor(private readonly opts: KernelOptions) {
    if (!existsSync(WORKER_FILE)) throw new Error(`the reference host is not built (${WORKER_FILE} is missing): run \`npm run build\``);
    this.refusal = refusalCheck(opts.tier, opts.features);
    this.net = new NetKernel({ tlsCa: opts.tlsCa ?? [] });
  }

  /** Reads, checks and compiles a module file. */
  async load(file: string): Promise<Loaded> {
    const hit = this.cache.get(file);
    if (hit) return hit;
    const result = await this.loadUncached(file);
    this.cache.set(file, result);
    return result;
  }

  private async loadUncached(file: string): Promise<Loaded> {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      const st = statSync(file);
      if (st.isDirectory()) return { ok: false, status: 126, errno: Errno.Acces, reason: "is a directory" };
      if (!st.isFile()) return { ok: false, status: 126, errno: Errno.Acces, reason: "is not a regular file" };
      if (st.size > EXEC_IMAGE_MAX) return { ok: false, status: 126, errno: Errno.Fbig, reason: "is larger than the 256 MiB image limit" };
      bytes = new Uint8Array(readFileSync(file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return { ok: false, status: 127, errno: Errno.Noent, reason: "no such file" };
      return { ok: false, status: 126, errno: Errno.Acces, reason: `cannot read (${code ?? String(error)})` };
    }
    const kind = classifyExecutable(bytes);
    const refusals = {
      shebang: "is a `#!` script; only wasm commands run here",
      elf: "is a native ELF binary (ERR_NATIVE_BINARY_NOT_SUPPORTED)",
      macho: "is a native Mach-O binary (ERR_NATIVE_BINARY_NOT_SUPPORTED)",
      pe: "is a native PE binary (ERR_NATIVE_BINARY_NOT_SUPPORTED)",
      unknown: "is not a wasm module (no `\\0asm` magic)",
    } as const;
    if (kind !== "wasm") return { ok: false, status: 126, errno: Errno.Noexec, reason: refusals[kind] };
    const report = verifyModule(bytes, this.opts.model, { tier: this.opts.tier, features: this.opts.features });
    const error = report.findings.find((f) => f.severity === "error");
    if (error) return { ok: false, status: 126, errno: Errno.Noexec, reason: error.message };
    let module: WebAssembly.Module;
    try {
      module = await WebAssembly.compile(bytes);
    } catch (caught) {
      return { ok: false, status: 126, errno: Errno.Noexec, reason: `invalid wasm: ${(caught as Error).message}` };
    }
    const unlinked = this.refusal(module);
    if (unlinked) return { ok: false, status: 126, errno: Errno.Noexec, reason: unlinked };
    return { ok: true, module };
  }

  /** Finds a command by name (the basename of `path`) in the command directories. */
  resolveCommand(path: string): string | null {
    const name = basename(path);
    if (!name || name === "." || name === "..") return null;
    for (const dir of this.opts.commandDirs) {
      for (const candidate of [join(dir, name), join(dir, `${name}.wasm`)]) {
        try {
          if (statSync(candidate).isFile()) return candidate;
        } catch {
          // Not in this directory.
        }
      }
    }
    return null;
  }

  /** Starts a process; its fds are specs whose references the new process takes over. */
  start(module: WebAssembly.Module, parent: Proc | null, name: string, argv: string[], env: string[], fds: [number, DescriptorSpec][], mask = 0n): number {
    const pid = this.nextPid++;
    const pending = new Int32Array(new SharedArrayBuffer(8));
    const flag = new SharedArrayBuffer(4);
    const channel = new MessageChannel();
    const proc: Proc = { pid, ppid: parent?.pid ?? 0, pgid: parent?.pgid ?? pid, worker: null, pending, exit: null, reaped: false, itimer: null };
    this.procs.set(pid, proc);
    const preopens: DescriptorSpec[] =
      this.opts.tier === "isolated" ? [] : this.opts.preopens.map((p) => ({ kind: "dir", root: p.host, rel: [], preopen: p.guest }));
    const init: WorkerInit = {
      pid,
      ppid: proc.ppid,
      name,
      argv,
      env,
      tier: this.opts.tier,
      module,
      features: this.opts.features,
      fds,
      preopens,
      hidePreopens: this.opts.preopenMode === "hidden",
      pending: pending.buffer as SharedArrayBuffer,
      flag,
      port: channel.port2,
      winsize: this.opts.winsize,
      mask,
      debug: this.opts.debug,
    };
    const worker = new Worker(pathToFileURL(WORKER_FILE), { workerData: init, transferList: [channel.port2] });
    proc.worker = worker;
    serveSyscalls(channel.port1, flag, (request) => this.syscall(proc, request));
    let done = false;
    const finish = (status: ExitStatus) => {
      if (done) return;
      done = true;
      channel.port1.close();
      this.exited(proc, status);
    };
    worker.on("message", (m: ExitMessage) => finish({ code: m.code, signal: m.signal }));
    worker.on("error", (error) => {
      process.stderr.write(`abic run: ${name}: host error: ${error.message}\n`);
      finish({ code: 1, signal: 0 });
    });
    worker.on("exit", () => finish({ code: 1, signal: 0 }));
    return pid;
  }

  private exited(proc: Proc, status: ExitStatus): void {
    proc.exit = status;
    proc.worker = null;
    this.net.release(proc.pid);
    this.locks.release(`${proc.pid}:`);
    this.recordLocks.release(proc.pid);
    this.disarm(proc);
    const parent = this.procs.get(proc.ppid);
    if (parent && !parent.exit) this.signal(parent, 17);
    const listeners = this.exitListeners;
    this.exitListeners = [];
    for (const listener of listeners) listener();
  }

  /** Resolves when `pid` has exited. */
  async waitExit(pid: number): Promise<ExitStatus> {
    for (;;) {
      const proc = this.procs.get(pid)!;
      if (proc.exit) return proc.exit;
      await new Promise<void>((resolve) => this.exitListeners.push(resolve));
    }
  }

  /** Ends every process still running (orphans left behind when the first process exits). */
  async shutdown(): Promise<void> {
    await Promise.all([...this.procs.values()].map((p) => p.worker?.terminate()));
  }

  private signal(proc: Proc, sig: number): void {
    Atomics.or(proc.pending, sig <= 32 ? 0 : 1, 1 << ((sig - 1) % 32));
    if (sig === 9) {
      // Delivery is cooperative; a guest that makes no host call is ended by force.
      const worker = proc.worker;
      setTimeout(() => {
        if (!proc.exit && proc.worker === worker) {
          void worker?.terminate();
          this.exited(proc, { code: 137, signal: 9 });
        }
      }, 2000).unref();
    }
  }

  private async syscall(caller: Proc, r: Request): Promise<Reply> {
    switch (r.op) {
      case "spawn": {
        const file = this.resolveCommand(r.path);
        if (!file) return { errno: Errno.Noent };
        const loaded = await this.load(file);
        if (!loaded.ok) return { errno: loaded.errno };
        return { errno: 0, value: this.start(loaded.module, caller, basename(r.path), r.argv, r.env, r.fds, r.mask) };
      }
      case "net":
        return this.net.handle(caller.pid, r.call);
      case "flock":
        if (!r.call.owner.startsWith(`${caller.pid}:`)) return { errno: Errno.Inval };
        return this.locks.apply(r.call).then(
          () => ({ errno: 0 }),
          (error: { errno?: number }) => ({ errno: error.errno ?? Errno.Io }),
        );
      case "reclock":
        return this.recordLocks.apply({ ...r.call, pid: caller.pid }).then(
          (conflict) => ({ errno: 0, value: conflict }),
          (error: { errno?: number }) => ({ errno: error.errno ?? Errno.Io }),
        );
      case "rights":
        return { errno: 0, value: this.passRights(r.send, r.id, r.specs ?? [], r.max ?? 0) };
      case "exec": {
        // The new image runs in the caller's worker: only the checked module crosses.
        const file = r.file ?? this.resolveCommand(r.path ?? "");
        if (!file) return { errno: Errno.Noent };
        // fexec reads whatever the descriptor's file holds now.
        const loaded = r.file ? await this.loadUncached(r.file) : await this.load(file);
        if (!loaded.ok) return { errno: loaded.errno };
        return { errno: 0, value: loaded.module };
      }
      case "xattr":
        return this.xattrs.handle(r.call);
      case "itimer":
        return { errno: 0, value: this.itimer(caller, r.set, r.valueUs, r.intervalUs) };
      case "waitpid":
        return this.waitpid(caller, r.pid, r.nohang);
      case "kill": {
        const targets = [...this.procs.values()].filter(
          (p) => !p.reaped && (r.pid > 0 ? p.pid === r.pid : r.pid === 0 ? p.pgid === caller.pgid : r.pid === -1 ? p.pid !== 0 : p.pgid === -r.pid),
        );
        if (targets.length === 0) return { errno: Errno.Srch };
        if (r.sig !== 0) for (const p of targets) if (!p.exit) this.signal(p, r.sig);
        return { errno: 0 };
      }
      case "getpgid": {
        const p = r.pid === 0 ? caller : this.procs.get(r.pid);
        if (!p || p.reaped) return { errno: Errno.Srch };
        return { errno: 0, value: p.pgid };
      }
      case "setpgid": {
        const p = r.pid === 0 ? caller : this.procs.get(r.pid);
        if (!p || p.reaped || (p !== caller && p.ppid !== caller.pid)) return { errno: Errno.Srch };
        if (r.pgid < 0) return { errno: Errno.Inval };
        p.pgid = r.pgid === 0 ? p.pid : r.pgid;
        return { errno: 0 };
      }
    }
  }

  /**
   * Queues the descriptors of one message for socket `id`, or takes the oldest message's:
   * at most `max`, the rest closed (`ctrunc`).
   */
  private passRights(send: boolean, id: number, specs: DescriptorSpec[], max: number): { specs: DescriptorSpec[]; ctrunc: boolean } {
    const queue = this.rights.get(id) ?? [];
    if (send) {
      queue.push(specs);
      this.rights.set(id, queue);
      return { specs: [], ctrunc: false };
    }
    const message = queue.shift() ?? [];
    if (queue.length === 0) this.rights.delete(id);
    for (const spec of message.slice(max)) releaseSpec(spec);
    return { specs: message.slice(0, max), ctrunc: message.length > max };
  }

  /** `setitimer(ITIMER_REAL)` / `getitimer`: the previous remaining time and interval, in µs. */
  private itimer(proc: Proc, set: boolean, valueUs: bigint, intervalUs: bigint): [bigint, bigint] {
    const t = proc.itimer;
    const old: [bigint, bigint] = t
      ? [BigInt(Math.max(1, Math.ceil((t.due - performance.now()) * 1000))), BigInt(Math.round(t.intervalMs * 1000))]
      : [0n, 0n];
    if (!set) return old;
    this.disarm(proc);
    if (valueUs > 0n) this.arm(proc, Number(valueUs) / 1000, Number(intervalUs) / 1000);
    return old;
  }

  private arm(proc: Proc, delayMs: number, intervalMs: number): void {
    const due = performance.now() + delayMs;
    const fire = () => {
      const left = due - performance.now();
      if (left > 1) {
        timer.timeout = setTimeout(fire, Math.min(left, MAX_DELAY_MS)).unref();
        return;
      }
      proc.itimer = null;
      if (proc.exit) return;
      this.signal(proc, SIGALRM);
      if (intervalMs > 0) this.arm(proc, intervalMs, intervalMs);
    };
    const timer = { timeout: setTimeout(fire, Math.min(delayMs, MAX_DELAY_MS)).unref(), due, intervalMs };
    proc.itimer = timer;
  }

  private disarm(proc: Proc): void {
    if (proc.itimer) clearTimeout(proc.itimer.timeout);
    proc.itimer = null;
  }

  private async waitpid(caller: Proc, pid: number, nohang: boolean): Promise<Reply> {
    for (;;) {
      const children = [...this.procs.values()].filter(
        (p) => p.ppid === caller.pid && !p.reaped && (pid > 0 ? p.pid === pid : pid === -1 ? true : pid === 0 ? p.pgid === caller.pgid : p.pgid === -pid),
      );
      if (children.length === 0) return { errno: Errno.Child };
      const done = children.find((p) => p.exit);
      if (done) {
        done.reaped = true;
        return { errno: 0, value: { pid: done.pid, code: done.exit!.code, signal: done.exit!.signal } };
      }
      if (nohang) return { errno: 0, value: { pid: 0, code: 0, signal: 0 } };
      await new Promise<void>((resolve) => this.exitListeners.push(resolve));
    }
  }
}
