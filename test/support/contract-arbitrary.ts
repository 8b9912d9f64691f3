// Random contracts written to break the generators: every construct of LANGUAGE.md (every type
// kind nested by value and through pointers, enums of every width, empty enums as variant tags,
// constants at their extremes, every parameter and result form, statuses, tiers, gates with odd
// feature names, deprecations, deviations, second error enums, command and libc blocks) named
// with hostile names (keywords of C, C++, TS/JS and Rust, C library macros, names the generated
// runtimes declare themselves, pairs that collide after case conversion, `_`, names starting with
// digits, very long names) and documented with hostile text (comment terminators, trigraphs,
// template literals, control characters, Markdown and HTML). Most plans check; the ones that do
// not must be rejected with diagnostics, never a crash. Builds on random-contract.ts's libc block.

import fc from "fast-check";
import { libcBlock, libcPlan } from "./random-contract.ts";

/** Names that are keywords, reserved words or well-known identifiers somewhere abic generates code. */
export const HOSTILE_NAMES = [
  // C and C++
  "class", "new", "template", "register", "typeof", "asm", "auto", "int", "char", "default", "delete", "this", "operator",
  "namespace", "virtual", "bool", "true", "false", "signed", "union", "restrict", "inline", "static_assert", "and", "not",
  // C library and compiler names
  "NULL", "UINT8_MAX", "__wasm32__", "uint32_t", "size_t", "errno", "EOF", "stdin", "assert", "offsetof", "strlen",
  "int32_t", "uintptr_t", "SIZE_MAX", "__SIZE_TYPE__", "main",
  // TS / JS
  "function", "let", "yield", "interface", "await", "arguments", "eval", "undefined", "constructor", "prototype",
  "__proto__", "instanceof", "void", "var", "with", "implements", "package", "object", "string", "number", "never",
  // Rust
  "fn", "mod", "crate", "self", "Self", "super", "impl", "trait", "match", "loop", "move", "mut", "ref", "dyn", "unsafe",
  "where", "r#x", "Result", "Option", "Some", "Ok",
  // names the generated code declares itself (TS runtime and glue, C wrappers, Rust macros)
  "failure", "fail", "linker", "guest_memory", "call_context", "provides", "proc_exit", "s8", "u8_list", "ret", "retptr0",
  "buf_len", "ctx", "impl", "raw", "types", "runtime", "index", "contract", "common", "command", "lib", "macros",
  "tag", "u", "value", "ptr", "dv", "memory", "imports", "link", "arg0", "rp0",
  // shapes
  "_", "__", "_x", "x_", "%2big", "%0", "a__b", "A", "aB", "a_b", "X", "x",
].map((n) => (/^[0-9%]/.test(n) || n.includes("#") ? n.replace(/^r#/, "") : n));

/** IDL keywords: escaped with `%` wherever they are written as names. */
const IDL_KEYWORDS = new Set(
  "package use type enum flags struct variant const module alias fn command export optional convention libc header absent reserved".split(" "),
);

/** Spells a name as IDL source: keywords and digit-leading names get the `%` escape. */
export function idlName(name: string): string {
  const bare = name.replace(/^%/, "");
  return IDL_KEYWORDS.has(bare) || /^[0-9]/.test(bare) ? `%${bare}` : bare;
}

/** Doc and annotation text that has broken generated code before. */
export const HOSTILE_TEXT = [
  "Ends a comment */ early, /* opens one, and // starts another.",
  "Trigraphs ??= ??/ ??' and a lone ?? pair.",
  "A template literal `${process.exit(1)}` and a backtick ` alone.",
  'Quotes " and \\" and \' and a backslash \\ at the end \\',
  "Markdown | table | cells |, # headings, <script>alert(1)</script>, <!-- a comment --> and [a](link).",
  "Unicode: é, 漢字, 🦀, and the separators \u2028 and \u2029.",
  "Control characters: \u0001 \u0007 \u001b[31m \u007f.",
  "Rust doc links [`Vec`] and [not a link] and `code [0]`.",
  "@deprecated and @param look like tags; {@link x} too.",
  "",
];

interface Namer {
  /** A fresh name for an item in one scope (no exact repeat within that scope). */
  (scope: string, plain: string): string;
}

/**
 * Two names the targets may spell alike (`fd_read`, `fdRead`, `FD_READ`): the namer keeps them
 * apart within a scope so most contracts check, and `plan.collide` adds such pairs on purpose.
 */
function spellingKey(name: string): string {
  const bare = name.replace(/^%/, "");
  const key = bare.replace(/_/g, "").toLowerCase();
  return key === "" ? bare : key;
}

function namer(hostile: number[], pool: readonly string[]): Namer {
  let k = 0;
  const used = new Map<string, Set<string>>();
  return (scope, plain) => {
    const taken = used.get(scope) ?? new Set<string>();
    used.set(scope, taken);
    const pick = hostile[k++ % hostile.length]!;
    let name = pick % 3 === 0 ? pool[pick % pool.length]! : plain;
    if (taken.has(spellingKey(name))) name = plain;
    for (let i = 2; taken.has(spellingKey(name)); i++) name = `${plain}${i}`;
    taken.add(spellingKey(name));
    return name;
  };
}

const text = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...HOSTILE_TEXT) }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) });
/** A doc comment: lines without line breaks (the lexer ends `///` at one). */
const doc = fc.option(fc.array(text.map((t) => t.replace(/[\r\n\u2028\u2029]/g, " ")), { minLength: 1, maxLength: 2 }), { nil: undefined, freq: 2 });
/** The text of a string literal: quotes and backslashes escaped for the IDL lexer, no raw line breaks. */
function idlString(t: string): string {
  return `"${t.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/[\r\n\u2028\u2029]/g, "\\n")}"`;
}

