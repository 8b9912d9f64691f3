// The libc surface with real guests. A porter's C program (test/conformance/porter.c) calls
// one representative function of every libc patch and runs on the reference host, linked with
// the libc shim (test/conformance/libc/). The shim is held to the contract: each of its
// functions, linked alone into a probe module, includes the declared header, agrees with the
// declared C prototype, and imports exactly the host functions abi/libc.idl declares.

import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import type { ContractModel, LibcFunctionModel, Span } from "../compiler/model.ts";
import { verifyModule } from "../compiler/verify.ts";
import { readModule } from "../compiler/wasm/reader.ts";
import { llvmNm, wasiClang } from "../scripts/toolchain.ts";
import { BUILD, contract, guest, LIBC_SHIM, run, sandbox } from "./conformance/build.ts";

const noFailures = (out: string) => expect(out.split("\n").filter((l) => l.startsWith("FAIL"))).toEqual([]);
const where = (s: Span) => `${s.file}:${s.line}:${s.column}`;

/** One function per libc patch that porters reach first; the shim must implement each. */
const REPRESENTATIVES: Record<string, string[]> = {
  "0001-pipe-dup": ["pipe", "dup", "dup2"],
  "0002-spawn-wait": ["posix_spawn", "posix_spawnp", "waitpid", "wait"],
  "0003-kill": ["kill"],
  "0004-getpid": ["getpid", "getppid"],
  "0005-user-identity": ["getuid", "geteuid", "getgid", "getegid"],
  "0006-isatty": ["isatty"],
  "0007-getpwuid": ["getpwuid"],
  "0008-sockets": ["socket", "connect", "getaddrinfo"],
  "0011-sigaction": ["sigaction"],
  "0014-initialize-cwd-from-pwd": ["getcwd"],
};

describe("libc conformance", () => {
  test("a porter's program: pipes, spawn and wait, kill, ids, isatty, getpwuid, sockets, getaddrinfo, sigaction, cwd from PWD", async () => {
    const { data } = sandbox();
    writeFileSync(join(data, "sub", "in-sub.txt"), "in sub\n");
    guest("child"); // spawned by name next to the porter
    const r = await run("porter", { argv0: "porter", env: ["PWD=/data/sub"], dirs: [{ host: data, guest: "/data" }] });
    noFailures(r.out);
    expect(r.err).toBe("");
    for (const line of [
      "ok: write through the dup, read through the dup2",
      "ok: the child's parent is getpid()",
      "ok: waitpid: killed by SIGTERM",
      "ok: getpwuid(0): root, /root, /bin/sh",
      "ok: connect to what getaddrinfo found",
      "ok: kill(getpid(), SIGUSR1) ran the handler",
      "ok: a relative path resolves against it",
    ])
      expect(r.out).toContain(line);
    expect(r.exitCode).toBe(0);
  }, 60_000);
});

