// A small hand-built ContractModel for tests that must not depend on the contract parser:
// wasi_snapshot_preview1 (what a stock wasi-libc hello world imports, plus one function per
// gate/status case) and a command block requiring `memory` and `_start`.

import type {
  CommandExport,
  ConstModel,
  ContractModel,
  CoreType,
  FunctionModel,
  ModuleModel,
  Span,
  Tier,
} from "../../compiler/model.ts";
import { SCHEMA_VERSION, TIERS } from "../../compiler/model.ts";

export const FIXTURE_VERSION = "1.2.0";

const span: Span = { file: "fixture.idl", line: 1, column: 1, endLine: 1, endColumn: 1 };

function tiersFrom(lowest: Tier): Tier[] {
  return TIERS.slice(TIERS.indexOf(lowest));
}

function fn(
  module: string,
  name: string,
  core: { params: CoreType[]; results: CoreType[] },
  overrides: Partial<FunctionModel> = {},
): FunctionModel {
  return {
    name,
    import: { module, name },
    params: [],
    result: core.results.length ? { kind: "scalar", type: { kind: "primitive", name: "u32" }, sentinel: { error: 0, fault: 0 } } : { kind: "none" },
    core,
    status: { kind: "provided" },
    compat: null,
    deviation: null,
    tiers: tiersFrom("isolated"),
    docs: "",
    resultDocs: "",
    span,
    since: "1.0.0",
    unstable: null,
    deprecated: null,
    ...overrides,
  };
}

function module(
  name: string,
  aliases: string[],
  tier: Tier,
  functions: FunctionModel[],
  reserved: string[] = [],
): ModuleModel {
  return {
    name,
    aliases,
    tier,
    deviation: null,
    functions,
    reservedFunctions: reserved.map((reservedName) => ({ name: reservedName, span })),
    docs: "",
    span,
    since: "1.0.0",
    unstable: null,
    deprecated: null,
  };
}

function commandExport(
  name: string,
  required: boolean,
  kind: "memory" | "func",
  params: CoreType[] = [],
): CommandExport {
  return { name, required, kind, params, results: [], docs: "", span };
}

function limit(name: string, value: number): ConstModel {
  return { name, type: { kind: "primitive", name: "u32" }, value, docs: "", span, scope: "command", since: "1.0.0", unstable: null, deprecated: null };
}

const WASI = "wasi_snapshot_preview1";
const i32 = "i32" as const;

/** A fresh fixture model; tests may mutate their copy. */
export function fixtureModel(): ContractModel {
  return {
    schemaVersion: SCHEMA_VERSION,
    package: { name: "fixture", version: FIXTURE_VERSION, docs: "", span },
    files: ["fixture.idl"],
    types: [],
    constants: [
      // The command contract's refusal limits, which `abic verify` enforces.
      limit("module_size_max", 256 * 1024 * 1024),
      limit("import_count_max", 16384),
    ],
    modules: [
      module(
        WASI,
        ["wasi_unstable"],
        "isolated",
        [
          fn(WASI, "fd_write", { params: [i32, i32, i32, i32], results: [i32] }),
          fn(WASI, "proc_exit", { params: [i32], results: [] }, { result: { kind: "noreturn" } }),
          fn(WASI, "fd_close", { params: [i32], results: [i32] }),
          fn(WASI, "fd_fdstat_get", { params: [i32, i32], results: [i32] }),
          fn(WASI, "fd_seek", { params: [i32, "i64", i32, i32], results: [i32] }),
          fn(
            WASI,
            "fd_advise",
            { params: [i32, "i64", "i64", i32], results: [i32] },
            {
              status: { kind: "refused", reason: "advice is meaningless on the virtual kernel" },
            },
          ),
          fn(
            WASI,
            "fd_seek_old",
            { params: [i32, "i64", i32, i32], results: [i32] },
            {
              deprecated: { since: "1.1.0", use: "fd_seek", note: null },
            },
          ),
          fn(WASI, "fd_renumber_compat", { params: [i32, i32], results: [i32] }, { compat: "preview0 name" }),
          fn(WASI, "fd_fancy", { params: [i32], results: [i32] }, { since: null, unstable: "fancy-io" }),
          fn(WASI, "sock_open", { params: [i32, i32], results: [i32] }, { tiers: tiersFrom("full") }),
          fn(WASI, "fd_sync_future", { params: [i32], results: [i32] }, { since: "1.10.0" }),
          fn(WASI, "fd_datasync", { params: [i32], results: [i32] }, { since: "1.2.0" }),
        ],
        ["old_function"],
      ),
    ],
    command: {
      exports: [
        commandExport("memory", true, "memory"),
        commandExport("_start", true, "func"),
        commandExport("__wasi_signal_trampoline", false, "func", [i32]),
      ],
      conventions: [],
      docs: "",
      span,
      since: "1.0.0",
      unstable: null,
      deprecated: null,
    },
    libc: [],
    libcSurface: null,
  };
}