const PRIMS = ["u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f32", "f64", "bool", "char8", "usize", "handle"] as const;
const INT_RANGE: Record<string, [bigint, bigint]> = {
  u8: [0n, 255n], u16: [0n, 65535n], u32: [0n, 4294967295n], u64: [0n, 18446744073709551615n],
  s8: [-128n, 127n], s16: [-32768n, 32767n], s32: [-2147483648n, 2147483647n], s64: [-9223372036854775808n, 9223372036854775807n],
  bool: [0n, 1n], char8: [0n, 255n], usize: [0n, 4294967295n], handle: [-2147483648n, 2147483647n],
};
/** Feature names: words, hyphenated words, and names that are not identifiers anywhere. */
const FEATURES = ["feat", "a-b", "poll_ext", "x2", "CamelCase", "std2", '"with space"', '"é"', "default_x", "raw"];

export const contractPlan = fc.record({
  names: fc.array(fc.nat(), { minLength: 8, maxLength: 40 }),
  pool: fc.shuffledSubarray([...HOSTILE_NAMES], { minLength: 5, maxLength: 30 }),
  // Rare on purpose: a colliding pair makes the contract one `check` rejects (E0219).
  collide: fc.oneof(
    { weight: 8, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom(["fd_read", "fdRead"], ["a_b", "aB"], ["x", "X"], ["fd_read", "fd__read"], ["ab", "AB"], ["s", "s_list"]) },
  ),
  longName: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 40, max: 300 }) }),
  glue: fc.oneof({ weight: 8, arbitrary: fc.constant([true, true, true, true]) }, { weight: 1, arbitrary: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }) }),
  errnoRepr: fc.constantFrom("u8", "u16", "u32"),
  enums: fc.array(fc.record({ repr: fc.constantFrom("u8", "u16", "u32", "u64"), members: fc.uniqueArray(fc.bigInt({ min: 0n, max: 300n }), { maxLength: 5 }), big: fc.boolean(), open: fc.boolean(), reserved: fc.boolean(), doc }), { maxLength: 4 }),
  flags: fc.array(fc.record({ repr: fc.constantFrom("u8", "u16", "u32", "u64"), bits: fc.uniqueArray(fc.nat(63), { maxLength: 6 }), doc }), { maxLength: 2 }),
  aliases: fc.array(fc.record({ target: fc.nat(), ptr: fc.nat(3), doc, deprecated: fc.option(text, { nil: undefined, freq: 4 }) }), { maxLength: 4 }),
  structs: fc.array(fc.record({ fields: fc.array(fc.record({ type: fc.nat(), ptr: fc.nat(4), doc }), { minLength: 1, maxLength: 6 }), doc, forward: fc.boolean() }), { maxLength: 5 }),
  variants: fc.array(fc.record({ tag: fc.nat(), payloads: fc.array(fc.option(fc.nat(), { nil: undefined }), { maxLength: 6 }), doc }), { maxLength: 2 }),
  consts: fc.array(fc.record({ type: fc.nat(), pick: fc.nat(3), doc, unstable: fc.option(fc.constantFrom(...FEATURES), { nil: undefined, freq: 4 }) }), { maxLength: 4 }),
  second: fc.option(fc.record({ glue: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) }), { nil: undefined, freq: 4 }),
  modules: fc.array(
    fc.record({
      doc,
      tier: fc.option(fc.constantFrom("isolated", "read-only", "read-write", "full"), { nil: undefined }),
      unstable: fc.option(fc.constantFrom(...FEATURES), { nil: undefined, freq: 5 }),
      alias: fc.boolean(),
      deviation: fc.option(text, { nil: undefined, freq: 4 }),
      reservedFn: fc.boolean(),
      fns: fc.array(
        fc.record({
          params: fc.array(fc.record({ type: fc.nat(), kind: fc.constantFrom("scalar", "scalar", "string", "list", "buffer", "ptr", "const_ptr"), doc }), { maxLength: 5 }),
          result: fc.constantFrom("none", "never", "scalar", "unit", "value", "tuple", "second"),
          resultType: fc.nat(),
          tuple: fc.array(fc.record({ type: fc.nat(), named: fc.boolean() }), { minLength: 2, maxLength: 3 }),
          sentinel: fc.constantFrom("0", "-1", "max", "const"),
          status: fc.constantFrom("", "", "", "stubbed", "refused", "compat"),
          reason: text,
          deprecated: fc.option(text, { nil: undefined, freq: 5 }),
          deviation: fc.option(text, { nil: undefined, freq: 5 }),
          tier: fc.option(fc.constantFrom("read-only", "full"), { nil: undefined, freq: 4 }),
          unstable: fc.option(fc.constantFrom(...FEATURES), { nil: undefined, freq: 6 }),
          doc,
        }),
        { maxLength: 5 },
      ),
    }),
    { maxLength: 3 },
  ),
  command: fc.option(fc.record({ exports: fc.nat(3), constDoc: doc }), { nil: undefined, freq: 3 }),
  libc: fc.option(libcPlan, { nil: undefined, freq: 5 }),
  packageDoc: doc,
});

