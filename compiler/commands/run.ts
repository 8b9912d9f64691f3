// `abic run`: runs a wasm command under the reference host (host/) with the Node process's
// stdio, and exits with the guest's status as a shell would report it.

import { runModule } from "../../host/index.ts";
import { compileFile } from "../index.ts";
import { formatDiagnostic } from "../diagnostics.ts";
import { TIERS, type Tier } from "../model.ts";
import { didYouMean } from "../suggest.ts";
import { UsageError, type CommandSpec, type Options } from "./args.ts";
import { packageFile } from "../package-files.ts";

/** The contract served by default: the abi.idl the host was built from, shipped with abic. */
const DEFAULT_ABI = packageFile("abi.idl");

const RUN_OPTIONS = {
  dir: { type: "string", multiple: true },
  preopens: { type: "string" },
  env: { type: "string", multiple: true },
  tier: { type: "string", short: "t" },
  features: { type: "string" },
  commands: { type: "string" },
  abi: { type: "string" },
  debug: { type: "boolean" },
} as const satisfies Options;

export const runCommand: CommandSpec<typeof RUN_OPTIONS> = {
  summary: "Run a wasm command under the reference host",
  help: `Usage: abic run [--dir HOST[:GUEST]]... [--preopens visible|hidden] [--env K=V]... [-t|--tier T]
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
  options: RUN_OPTIONS,
  // Everything after MODULE is the guest's argv.
  passThrough: true,
  async run({ values, positionals, rest }, io) {
    const module = positionals[0];
    if (module === undefined) throw new UsageError("expected MODULE.wasm");
    const tier = (values.tier ?? "full") as Tier;
    if (!TIERS.includes(tier)) throw new UsageError(`unknown tier \`${tier}\` (expected ${TIERS.join(", ")})${didYouMean(tier, TIERS)}`);
    const env = values.env ?? [];
    for (const e of env) if (e.indexOf("=") <= 0) throw new UsageError(`--env expects KEY=VALUE, got \`${e}\``);
    const preopens = values.preopens ?? "visible";
    if (preopens !== "visible" && preopens !== "hidden") throw new UsageError(`--preopens must be visible or hidden, not \`${preopens}\``);
    const dirs = (values.dir ?? []).map((spec) => {
      const colon = spec.indexOf(":");
      const host = colon >= 0 ? spec.slice(0, colon) : spec;
      const guest = colon >= 0 ? spec.slice(colon + 1) : spec;
      if (!host || !guest) throw new UsageError(`--dir expects HOST[:GUEST], got \`${spec}\``);
      return { host, guest };
    });

    const c = compileFile(values.abi ?? DEFAULT_ABI);
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
        features: (values.features ?? "").split(",").filter(Boolean),
        commandDirs: values.commands === undefined ? undefined : [values.commands],
        model: c.model,
        stdin: "inherit",
        stdout: "inherit",
        stderr: "inherit",
        debug: values.debug === true,
      });
      if (result.error) io.err(`abic run: ${module}: ${result.error}\n`);
      return result.exitCode;
    } catch (error) {
      io.err(`abic run: ${error instanceof Error ? error.message : String(error)}\n`);
      return 126;
    }
  },
};
