// Random valid contracts for property tests, and layout mutations that keep a text's meaning:
// re-spacing at token boundaries (the formatter must undo it) and comment insertion.
// "Valid" includes the rules a formatter never looks at but the checker does: every plain-scalar
// function declares its @sentinel (E0311), and every qualified doc reference names an item of
// the contract (E0207).

import fc from "fast-check";
import { tokenize } from "../../compiler/lexer.ts";

const PRIMS = ["u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "bool", "char8", "usize", "handle", "f32", "f64"];
const SCALAR_PARAM = ["u8", "u32", "u64", "s32", "usize", "handle", "bool"];

/** Stands for a qualified reference in doc text; each is replaced by an item of the finished contract. */
const REF = "@REF@";

const docs = fc.option(
  fc.array(
    fc.constantFrom(
      "A thing.",
      "Uses `errno::success` and `x`.",
      "",
      "Line two, with *markdown*.",
      "  indented text",
      `See \`${REF}\`.`,
      `Between \`${REF}\` and \`${REF}\`, as declared in \`errno.h\`.`,
    ),
    { minLength: 1, maxLength: 3 },
  ),
  { nil: undefined, freq: 3 },
);
const comment = fc.option(fc.constantFrom("// a plain comment", "/* a block */", "// TODO: later", "/* two\n   lines */"), { nil: undefined, freq: 4 });

export interface Ctx {
  scalars: string[];
  structs: string[];
  enums: { name: string; members: string[] }[];
  /** Host functions a libc function may call: linked (not refused), with their stability. */
  imports: { name: string; stable: boolean }[];
  /** Every qualified name a doc comment may cite (`errno::e1`, `mod0.f0`, `f0::parameter_1`). */
  refs: string[];
}

/** Deviation texts: short ones that share a line, and one too long for any line. */
const deviationText = fc.constantFrom(
  "Answers `errno::e1` early.",
  "Timestamps are kept to the microsecond: what lies below it is dropped, from the timestamp not being set too.",
  'Quotes \\"inside\\" stay.',
);

/** C prototypes the checker parses, with NAME standing for the function's name. */
const PROTOTYPES = [
  "int NAME(void)",
  "int NAME(int fd)",
  "ssize_t NAME(int fd, void *buf, size_t count)",
  "int NAME(int dirfd, const char *path, int flags, ...)",
  "void (*NAME(int which, void (*handler)(int)))(int)",
  "int NAME(pid_t *restrict pid, const char *restrict path, char *const argv[restrict], char *const envp[restrict])",
];

const libcGate = fc.oneof({ weight: 3, arbitrary: fc.constant("@since(1.0.0)") }, { weight: 1, arbitrary: fc.constant("@unstable(feat)") });

/** The plan of a libc block: headers, functions with their properties in any order, absent functions. */
export const libcPlan = fc.record({
  doc: docs,
  headers: fc.array(fc.record({ kind: fc.constantFrom("upstream", "patched", "replaced", "unomitted", "added"), gate: libcGate, doc: docs, path: fc.boolean() }), {
    minLength: 1,
    maxLength: 3,
  }),
  fns: fc.array(
    fc.record({
      change: fc.constantFrom("added", "replaced", "stubbed"),
      gate: libcGate,
      doc: docs,
      header: fc.nat(),
      prototype: fc.nat(PROTOTYPES.length - 1),
      calls: fc.uniqueArray(fc.nat(), { maxLength: 4 }),
      errno: fc.boolean(),
      deviations: fc.array(deviationText, { maxLength: 2 }),
      patches: fc.array(fc.constantFrom("0001-first", "0002-second-patch", "0003-a-patch-with-a-rather-long-name", "override.c"), { maxLength: 4 }),
      returns: fc.constantFrom("-1", "0", "NULL"),
      instead: fc.boolean(),
      order: fc.array(fc.nat(9), { minLength: 9, maxLength: 9 }),
      comment,
    }),
    { maxLength: 4 },
  ),
  absent: fc.array(fc.record({ header: fc.nat(), gate: libcGate, doc: docs, insteadImport: fc.nat() }), { maxLength: 2 }),
  blank: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
});

type LibcPlan = typeof libcPlan extends fc.Arbitrary<infer T> ? T : never;

/**
 * A libc block that checks: headers first, each function in a header it may live in (a stable
 * function never in an unstable header, never calling an unstable import), stubs with what they
 * return, `instead` naming functions of the block or imports.
 */
export function libcBlock(plan: LibcPlan, ctx: Ctx): string {
  const out: string[] = [docLines(plan.doc, ""), "libc {\n"];
  let b = 0;
  const sep = (): string => (plan.blank[b++ % plan.blank.length] ? "\n" : "");
  const headers = plan.headers.map((h, i) => ({ name: h.path ? `sys/h${i}.h` : `h${i}.h`, stable: h.gate !== "@unstable(feat)" }));
  plan.headers.forEach((h, i) => out.push(i ? sep() : "", docLines(h.doc, "    "), `    ${h.gate}\n    header "${headers[i]!.name}": ${h.kind};\n`));
  const names = plan.fns.map((_, i) => `libc_fn${i}`);
  plan.fns.forEach((f, i) => {
    const stable = f.gate !== "@unstable(feat)";
    // A stable function needs a stable header; the first header is made stable when none is.
    const pool = headers.filter((h) => h.stable || !stable);
    const header = pool.length ? pool[f.header % pool.length]!.name : null;
    const gate = header === null ? "@unstable(feat)" : f.gate;
    const imports = ctx.imports.filter((x) => x.stable || gate === "@unstable(feat)");
    const calls = imports.length ? [...new Set(f.calls.map((c) => imports[c % imports.length]!.name))] : [];
    const others = names.filter((n) => n !== names[i]);
    const props: [number, string][] = [
      [f.order[0]!, `header "${header ?? headers[0]!.name}";`],
      [f.order[1]!, `prototype "${PROTOTYPES[f.prototype]!.replace("NAME", names[i]!)}";`],
      ...(calls.length ? [[f.order[2]!, `calls ${calls.join(", ")};`] as [number, string]] : []),
      ...(f.errno ? [[f.order[3]!, "errno e1;"] as [number, string]] : []),
      ...f.deviations.map((d, k): [number, string] => [f.order[4]! + k / 10, `deviation "${d}";`]),
      ...(f.patches.length ? [[f.order[5]!, `patch ${f.patches.map((x) => `"${x}"`).join(", ")};`] as [number, string]] : []),
      ...(f.change === "stubbed" ? [[f.order[6]!, `returns ${f.returns};`] as [number, string]] : []),
      ...(f.change === "stubbed" && f.instead && (others.length || ctx.imports.length)
        ? [[f.order[7]!, `instead ${[...others.slice(0, 1), ...ctx.imports.slice(0, 1).map((x) => x.name)].join(", ")};`] as [number, string]]
        : []),
    ];
    props.sort((x, y) => x[0] - y[0]);
    out.push(sep(), f.comment ? `    ${f.comment}\n` : "", docLines(f.doc, "    "), `    ${gate}\n    fn ${names[i]}: ${f.change} {\n`);
    out.push(...props.map(([, p]) => `        ${p}\n`), "    }\n");
  });
  plan.absent.forEach((a, i) => {
    const instead = [...names.slice(0, 1), ...(ctx.imports.length ? [ctx.imports[a.insteadImport % ctx.imports.length]!.name] : [])];
    if (instead.length === 0) return;
    const stable = a.gate !== "@unstable(feat)";
    const pool = headers.filter((h) => h.stable || !stable);
    const header = pool.length ? pool[a.header % pool.length]!.name : headers[0]!.name;
    const gate = pool.length ? a.gate : "@unstable(feat)";
    out.push(sep(), docLines(a.doc, "    "), `    ${gate}\n    absent fn gone_${i} {\n        header "${header}";\n        instead ${instead.join(", ")};\n    }\n`);
  });
  out.push("}\n");
  return out.join("");
}

function docLines(d: string[] | undefined, indent: string): string {
  return d ? d.map((l) => `${indent}///${l ? " " + l : ""}\n`).join("") : "";
}

/** One annotation line in a random order of its parts. */
function annotationLine(parts: string[], order: number[], indent: string): string {
  const sorted = parts.map((p, i) => ({ p, k: order[i % order.length]! + i / 100 })).sort((a, b) => a.k - b.k);
  return `${indent}${sorted.map((x) => x.p).join(" ")}\n`;
}

const gate = fc.oneof({ weight: 4, arbitrary: fc.constant("@since(1.0.0)") }, { weight: 1, arbitrary: fc.constant("@unstable(feat)") });
// Types are always stable: a stable item may not refer to an unstable type (E0305).
const stable = fc.constant("@since(1.0.0)");
const order = fc.array(fc.nat(5), { minLength: 4, maxLength: 4 });

/** What a plain-scalar (`-> s32`) function returns on failure, and on a bad pointer (`fault`). */
const sentinel = fc.constantFrom("-1", "0, fault = -2", "errno::e1", "0x7fff_ffff, fault = errno::success", "enum", "const");

/** The `@sentinel` annotation for a plan's choice, falling back to an integer when the contract has no enum or constant. */
function sentinelAnnotation(choice: string, ctx: Ctx, consts: number): string {
  const en = ctx.enums[0];
  if (choice === "enum") return en ? `@sentinel(${en.name}::${en.members[en.members.length - 1]})` : "@sentinel(-1)";
  if (choice === "const") return consts > 0 ? "@sentinel(k0, fault = errno::e1)" : "@sentinel(1)";
  return `@sentinel(${choice})`;
}

/** Replaces each reference placeholder, in order, with a name the contract has. */
function resolveReferences(text: string, refs: string[], picks: number[]): string {
  let k = 0;
  return text.replaceAll(REF, () => refs[picks[k++ % picks.length]! % refs.length]!);
}

/** A contract text that checks without errors, built from a random plan. */
export const validContract: fc.Arbitrary<string> = fc
  .record({
    enums: fc.array(fc.record({ repr: fc.constantFrom("u8", "u16", "u32"), count: fc.integer({ min: 1, max: 5 }), open: fc.boolean(), doc: docs, gate: stable, order, reserved: fc.boolean() }), { maxLength: 3 }),
    flags: fc.array(fc.record({ repr: fc.constantFrom("u8", "u16", "u64"), bits: fc.uniqueArray(fc.nat(7), { minLength: 1, maxLength: 5 }), doc: docs, gate: stable }), { maxLength: 2 }),
    aliases: fc.array(fc.record({ target: fc.nat(), doc: docs, gate: stable, deprecated: fc.boolean(), order }), { maxLength: 3 }),
    structs: fc.array(fc.record({ fields: fc.array(fc.record({ type: fc.nat(), doc: docs, ptr: fc.boolean() }), { minLength: 1, maxLength: 4 }), doc: docs, gate: stable, comment }), { maxLength: 3 }),
    variant: fc.option(fc.record({ payloads: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), doc: docs }), { nil: undefined }),
    consts: fc.array(fc.record({ value: fc.nat(255), doc: docs, gate }), { maxLength: 2 }),
    modules: fc.array(
      fc.record({
        doc: docs,
        tier: fc.option(fc.constantFrom("isolated", "read-only", "full"), { nil: undefined }),
        deviation: fc.option(deviationText, { nil: undefined, freq: 3 }),
        order,
        alias: fc.boolean(),
        reservedFn: fc.boolean(),
        fns: fc.array(
          fc.record({
            params: fc.array(fc.record({ type: fc.nat(), doc: docs, kind: fc.constantFrom("scalar", "string", "list", "buffer", "ptr") }), { maxLength: 5 }),
            result: fc.constantFrom("none", "never", "scalar", "errno", "value", "tuple"),
            sentinel,
            doc: docs,
            gate,
            status: fc.constantFrom("", "", "@stubbed(e1)", '@refused("not here")', '@compat("old")'),
            deprecated: fc.boolean(),
            tier: fc.option(fc.constantFrom("read-write", "full"), { nil: undefined }),
            deviation: fc.option(deviationText, { nil: undefined, freq: 3 }),
            order,
            comment,
            longName: fc.boolean(),
          }),
          { maxLength: 4 },
        ),
      }),
      { maxLength: 2 },
    ),
    command: fc.option(fc.record({ doc: docs, exports: fc.nat(3), convention: fc.boolean() }), { nil: undefined }),
    libc: fc.option(libcPlan, { nil: undefined, freq: 2 }),
    header: comment,
    blank: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
    refPicks: fc.array(fc.nat(), { minLength: 1, maxLength: 16 }),
  })
  .map((plan) => {
    const ctx: Ctx = { scalars: [...SCALAR_PARAM], structs: [], enums: [], imports: [], refs: ["errno::success", "errno::e1"] };
    const out: string[] = [];
    let b = 0;
    const sep = (): string => (plan.blank[b++ % plan.blank.length] ? "\n" : "");
    if (plan.header) out.push(plan.header + "\n\n");
    out.push("/// The package.\npackage demo@1.0.0;\n\n");
    // The glue answers with fault, io, ilseq and inval of a result's error enum (E0221).
    out.push(
      "/// Errors.\n@since(1.0.0) @open\nenum errno: u16 {\n    /// ok\n    success = 0,\n    /// e1\n    e1 = 1,\n" +
        "    /// fault\n    fault = 21,\n    /// ilseq\n    ilseq = 25,\n    /// inval\n    inval = 28,\n    /// io\n    io = 29,\n}\n",
    );
    plan.enums.forEach((e, i) => {
      const name = `en${i}`;
      const members = Array.from({ length: e.count }, (_, k) => `m${k}`);
      ctx.enums.push({ name, members });
      ctx.scalars.push(name);
      const parts = [e.gate, ...(e.open ? ["@open"] : [])];
      out.push(sep(), docLines(e.doc, ""), annotationLine(parts, e.order, ""), `enum ${name}: ${e.repr} {\n`);
      members.forEach((m, k) => out.push(`    /// member ${k}\n    ${m} = ${k * 3},\n`));
      ctx.refs.push(...members.map((m) => `${name}::${m}`));
      if (e.reserved) out.push(`    reserved gone${i} = 200,\n`);
      if (e.reserved) ctx.refs.push(`${name}::gone${i}`);
      out.push("}\n");
    });
    plan.flags.forEach((f, i) => {
      const name = `fl${i}`;
      ctx.scalars.push(name);
      out.push(sep(), docLines(f.doc, ""), `${f.gate}\nflags ${name}: ${f.repr} {\n`);
      f.bits.forEach((bit, k) => out.push(`    /// bit\n    b${k} = 1 << ${bit},\n`));
      ctx.refs.push(...f.bits.map((_, k) => `${name}::b${k}`));
      out.push("}\n");
    });
    plan.aliases.forEach((a, i) => {
      const name = `al${i}`;
      const target = ctx.scalars[a.target % ctx.scalars.length]!;
      const parts = [a.gate, ...(a.deprecated ? ['@deprecated(1.0.0, note = "use something else")'] : [])];
      out.push(sep(), docLines(a.doc, ""), annotationLine(parts, a.order, ""), `type ${name} = ${target};\n`);
      ctx.scalars.push(name);
    });
    plan.structs.forEach((s, i) => {
      const name = `st${i}`;
      out.push(sep(), docLines(s.doc, ""), `${s.gate}\nstruct ${name} {\n`);
      s.fields.forEach((f, k) => {
        const pool = [...ctx.scalars, ...PRIMS, ...ctx.structs];
        const t = pool[f.type % pool.length]!;
        out.push(docLines(f.doc, "    "), `    f${k}: ${f.ptr ? `ptr<${t}>` : t},${k === 0 && s.comment ? " " + s.comment.replace(/\n/g, " ") : ""}\n`);
        ctx.refs.push(`${name}::f${k}`);
      });
      out.push("}\n");
      ctx.structs.push(name);
    });
    const tagEnum = ctx.enums[0];
    if (plan.variant && tagEnum) {
      out.push(sep(), docLines(plan.variant.doc, ""), `@since(1.0.0)\nvariant vr: ${tagEnum.name} {\n`);
      tagEnum.members.forEach((m, k) => out.push(`    /// case\n    ${m}${plan.variant!.payloads[k] ? "(u32)" : ""},\n`));
      ctx.refs.push(...tagEnum.members.map((m) => `vr::${m}`));
      out.push("}\n");
    }
    plan.consts.forEach((c, i) => out.push(sep(), docLines(c.doc, ""), `${c.gate}\nconst k${i}: u32 = ${c.value};\n`));
    plan.modules.forEach((m, i) => {
      const parts = ["@since(1.0.0)", ...(m.tier ? [`@tier(${m.tier})`] : []), ...(m.deviation ? [`@deviation("${m.deviation}")`] : [])];
      out.push(sep(), docLines(m.doc, ""), annotationLine(parts, m.order, ""), `module mod${i} {\n`);
      if (m.alias) out.push(`    /// An alias.\n    alias mod${i}_old;\n`);
      m.fns.forEach((f, k) => {
        // A tuple result is exported from index.ts as `<Fn>Result`, so only its function's name
        // must be unique across modules (E0219); other functions share names between modules.
        const name = f.longName ? `function_with_a_rather_long_name_${i}_${k}` : f.result === "tuple" ? `f${k}_of_mod${i}` : `f${k}`;
        const params = f.params.map((p, j) => {
          const t = ctx.scalars[p.type % ctx.scalars.length]!;
          const struct = ctx.structs[p.type % Math.max(1, ctx.structs.length)];
          const type =
            p.kind === "string" ? "string" : p.kind === "list" ? "list<u8>" : p.kind === "buffer" ? "buffer<u8>" : p.kind === "ptr" && struct ? `const_ptr<${struct}>` : t;
          return `${docLines(p.doc, "        ")}${p.doc ? "        " : ""}parameter_${j}: ${type}`;
        });
        const hasDocs = f.params.some((p) => p.doc);
        const list = hasDocs ? `(\n${params.join(",\n")},\n    )` : `(${params.join(", ")})`;
        const result = { none: "", never: " -> !", scalar: " -> s32", errno: " -> result<(), errno>", value: " -> result<u64, errno>", tuple: " -> result<(a: u32, b: u64), errno>" }[f.result];
        const status = f.status === "@stubbed(e1)" && !["errno", "value", "tuple"].includes(f.result) ? "" : f.status;
        // A refused function is never linked, so it declares no deviation (E0310).
        const deviation = f.deviation && !status.startsWith("@refused") ? [`@deviation("${f.deviation}")`] : [];
        const sentinels = f.result === "scalar" ? [sentinelAnnotation(f.sentinel, ctx, plan.consts.length)] : [];
        const annotations = [
          f.gate,
          ...(status ? [status] : []),
          ...(f.deprecated ? [`@deprecated(1.0.0, use = errno)`] : []),
          ...(f.tier ? [`@tier(${f.tier})`] : []),
          ...deviation,
          ...sentinels,
        ];
        if (!status.startsWith("@refused")) ctx.imports.push({ name: `mod${i}::${name}`, stable: f.gate === "@since(1.0.0)" });
        for (const mod of [`mod${i}`, ...(m.alias ? [`mod${i}_old`] : [])]) ctx.refs.push(`${mod}.${name}`, `${mod}::${name}`);
        ctx.refs.push(...f.params.map((_, j) => `${name}::parameter_${j}`), ...(f.result === "tuple" ? [`${name}::a`, `${name}.b`] : []));
        out.push(sep(), f.comment ? `    ${f.comment}\n` : "", docLines(f.doc, "    "), annotationLine(annotations, f.order, "    "), `    fn ${name}${list}${result};\n`);
      });
      if (m.reservedFn) out.push(`    reserved fn removed_${i};\n`);
      out.push("}\n");
    });
    if (plan.command) {
      out.push(sep(), docLines(plan.command.doc, ""), "@since(1.0.0)\ncommand {\n    /// Memory.\n    export memory: memory;\n");
      for (let e = 0; e < plan.command.exports; e++) out.push(`    /// An export.\n    optional export ex${e}: func(${["i32", "i64", "i32, i32"][e % 3]})${e % 2 ? " -> i32" : ""};\n`);
      if (plan.command.convention) out.push("    /// The rule.\n    convention dispatch;\n");
      out.push("}\n");
    }
    if (plan.libc) out.push(sep(), libcBlock(plan.libc, ctx));
    return resolveReferences(out.join(""), ctx.refs, plan.refPicks);
  });

