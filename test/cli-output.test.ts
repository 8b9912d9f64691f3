// Diagnostics as CI, editors and people get them from the CLI: `--format json|github`, colour
// (`--color`, NO_COLOR, a terminal), `--deny-warnings`, and "did you mean" for names, commands
// and options. Every test runs bin/abic.js as a user does.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import type { DiagnosticRecord, DiagnosticsEnvelope } from "../compiler/diagnostic-formats.ts";
import { DIFF_RULES, type DiffRule } from "../compiler/rules.ts";
import { exportEntry, funcType, I32, importEntry, KIND, SECTION, section, vec, wasmModule } from "./support/wasm-builder.ts";

const BIN = path.resolve("bin/abic.js");
const scratch = path.resolve("test/.build/cli-output");
mkdirSync(scratch, { recursive: true });

function abic(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  const env = { ...process.env, ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env, cwd: opts.cwd, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ESC = "\u001b[";

/** A contract with one mistake: `filetyp` for `filetype`, as the README's tour makes it. */
const TYPO = `/// p
package demo@1.0.0;

/// The kind of a file.
@since(1.0.0)
enum filetype: u8 {
    /// A regular file.
    regular = 0,
}

/// File attributes.
@since(1.0.0)
struct fdstat {
    /// The kind.
    fs_filetype: filetyp,
}
`;
const typo = path.join(scratch, "typo.idl");
writeFileSync(typo, TYPO);
/** A contract whose only problem is a warning: a stable field without a doc comment. */
const warned = path.join(scratch, "warned.idl");
writeFileSync(warned, TYPO.replace("filetyp,", "filetype,").replace("    /// The kind.\n", ""));

/** The same contract without mistakes or warnings. */
const clean = path.join(scratch, "clean.idl");
writeFileSync(clean, TYPO.replace("filetyp,", "filetype,"));
/** A contract whose libc block calls a mistyped import. */
const libcTypo = path.join(scratch, "libc-typo.idl");
writeFileSync(
  libcTypo,
  `${TYPO.replace("filetyp,", "filetype,")}
/// Processes.
@since(1.0.0)
module host_process {
    /// A pipe.
    @since(1.0.0)
    fn fd_pipe();
}

/// The C library.
libc {
    /// Descriptors.
    @since(1.0.0)
    header "unistd.h": patched;

    /// A pipe.
    @since(1.0.0)
    fn pipe: added {
        header "unistd.h";
        prototype "int pipe(int fd[2])";
        calls host_process::fd_pip;
    }
}
`,
);

function envelope(stdout: string): DiagnosticsEnvelope & Record<string, unknown> {
  return JSON.parse(stdout) as DiagnosticsEnvelope & Record<string, unknown>;
}

describe("--format json", () => {
  test("check: one document with every diagnostic, its range, code and suggestion", () => {
    const r = abic(["check", typo, "--format", "json"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("");
    const doc = envelope(r.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, command: "check", ok: false, errors: 1, warnings: 0 });
    const d = doc.diagnostics[0]!;
    expect(d).toEqual({
      severity: "error",
      code: "E0201",
      message: "unknown type `filetyp`",
      file: typo,
      line: 15,
      column: 18,
      endLine: 15,
      endColumn: 25,
      notes: [],
      suggestion: { message: "did you mean `filetype`?", replacement: "filetype" },
    } satisfies DiagnosticRecord);
    // The suggestion's replacement, put at the record's range, fixes the contract.
    const lines = TYPO.split("\n");
    const at = lines[d.line! - 1]!;
    lines[d.line! - 1] = at.slice(0, d.column! - 1) + d.suggestion!.replacement + at.slice(d.endColumn! - 1);
    const fixed = path.join(scratch, "fixed.idl");
    writeFileSync(fixed, lines.join("\n"));
    const again = abic(["check", fixed, "--format", "json"]);
    expect(again.status).toBe(0);
    expect(envelope(again.stdout)).toMatchObject({ ok: true, errors: 0, diagnostics: [] });
  });

  test("check: notes carry the second location of a duplicate", () => {
    const dup = path.join(scratch, "dup.idl");
    writeFileSync(dup, "/// p\npackage demo@1.0.0;\n/// a\n@since(1.0.0)\ntype a = u8;\n/// a\n@since(1.0.0)\ntype a = u16;\n");
    const d = envelope(abic(["check", dup, "--format", "json"]).stdout).diagnostics[0]!;
    expect(d.code).toBe("E0203");
    expect(d.line).toBe(8);
    expect(d.notes).toEqual([{ message: "first defined here", file: dup, line: 5, column: 6, endLine: 5, endColumn: 7 }]);
  });

  test("gen --check: stale files are E0801 records at their first differing line", () => {
    const out = path.join(scratch, "gen-out");
    rmSync(out, { recursive: true, force: true });
    expect(abic(["gen", "test/fixtures/gen/small/abi.idl", "--out", out]).status).toBe(0);
    const json = path.join(out, "abi.json");
    const text = readFileSync(json, "utf8").split("\n");
    text[3] = text[3] + " ";
    writeFileSync(json, text.join("\n"));
    const r = abic(["gen", "test/fixtures/gen/small/abi.idl", "--out", out, "--check", "--format", "json"]);
    expect(r.status).toBe(1);
    const doc = envelope(r.stdout);
    expect(doc).toMatchObject({ command: "gen", ok: false, stale: ["abi.json"] });
    expect(doc.diagnostics.filter((d) => d.severity === "error")).toEqual([
      // Named from the working directory, however the folder was given.
      expect.objectContaining({ code: "E0801", file: `${path.relative(process.cwd(), out)}/abi.json`, line: 4, column: 1 }),
    ]);
  });

  test.each(["fn_param_renamed", "fn_sentinel_same", "mod_deviation_changed", "libc_stub_result", "ver_bump_sufficient"])(
    "diff %s: the report plus every finding as a record whose code is a catalogued rule of its class",
    (fixture) => {
      const dir = `test/fixtures/diff/${fixture}`;
      const r = abic(["diff", "--format", "json", `${dir}/old.idl`, `${dir}/new.idl`]);
      const doc = envelope(r.stdout);
      expect(doc.schemaVersion).toBe(1);
      expect(doc.command).toBe("diff");
      expect(Array.isArray(doc.findings)).toBe(true);
      const findings = doc.findings as { rule: string; class: string }[];
      expect(findings.length).toBeGreaterThan(0);
      expect(doc.diagnostics.map((d) => d.code)).toEqual(findings.map((f) => f.rule));
      for (const f of findings) expect(DIFF_RULES[f.rule as DiffRule]?.classes, f.rule).toContain(f.class);
      // The fixture is named after the rule it exercises.
      expect(findings.map((f) => f.rule.toLowerCase())).toContain(fixture);
      for (const d of doc.diagnostics) {
        expect(["error", "warning", "info"]).toContain(d.severity);
        expect(d.file).toMatch(new RegExp(`${fixture}/(old|new)\\.idl$`));
        expect(d.line).toBeGreaterThan(0);
      }
      expect(doc.ok).toBe(r.status === 0);
    },
  );

  test("verify: findings as records on the module, with did-you-mean for misspelt imports", () => {
    const mod = path.join(scratch, "typo.wasm");
    writeFileSync(
      mod,
      wasmModule(
        section(SECTION.type, vec([funcType([], [I32])])),
        section(SECTION.import, vec([importEntry("host_procss", "getpid", [KIND.func, 0]), importEntry("wasi_snapshot_preview1", "fd_writ", [KIND.func, 0])])),
        section(SECTION.export, vec([exportEntry("_start", KIND.func, 0)])),
      ),
    );
    const r = abic(["verify", mod, "--format", "json"]);
    expect(r.status).toBe(1);
    const doc = envelope(r.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, command: "verify", ok: false, module: mod });
    const byCode = new Map(doc.diagnostics.map((d) => [d.code, d]));
    expect(byCode.get("IMP_MODULE_KNOWN")).toMatchObject({ file: mod, line: null, severity: "error" });
    expect(byCode.get("IMP_MODULE_KNOWN")!.message).toContain("did you mean `host_process`?");
    expect(byCode.get("IMP_NAME_EXISTS")!.message).toContain("did you mean `fd_write`?");
  });
});

describe("with the other gen options and the libc block", () => {
  test("gen --ts-opt with --format json and --deny-warnings: one document naming the files written", () => {
    // The generators' fixture contract has warnings (parameters without doc comments).
    const small = "test/fixtures/gen/small/abi.idl";
    const out = path.join(scratch, "ts-opt-json");
    rmSync(out, { recursive: true, force: true });
    const denied = abic(["gen", small, "--out", out, "--ts-opt", "target=js+dts", "--format", "json", "--deny-warnings"]);
    expect(denied.status).toBe(1);
    expect(envelope(denied.stdout)).toMatchObject({ command: "gen", ok: false, warnings: 0 });
    expect(existsSync(out)).toBe(false);
    const r = abic(["gen", small, "--out", out, "--ts-opt", "target=js+dts", "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const doc = envelope(r.stdout);
    expect(doc).toMatchObject({ command: "gen", ok: true, errors: 0, outDir: path.relative(process.cwd(), out) });
    expect(doc.warnings).toBeGreaterThan(0);
    expect(doc.written).toEqual(expect.arrayContaining(["ts/index.js", "ts/index.d.ts"]));
    expect(doc.written).not.toContain("ts/index.ts");
    expect(existsSync(path.join(out, "ts/index.js"))).toBe(true);
    const again = envelope(abic(["gen", small, "--out", out, "--ts-opt", "target=js+dts", "--check", "--format", "json"]).stdout);
    expect(again).toMatchObject({ ok: true, stale: [] });
  });

  test("a bad --ts-opt is a usage error whatever the format: nothing on stdout", () => {
    const r = abic(["gen", clean, "--out", path.join(scratch, "never"), "--ts-opt", "target=js", "--format", "json"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("TypeScript option target must be ts, js+dts");
  });

  test("a mistyped import in the libc block: did-you-mean in every format", () => {
    const json = abic(["check", libcTypo, "--format", "json"]);
    expect(json.status).toBe(1);
    expect(envelope(json.stdout).diagnostics).toEqual([
      expect.objectContaining({
        code: "E0501",
        message: "module `host_process` has no function `fd_pip`",
        line: 37,
        column: 15,
        endLine: 37,
        endColumn: 35,
        suggestion: { message: "did you mean `host_process::fd_pipe`?", replacement: "host_process::fd_pipe" },
      }),
    ]);
    expect(abic(["check", libcTypo, "--format", "github"]).stdout).toContain("title=E0501::module `host_process` has no function `fd_pip`%0Ahelp: did you mean `host_process::fd_pipe`?");
    expect(abic(["check", libcTypo]).stderr).toContain("help: did you mean `host_process::fd_pipe`?");
  });

  test("diff findings on the libc block and on deviations are annotations at their positions", () => {
    for (const [fixture, rule] of [
      ["libc_imports_changed", "LIBC_IMPORTS_CHANGED"],
      ["fn_deviation_changed", "FN_DEVIATION_CHANGED"],
    ]) {
      const dir = `test/fixtures/diff/${fixture}`;
      const r = abic(["diff", "--format", "github", `${dir}/old.idl`, `${dir}/new.idl`]);
      expect(r.stdout).toMatch(new RegExp(`^::notice file=${dir}/new\\.idl,line=\\d+,col=\\d+,.*title=${rule}::`, "m"));
    }
  });
});

describe("--format github", () => {
  test("check prints workflow commands GitHub turns into annotations", () => {
    const r = abic(["check", typo, "--format", "github"]);
    expect(r.status).toBe(1);
    expect(r.stdout.trim()).toBe(
      `::error file=${typo},line=15,col=18,endLine=15,endColumn=25,title=E0201::unknown type \`filetyp\`%0Ahelp: did you mean \`filetype\`?`,
    );
  });

  test("warnings are warnings, and diff findings are annotations too", () => {
    expect(abic(["check", warned, "--format", "github"]).stdout).toMatch(/^::warning file=.*warned\.idl,line=14,col=5,.*title=W0401::field `fdstat.fs_filetype` has no doc comment$/m);
    const dir = "test/fixtures/diff/fn_added";
    const r = abic(["diff", "--format", "github", `${dir}/old.idl`, `${dir}/new.idl`]);
    expect(r.stdout).toMatch(/^::notice file=test\/fixtures\/diff\/fn_added\/new\.idl,line=\d+.*title=FN_ADDED::/m);
  });
});

describe("--deny-warnings", () => {
  test("turns warnings into errors for check and gen, and gen then writes nothing", () => {
    expect(abic(["check", warned]).status).toBe(0);
    const r = abic(["check", warned, "--deny-warnings"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error W0401: field `fdstat.fs_filetype` has no doc comment");
    expect(r.stderr).toContain("note: warnings are errors (--deny-warnings)");
    expect(r.stderr).toContain("1 error, 0 warnings");
    // The generators' fixture contract has warnings (parameters without doc comments).
    const small = "test/fixtures/gen/small/abi.idl";
    const out = path.join(scratch, "denied");
    rmSync(out, { recursive: true, force: true });
    const denied = abic(["gen", small, "--out", out, "--deny-warnings"]);
    expect(denied.status).toBe(1);
    expect(denied.stderr).toMatch(/error W0401/);
    expect(existsSync(out)).toBe(false);
    const allowed = abic(["gen", small, "--out", out]);
    expect(allowed.stderr).toMatch(/warning W0401/);
    expect(allowed.status).toBe(0);
    expect(existsSync(path.join(out, "abi.json"))).toBe(true);
  });
});

describe("did you mean", () => {
  test("an unknown type gets the close name in human output", () => {
    const r = abic(["check", typo]);
    expect(r.stderr).toContain("error E0201: unknown type `filetyp`");
    expect(r.stderr).toContain("help: did you mean `filetype`?");
  });

  test.each([
    [["chek"], "unknown command `chek`; did you mean `check`?"],
    [["check", "--formt", "json"], "unknown option `--formt`; did you mean `--format`?"],
    [["gen", "--chekc"], "unknown option `--chekc`; did you mean `--check`?"],
    [["check", "--format", "jsno"], "did you mean `json`?"],
    [["check", "--color", "allways"], "did you mean `always`?"],
    [["help", "fmtt"], "unknown command `fmtt`; did you mean `fmt`?"],
  ])("abic %j", (args, expected) => {
    const r = abic(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(expected);
  });

  test("no suggestion when nothing is close", () => {
    const r = abic(["frobnicate"]);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain("did you mean");
  });
});

describe("colour", () => {
  test("--color always colours, never and a pipe do not", () => {
    expect(abic(["check", typo, "--color", "always"]).stderr).toContain(`${ESC}1;31merror E0201${ESC}0m`);
    expect(abic(["check", typo, "--color", "never"]).stderr).not.toContain(ESC);
    expect(abic(["check", typo]).stderr).not.toContain(ESC);
  });

  // `script` runs the command on a pseudo-terminal, as an interactive shell would.
  const inTerminal = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(" ");
    const r = spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8", env: { ...process.env, TERM: "xterm", ...env } });
    expect(r.error).toBeUndefined();
    return r.stdout;
  };

  test("on a terminal colour is on, unless NO_COLOR is set or --color never", () => {
    expect(inTerminal(["check", typo])).toContain(ESC);
    expect(inTerminal(["check", typo], { NO_COLOR: "1" })).not.toContain(ESC);
    expect(inTerminal(["check", typo, "--color", "never"])).not.toContain(ESC);
  });
});

describe("help", () => {
  test.each([
    ["check", ["--format", "--color", "--deny-warnings", "--watch"]],
    ["gen", ["--format", "--color", "--deny-warnings", "--watch", "--check", "--ts-opt", "import_extension="]],
    ["diff", ["--format", "--color"]],
    ["verify", ["--format", "--color"]],
    ["fmt", ["--check", "--diff", "--format", "--color"]],
  ])("abic help %s names its options", (cmd, options) => {
    const r = abic(["help", cmd]);
    expect(r.status).toBe(0);
    for (const o of options) expect(r.stdout).toContain(o);
  });

  test("the overview lists fmt", () => {
    expect(abic(["--help"]).stdout).toMatch(/^ {2}fmt {6}/m);
  });

  test("the README documents every command and option added here", () => {
    const readme = readFileSync("README.md", "utf8");
    for (const word of ["abic fmt", "--check", "--diff", "--format json", "--format github", "--color", "NO_COLOR", "--deny-warnings", "--watch"])
      expect(readme).toContain(word);
  });
});
