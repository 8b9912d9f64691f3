// The guest check (B8) on clang-built guests against the hand-built fixture contract, plus the
// hand-built shapes C cannot produce, the command contract's refusals, and semver ordering.

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { ContractModel } from "../compiler/model.ts";
import { compareVersions, maxVersion, parseVersion } from "../compiler/semver.ts";
import {
  commandLimits,
  verifyModule,
  type VerifyFinding,
  type VerifyReport,
} from "../compiler/verify.ts";
import { compileC, type CompileOptions } from "../scripts/toolchain.ts";
import { fixtureModel } from "./support/model-fixture.ts";
import {
  exportEntry,
  funcType,
  I32,
  importEntry,
  KIND,
  SECTION,
  section,
  vec,
  wasmModule,
} from "./support/wasm-builder.ts";

const GUESTS = "test/guests/verify";
const BUILD = "test/.build/verify";

const bare = { extraArgs: ["-nostartfiles"] };
const GUEST_BUILDS: Record<string, Omit<CompileOptions, "sources" | "out">> = {
  hello: {},
  unknown_import: {},
  bad_arity: bare,
  gates: bare,
  minimal: bare,
  bad_trampoline: bare,
  reactor: { noEntry: true, exports: ["foo"] },
};
const built = new Map<string, Uint8Array>();

/** Compiles a guest on first use, so a missing toolchain fails each test that needs one. */
function guest(name: string): Uint8Array {
  let bytes = built.get(name);
  if (!bytes) {
    const out = `${BUILD}/${name}.wasm`;
    compileC({ sources: [`${GUESTS}/${name}.c`], out, ...GUEST_BUILDS[name] });
    bytes = new Uint8Array(readFileSync(out));
    built.set(name, bytes);
  }
  return bytes;
}

const isolated = { tier: "isolated", features: [] } as const;

function verify(
  bytes: Uint8Array,
  opts: { tier: "isolated" | "full"; features: readonly string[] } = isolated,
  model?: ContractModel,
): VerifyReport {
  return verifyModule(bytes, model ?? fixtureModel(), { tier: opts.tier, features: [...opts.features] });
}

/** Findings as `RULE severity module.name`, the short form most assertions need. */
function summary(report: VerifyReport): string[] {
  return report.findings.map(
    (f: VerifyFinding) => `${f.rule} ${f.severity}${f.import ? ` ${f.import.module}.${f.import.name}` : ""}`,
  );
}