export type ContractPlan = typeof contractPlan extends fc.Arbitrary<infer T> ? T : never;

function docLines(d: string[] | undefined, indent: string): string {
  return (d ?? ["Documented."]).map((l) => `${indent}///${l ? " " + l : ""}\n`).join("");
}

function gateOf(unstable: string | undefined): string {
  return unstable === undefined ? "@since(1.0.0)" : `@unstable(${unstable})`;
}

/** The IDL text of a plan. */
export function renderContract(plan: ContractPlan): string {
  const pool = plan.pool;
  const name = namer(plan.names, pool);
  const out: string[] = [docLines(plan.packageDoc, ""), "package demo@1.0.0;\n\n"];
  // Storable named types so far (by value), scalar named types, enums (for tags and sentinels).
  const storable: string[] = [];
  const scalars: string[] = [];
  const enums: { name: string; members: string[] }[] = [];
  const errors: string[] = ["errno"];
  // Closed enums and a value of theirs (null when empty): a constant of one must name a member.
  const closed = new Map<string, string | null>();

  const glueMembers = ["fault", "io", "ilseq", "inval"].filter((_, i) => plan.glue[i]);
  out.push(`/// Errors.\n@since(1.0.0) @open\nenum errno: ${plan.errnoRepr} {\n    /// ok\n    success = 0,\n    /// e1\n    e1 = 1,\n`);
  glueMembers.forEach((m, i) => out.push(`    /// ${m}\n    ${m} = ${10 + i},\n`));
  out.push("}\n\n");
  scalars.push("errno");
  storable.push("errno");
  enums.push({ name: "errno", members: ["success", "e1", ...glueMembers] });

  if (plan.second) {
    const e2 = name("top", "errors2");
    out.push(`/// Second errors.\n@since(1.0.0) @open\nenum ${idlName(e2)}: u8 {\n    /// ok\n    success = 0,\n`);
    (plan.second.glue ? ["fault", "io", "ilseq", "inval"] : ["io"]).forEach((m, i) => out.push(`    /// ${m}\n    ${m} = ${i + 1},\n`));
    out.push("}\n\n");
    errors.push(e2);
    storable.push(e2);
    scalars.push(e2);
  }

  if (plan.collide) {
    // Two types whose names collide in some target after case conversion.
    for (const n of plan.collide) {
      out.push(`/// Collides.\n@since(1.0.0)\ntype ${idlName(n)} = u32;\n\n`);
      scalars.push(n);
      storable.push(n);
    }
  }
  if (plan.longName !== undefined) {
    const n = `long_${"n".repeat(plan.longName)}`;
    out.push(`/// Long.\n@since(1.0.0)\nstruct ${n} {\n    /// f\n    ${n}: u8,\n}\n\n`);
    storable.push(n);
  }

  plan.enums.forEach((e, i) => {
    const n = name("top", `en${i}`);
    const max = INT_RANGE[e.repr]![1];
    const values = e.members.map((v, k) => (e.big && k === 0 ? max : v % (max + 1n)));
    const members = [...new Set(values.map(String))].map((v, k) => ({ name: name(`en${i}`, `m${k}`), value: v }));
    out.push(docLines(e.doc, ""), `@since(1.0.0)${e.open ? " @open" : ""}\nenum ${idlName(n)}: ${e.repr} {\n`);
    members.forEach((m) => out.push(`    /// m\n    ${idlName(m.name)} = ${m.value},\n`));
    const gone = String(299n > max ? max - 1n : 299n);
    if (e.reserved && !members.some((m) => m.value === gone)) out.push(`    reserved ${idlName(name(`en${i}`, "gone"))} = ${gone},\n`);
    out.push("}\n\n");
    storable.push(n);
    scalars.push(n);
    enums.push({ name: n, members: members.map((m) => m.name) });
    if (!e.open) closed.set(n, members[0]?.value ?? null);
  });
  plan.flags.forEach((f, i) => {
    const n = name("top", `fl${i}`);
    const width = Number(f.repr.slice(1));
    const bits = [...new Set(f.bits.map((b) => b % width))];
    out.push(docLines(f.doc, ""), `@since(1.0.0)\nflags ${idlName(n)}: ${f.repr} {\n`);
    bits.forEach((b, k) => out.push(`    /// b\n    ${idlName(name(`fl${i}`, `b${k}`))} = 1 << ${b},\n`));
    out.push("}\n\n");
    storable.push(n);
    scalars.push(n);
  });
  const pointerTo = (t: string, depth: number, seed: number): string => {
    let s = t;
    for (let d = 0; d < depth; d++) s = `${(seed >> d) & 1 ? "const_ptr" : "ptr"}<${s}>`;
    return s;
  };
  const refName = (n: string): string => idlName(n);
  plan.aliases.forEach((a, i) => {
    const n = name("top", `al${i}`);
    const pool2 = [...PRIMS, ...scalars];
    const target = pool2[a.target % pool2.length]!;
    const dep = a.deprecated !== undefined ? ` @deprecated(1.0.0, note = ${idlString(a.deprecated || "x")})` : "";
    out.push(docLines(a.doc, ""), `@since(1.0.0)${dep}\ntype ${idlName(n)} = ${a.ptr === 3 ? pointerTo(refName(target), 2, i) : refName(target)};\n\n`);
    storable.push(n);
    if (a.ptr !== 3) scalars.push(n);
  });
  // Structs, each possibly referring forward to the next one through a pointer.
  const structNames = plan.structs.map((_, i) => name("top", `st${i}`));
  plan.structs.forEach((s, i) => {
    const n = structNames[i]!;
    out.push(docLines(s.doc, ""), `@since(1.0.0)\nstruct ${idlName(n)} {\n`);
    s.fields.forEach((f, k) => {
      const pool2 = [...PRIMS, ...storable];
      let t = refName(pool2[f.type % pool2.length]!);
      if (f.ptr === 3) t = pointerTo(t, 1 + (f.type % 3), f.type);
      if (f.ptr === 4 && s.forward && structNames[i + 1]) t = `ptr<${refName(structNames[i + 1]!)}>`;
      out.push(docLines(f.doc, "    "), `    ${idlName(name(`st${i}`, `f${k}`))}: ${t},\n`);
    });
    out.push("}\n\n");
    storable.push(n);
  });
  plan.variants.forEach((v, i) => {
    const tag = enums[v.tag % enums.length]!;
    const n = name("top", `vr${i}`);
    out.push(docLines(v.doc, ""), `@since(1.0.0)\nvariant ${idlName(n)}: ${refName(tag.name)} {\n`);
    tag.members.forEach((m, k) => {
      const p = v.payloads[k];
      const pool2 = [...PRIMS, ...storable];
      out.push(`    /// case\n    ${idlName(m)}${p === undefined ? "" : `(${refName(pool2[p % pool2.length]!)})`},\n`);
    });
    out.push("}\n\n");
    storable.push(n);
  });
  const constNames: string[] = [];
  plan.consts.forEach((c, i) => {
    const n = name("top", `k${i}`);
    const intTypes = ["u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "bool", "char8", "usize", "handle"];
    const pool2 = [...intTypes, ...scalars.filter((s) => !storable.includes(s) || scalars.includes(s))];
    const t = pool2[c.type % pool2.length]!;
    const range = Object.hasOwn(INT_RANGE, t) ? INT_RANGE[t]! : [0n, 1n];
    if (closed.has(t) && closed.get(t) === null) return;
    const value = closed.has(t) ? closed.get(t)! : [range[0], range[1], 0n, range[1] / 2n][c.pick]!;
    out.push(docLines(c.doc, ""), `${gateOf(c.unstable)}\nconst ${idlName(n)}: ${refName(t)} = ${value};\n\n`);
    constNames.push(n);
  });

  const imports: { name: string; stable: boolean }[] = [];
  plan.modules.forEach((m, i) => {
    const n = name("top", `mod${i}`);
    const ann = [gateOf(m.unstable), ...(m.tier ? [`@tier(${m.tier})`] : []), ...(m.deviation ? [`@deviation(${idlString(m.deviation)})`] : [])];
    out.push(docLines(m.doc, ""), `${ann.join(" ")}\nmodule ${idlName(n)} {\n`);
    if (m.alias) out.push(`    /// An alias.\n    alias ${idlName(name("top", `${n}_old`))};\n`);
    m.fns.forEach((f, k) => {
      const fname = name(`fns${i}`, `f${k}`);
      const params = f.params.map((p, j) => {
        const pname = name(`${i}.${k}`, `p${j}`);
        const scalarPool = [...PRIMS, ...scalars];
        const storePool = [...PRIMS, ...storable];
        const t =
          p.kind === "scalar"
            ? refName(scalarPool[p.type % scalarPool.length]!)
            : p.kind === "string"
              ? "string"
              : p.kind === "ptr" || p.kind === "const_ptr"
                ? `${p.kind}<${refName(storePool[p.type % storePool.length]!)}>`
                : `${p.kind}<${refName(storePool[p.type % storePool.length]!)}>`;
        return `${docLines(p.doc, "        ")}        ${idlName(pname)}: ${t},\n`;
      });
      const storePool = [...PRIMS, ...storable];
      const scalarPool = [...PRIMS, ...scalars];
      const err = f.result === "second" && errors.length > 1 ? refName(errors[1]!) : "errno";
      const valueType = refName(storePool[f.resultType % storePool.length]!);
      const tupleNames = f.tuple.map((t, j) => (t.named ? `${idlName(name(`${i}.${k}.out`, `o${j}`))}: ` : ""));
      const tuple = f.tuple.map((t, j) => `${tupleNames[j]}${refName(storePool[t.type % storePool.length]!)}`).join(", ");
      const scalarType = refName(scalarPool[f.resultType % scalarPool.length]!);
      const result = {
        none: "",
        never: " -> !",
        scalar: ` -> ${scalarType}`,
        unit: ` -> result<(), ${err}>`,
        value: ` -> result<${valueType}, ${err}>`,
        tuple: ` -> result<(${tuple}), ${err}>`,
        second: ` -> result<${valueType}, ${err}>`,
      }[f.result];
      const ann = [gateOf(f.unstable ?? (m.unstable !== undefined ? m.unstable : undefined))];
      const expected = ["unit", "value", "tuple", "second"].includes(f.result);
      if (f.status === "stubbed" && expected) ann.push(`@stubbed(${err === "errno" ? "e1" : "io"})`);
      if (f.status === "refused") ann.push(`@refused(${idlString(f.reason)})`);
      if (f.status === "compat") ann.push(`@compat(${idlString(f.reason)})`);
      if (f.deprecated !== undefined) ann.push(`@deprecated(1.0.0, note = ${idlString(f.deprecated || "x")})`);
      if (f.deviation && f.status !== "refused") ann.push(`@deviation(${idlString(f.deviation)})`);
      if (f.tier) ann.push(`@tier(${f.tier})`);
      if (f.result === "scalar") {
        const s = f.sentinel === "const" && constNames.length ? refName(constNames[0]!) : f.sentinel === "max" ? "0" : f.sentinel === "-1" ? "0" : "0";
        ann.push(`@sentinel(${s})`);
      }
      if (f.status !== "refused") imports.push({ name: `${idlName(n)}::${idlName(fname)}`, stable: f.unstable === undefined && m.unstable === undefined });
      out.push(docLines(f.doc, "    "), `    ${ann.join(" ")}\n    fn ${idlName(fname)}(\n${params.join("")}    )${result};\n`);
    });
    if (m.reservedFn) out.push(`    reserved fn ${idlName(name(`fns${i}`, "removed"))};\n`);
    out.push("}\n\n");
  });
  if (plan.command) {
    out.push("/// The command.\n@since(1.0.0)\ncommand {\n    /// Memory.\n    export memory: memory;\n");
    for (let e = 0; e < plan.command.exports; e++) out.push(`    /// An export.\n    optional export ${idlName(name("exports", `ex${e}`))}: func(${["i32", "i64", "i32, f64"][e % 3]})${e % 2 ? " -> i32" : ""};\n`);
    out.push(docLines(plan.command.constDoc, "    "), `    @since(1.0.0)\n    const ${idlName(name("top", "exit_code"))}: u8 = 124;\n`);
    out.push("}\n\n");
  }
  if (plan.libc) out.push(libcBlock(plan.libc, { scalars: [], structs: [], enums: [], imports, refs: [] }));
  return out.join("");
}

/** Random contract texts: mostly valid, hostile everywhere the language allows. */
export const hostileContract: fc.Arbitrary<string> = contractPlan.map(renderContract);

/** Tokens a mutation inserts: IDL punctuation and keywords, hostile names, odd numbers. */
const MUTATION_TOKENS = [
  "{", "}", "(", ")", "<", ">", ",", ";", ":", "=", "->", "!", "<<", "@", "%", "///", "//", "/*", "*/", "\"",
  "struct", "enum", "variant", "module", "fn", "type", "const", "reserved", "ptr<", "list<", "result<", "errno",
  "@since(1.0.0)", "@unstable(x)", "@open", "@deprecated(1.0.0)", "0x", "0o_", "-0", "18446744073709551616", "1 << 64",
  ...HOSTILE_NAMES.slice(0, 40),
];

/** Text a mutation inserts that is not a token: line ends, NUL, unicode, a byte-order mark. */
const MUTATION_BYTES = ["\r\n", "\r", "\0", "\u00e9", "\u6f22", "\ud83e\udd80", "\u2028", "\ufeff", "\ud800", "\t", "\\", "\u0007"];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant("token" as const), at: fc.nat(), text: fc.constantFrom(...MUTATION_TOKENS) }),
  fc.record({ kind: fc.constant("bytes" as const), at: fc.nat(), text: fc.constantFrom(...MUTATION_BYTES) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("crlf" as const) }),
  fc.record({ kind: fc.constant("duplicate-line" as const), at: fc.nat() }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

/** Applies token, byte, deletion, truncation, CRLF and line edits to a text. */
export function mutate(text: string, edits: Mutation[]): string {
  let out = text;
  for (const e of edits) {
    const at = "at" in e ? e.at % (out.length + 1) : 0;
    switch (e.kind) {
      case "token":
        out = `${out.slice(0, at)} ${e.text} ${out.slice(at)}`;
        break;
      case "bytes":
        out = out.slice(0, at) + e.text + out.slice(at);
        break;
      case "delete":
        out = out.slice(0, at) + out.slice(at + e.length);
        break;
      case "truncate":
        out = out.slice(0, at);
        break;
      case "crlf":
        out = out.replace(/\n/g, "\r\n");
        break;
      case "duplicate-line": {
        const start = out.lastIndexOf("\n", at - 1) + 1;
        const end = out.indexOf("\n", at);
        const line = out.slice(start, end < 0 ? out.length : end + 1);
        out = out.slice(0, start) + line + out.slice(start);
        break;
      }
    }
  }
  return out;
}

/** Mutations of a contract text (the real one, or a generated one): one to six edits. */
export function mutatedContract(base: string): fc.Arbitrary<string> {
  return fc.array(mutation, { minLength: 1, maxLength: 6 }).map((edits) => mutate(base, edits));
}

/**
 * A contract and the files it `use`s as one text (each `use "x.idl";` replaced by that file's
 * text, once), so a mutation can reach every part of it.
 */
export function inlineUses(file: string, read: (f: string) => string): string {
  const seen = new Set<string>([file]);
  const dirOf = (f: string): string => (f.includes("/") ? f.slice(0, f.lastIndexOf("/") + 1) : "");
  const expand = (f: string): string =>
    read(f).replace(/^use "([^"]+)";$/gm, (_, used: string) => {
      const target = dirOf(f) + used;
      if (seen.has(target)) return "";
      seen.add(target);
      return expand(target);
    });
  return expand(file);
}