/**
 * The same text with different whitespace wherever that cannot change the canonical layout:
 * spaces between tokens varied (never removed where there was one), indentation varied, line
 * breaks kept one for one and runs of blank lines varied in length; nothing around comments
 * moves between lines.
 */
export function respace(text: string, rand: () => number): string {
  const { tokens, comments } = tokenize(text);
  const elements = [...tokens, ...comments].sort((a, b) => a.startOffset - b.startOffset);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  let out = "";
  let at = 0;
  let previousIsComment = true;
  elements.forEach((el) => {
    const gap = text.slice(at, el.startOffset);
    const isComment = el.tokenType.name.endsWith("Comment");
    const newlines = (gap.match(/\n/g) ?? []).length;
    let replacement: string;
    if (newlines > 0) {
      const count = newlines === 1 ? 1 : 2 + Math.floor(rand() * 2);
      replacement = pick(["", " ", "  "]) + "\n".repeat(count) + pick(["", "  ", "\t", "        ", "   "]);
    } else if (gap === "" && !isComment && !previousIsComment) replacement = pick(["", "", " "]);
    else if (!isComment && !previousIsComment && at > 0 && rand() < 0.15) replacement = "\n" + pick(["", "    ", "\t\t"]);
    else replacement = gap === "" ? "" : pick([" ", "  ", "\t", " \t "]);
    out += replacement + el.image;
    at = el.endOffset! + 1;
    previousIsComment = isComment;
  });
  return out + text.slice(at);
}

/** Inserts plain comments at random token boundaries (a line comment always ends its line). */
export function insertComments(text: string, rand: () => number, count: number): string {
  const { tokens } = tokenize(text);
  const cuts = Array.from({ length: count }, () => tokens[Math.floor(rand() * tokens.length)]!.startOffset).sort((a, b) => b - a);
  let out = text;
  cuts.forEach((at, i) => {
    const c = [`// inserted ${i}\n`, `/* inserted ${i} */ `, `\n// own line ${i}\n`, `/* multi\n   line ${i} */\n`][Math.floor(rand() * 4)]!;
    out = out.slice(0, at) + c + out.slice(at);
  });
  return out;
}
