// Finds (and on a root Debian box, installs) the toolchains that target wasm32-wasi: clang for C
// guests, Debian's rustc (with its wasm32 standard library), cargo and rustfmt for Rust guests;
// compiles with them. CLI: `node --import tsx scripts/toolchain.ts --ensure` prints both.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface WasiToolchain {
  /** The clang executable. */
  cc: string;
  /** Target and sysroot arguments every compile starts with. */
  baseArgs: string[];
  /** Where it came from, for messages: "WASI_SDK_PATH=..." or "system clang". */
  source: string;
}

export interface CompileOptions {
  sources: string[];
  out: string;
  includeDirs?: string[];
  extraArgs?: string[];
  /** Symbols to export from the module (`-Wl,--export=NAME`). */
  exports?: string[];
  /** Link without `_start` or crt1 (a library-like module). */
  noEntry?: boolean;
}

const DEBIAN_PACKAGES = ["clang", "lld", "wasi-libc", "libclang-rt-14-dev-wasm32"];

/** A lookup that runs at most once per process; a failure is cached too, so apt-get is not retried. */
function once<T>(find: () => T): () => T {
  let cached: { value: T } | { error: Error } | null = null;
  return () => {
    if (cached === null) {
      try {
        cached = { value: find() };
      } catch (error) {
        cached = { error: error instanceof Error ? error : new Error(String(error)) };
      }
    }
    if ("error" in cached) throw cached.error;
    return cached.value;
  };
}

/** The wasm32-wasi clang to use; checked by compiling and linking a probe. Throws when there is none. */
export const wasiClang: () => WasiToolchain = once(findToolchain);

/** Compiles and links C sources to a wasm module; throws with clang's output on failure. */
export function compileC(opts: CompileOptions): void {
  const { cc, baseArgs } = wasiClang();
  const args = [
    ...baseArgs,
    "-O1",
    ...(opts.includeDirs ?? []).map((dir) => `-I${dir}`),
    ...(opts.noEntry ? ["-nostartfiles", "-Wl,--no-entry"] : []),
    ...(opts.exports ?? []).map((name) => `-Wl,--export=${name}`),
    ...(opts.extraArgs ?? []),
    ...opts.sources,
    "-o",
    opts.out,
  ];
  runCompiler(cc, args, opts.out);
}

/** Runs a compiler writing `out`; throws with its command line and output on failure. */
function runCompiler(exe: string, args: string[], out: string): void {
  mkdirSync(dirname(resolve(out)), { recursive: true });
  const run = spawnSync(exe, args, { encoding: "utf8" });
  if (run.error) throw new Error(`could not run ${exe}: ${run.error.message}`);
  if (run.status !== 0) {
    throw new Error(
      `${exe} failed (exit ${run.status ?? run.signal}) building ${out}:\n${exe} ${args.join(" ")}\n${run.stderr}`,
    );
  }
}

function findToolchain(): WasiToolchain {
  const sdk = process.env.WASI_SDK_PATH;
  if (sdk) {
    // An explicitly configured SDK that does not work is an error, not a reason to fall back.
    const toolchain = {
      cc: join(sdk, "bin", "clang"),
      baseArgs: ["--target=wasm32-wasi", `--sysroot=${join(sdk, "share", "wasi-sysroot")}`],
      source: `WASI_SDK_PATH=${sdk}`,
    };
    const problem = probe(toolchain);
    if (problem)
      throw new Error(`WASI_SDK_PATH is set to ${sdk}, but its clang cannot build for wasm32-wasi:\n${problem}`);
    return toolchain;
  }

  // Debian's clang finds the wasi-libc sysroot under /usr by itself.
  const system = { cc: "clang", baseArgs: ["--target=wasm32-wasi"], source: "system clang" };
  let problem = probe(system);
  if (!problem) return system;

  if (canInstallWithApt()) {
    installDebianPackages(DEBIAN_PACKAGES);
    problem = probe(system);
    if (!problem) return system;
  }
  throw new Error(
    "no C toolchain for wasm32-wasi was found. Set WASI_SDK_PATH to a wasi-sdk, or install the Debian " +
      `packages: apt-get install ${DEBIAN_PACKAGES.join(" ")}.\nLast attempt:\n${problem}`,
  );
}

