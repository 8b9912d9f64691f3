// The C target: naming and lowering decisions of the view model, then the generated headers
// compiled by clang for wasm32-wasi, a layout program checked against the model, and programs
// built against both our wasi/api.h and wasi-libc's, run under node:wasi and compared.

import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { WASI } from "node:wasi";
import { beforeAll, describe, expect, test } from "vitest";
import fc from "fast-check";
import { cDocLines, cHeaderViews, cIntegerLiteral, cPlacement, cTarget, spellsBool } from "../compiler/gen/c.ts";
import { compileFile, compileText } from "../compiler/index.ts";
import { cConstMacro, cFeatureMacro, cMemberMacro, cPrototype, cTypeName, PREVIEW1, unlikeCompilerMacro } from "../compiler/lang/c.ts";
import type { ContractModel, FunctionModel, TypeModel } from "../compiler/model.ts";
import { ModelQuery } from "../compiler/query.ts";
import { syntheticContract } from "../scripts/bench-gen.ts";
import { compileC, wasiClang } from "../scripts/toolchain.ts";
import { OPEN_GLUE_ERRNO_IDL } from "./support/errno-idl.ts";

const BUILD = path.resolve("test/.build/gen-c");
const INCLUDE = path.join(BUILD, "include");
const WASI_LIBC_API = "/usr/include/wasm32-wasi/wasi/api.h";
const STRICT = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"];

function loadModel(): ContractModel {
  const { model, diagnostics } = compileFile("abi.idl");
  if (!model) throw new Error(`abi.idl does not check:\n${diagnostics.map((d) => d.message).join("\n")}`);
  return model;
}

const model = loadModel();
const query = new ModelQuery(model);
const preview1 = model.modules.find((m) => m.name === PREVIEW1)!;
const fnNamed = (module: string, name: string): FunctionModel =>
  model.modules.find((m) => m.name === module)!.functions.find((f) => f.name === name)!;
const typeNamed = (name: string): TypeModel => model.types.find((t) => t.name === name)!;
const features = [
  ...new Set(
    [...model.types, ...model.constants, ...model.modules, ...model.modules.flatMap((m) => m.functions)]
      .map((i) => i.unstable)
      .filter((f): f is string => f !== null),
  ),
].sort();
const ALL_FEATURES = features.map((f) => `-D${cFeatureMacro(f)}`);

let headers: string[] = [];