describe("clang-built guests", () => {
  test("a stock wasi-libc hello world passes", () => {
    const report = verify(guest("hello"));
    expect(report).toEqual({ ok: true, findings: [], requiredVersion: "1.0.0", features: [] });
  });

  test("a minimal command importing only proc_exit passes", () => {
    expect(verify(guest("minimal")).ok).toBe(true);
  });

  test("fd_write declared with the wrong arity is IMP_SIG_EXACT, printing expected and found", () => {
    const report = verify(guest("bad_arity"));
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([
      {
        rule: "IMP_SIG_EXACT",
        severity: "error",
        message: "`wasi_snapshot_preview1.fd_write`: expected (i32 i32 i32 i32) -> (i32), found (i32 i32 i32) -> (i32)",
        import: { module: "wasi_snapshot_preview1", name: "fd_write" },
      },
    ]);
  });

  test("an import from a module the contract lacks is IMP_MODULE_KNOWN", () => {
    const report = verify(guest("unknown_import"));
    expect(summary(report)).toEqual(["IMP_MODULE_KNOWN error host_bogus.nothing"]);
    expect(report.findings[0].message).toContain("`host_bogus` is not in the contract");
  });

  test("a module without _start is EXP_REQUIRED", () => {
    const report = verify(guest("reactor"));
    expect(report.findings).toEqual([
      { rule: "EXP_REQUIRED", severity: "error", message: "required export `_start` (a func () -> ()) is missing" },
    ]);
    expect(report.requiredVersion).toBeNull();
  });

  test("an optional export present with the wrong type is EXP_REQUIRED", () => {
    const report = verify(guest("bad_trampoline"));
    expect(report.findings).toEqual([
      {
        rule: "EXP_REQUIRED",
        severity: "error",
        message: "export `__wasi_signal_trampoline`: expected (i32) -> (), found () -> ()",
      },
    ]);
  });

  test("each gate of the contract has its own finding", () => {
    const report = verify(guest("gates"));
    expect(summary(report)).toEqual([
      "IMP_REFUSED error wasi_snapshot_preview1.fd_advise",
      "IMP_DEPRECATED warning wasi_snapshot_preview1.fd_seek_old",
      "IMP_DEPRECATED warning wasi_snapshot_preview1.fd_renumber_compat",
      "IMP_UNSTABLE_GATED error wasi_snapshot_preview1.fd_fancy",
      "IMP_TIER error wasi_snapshot_preview1.sock_open",
      "IMP_NAME_TOO_NEW error wasi_snapshot_preview1.fd_sync_future",
      "IMP_NAME_REMOVED error wasi_snapshot_preview1.old_function",
    ]);
    const message = (rule: string) => report.findings.find((f) => f.rule === rule)?.message;
    expect(message("IMP_REFUSED")).toBe(
      "`wasi_snapshot_preview1.fd_advise` is refused by the host (not linked): advice is meaningless on the virtual kernel",
    );
    expect(message("IMP_DEPRECATED")).toBe(
      "`wasi_snapshot_preview1.fd_seek_old` is deprecated since 1.1.0; use `fd_seek` instead",
    );
    expect(message("IMP_UNSTABLE_GATED")).toContain("needs feature `fancy-io`");
    expect(message("IMP_TIER")).toBe(
      "`wasi_snapshot_preview1.sock_open` is not linked at tier isolated (linked at: full)",
    );
    // 1.10.0 > 1.2.0 only under semver ordering, not string ordering.
    expect(message("IMP_NAME_TOO_NEW")).toBe(
      "`wasi_snapshot_preview1.fd_sync_future` requires ABI 1.10.0 (host 1.2.0)",
    );
    expect(report.requiredVersion).toBe("1.10.0");
    expect(report.features).toEqual(["fancy-io"]);
    expect(report.ok).toBe(false);
  });

  test("the alias wasi_unstable resolves to wasi_snapshot_preview1", () => {
    const report = verify(guest("gates"));
    expect(report.findings.some((f) => f.import?.name === "fd_close")).toBe(false);
  });

  test("at tier full with the feature enabled only the refused, too-new, removed and deprecated imports remain", () => {
    const report = verify(guest("gates"), { tier: "full", features: ["fancy-io"] });
    expect(summary(report).map((line) => line.split(" ")[0])).toEqual([
      "IMP_REFUSED",
      "IMP_DEPRECATED",
      "IMP_DEPRECATED",
      "IMP_NAME_TOO_NEW",
      "IMP_NAME_REMOVED",
    ]);
  });
});

