// Finds (and on a root Debian box, installs) a C toolchain that targets wasm32-wasi, and compiles
// C with it. CLI: `node --import tsx scripts/toolchain.ts --ensure` prints the toolchain found.

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

// The lookup runs at most once per process; a failure is cached too, so apt-get is not retried.
let cached: WasiToolchain | Error | null = null;

/** The wasm32-wasi clang to use; checked by compiling and linking a probe. Throws when there is none. */
export function wasiClang(): WasiToolchain {
  if (cached === null) {
    try {
      cached = findToolchain();
    } catch (error) {
      cached = error instanceof Error ? error : new Error(String(error));
    }
  }
  if (cached instanceof Error) throw cached;
  return cached;
}

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
  mkdirSync(dirname(resolve(opts.out)), { recursive: true });
  const run = spawnSync(cc, args, { encoding: "utf8" });
  if (run.error) throw new Error(`could not run ${cc}: ${run.error.message}`);
  if (run.status !== 0) {
    throw new Error(
      `${cc} failed (exit ${run.status ?? run.signal}) building ${opts.out}:\n${cc} ${args.join(" ")}\n${run.stderr}`,
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
    installDebianPackages();
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
let nmCached: string | Error | null = null;

/**
 * llvm-nm, which reads the symbol tables of wasm object archives. Debian ships it in `llvm`
 * (not a dependency of `clang`), so it is installed when missing and apt-get is available.
 */
export function llvmNm(): string {
  if (nmCached === null) {
    const sdk = process.env.WASI_SDK_PATH;
    const candidates = [...(sdk ? [join(sdk, "bin", "llvm-nm")] : []), ...NM_CANDIDATES];
    const find = () => candidates.find((c) => spawnSync(c, ["--version"], { stdio: "ignore" }).status === 0);
    let found = find();
    if (!found && canInstallWithApt()) {
      installPackages(["llvm"]);
      found = find();
    }
    nmCached = found ?? new Error(`llvm-nm was not found (tried ${candidates.join(", ")}); install Debian's \`llvm\` package or set WASI_SDK_PATH`);
  }
  if (nmCached instanceof Error) throw nmCached;
  return nmCached;
}

function canInstallWithApt(): boolean {
  const isRoot = process.getuid?.() === 0;
  return isRoot && spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
}

function installDebianPackages(): void {
  installPackages(DEBIAN_PACKAGES);
}

function installPackages(packages: string[]): void {
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
  } catch (error) {
    console.error(`toolchain: ${(error as Error).message}`);
    process.exit(1);
  }
}