beforeAll(async () => {
  rmSync(BUILD, { recursive: true, force: true });
  const files = await cTarget.generate(model, { source: "abi.idl" });
  for (const f of files) {
    const target = path.join(INCLUDE, f.path.replace(/^c\//, ""));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, f.content);
  }
  headers = files.map((f) => f.path.replace(/^c\//, ""));
});

/** Runs clang (the wasm32-wasi toolchain) with `args`; throws with its output on failure. */
function clang(args: string[]): void {
  const { cc, baseArgs } = wasiClang();
  const run = spawnSync(cc, [...baseArgs, ...args], { encoding: "utf8" });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`${cc} ${args.join(" ")}\n${run.stderr}`);
}

function writeSource(name: string, text: string): string {
  const file = path.join(BUILD, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** Runs a command module under node:wasi and returns its exit code and stdout. */
async function runWasi(wasm: string, args: string[] = []): Promise<{ code: number; stdout: string }> {
  const outFile = `${wasm}.stdout`;
  const fd = openSync(outFile, "w");
  try {
    const wasi = new WASI({
      version: "preview1",
      args: [path.basename(wasm), ...args],
      env: {},
      stdout: fd,
      returnOnExit: true,
    });
    const instance = await WebAssembly.instantiate(
      await WebAssembly.compile(readFileSync(wasm)),
      wasi.getImportObject() as WebAssembly.Imports,
    );
    const code = wasi.start(instance);
    return { code, stdout: readFileSync(outFile, "utf8") };
  } finally {
    closeSync(fd);
  }
}

describe("C names and lowering (view model)", () => {
  test("preview1 names are wasi-libc's", () => {
    expect(cTypeName(query, "errno")).toBe("__wasi_errno_t");
    expect(cMemberMacro(typeNamed("errno"), "badf")).toBe("__WASI_ERRNO_BADF");
    expect(cMemberMacro(typeNamed("errno"), "2big")).toBe("__WASI_ERRNO_2BIG");
    expect(cConstMacro(model.constants.find((c) => c.name === "dircookie_start")!)).toBe("__WASI_DIRCOOKIE_START");
    expect(cPrototype(query, fnNamed(PREVIEW1, "fd_write"))).toBe(
      "__wasi_errno_t __wasi_fd_write(__wasi_fd_t fd, const __wasi_ciovec_t *iovs, size_t iovs_len, __wasi_size_t *retptr0);",
    );
    expect(cPrototype(query, fnNamed(PREVIEW1, "fd_readdir"))).toBe(
      "__wasi_errno_t __wasi_fd_readdir(__wasi_fd_t fd, uint8_t *buf, __wasi_size_t buf_len, __wasi_dircookie_t cookie, __wasi_size_t *retptr0);",
    );
    expect(cPrototype(query, fnNamed(PREVIEW1, "proc_exit"))).toBe(
      "_Noreturn void __wasi_proc_exit(__wasi_exitcode_t rval);",
    );
    expect(cPrototype(query, fnNamed(PREVIEW1, "sched_yield"))).toBe("__wasi_errno_t __wasi_sched_yield(void);");
    expect(cPrototype(query, fnNamed(PREVIEW1, "path_open"))).toContain("const char *path, __wasi_oflags_t oflags");
  });

  test("extension modules are prefixed by their scope", () => {
    expect(cPrototype(query, fnNamed("host_tty", "isatty"))).toBe("uint32_t __host_tty_isatty(__wasi_fd_t fd);");
    expect(cPrototype(query, fnNamed("host_net", "net_socket"))).toMatch(
      /^__wasi_errno_t __host_net_net_socket\(__host_net_socket_domain_t domain,/,
    );
    expect(cTypeName(query, "spawn_flags")).toBe("__host_process_spawn_flags_t");
    expect(cTypeName(query, "pid")).toBe("__wasi_pid_t");
    expect(cConstMacro(model.constants.find((c) => c.name === "sol_tcp")!)).toBe("__HOST_NET_SOL_TCP");
    expect(cConstMacro(model.constants.find((c) => c.name === "exit_timeout")!)).toBe("__COMMAND_EXIT_TIMEOUT");
  });

  test("placement: preview1 closure in api.h, shared extension types in common.h, scoped types in their module", () => {
    const { typeHeader, constHeader } = cPlacement(query);
    for (const name of ["errno", "fd", "iovec", "dirent", "dirnamlen", "subscription_u", "prestat", "signal"])
      expect(typeHeader.get(name), name).toBe("wasi/api.h");
    for (const name of ["pid", "uid", "gid", "pollfd"]) expect(typeHeader.get(name), name).toBe("abic/common.h");
    expect(typeHeader.get("spawn_file_op")).toBe("host_process.h");
    expect(constHeader.get("dircookie_start")).toBe("wasi/api.h");
    expect(constHeader.get("pollin")).toBe("abic/common.h");
    expect(constHeader.get("exit_timeout")).toBe("abic/command.h");
  });

  test("literals: typed, no overflowing signed minimum, flags as shifted bits", () => {
    expect(cIntegerLiteral("u16", 8)).toBe("(UINT16_C(8))");
    expect(cIntegerLiteral("s64", "-9223372036854775808")).toBe("(-INT64_C(9223372036854775807) - 1)");
    expect(cIntegerLiteral("handle", -1)).toBe("(INT32_C(-1))");
    const api = cHeaderViews(model, "abi.idl").find((h) => h.isApi)!;
    const rights = api.types.find((t) => t.name === "__wasi_rights_t")!;
    expect(rights.members.find((m) => m.name === "__WASI_RIGHTS_FD_READ")!.value).toBe(
      "((__wasi_rights_t)(UINT64_C(1) << 1))",
    );
  });

  test("doc comments cannot end or nest the comment", () => {
    expect(cDocLines("a */ b /* c ??/")).toEqual(["a *\\/ b /\\* c ?\\?/"]);
  });

  test("deprecated and unstable functions", () => {
    const process = cHeaderViews(model, "abi.idl").find((h) => h.path === "host_process.h")!;
    const spawn = process.functions.find((f) => f.name === "__host_process_proc_spawn")!;
    expect(spawn.attributes).toContain('__attribute__((__deprecated__("use __host_process_proc_spawn_v4")))');
    const user = cHeaderViews(model, "abi.idl").find((h) => h.path === "host_user.h")!;
    expect(user.functions.find((f) => f.name === "__host_user_getgrgid")!.feature).toBe("__ABIC_FEATURE_GROUP_RECORDS");
    const api = cHeaderViews(model, "abi.idl").find((h) => h.isApi)!;
    expect(api.functions.find((f) => f.name === "__wasi_fd_advise")!.doc.join(" ")).toMatch(/refuses to link/);
  });

  test("output is deterministic and every file carries the banner and its guard", async () => {
    const a = await cTarget.generate(model, { source: "abi.idl" });
    const b = await cTarget.generate(model, { source: "abi.idl" });
    expect(a).toEqual(b);
    for (const f of a) {
      expect(f.content.startsWith("/*\n * Generated by abic from abi.idl")).toBe(true);
      expect(f.content).toMatch(/#ifndef __\w+_h\n#define __\w+_h\n/);
      expect(f.content).not.toMatch(/\n\n\n/);
    }
    expect(a.find((f) => f.path === "c/wasi/api.h")!.content).toContain("#ifndef __wasi_api_h");
  });
});

// clang runs dozens of times below; the default 5 s per test is too tight on a loaded machine.
describe("generated headers under clang --target=wasm32-wasi", { timeout: 120_000 }, () => {
  test("each header compiles alone, strict, with and without every feature macro", () => {
    for (const h of headers) {
      const file = writeSource(`alone/${h.replace(/\W/g, "_")}.c`, `#include <${h}>\n`);
      for (const defs of [[], ALL_FEATURES]) clang([...STRICT, ...defs, `-I${INCLUDE}`, "-fsyntax-only", file]);
    }
    expect(headers).toEqual(expect.arrayContaining(["wasi/api.h", "abic/common.h", "host_net.h", "host_process.h"]));
  });

  test("all headers compile together, in both orders, behind wasi-libc's own headers", () => {
    const libc = [
      "stdio.h",
      "stdlib.h",
      "string.h",
      "unistd.h",
      "fcntl.h",
      "dirent.h",
      "errno.h",
      "time.h",
      "sys/stat.h",
      "poll.h",
      "wasi/libc.h",
    ];
    const forward = headers.map((h) => `#include <${h}>`);
    const sources = [
      [...forward, ...libc.map((h) => `#include <${h}>`)],
      [...libc.map((h) => `#include <${h}>`), ...[...forward].reverse()],
    ];
    sources.forEach((lines, i) => {
      const file = writeSource(`together${i}.c`, lines.join("\n") + "\n");
      for (const defs of [[], ALL_FEATURES]) clang([...STRICT, ...defs, `-I${INCLUDE}`, "-fsyntax-only", file]);
    });
  });

  test("a layout program generated from the model asserts and prints every size, alignment and offset", async () => {
    const lines: string[] = [];
    const expected: string[] = [];
    for (const t of model.types) {
      const c = cTypeName(query, t.name);
      lines.push(
        `_Static_assert(sizeof(${c}) == ${t.size}, "size"); _Static_assert(_Alignof(${c}) == ${t.align}, "align");`,
      );
      lines.push(`    printf("%s %zu %zu\\n", "${c}", sizeof(${c}), _Alignof(${c}));`);
      expected.push(`${c} ${t.size} ${t.align}`);
      const members =
        t.kind === "struct"
          ? t.fields.map((f) => [f.name, f.offset] as const)
          : t.kind === "variant"
            ? [["tag", 0] as const, ...(t.cases.some((c) => c.payload) ? [["u", t.payloadOffset] as const] : [])]
            : [];
      for (const [field, offset] of members) {
        lines.push(`_Static_assert(offsetof(${c}, ${field}) == ${offset}, "offset");`);
        lines.push(`    printf("%s.%s %zu\\n", "${c}", "${field}", offsetof(${c}, ${field}));`);
        expected.push(`${c}.${field} ${offset}`);
      }
    }
    const asserts = lines.filter((l) => l.startsWith("_Static_assert"));
    const prints = lines.filter((l) => !l.startsWith("_Static_assert"));
    const source = [
      ...headers.map((h) => `#include <${h}>`),
      "#include <stdio.h>",
      ...asserts,
      "int main(void) {",
      ...prints,
      "    return 0;",
      "}",
    ].join("\n");
    const out = path.join(BUILD, "layout.wasm");
    compileC({
      sources: [writeSource("layout.c", source + "\n")],
      out,
      includeDirs: [INCLUDE],
      extraArgs: [...STRICT, ...ALL_FEATURES],
    });
    const run = await runWasi(out);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split("\n")).toEqual(expected);
    expect(expected.length).toBeGreaterThan(100);
  });
});

describe("C++ translation units", { timeout: 120_000 }, () => {
  const CXX = ["-x", "c++", "-std=c++17", "-Wall", "-Wextra", "-Werror"];

  test("every generated header compiles from one C++ file, with and without every feature macro", () => {
    const file = writeSource("cxx/all.cpp", headers.map((h) => `#include <${h}>`).join("\n") + "\nint main() { return 0; }\n");
    for (const defs of [[], ALL_FEATURES]) clang([...CXX, ...defs, `-I${INCLUDE}`, "-fsyntax-only", file]);
  });

  test("no generated name is a macro the installed clang or the headers it includes predefine (C and C++)", () => {
    const { cc, baseArgs } = wasiClang();
    const includes = writeSource("predefined/includes.h", "#include <stddef.h>\n#include <stdint.h>\n#include <string.h>\n#include <stdbool.h>\n");
    const macros = new Set<string>();
    for (const lang of [["-x", "c", "-std=c11"], ["-x", "c", "-std=c2x"], ["-x", "c++", "-std=c++17"], ["-x", "c++", "-std=c++2b"]]) {
      const run = spawnSync(cc, [...baseArgs, ...lang, "-dM", "-E", includes], { encoding: "utf8" });
      if (run.status !== 0) throw new Error(run.stderr);
      for (const m of run.stdout.matchAll(/^#define (__\w+)/gm)) macros.add(m[1]!);
    }
    // Sanity: the list is clang's (a few hundred names, the atomics and stdint's among them).
    expect(macros.size).toBeGreaterThan(200);
    expect(macros).toContain("__ATOMIC_RELAXED");
    // Every generated C name starts with `__` and passes through unlikeCompilerMacro.
    const kept = [...macros].filter((m) => unlikeCompilerMacro(m) === m);
    expect(kept).toEqual([]);
  });

  test("names that are C++ keywords are escaped, and the headers still compile as C and C++", async () => {
    const c = compileText(CXX_KEYWORDS_CONTRACT, "cxx.idl");
    if (!c.model) throw new Error(c.diagnostics.map((d) => `${d.span.line}:${d.span.column} ${d.message}`).join("\n"));
    const dir = path.join(BUILD, "cxx-keywords");
    const files = await cTarget.generate(c.model, { source: "cxx.idl" });
    for (const f of files) {
      const target = path.join(dir, f.path.replace(/^c\//, ""));
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, f.content);
    }
    const text = files.map((f) => f.content).join("\n");
    for (const escaped of ["class_", "new_", "this_", "template_", "and_", "not_", "private_", "namespace_", "delete_", "operator_", "typename_"])
      expect(text).toContain(escaped);
    const includes = files.map((f) => `#include <${f.path.replace(/^c\//, "")}>`).join("\n") + "\n";
    // A C++ caller uses the escaped names.
    const cxx = writeSource(
      "cxx/keywords.cpp",
      `${includes}int use(__cpp_kw_shape_t *s) { return s->class_ + s->new_ + __cpp_kw_draw(s->this_, 1, 2); }\nint main() { return 0; }\n`,
    );
    clang([...CXX, `-I${dir}`, "-fsyntax-only", cxx]);
    clang([...STRICT, `-I${dir}`, "-fsyntax-only", writeSource("cxx/keywords.c", includes)]);
  });
});

/** Fields, cases, parameters and out-values named after C++ keywords. */
const CXX_KEYWORDS_CONTRACT = `
package cxx@1.0.0;

${OPEN_GLUE_ERRNO_IDL}
/// Tags.
@since(1.0.0)
enum which: u8 {
    /// a
    %private = 0,
    /// b
    %namespace = 1,
}

/// A module whose names are C++ keywords.
@since(1.0.0)
module cpp_kw {
    /// Fields named after C++ keywords.
    @since(1.0.0)
    struct shape {
        /// a
        class: u32,
        /// b
        new: u32,
        /// c
        this: s32,
        /// d
        template: u8,
    }

    /// Cases named after C++ keywords.
    @since(1.0.0)
    variant pick: which {
        %private(u32),
        %namespace(u64),
    }

    /// Parameters named after C++ keywords.
    @since(1.0.0) @sentinel(0)
    fn draw(
        /// a
        and: s32,
        /// b
        not: u32,
        /// c
        delete: u32,
    ) -> s32;

    /// Out-values named after C++ keywords.
    @since(1.0.0)
    fn get(
        /// a
        operator: const_ptr<shape>,
        /// b
        typename: list<u8>,
    ) -> result<u32, errno>;
}
`;

describe("drop-in for wasi-libc's wasi/api.h", { timeout: 120_000 }, () => {
  const theirs = readFileSync(WASI_LIBC_API, "utf8");
  const theirTypes = new Set([...theirs.matchAll(/\b(__wasi_\w+_t)\s*;/g)].map((m) => m[1]));
  const theirMacros = new Set([...theirs.matchAll(/^#define (__WASI_\w+)/gm)].map((m) => m[1]));
  const theirFunctions = new Set([...theirs.matchAll(/\b(__wasi_\w+)\(\s*$/gm)].map((m) => m[1]));

  function ourApi(): string {
    return readFileSync(path.join(INCLUDE, "wasi/api.h"), "utf8");
  }

  test("defines every type, constant and function wasi-libc's header defines", () => {
    const ours = ourApi();
    const ourTypes = new Set([...ours.matchAll(/\b(__wasi_\w+_t)\s*;/g)].map((m) => m[1]));
    const ourMacros = new Set([...ours.matchAll(/^#define (__WASI_\w+)/gm)].map((m) => m[1]));
    const ourFunctions = new Set([...ours.matchAll(/\b(__wasi_\w+)\(\s*$/gm)].map((m) => m[1]));
    expect(theirTypes.size).toBeGreaterThan(40);
    expect(theirMacros.size).toBeGreaterThan(150);
    expect([...theirTypes].filter((n) => !ourTypes.has(n))).toEqual([]);
    expect([...theirMacros].filter((n) => !ourMacros.has(n))).toEqual([]);
    expect([...theirFunctions].filter((n) => !ourFunctions.has(n))).toEqual([]);
  });

  test("every preview1 prototype is compatible with wasi-libc's declaration", () => {
    // Redeclaring a function with a different parameter or return type is a hard error in C.
    const protos = preview1.functions
      .filter((fn) => theirFunctions.has(`__wasi_${fn.name}`))
      .map((fn) => cPrototype(query, fn));
    expect(protos.length).toBe(theirFunctions.size);
    clang([
      ...STRICT,
      "-fsyntax-only",
      writeSource("redeclare.c", ["#include <wasi/api.h>", ...protos].join("\n") + "\n"),
    ]);
  });

  test("a program built against our header prints the same layouts and constants as one built against wasi-libc's", async () => {
    const prints: string[] = [];
    const print = (label: string, expr: string) =>
      prints.push(`    printf("%s %llu\\n", "${label}", (unsigned long long)(${expr}));`);
    for (const t of model.types) {
      const c = cTypeName(query, t.name);
      if (!theirTypes.has(c)) continue;
      print(`sizeof ${c}`, `sizeof(${c})`);
      print(`alignof ${c}`, `_Alignof(${c})`);
      if (t.kind === "struct")
        for (const f of t.fields) {
          print(`offsetof ${c}.${f.name}`, `offsetof(${c}, ${f.name})`);
          print(`sizeof ${c}.${f.name}`, `sizeof(((${c} *)0)->${f.name})`);
        }
      if (t.kind === "variant") {
        print(`offsetof ${c}.tag`, `offsetof(${c}, tag)`);
        print(`sizeof ${c}.tag`, `sizeof(((${c} *)0)->tag)`);
        for (const cs of t.cases.filter((cs) => cs.payload)) {
          print(`offsetof ${c}.u.${cs.name}`, `offsetof(${c}, u.${cs.name})`);
          print(`sizeof ${c}.u.${cs.name}`, `sizeof(((${c} *)0)->u.${cs.name})`);
        }
      }
    }
    const ourMacros = [...ourApi().matchAll(/^#define (__WASI_\w+)/gm)].map((m) => m[1]);
    for (const name of ourMacros.filter((n) => theirMacros.has(n))) {
      print(name, name);
      print(`sizeof ${name}`, `sizeof(${name})`);
    }
    // The build against our header defines EXPECT_ABIC: each build proves which api.h it got.
    const which = [
      "#if defined(EXPECT_ABIC) != defined(__ABIC_COMMAND_ABI_VERSION)",
      "#error the wrong wasi/api.h was included",
      "#endif",
    ];
    const source = writeSource(
      "compare.c",
      [
        "#include <wasi/api.h>",
        "#include <stdio.h>",
        ...which,
        "int main(void) {",
        ...prints,
        "    return 0;",
        "}",
        "",
      ].join("\n"),
    );
    const outputs: string[] = [];
    for (const [name, includeDirs, defs] of [
      ["ours", [INCLUDE], ["-DEXPECT_ABIC"]],
      ["theirs", [], []],
    ] as const) {
      const out = path.join(BUILD, `compare-${name}.wasm`);
      compileC({ sources: [source], out, includeDirs: [...includeDirs], extraArgs: [...STRICT, ...defs] });
      const run = await runWasi(out);
      expect(run.code).toBe(0);
      outputs.push(run.stdout);
    }
    expect(outputs[0].split("\n").length).toBeGreaterThan(400);
    expect(outputs[0]).toBe(outputs[1]);
  });

  test("a C guest including our wasi/api.h builds against wasi-libc and runs", async () => {
    const source = writeSource(
      "guest.c",
      `#include <wasi/api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <host_process.h>
#include <host_net.h>

int main(int argc, char **argv) {
    static const char msg[] = "hello through __wasi_fd_write\\n";
    __wasi_ciovec_t iov = { (const uint8_t *)msg, sizeof msg - 1 };
    __wasi_size_t written = 0;
    if (__wasi_fd_write(1, &iov, 1, &written) != __WASI_ERRNO_SUCCESS) return 2;
    __wasi_size_t count = 0, size = 0;
    __wasi_errno_t err = __wasi_args_sizes_get(&count, &size);
    __wasi_timestamp_t now = 0;
    __wasi_errno_t clock = __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &now);
    __wasi_fdstat_t stat;
    __wasi_errno_t fdstat = __wasi_fd_fdstat_get(1, &stat);
    printf("written=%u args=%u/%u err=%u\\n", (unsigned)written, (unsigned)count, (unsigned)size, (unsigned)err);
    printf("clock=%u fdstat=%u\\n", (unsigned)clock, (unsigned)fdstat);
    printf("close(bad)=%s\\n", __wasi_fd_close(12345) == __WASI_ERRNO_BADF ? "badf" : "other");
    printf("argv[1]=%s version=%s\\n", argc > 1 ? argv[1] : "-", __ABIC_COMMAND_ABI_VERSION);
    return 0;
}
`,
    );
    const out = path.join(BUILD, "guest.wasm");
    compileC({ sources: [source], out, includeDirs: [INCLUDE], extraArgs: STRICT });
    const run = await runWasi(out, ["xyz"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        "hello through __wasi_fd_write",
        `written=${"hello through __wasi_fd_write\n".length} args=2/${"guest.wasm\0xyz\0".length} err=0`,
        "clock=0 fdstat=0",
        "close(bad)=badf",
        `argv[1]=xyz version=${model.package.version}`,
        "",
      ].join("\n"),
    );
  });
});

describe("whether a header's views spell `bool` (its <stdbool.h>)", () => {
  // Decided by walking the views instead of writing their JSON out; the answer must be the JSON's.
  const word = fc.constantFrom("bool", "_Bool", "boolean", "bool_t", "isbool", "x", " ", "\n", "\"", "\\", "-", "é", "\u0001");
  const text = fc.array(word, { maxLength: 6 }).map((ws) => ws.join(""));
  const view = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: "small" }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), tie("array"), tie("object")),
    array: fc.array(tie("value"), { maxLength: 4 }),
    object: fc.dictionary(text, tie("value"), { maxKeys: 4 }),
  })).value;
  test("the same answer as a search of the views' JSON", () => {
    fc.assert(
      fc.property(view, (v) => {
        expect(spellsBool([v])).toBe(/\bbool\b/.test(JSON.stringify([v])));
      }),
      { numRuns: 2000 },
    );
  });
  test("a header whose declarations use bool includes <stdbool.h>; one without, not", () => {
    // One module of one function, as the generation benchmark writes it, with another first parameter.
    const idl = (param: string): string => syntheticContract(1, 1).replace("data: list<u8>,", `${param},`);
    const includes = (param: string): string[] => {
      const { model, diagnostics } = compileText(idl(param));
      expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      return cHeaderViews(model!, "abi.idl").find((h) => h.path === "m000.h")!.includes;
    };
    expect(includes("/// A flag.\n        flag: bool")).toContain("stdbool.h");
    expect(includes("/// A count.\n        n: u32")).not.toContain("stdbool.h");
  });
});