describe("hand-built modules", () => {
  test("warnings alone leave the report ok", () => {
    const model = fixtureModel();
    const bytes = wasmModule(
      section(SECTION.type, vec([funcType([I32, 0x7e, I32, I32], [I32]), funcType([], [])])),
      section(SECTION.import, vec([importEntry("wasi_snapshot_preview1", "fd_seek_old", [KIND.func, 0])])),
      section(SECTION.function, vec([[1]])),
      section(SECTION.memory, vec([[0, 1]])),
      section(SECTION.export, vec([exportEntry("memory", KIND.memory, 0), exportEntry("_start", KIND.func, 1)])),
      section(10, vec([[2, 0, 0x0b]])),
    );
    const report = verify(bytes, isolated, model);
    expect(summary(report)).toEqual(["IMP_DEPRECATED warning wasi_snapshot_preview1.fd_seek_old"]);
    expect(report.ok).toBe(true);
  });

  test("a function imported as a global is IMP_KIND_MATCH", () => {
    const bytes = wasmModule(
      section(SECTION.import, vec([importEntry("wasi_snapshot_preview1", "fd_close", [KIND.global, I32, 0])])),
    );
    const report = verify(bytes);
    expect(report.findings[0]).toEqual({
      rule: "IMP_KIND_MATCH",
      severity: "error",
      message: "`wasi_snapshot_preview1.fd_close` is imported as a global, but the contract declares a function",
      import: { module: "wasi_snapshot_preview1", name: "fd_close" },
    });
  });

  test("a name the module never had is IMP_NAME_EXISTS", () => {
    const bytes = wasmModule(
      section(SECTION.type, vec([funcType([], [])])),
      section(SECTION.import, vec([importEntry("wasi_unstable", "fd_teleport", [KIND.func, 0])])),
    );
    expect(verify(bytes).findings[0]).toMatchObject({
      rule: "IMP_NAME_EXISTS",
      message: "`wasi_unstable.fd_teleport`: module `wasi_snapshot_preview1` has no function `fd_teleport`",
    });
  });

  test("`memory` exported as a function and repeated imports are each reported once", () => {
    const bytes = wasmModule(
      section(SECTION.type, vec([funcType([], [])])),
      section(
        SECTION.import,
        vec([importEntry("host_bogus", "x", [KIND.func, 0]), importEntry("host_bogus", "x", [KIND.func, 0])]),
      ),
      section(SECTION.export, vec([exportEntry("memory", KIND.func, 0), exportEntry("_start", KIND.func, 0)])),
    );
    expect(verify(bytes).findings).toEqual([
      {
        rule: "IMP_MODULE_KNOWN",
        severity: "error",
        message: "`host_bogus.x`: import module `host_bogus` is not in the contract",
        import: { module: "host_bogus", name: "x" },
      },
      { rule: "EXP_REQUIRED", severity: "error", message: "export `memory` is a func; expected a memory" },
    ]);
  });

  test("a contract without a command block checks imports only", () => {
    const model = { ...fixtureModel(), command: null };
    expect(verify(wasmModule(), isolated, model)).toEqual({
      ok: true,
      findings: [],
      requiredVersion: null,
      features: [],
    });
  });
});

