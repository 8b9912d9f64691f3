// The VS Code extension's TextMate grammar, tokenized by VS Code's own engine (vscode-textmate
// on the oniguruma wasm build): sample lines get the expected scopes, every word of the real
// contract gets a scope of its own, and the manifest points at files that exist.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";

const EXT = path.resolve(import.meta.dirname, "../editors/vscode");
const manifest = JSON.parse(readFileSync(path.join(EXT, "package.json"), "utf8"));
const GRAMMAR = path.join(EXT, manifest.contributes.grammars[0].path);

let grammar: textmate.IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(createRequire(import.meta.url).resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => (scope === "source.abic" ? textmate.parseRawGrammar(readFileSync(GRAMMAR, "utf8"), GRAMMAR) : null),
  });
  grammar = (await registry.loadGrammar("source.abic"))!;
});

interface Token {
  text: string;
  scopes: string[];
}

/** Tokenizes lines in order (a block comment may span them). */
function tokenize(...lines: string[]): Token[][] {
  let stack = textmate.INITIAL;
  return lines.map((line) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** The innermost scope of the `nth` token of a tokenized line whose text is `text` (after trimming). */
function innermost(tokens: Token[], text: string, nth = 0): string {
  const t = tokens.filter((x) => x.text.trim() === text)[nth];
  if (!t) throw new Error(`no token \`${text}\` in ${JSON.stringify(tokens)}`);
  return t.scopes[t.scopes.length - 1]!;
}

function scopeOf(line: string, text: string, nth = 0): string {
  return innermost(tokenize(line)[0]!, text, nth);
}

describe("TextMate grammar", () => {
  test("doc comments, their backticked references, plain and block comments", () => {
    const doc = tokenize("/// Returns `errno::badf` when closed.")[0]!;
    expect(doc.every((t) => t.scopes.includes("comment.line.documentation.abic"))).toBe(true);
    expect(doc.find((t) => t.text === "`errno::badf`")!.scopes).toContain("markup.inline.raw.string.abic");
    expect(scopeOf("// a plain comment", "a plain comment")).toBe("comment.line.double-slash.abic");
    const block = tokenize("/* starts here", "struct still_comment", "ends */ struct x {");
    expect(block[1]![0]!.scopes).toContain("comment.block.abic");
    expect(block[2]!.find((t) => t.text === "x")!.scopes).toContain("entity.name.type.struct.abic");
  });

  test("package, use, and annotations with their arguments", () => {
    const pkg = "package command_abi@1.0.0;";
    expect(scopeOf(pkg, "package")).toBe("keyword.other.package.abic");
    expect(scopeOf(pkg, "command_abi")).toBe("entity.name.namespace.package.abic");
    expect(scopeOf(pkg, "1.0.0")).toBe("constant.numeric.version.abic");
    expect(scopeOf('use "abi/types.idl";', "use")).toBe("keyword.control.import.abic");
    expect(scopeOf('use "abi/types.idl";', '"abi/types.idl"')).toBe("string.quoted.double.path.abic");
    const ann = '@since(1.0.0) @open @deprecated(1.2.0, use = other_fn, note = "gone") @tier(read-only)';
    expect(scopeOf(ann, "since")).toBe("storage.type.annotation.abic");
    expect(scopeOf(ann, "open")).toBe("storage.type.annotation.abic");
    expect(scopeOf(ann, "1.0.0")).toBe("constant.numeric.version.abic");
    expect(scopeOf(ann, "use")).toBe("variable.parameter.annotation.abic");
    expect(scopeOf(ann, "other_fn")).toBe("constant.other.annotation-argument.abic");
    expect(scopeOf(ann, "read-only")).toBe("constant.other.annotation-argument.abic");
    expect(tokenize(ann)[0]!.find((t) => t.text.includes("gone"))!.scopes).toContain("string.quoted.double.abic");
  });

  test("declarations: keywords and the names they declare", () => {
    expect(scopeOf("enum errno: u16 {", "enum")).toBe("storage.type.enum.abic");
    expect(scopeOf("enum errno: u16 {", "errno")).toBe("entity.name.type.enum.abic");
    expect(scopeOf("enum errno: u16 {", "u16")).toBe("support.type.primitive.abic");
    expect(scopeOf("flags fdflags: u16 {", "fdflags")).toBe("entity.name.type.flags.abic");
    expect(scopeOf("struct iovec {", "struct")).toBe("storage.type.struct.abic");
    expect(scopeOf("variant subscription_u: eventtype {", "eventtype")).toBe("entity.name.type.abic");
    expect(scopeOf("type fd = handle;", "fd")).toBe("entity.name.type.alias.abic");
    expect(scopeOf("type fd = handle;", "handle")).toBe("support.type.primitive.abic");
    expect(scopeOf("const exit_timeout: u8 = 124;", "exit_timeout")).toBe("variable.other.constant.abic");
    expect(scopeOf("module wasi_snapshot_preview1 {", "wasi_snapshot_preview1")).toBe("entity.name.namespace.abic");
    expect(scopeOf("    alias wasi_unstable;", "wasi_unstable")).toBe("entity.name.namespace.abic");
    expect(scopeOf("    reserved fn old_function;", "reserved")).toBe("storage.modifier.reserved.abic");
    expect(scopeOf("    reserved fn old_function;", "old_function")).toBe("entity.name.function.abic");
    expect(scopeOf("    optional export __wasi_signal_trampoline: func(signum: i32);", "optional")).toBe("storage.modifier.optional.abic");
    expect(scopeOf("    optional export __wasi_signal_trampoline: func(signum: i32);", "func")).toBe("support.type.builtin.abic");
    expect(scopeOf("    optional export __wasi_signal_trampoline: func(signum: i32);", "i32")).toBe("support.type.primitive.abic");
    expect(scopeOf("    convention dispatch;", "convention")).toBe("storage.type.convention.abic");
    expect(scopeOf("command {", "command")).toBe("storage.type.command.abic");
  });

  test("members, fields, numbers and types in every type position", () => {
    expect(scopeOf("    %2big = 1,", "%2big")).toBe("variable.other.enummember.abic");
    expect(scopeOf("    %2big = 1,", "1")).toBe("constant.numeric.decimal.abic");
    expect(scopeOf("    reserved old_code = 77,", "old_code")).toBe("variable.other.enummember.abic");
    expect(scopeOf("    append = 1 << 0,", "<<")).toBe("keyword.operator.shift.abic");
    expect(scopeOf("    append = 1 << 0,", "0")).toBe("constant.numeric.decimal.abic");
    expect(scopeOf("const m: u32 = 0x7fff_ffff;", "0x7fff_ffff")).toBe("constant.numeric.hex.abic");
    expect(scopeOf("const m: u32 = 0b1010;", "0b1010")).toBe("constant.numeric.binary.abic");
    expect(scopeOf("const m: s32 = -1;", "-1")).toBe("constant.numeric.decimal.abic");
    const field = "    buf: ptr<u8>,";
    expect(scopeOf(field, "buf")).toBe("variable.other.property.abic");
    expect(scopeOf(field, "ptr")).toBe("support.type.builtin.abic");
    expect(scopeOf(field, "u8")).toBe("support.type.primitive.abic");
    expect(scopeOf("    fs_filetype: filetype,", "filetype")).toBe("entity.name.type.abic");
    const fn = "    fn fd_write(fd: fd, iovs: list<ciovec>) -> result<(written: size, more: bool), errno>;";
    expect(scopeOf(fn, "fn")).toBe("storage.type.function.abic");
    expect(scopeOf(fn, "fd_write")).toBe("entity.name.function.abic");
    expect(scopeOf(fn, "fd", 1)).toBe("entity.name.type.abic");
    expect(scopeOf(fn, "ciovec")).toBe("entity.name.type.abic");
    expect(scopeOf(fn, "->")).toBe("keyword.operator.arrow.abic");
    expect(scopeOf(fn, "result")).toBe("support.type.builtin.abic");
    expect(scopeOf(fn, "size")).toBe("entity.name.type.abic");
    expect(scopeOf(fn, "bool")).toBe("support.type.primitive.abic");
    expect(scopeOf(fn, "errno")).toBe("entity.name.type.abic");
    expect(scopeOf("    fn proc_exit(rval: exitcode) -> !;", "!")).toBe("keyword.operator.never.abic");
    expect(scopeOf("    clock(subscription_clock),", "clock")).toBe("variable.other.enummember.abic");
    expect(scopeOf("    clock(subscription_clock),", "subscription_clock")).toBe("entity.name.type.abic");
  });

  test("the libc block: its keywords, header kinds, changes, properties and `module::function` imports", () => {
    expect(scopeOf("libc {", "libc")).toBe("storage.type.libc.abic");
    const header = '    header "sys/wait.h": unomitted;';
    expect(scopeOf(header, "header")).toBe("storage.type.header.abic");
    expect(scopeOf(header, '"sys/wait.h"')).toBe("string.quoted.double.header.abic");
    expect(scopeOf(header, "unomitted")).toBe("constant.language.header-kind.abic");
    const fn = "    fn pipe: added {";
    expect(scopeOf(fn, "fn")).toBe("storage.type.function.abic");
    expect(scopeOf(fn, "pipe")).toBe("entity.name.function.libc.abic");
    expect(scopeOf(fn, "added")).toBe("constant.language.libc-change.abic");
    const absent = "    absent fn execve {";
    expect(scopeOf(absent, "absent")).toBe("storage.modifier.absent.abic");
    expect(scopeOf(absent, "execve")).toBe("entity.name.function.libc.abic");
    // A module's function is still a module's function: its name is followed by its parameters.
    expect(scopeOf("    fn fd_pipe() -> result<(read_fd: fd, write_fd: fd), errno>;", "fd_pipe")).toBe("entity.name.function.abic");

    const body = tokenize(
      "    fn fork: stubbed {",
      '        header "unistd.h";',
      '        prototype "pid_t fork(void)";',
      "        calls host_process::proc_spawn, host_net::net_socket;",
      "        returns -1;",
      "        errno nosys, again;",
      '        deviation "Never forks.";',
      '        patch "0001-pipe-dup", "0002-x";',
      "        instead posix_spawn,",
      "            host_process::proc_exec;",
      "    }",
    );
    const scope = (line: number, text: string): string => innermost(body[line]!, text);
    for (const [line, key] of [[1, "header"], [2, "prototype"], [3, "calls"], [4, "returns"], [5, "errno"], [6, "deviation"], [7, "patch"], [8, "instead"]] as const)
      expect(scope(line, key)).toBe("support.type.property-name.libc.abic");
    expect(scope(1, '"unistd.h"')).toBe("string.quoted.double.header.abic");
    expect(body[2]!.find((t) => t.text.includes("pid_t"))!.scopes).toContain("string.quoted.double.abic");
    expect(scope(3, "host_process")).toBe("entity.name.namespace.abic");
    expect(scope(3, "::")).toBe("punctuation.separator.namespace.abic");
    expect(scope(3, "proc_spawn")).toBe("entity.name.function.abic");
    expect(scope(3, "host_net")).toBe("entity.name.namespace.abic");
    expect(scope(3, "net_socket")).toBe("entity.name.function.abic");
    expect(scope(3, ";")).toBe("punctuation.terminator.statement.abic");
    expect(scope(4, "-1")).toBe("constant.numeric.decimal.abic");
    expect(scope(5, "nosys")).toBe("variable.other.enummember.abic");
    expect(scope(5, "again")).toBe("variable.other.enummember.abic");
    expect(scope(8, "posix_spawn")).toBe("entity.name.function.libc.abic");
    // A value list that continues on the next line keeps its scopes until the `;`.
    expect(scope(9, "host_process")).toBe("entity.name.namespace.abic");
    expect(scope(9, "proc_exec")).toBe("entity.name.function.abic");
    expect(scopeOf("        returns NULL;", "NULL")).toBe("constant.language.abic");

    // The property names stay plain names elsewhere: fields, members and parameters called `errno` or `header`.
    expect(scopeOf("    errno: errno,", "errno")).toBe("variable.other.property.abic");
    expect(scopeOf("    patch = 3,", "patch")).toBe("variable.other.enummember.abic");
  });

  test("every libc property, header and import of the real contract is scoped as one", () => {
    const lines = readFileSync(path.resolve(import.meta.dirname, "../abi/libc.idl"), "utf8").split("\n");
    const tokens = tokenize(...lines);
    let properties = 0;
    let imports = 0;
    lines.forEach((line, i) => {
      const scopes = (text: string): string[] => tokens[i]!.filter((t) => t.text.trim() === text).map((t) => t.scopes[t.scopes.length - 1]!);
      const key = /^\s*(header|prototype|calls|errno|returns|deviation|patch|instead)\b/.exec(line)?.[1];
      if (key === "header" && /^\s*header\s+"[^"]*"\s*:/.test(line)) expect(scopes("header"), line).toEqual(["storage.type.header.abic"]);
      else if (key) {
        properties++;
        expect(scopes(key)[0], line).toBe("support.type.property-name.libc.abic");
      }
      for (const m of line.matchAll(/([a-z_0-9]+)::([a-z_0-9]+)/g)) {
        if (line.trimStart().startsWith("//")) continue;
        imports++;
        expect(scopes(m[1]!), line).toContain("entity.name.namespace.abic");
        expect(scopes(m[2]!), line).toContain("entity.name.function.abic");
      }
    });
    expect(properties).toBeGreaterThan(100);
    expect(imports).toBeGreaterThan(50);
  });

  test("@deviation and its text", () => {
    const line = '    @deviation("`clockid::realtime` is frozen at the execution\'s start.")';
    expect(scopeOf(line, "deviation")).toBe("storage.type.annotation.abic");
    expect(tokenize(line)[0]!.find((t) => t.text.includes("frozen"))!.scopes).toContain("string.quoted.double.abic");
  });

  test("every word of the real contract gets a scope that says what it is", () => {
    const repo = path.resolve(import.meta.dirname, "..");
    const files = ["abi.idl", ...readdirIdl(path.join(repo, "abi"))];
    const bare: string[] = [];
    for (const file of files) {
      const lines = readFileSync(path.join(repo, file), "utf8").split("\n");
      tokenize(...lines).forEach((tokens, i) => {
        // Only the root scope, or the catch-all for names the grammar could not place.
        for (const t of tokens)
          if (/\w/.test(t.text) && (t.scopes.length === 1 || t.scopes[t.scopes.length - 1] === "variable.other.abic")) bare.push(`${file}:${i + 1}: ${t.text}`);
      });
    }
    expect(bare).toEqual([]);
  });

  test("the manifest: language, grammar, configuration and file association", () => {
    const lang = manifest.contributes.languages[0];
    expect(lang.id).toBe(manifest.contributes.grammars[0].language);
    expect(lang.extensions).toContain(".idl");
    expect(JSON.parse(readFileSync(GRAMMAR, "utf8")).scopeName).toBe(manifest.contributes.grammars[0].scopeName);
    const config = JSON.parse(readFileSync(path.join(EXT, lang.configuration), "utf8"));
    expect(config.comments).toEqual({ lineComment: "//", blockComment: ["/*", "*/"] });
    expect(existsSync(path.join(EXT, manifest.main))).toBe(true);
    // The first line of a root contract identifies the language even where another extension owns `.idl`.
    const firstLine = new RegExp(lang.firstLine);
    expect(firstLine.test('package command_abi@1.0.0;')).toBe(true);
    expect(firstLine.test("/// The agentOS wasm command ABI")).toBe(true);
    expect(firstLine.test("interface Foo {")).toBe(false);
  });
});

function readdirIdl(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith(".idl"))
    .sort()
    .map((n) => path.join("abi", n));
}