describe("the libc shim calls exactly what abi/libc.idl declares", () => {
  const dir = `${BUILD}/libc-shim`;
  let model: ContractModel;
  let objects: string[];
  let defined: Set<string>;

  beforeAll(() => {
    model = contract();
    mkdirSync(dir, { recursive: true });
    const { cc, baseArgs } = wasiClang();
    objects = LIBC_SHIM.sources().map((src) => {
      const out = join(dir, src.split("/").pop()!.replace(/\.c$/, ".o"));
      const r = spawnSync(cc, [...baseArgs, "-O1", "-c", "-I", LIBC_SHIM.include, "-I", "generated/c", "-Wno-deprecated-declarations", src, "-o", out], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`${src}: ${r.stderr}`);
      return out;
    });
    const nm = spawnSync(llvmNm(), ["--defined-only", "--format=posix", ...objects], { encoding: "utf8" });
    if (nm.status !== 0) throw new Error(nm.stderr);
    defined = new Set(nm.stdout.split("\n").flatMap((l) => /^(\S+) T /.exec(l)?.[1] ?? []));
  }, 120_000);

  test("the shim implements a representative function of every patch, and nothing the contract does not declare", () => {
    const declared = new Set(model.libc.map((f) => f.name));
    for (const [patch, names] of Object.entries(REPRESENTATIVES))
      for (const name of names) {
        expect(declared.has(name), `${name} (${patch}) is not in the libc block`).toBe(true);
        expect(defined.has(name), `the shim does not implement ${name} (${patch})`).toBe(true);
      }
    // Besides libc functions, only libc internals: the trampoline the host calls and the two
    // functions whose addresses <signal.h> uses for SIG_IGN and SIG_ERR.
    const extra = [...defined].filter((n) => !declared.has(n)).sort();
    expect(extra).toEqual(["__SIG_ERR", "__SIG_IGN", "__wasi_signal_trampoline"]);
  });

  test("each shim function, linked alone, imports exactly the declared host functions", () => {
    const { cc, baseArgs } = wasiClang();
    const problems: string[] = [];
    const probed = model.libc.filter((f) => defined.has(f.name));
    expect(probed.length).toBeGreaterThanOrEqual(30);
    for (const f of probed) {
      const wasm = probe(f, cc, baseArgs, objects, dir, problems);
      if (!wasm) continue;
      const imports = readModule(wasm).imports.filter((i) => i.kind === "func").map((i) => `${i.module}.${i.name}`);
      const host = imports.filter((i) => !i.startsWith("wasi_snapshot_preview1.")).sort();
      const declaredHost = f.imports.filter((i) => !i.startsWith("wasi_snapshot_preview1.")).sort();
      if (host.join() !== declaredHost.join())
        problems.push(`${where(f.span)}: ${f.name} imports ${host.join(", ") || "no host function"}, but the contract declares ${declaredHost.join(", ") || "none"}`);
      // WASI imports may also come from stock libc functions it uses (open, malloc); the declared ones must be there.
      for (const i of f.imports.filter((x) => x.startsWith("wasi_snapshot_preview1.")))
        if (!imports.includes(i)) problems.push(`${where(f.span)}: ${f.name} declares ${i}, but does not import it`);
      // abic verify: every import is a contract function, linked at full without features.
      const bad = verifyModule(wasm, model, { tier: "full", features: [] }).findings.filter((x) => x.import && x.severity === "error");
      for (const x of bad) problems.push(`${where(f.span)}: ${f.name}: ${x.rule} ${x.message}`);
    }
    expect(problems).toEqual([]);
  }, 300_000);

  test("a probe catches a prototype that disagrees with the header, at the function's line", () => {
    const { cc, baseArgs } = wasiClang();
    const pipe = model.libc.find((f) => f.name === "pipe")!;
    const problems: string[] = [];
    expect(probe({ ...pipe, prototype: "long pipe(int fd[2])" }, cc, baseArgs, objects, dir, problems)).toBeNull();
    expect(problems.join("\n")).toMatch(new RegExp(`^${pipe.span.file}:${pipe.span.line}:\\d+: error: conflicting types for 'pipe'`, "m"));
  }, 60_000);
});

/**
 * Links `f` alone with the shim into a module that exports a pointer to it, after including its
 * declared header and redeclaring its declared prototype (a disagreement fails to compile, at
 * the function's line in abi/libc.idl). Returns the module, or null with the problem recorded.
 */
function probe(f: LibcFunctionModel, cc: string, baseArgs: string[], objects: string[], dir: string, problems: string[]): Uint8Array | null {
  const source = join(dir, `probe-${f.name}.c`);
  const out = join(dir, `probe-${f.name}.wasm`);
  writeFileSync(
    source,
    [
      `#include <${f.header}>`,
      `#line ${f.span.line} "${f.span.file}"`,
      `${f.prototype};`,
      `__attribute__((export_name("abic_probe"))) void *abic_probe(void) { return (void *)&${f.name}; }`,
      "",
    ].join("\n"),
  );
  const r = spawnSync(
    cc,
    [...baseArgs, "-O1", "-nostartfiles", "-Wl,--no-entry", "-I", LIBC_SHIM.include, "-I", "generated/c", "-Wno-deprecated-declarations", source, ...objects, "-o", out],
    { encoding: "utf8" },
  );
  if (r.status !== 0) {
    problems.push(r.stderr.trim());
    return null;
  }
  return new Uint8Array(readFileSync(out));
}