/** Builds a printf hello world (needs clang, wasm-ld, wasi-libc and compiler-rt); null when it works. */
function probe(toolchain: WasiToolchain): string | null {
  const dir = mkdtempSync(join(tmpdir(), "abic-toolchain-"));
  try {
    const source = join(dir, "probe.c");
    writeFileSync(source, '#include <stdio.h>\nint main(void) { printf("%d\\n", 42); return 0; }\n');
    const run = spawnSync(toolchain.cc, [...toolchain.baseArgs, "-O1", source, "-o", join(dir, "probe.wasm")], {
      encoding: "utf8",
    });
    if (run.error) return `${toolchain.cc}: ${run.error.message}`;
    if (run.status !== 0) return `${toolchain.cc} exited with ${run.status ?? run.signal}:\n${run.stderr}`;
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The folder of the toolchain's wasi-libc `libc.a` (its opt-in emulation libraries sit beside it). */
export function wasiLibDir(): string {
  const { cc, baseArgs } = wasiClang();
  const run = spawnSync(cc, [...baseArgs, "-print-file-name=libc.a"], { encoding: "utf8" });
  const file = run.stdout?.trim() ?? "";
  if (run.status !== 0 || !file.startsWith("/")) throw new Error(`${cc} does not say where its wasi-libc libc.a is:\n${run.stderr ?? ""}`);
  return dirname(file);
}

const NM_CANDIDATES = ["llvm-nm", "llvm-nm-19", "llvm-nm-16", "llvm-nm-15", "llvm-nm-14"];

/**
 * llvm-nm, which reads the symbol tables of wasm object archives. Debian ships it in `llvm`
 * (not a dependency of `clang`), so it is installed when missing and apt-get is available.
 */
export const llvmNm: () => string = once(() => {
  const sdk = process.env.WASI_SDK_PATH;
  const candidates = [...(sdk ? [join(sdk, "bin", "llvm-nm")] : []), ...NM_CANDIDATES];
  const find = () => candidates.find((c) => spawnSync(c, ["--version"], { stdio: "ignore" }).status === 0);
  let found = find();
  if (!found && canInstallWithApt()) {
    installDebianPackages(["llvm"]);
    found = find();
  }
  if (!found) throw new Error(`llvm-nm was not found (tried ${candidates.join(", ")}); install Debian's \`llvm\` package or set WASI_SDK_PATH`);
  return found;
});

// ---------------------------------------------------------------------------------------------
// Rust: Debian's packages, called by full path. A rustup toolchain earlier on PATH usually lacks
// the wasm32-wasi standard library, and an explicitly different rustc would build differently.

export interface RustToolchain {
  rustc: string;
  rustdoc: string;
  cargo: string;
  rustfmt: string;
  /** `rustc --version`, for messages and build-cache keys. */
  version: string;
}

export interface RustCompileOptions {
  source: string;
  out: string;
  crateType: "bin" | "rlib";
  crateName?: string;
  /** Cargo features turned on (`--cfg feature="x"`). */
  features?: string[];
  /** `name -> rlib path` for `--extern`. */
  externs?: Record<string, string>;
  extraArgs?: string[];
}

const RUST_PACKAGES = ["rustc", "libstd-rust-dev-wasm32", "cargo", "rustfmt"];
const DEBIAN_RUST: Omit<RustToolchain, "version"> = {
  rustc: "/usr/bin/rustc",
  rustdoc: "/usr/bin/rustdoc",
  cargo: "/usr/bin/cargo",
  rustfmt: "/usr/bin/rustfmt",
};

/** Debian's rustc, cargo and rustfmt, checked by building a wasm32-wasi hello world. Throws when missing. */
export const wasiRust: () => RustToolchain = once(findRust);

/** The `rustc` arguments every wasm32-wasi build starts with. */
export const RUST_BASE_ARGS = ["--edition", "2021", "--target", "wasm32-wasi"];

/** Compiles one crate root with Debian's rustc for wasm32-wasi; throws with rustc's output on failure. */
export function compileRust(opts: RustCompileOptions): void {
  const { rustc } = wasiRust();
  const args = [
    ...RUST_BASE_ARGS,
    "--crate-type",
    opts.crateType,
    ...(opts.crateName ? ["--crate-name", opts.crateName] : []),
    ...(opts.features ?? []).flatMap((f) => ["--cfg", `feature="${f}"`]),
    ...Object.entries(opts.externs ?? {}).flatMap(([name, path]) => ["--extern", `${name}=${path}`]),
    ...(opts.extraArgs ?? []),
    opts.source,
    "-o",
    opts.out,
  ];
  runCompiler(rustc, args, opts.out);
}

function findRust(): RustToolchain {
  let problem = probeRust();
  if (problem && canInstallWithApt()) {
    installDebianPackages(RUST_PACKAGES);
    problem = probeRust();
  }
  if (problem) {
    throw new Error(
      "no Rust toolchain for wasm32-wasi was found. Install the Debian packages: " +
        `apt-get install ${RUST_PACKAGES.join(" ")}.\nLast attempt:\n${problem}`,
    );
  }
  const version = spawnSync(DEBIAN_RUST.rustc, ["--version"], { encoding: "utf8" }).stdout.trim();
  return { ...DEBIAN_RUST, version };
}

/** Builds a println hello world for wasm32-wasi and runs rustdoc, cargo and rustfmt; null when all work. */
function probeRust(): string | null {
  const dir = mkdtempSync(join(tmpdir(), "abic-rust-toolchain-"));
  try {
    for (const tool of [DEBIAN_RUST.rustdoc, DEBIAN_RUST.cargo, DEBIAN_RUST.rustfmt]) {
      const run = spawnSync(tool, ["--version"], { encoding: "utf8" });
      if (run.error) return `${tool}: ${run.error.message}`;
      if (run.status !== 0) return `${tool} --version exited with ${run.status ?? run.signal}:\n${run.stderr}`;
    }
    const source = join(dir, "probe.rs");
    writeFileSync(source, 'fn main() {\n    println!("{}", 42);\n}\n');
    const run = spawnSync(DEBIAN_RUST.rustc, [...RUST_BASE_ARGS, source, "-o", join(dir, "probe.wasm")], {
      encoding: "utf8",
    });
    if (run.error) return `${DEBIAN_RUST.rustc}: ${run.error.message}`;
    if (run.status !== 0) return `${DEBIAN_RUST.rustc} exited with ${run.status ?? run.signal}:\n${run.stderr}`;
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function canInstallWithApt(): boolean {
  const isRoot = process.getuid?.() === 0;
  return isRoot && spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
}

function installDebianPackages(packages: string[]): void {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", ...packages]]) {
    console.error(`toolchain: apt-get ${args.join(" ")}`);
    const run = spawnSync("apt-get", args, { stdio: ["ignore", "inherit", "inherit"], env });
    if (run.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed (exit ${run.status ?? run.signal})`);
  }
}

const invokedAsScript = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedAsScript) {
  if (!process.argv.includes("--ensure")) {
    console.error("usage: node --import tsx scripts/toolchain.ts --ensure");
    process.exit(2);
  }
  try {
    const { cc, baseArgs, source } = wasiClang();
    console.log(`wasm32-wasi toolchain (${source}): ${[cc, ...baseArgs].join(" ")}`);
    const rust = wasiRust();
    console.log(`wasm32-wasi Rust toolchain: ${rust.version} (${rust.rustc}, ${rust.cargo}, ${rust.rustfmt})`);
  } catch (error) {
    console.error(`toolchain: ${(error as Error).message}`);
    process.exit(1);
  }
}