describe("command contract refusals", () => {
  const text = (s: string) => new TextEncoder().encode(s);
  test.each([
    ["#!/bin/sh\nexec ls\n", "not a wasm module: a `#!` script; commands must be compiled to wasm"],
    ["\x7fELF\x02\x01\x01", "not a wasm module: a native ELF binary"],
    ["MZ\x90\x00", "not a wasm module: a native PE (Windows) binary"],
    ["hello", "not a wasm module: the file does not start with the wasm magic `\\0asm`"],
  ])("%j is refused", (content, message) => {
    expect(verify(text(content)).findings).toEqual([{ rule: "MOD_FORMAT", severity: "error", message }]);
  });

  test("a truncated module is MOD_FORMAT with the reader's offset", () => {
    const report = verify(guest("minimal").subarray(0, 30));
    expect(report.ok).toBe(false);
    expect(report.findings[0].rule).toBe("MOD_FORMAT");
    expect(report.findings[0].message).toMatch(/^malformed wasm module: truncated .* at offset 0x[0-9a-f]+$/);
  });

  // The limits are the fixture command block's `import_count_max` and `module_size_max`.
  const { imports: MAX_IMPORTS, moduleBytes: MAX_MODULE_BYTES } = commandLimits(fixtureModel()) as { imports: number; moduleBytes: number };

  test(`more than import_count_max (${MAX_IMPORTS}) imports is MOD_LIMITS`, () => {
    const entry = importEntry("wasi_snapshot_preview1", "proc_exit", [KIND.func, 0]);
    const bytes = wasmModule(
      section(SECTION.type, vec([funcType([I32], [])])),
      section(SECTION.import, vec(Array.from({ length: MAX_IMPORTS + 1 }, () => entry))),
    );
    expect(summary(verify(bytes))).toEqual(["MOD_LIMITS error", "EXP_REQUIRED error", "EXP_REQUIRED error"]);
    const atLimit = wasmModule(
      section(SECTION.type, vec([funcType([I32], [])])),
      section(SECTION.import, vec(Array.from({ length: MAX_IMPORTS }, () => entry))),
    );
    expect(summary(verify(atLimit))).not.toContain("MOD_LIMITS error");
  });

  test("a module over module_size_max (256 MiB) is MOD_LIMITS", () => {
    const bytes = new Uint8Array(MAX_MODULE_BYTES + 1);
    bytes.set(wasmModule());
    expect(verify(bytes).findings).toEqual([
      {
        rule: "MOD_LIMITS",
        severity: "error",
        message: `module is ${MAX_MODULE_BYTES + 1} bytes; the limit is ${MAX_MODULE_BYTES} (module_size_max)`,
      },
    ]);
  });

  test("a contract without the limit constants sets no limit", () => {
    const model = fixtureModel();
    model.constants = [];
    expect(commandLimits(model)).toEqual({ moduleBytes: null, imports: null });
    const entry = importEntry("wasi_snapshot_preview1", "proc_exit", [KIND.func, 0]);
    const bytes = wasmModule(
      section(SECTION.type, vec([funcType([I32], [])])),
      section(SECTION.import, vec(Array.from({ length: MAX_IMPORTS + 1 }, () => entry))),
    );
    expect(verifyModule(bytes, model, { tier: "full", features: [] }).findings.map((f) => f.rule)).not.toContain("MOD_LIMITS");
  });
});

describe("semver", () => {
  test("parses MAJOR.MINOR.PATCH with an optional pre-release", () => {
    expect(parseVersion("1.10.3")).toEqual({ major: 1, minor: 10, patch: 3, prerelease: [] });
    expect(parseVersion("2.0.0-rc.1")).toEqual({ major: 2, minor: 0, patch: 0, prerelease: ["rc", "1"] });
  });

  test.each(["1.0", "v1.0.0", "01.0.0", "1.0.0-", "1.0.0-01", "", "1.0.0 "])("rejects %j", (text) => {
    expect(() => parseVersion(text)).toThrow(/invalid version/);
  });

  test("orders by semver precedence", () => {
    const ordered = [
      "0.9.9",
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      "1.0.0",
      "1.2.0",
      "1.10.0",
      "2.0.0",
    ];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        expect(Math.sign(compareVersions(ordered[i], ordered[j])), `${ordered[i]} vs ${ordered[j]}`).toBe(
          Math.sign(i - j),
        );
      }
    }
  });

  test("maxVersion picks the semver maximum, or null for none", () => {
    expect(maxVersion(["1.2.0", "1.10.0", "1.9.9"])).toBe("1.10.0");
    expect(maxVersion([])).toBeNull();
  });
});

describe("verify never crashes on damaged modules", () => {
  test("byte mutations of a real guest always give a report against the real contract", async () => {
    const fc = (await import("fast-check")).default;
    const { compileFile } = await import("../compiler/index.ts");
    const contract = compileFile("abi.idl").model!;
    const bytes = guest("hello");
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }), cut: fc.boolean() }), { minLength: 1, maxLength: 8 }),
        (edits) => {
          let mutated = Uint8Array.from(bytes);
          for (const e of edits) {
            const at = e.at % mutated.length;
            if (e.cut) mutated = mutated.slice(0, at);
            else mutated[at] = e.value;
            if (mutated.length === 0) break;
          }
          const report = verifyModule(mutated, contract, { tier: "full", features: [] });
          expect(typeof report.ok).toBe("boolean");
          if (!report.ok) expect(report.findings.some((f) => f.severity === "error")).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
