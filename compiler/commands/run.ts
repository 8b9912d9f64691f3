// `abic run`: runs a wasm command under the reference host (host/) with the Node process's
// stdio, and exits with the guest's status as a shell would report it.

import { runModule } from "../../host/index.ts";
import { compileFile } from "../index.ts";
import { formatDiagnostic } from "../diagnostics.ts";
import { TIERS, type Tier } from "../model.ts";
import { parseArgs, UsageError, type CommandSpec, type OptionSpec } from "../commands.ts";
import { packageFile } from "../package-files.ts";

/** The contract served by default: the abi.idl the host was built from, shipped with abic. */
const DEFAULT_ABI = packageFile("abi.idl");

const OPTIONS = { values: ["tier", "commands", "abi", "features", "preopens"], multi: ["dir", "env"], flags: ["debug"] } satisfies OptionSpec;

/** Splits `abic run` options from MODULE and the guest's own arguments (never parsed). */
function splitArgs(args: string[]): { options: string[]; module: string | undefined; rest: string[] } {
  const takesValue = new Set([...OPTIONS.values, ...OPTIONS.multi]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") return { options: args.slice(0, i), module: args[i + 1], rest: args.slice(i + 2) };
    if (!a.startsWith("--")) return { options: args.slice(0, i), module: a, rest: args.slice(i + 1) };
    if (!a.includes("=") && takesValue.has(a.slice(2))) i++;
  }
  return { options: args, module: undefined, rest: [] };
}

export const runCommand: CommandSpec = {
  summary: "Run a wasm command under the reference host",
  help: `Usage: abic run [--dir HOST[:GUEST]]... [--preopens visible|hidden] [--env K=V]... [--tier T]
                [--features F,...] [--commands DIR] [--abi FILE] [--debug] MODULE.wasm [ARGS...]

Runs MODULE.wasm as a command of the wasm command ABI with stdin, stdout and stderr
connected, and exits with its status: proc_exit(n) -> n, return from _start -> 0,
a trap -> a message on stderr and 1, death by signal n -> 128+n. Each --dir exposes
a host folder as a preopened directory (GUEST defaults to HOST); nothing outside
it is reachable. --preopens (default: visible) chooses how they are presented (the
contract's \`preopens\` convention): visible, as fds 3, 4, ... that fd_prestat_get
describes (what stock wasi-libc and Rust std need); hidden, as the agentOS runtime
does, with no fd (only host_fs paths relative to the cwd reach them). --tier
(default: full) selects what links, and --features the unstable features it links
too (e.g. group_records); --abi names the contract (default: the repository's
abi.idl); --debug prints host errors in full. Children spawned with host_process
are found by name in --commands DIR (default: the module's folder).
A file that cannot run (not wasm, a native binary, a #! script, imports the host
does not serve) gets a one-line error and status 126; a missing file 127.`,
  async run(args, io) {
    const { options, module, rest } = splitArgs(args);
    const { values, flags } = parseArgs(options, OPTIONS);
    if (module === undefined) throw new UsageError("expected MODULE.wasm");
    const tier = (values.get("tier")?.[0] ?? "full") as Tier;
    if (!TIERS.includes(tier)) throw new UsageError(`unknown tier \`${tier}\` (expected ${TIERS.join(", ")})`);
    const env = values.get("env") ?? [];
    for (const e of env) if (e.indexOf("=") <= 0) throw new UsageError(`--env expects KEY=VALUE, got \`${e}\``);
    const preopens = values.get("preopens")?.[0] ?? "visible";
    if (preopens !== "visible" && preopens !== "hidden") throw new UsageError(`--preopens must be visible or hidden, not \`${preopens}\``);
    const dirs = (values.get("dir") ?? []).map((spec) => {
      const colon = spec.indexOf(":");
      const host = colon >= 0 ? spec.slice(0, colon) : spec;
      const guest = colon >= 0 ? spec.slice(colon + 1) : spec;
      if (!host || !guest) throw new UsageError(`--dir expects HOST[:GUEST], got \`${spec}\``);
      return { host, guest };
    });

    const c = compileFile(values.get("abi")?.[0] ?? DEFAULT_ABI);
    for (const d of c.diagnostics) if (d.severity === "error") io.err(formatDiagnostic(d, c.texts) + "\n");
    if (!c.model) return 1;
    try {
      const result = await runModule({
        module,
        args: rest,
        env,
        dirs,
        preopens,
        tier,
        features: (values.get("features")?.[0] ?? "").split(",").filter(Boolean),
        commandDirs: values.get("commands"),
        model: c.model,
        stdin: "inherit",
        stdout: "inherit",
        stderr: "inherit",
        debug: flags.has("debug"),
      });
      if (result.error) io.err(`abic run: ${module}: ${result.error}\n`);
      return result.exitCode;
    } catch (error) {
      io.err(`abic run: ${error instanceof Error ? error.message : String(error)}\n`);
      return 126;
    }
  },
};
