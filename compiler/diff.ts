// `abic diff`: compares two checked contracts (layouts, numbers, core signatures, gates, declared
// failure values; never text) and classifies every change by a rule of the catalog in rules.ts,
// then checks that the declared version bump covers them. The policy the rules enforce is the
// generated stability page (generated/docs/stability.md).

import { bumpVerdict, type Bump, type FindingClass } from "./bump.ts";
import { compareLibc, libcGatedItems } from "./diff-libc.ts";
import { coreSignature, flagBitText, idlResult, idlType, sentinelAnnotation } from "./idl-text.ts";
import type {
  CommandExport,
  ConstModel,
  ContractModel,
  EnumMember,
  FunctionModel,
  Gate,
  ModuleModel,
  ReservedValue,
  Sentinel,
  Span,
  TypeModel,
  TypeRef,
} from "./model.ts";
import { exhaustive, members, ModelQuery, type Member } from "./query.ts";
import { DIFF_RULES, type DiffRule, type Finding } from "./rules.ts";

export type { Finding } from "./rules.ts";
import { compareVersions, isVersion } from "./semver.ts";

export type { Bump, FindingClass } from "./bump.ts";


export interface DiffReport {
  old: { name: string; version: string };
  new: { name: string; version: string };
  findings: Finding[];
  requiredBump: Bump;
  /** The bump from the old to the new package version, or null when it goes back. */
  declaredBump: Bump | null;
  /** False when any policy finding (including an insufficient bump) is present. */
  ok: boolean;
}

type Emit = (f: Finding) => void;

/** Compares two contracts. Pure: no I/O, and the same inputs always give the same report. */
export function diffContracts(oldModel: ContractModel, newModel: ContractModel): DiffReport {
  const findings: Finding[] = [];
  const ctx = new DiffContext(oldModel, newModel, (f) => {
    if (!(DIFF_RULES[f.rule].classes as readonly FindingClass[]).includes(f.class))
      throw new Error(`diff: rule ${f.rule} is catalogued as ${DIFF_RULES[f.rule].classes.join("|")}, not ${f.class}`);
    findings.push(f);
  });
  ctx.run();

  const oldVersion = oldModel.package.version;
  const newVersion = newModel.package.version;
  const verdict = bumpVerdict(oldVersion, newVersion, findings);
  const pkg = { old: oldModel.package.span, new: newModel.package.span };
  const where = `${oldVersion} -> ${newVersion}`;
  if (verdict.notMonotonic)
    findings.push({ rule: "VER_MONOTONIC", class: "policy", item: "package", message: `the version goes back: ${where}`, ...pkg });
  if (verdict.insufficient)
    findings.push({
      rule: "VER_BUMP_SUFFICIENT",
      class: "policy",
      item: "package",
      message: `the changes need a ${verdict.required} bump, but ${where} is a ${verdict.declared === "none" ? "no" : verdict.declared} bump`,
      ...pkg,
    });
  if (verdict.excessive)
    findings.push({
      rule: "VER_BUMP_EXCESSIVE",
      class: "policy",
      item: "package",
      message: `${where} bumps the major, but no change breaks (required: ${verdict.required})`,
      ...pkg,
    });
  return {
    old: { name: oldModel.package.name, version: oldVersion },
    new: { name: newModel.package.name, version: newVersion },
    findings,
    requiredBump: verdict.required,
    declaredBump: verdict.declared,
    ok: !findings.some((f) => f.class === "policy"),
  };
}

/** A result's shape as IDL: its kind and types, not the out-values' names. */
function resultShape(f: FunctionModel): string {
  return idlResult(f.result, { names: false }) || "no result";
}

function sentinelText(s: Sentinel | null): string {
  return s === null ? "undeclared" : sentinelAnnotation(s);
}

const STATUS_RANK = { refused: 0, stubbed: 1, provided: 2 } as const;

/** The member rules of an enum or flags type, by the enum rule they stand for. */
type MemberRule = "EN_VALUE_SAME_NUMBER" | "EN_NO_REUSE" | "EN_VALUE_NO_DELETE" | "EN_VALUE_DELETE_RESERVED" | "EN_VALUE_RENAMED";

// An enum used as the error of `result<T, E>` reports its members under ER_ ids.
const ERRNO_RULES: Record<MemberRule | "EN_VALUE_ADDED_OPEN" | "EN_VALUE_ADDED_CLOSED", DiffRule> = {
  EN_VALUE_SAME_NUMBER: "ER_CODE_SAME_NUMBER",
  EN_NO_REUSE: "ER_CODE_NO_REUSE",
  EN_VALUE_NO_DELETE: "ER_CODE_NO_DELETE",
  EN_VALUE_DELETE_RESERVED: "ER_CODE_NO_DELETE",
  EN_VALUE_ADDED_OPEN: "ER_CODE_ADDED",
  EN_VALUE_ADDED_CLOSED: "ER_CODE_ADDED",
  EN_VALUE_RENAMED: "ER_CODE_RENAMED",
};

const isStable = (g: Gate): boolean => g.unstable === null;

class DiffContext {
  private readonly errnoTypes = new Set<string>();
  private readonly returnedTypes: Set<string>;

  constructor(
    private readonly a: ContractModel,
    private readonly b: ContractModel,
    private readonly out: Emit,
  ) {
    for (const m of [a, b])
      for (const mod of m.modules) for (const f of mod.functions) if (f.result.kind === "expected") this.errnoTypes.add(f.result.error);
    this.returnedTypes = typesReturnedToGuests(new ModelQuery(b));
  }

  run(): void {
    this.comparePackage();
    this.compareTypes();
    this.compareConstants();
    this.compareModules();
    this.compareCommand();
    compareLibc(this.a, this.b, {
      emitterFor: (a, b) => this.emitterFor(a, b),
      compareGate: (item, a, b) => this.compareGate(item, a, b),
      added: (rule, item, what, g) => this.added(rule, item, what, g),
      deleted: (rule, item, message, g) => this.deleted(rule, item, message, g),
    });
    this.checkSinceNotFuture();
  }

  /**
   * The emitter for one item. Changes to an item unstable on the old side carry no promise and
   * become GATE_UNSTABLE_CHANGES information (a stabilized item also gets GATE_STABILIZE).
   */
  private emitterFor(oldGate: Gate | null, newGate: Gate | null): Emit {
    const unstable = (oldGate === null || !isStable(oldGate)) && (newGate === null || !isStable(newGate));
    const wasUnstable = oldGate !== null && !isStable(oldGate);
    if (!unstable && !wasUnstable) return this.out;
    return (f) =>
      this.out(
        f.class === "info"
          ? f
          : { ...f, rule: "GATE_UNSTABLE_CHANGES", class: "info", message: `${f.rule} (no promise: unstable): ${f.message}` },
      );
  }

  /** Gate transitions of an item present on both sides. */
  private compareGate(item: string, a: Gate & { span: Span }, b: Gate & { span: Span }): void {
    const spans = { old: a.span, new: b.span };
    if (isStable(a) && !isStable(b))
      this.out({ rule: "GATE_DESTABILIZE", class: "break", item, message: `stable since ${a.since} became @unstable(${b.unstable})`, ...spans });
    else if (!isStable(a) && isStable(b)) {
      this.out({ rule: "GATE_STABILIZE", class: "addition", item, message: `@unstable(${a.unstable}) became @since(${b.since})`, ...spans });
      this.checkNewItemSince(item, b);
    } else if (isStable(a) && isStable(b) && a.since !== b.since)
      this.out({ rule: "GATE_SINCE_IMMUTABLE", class: "policy", item, message: `@since changed from ${a.since} to ${b.since}`, ...spans });
    if (isStable(b)) {
      if (a.deprecated === null && b.deprecated !== null)
        this.out({ rule: "DEPR_ADDED", class: "addition", item, message: `deprecated in ${b.deprecated.since}`, ...spans });
      else if (a.deprecated !== null && b.deprecated === null)
        this.out({ rule: "DEPR_REMOVED", class: "addition", item, message: `no longer deprecated`, ...spans });
      else if (a.deprecated && b.deprecated && JSON.stringify(a.deprecated) !== JSON.stringify(b.deprecated))
        this.emitterFor(a, b)({ rule: "DOC_COMMENT", class: "docs", item, message: "the @deprecated text changed", ...spans });
    }
  }

  /** An item that is new in this version, or newly stable, must be @since the new version. */
  private checkNewItemSince(item: string, g: Gate & { span: Span }): void {
    if (g.since !== null && g.since !== this.b.package.version)
      this.out({
        rule: "GATE_NEW_ITEM_SINCE",
        class: "policy",
        item,
        message: `new stable item has @since(${g.since}), expected @since(${this.b.package.version}): older hosts do not serve it`,
        new: g.span,
      });
  }

  private added(rule: DiffRule, item: string, what: string, g: Gate & { span: Span }): void {
    if (!isStable(g)) {
      this.out({ rule: "GATE_UNSTABLE_CHANGES", class: "info", item, message: `${rule} (no promise: unstable): ${what} added`, new: g.span });
      return;
    }
    this.out({ rule, class: "addition", item, message: `${what} added`, new: g.span });
    this.checkNewItemSince(item, g);
  }

  private deleted(rule: DiffRule, item: string, message: string, g: Gate & { span: Span }): void {
    this.emitterFor(g, null)({ rule, class: "break", item, message, old: g.span });
  }

  /**
   * One DOC_COMMENT per item when its own docs, or the docs of a member present on both sides,
   * differ (added and removed members are reported by their own rules).
   */
  private docs(
    item: string,
    a: { span: Span },
    b: { span: Span },
    oldDocs: string[],
    newDocs: string[],
    emit: Emit,
    oldMembers: Pick<Member, "name" | "docs">[] = [],
    newMembers: Pick<Member, "name" | "docs">[] = [],
  ): void {
    const newByName = new Map(newMembers.map((m) => [m.name, m.docs]));
    const memberChanged = oldMembers.some((m) => newByName.has(m.name) && newByName.get(m.name) !== m.docs);
    if (memberChanged || JSON.stringify(oldDocs) !== JSON.stringify(newDocs))
      emit({ rule: "DOC_COMMENT", class: "docs", item, message: "doc comments changed", old: a.span, new: b.span });
  }

  private comparePackage(): void {
    const a = this.a.package;
    const b = this.b.package;
    if (a.name !== b.name)
      this.out({ rule: "PKG_SAME_NAME", class: "break", item: "package", message: `package renamed from ${a.name} to ${b.name}`, old: a.span, new: b.span });
    this.docs("package", a, b, [a.docs], [b.docs], this.out);
  }

  // ---- types ----

  private compareTypes(): void {
    const newTypes = new Map(this.b.types.map((t) => [t.name, t]));
    const oldTypes = new Map(this.a.types.map((t) => [t.name, t]));
    for (const a of this.a.types) {
      const b = newTypes.get(a.name);
      if (!b) this.deleted("TY_NO_DELETE", `type ${a.name}`, `${a.kind} \`${a.name}\` was removed`, a);
      else this.compareType(a, b);
    }
    for (const b of this.b.types) if (!oldTypes.has(b.name)) this.added("TY_ADDED", `type ${b.name}`, `${b.kind} \`${b.name}\``, b);
  }

  private compareType(a: TypeModel, b: TypeModel): void {
    const item = `type ${a.name}`;
    const emit = this.emitterFor(a, b);
    const spans = { old: a.span, new: b.span };
    this.compareGate(item, a, b);
    if (a.kind !== b.kind) {
      emit({ rule: "TY_SAME_KIND", class: "break", item, message: `${a.kind} became ${b.kind}`, ...spans });
      return;
    }
    this.docs(item, a, b, [a.docs], [b.docs], emit, members(a), members(b));
    // The kinds are equal here, so in each case `b` has the kind `a` was narrowed to.
    switch (a.kind) {
      case "alias": {
        const target = (b as typeof a).target;
        if (idlType(a.target) !== idlType(target))
          emit({ rule: "TY_ALIAS_SAME_TARGET", class: "break", item, message: `alias of ${idlType(a.target)} became alias of ${idlType(target)}`, ...spans });
        return;
      }
      case "struct":
        return this.compareStruct(a, b as typeof a, emit);
      case "variant":
        return this.compareVariant(a, b as typeof a, emit);
      case "enum":
        return this.compareEnum(a, b as typeof a, emit);
      case "flags":
        return this.compareFlags(a, b as typeof a, emit);
      default:
        return exhaustive(a);
    }
  }

  private compareStruct(a: Extract<TypeModel, { kind: "struct" }>, b: Extract<TypeModel, { kind: "struct" }>, emit: Emit): void {
    const item = `type ${a.name}`;
    const oldByName = new Map(a.fields.map((f) => [f.name, f]));
    const newByName = new Map(b.fields.map((f) => [f.name, f]));
    const renamedTo = new Map<string, string>();
    for (const f of a.fields) {
      if (newByName.has(f.name)) continue;
      // Same offset and type under a new name: the binary layout is intact, the bindings are not.
      const g = b.fields.find((n) => !oldByName.has(n.name) && n.offset === f.offset && idlType(n.type) === idlType(f.type));
      const fieldItem = `${item}.field ${f.name}`;
      if (g) {
        renamedTo.set(f.name, g.name);
        emit({ rule: "ST_FIELD_RENAMED", class: "source-break", item: fieldItem, message: `field \`${f.name}\` renamed to \`${g.name}\``, old: f.span, new: g.span });
      } else emit({ rule: "ST_FIELD_NO_DELETE", class: "break", item: fieldItem, message: `field \`${f.name}\` was removed`, old: f.span, new: b.span });
    }
    const common = a.fields.map((f) => renamedTo.get(f.name) ?? f.name).filter((n) => newByName.has(n));
    const newOrder = b.fields.map((f) => f.name).filter((n) => common.includes(n));
    if (common.join(",") !== newOrder.join(","))
      emit({ rule: "ST_FIELD_NO_REORDER", class: "break", item, message: `field order changed: ${common.join(", ")} became ${newOrder.join(", ")}`, old: a.span, new: b.span });
    const layout = (s: typeof a) => [`size ${s.size} align ${s.align}`, ...s.fields.map((f) => `${f.offset}:${f.size} ${idlType(f.type)}`)];
    const la = layout(a);
    const lb = layout(b);
    if (la.join("; ") !== lb.join("; "))
      emit({ rule: "ST_SAME_LAYOUT", class: "break", item, message: `layout changed: {${la.join("; ")}} became {${lb.join("; ")}}`, old: a.span, new: b.span });
  }

  private compareVariant(a: Extract<TypeModel, { kind: "variant" }>, b: Extract<TypeModel, { kind: "variant" }>, emit: Emit): void {
    const item = `type ${a.name}`;
    const shape = (v: typeof a) => `tag ${v.tag} (${v.tagSize} bytes), payload at ${v.payloadOffset}, size ${v.size} align ${v.align}`;
    const caseText = (c: (typeof a.cases)[number]) => `${c.name}=${c.tag}${c.payload ? `(${idlType(c.payload)})` : ""}`;
    const newCases = new Map(b.cases.map((c) => [c.name, c]));
    const oldCases = new Map(a.cases.map((c) => [c.name, c]));
    const changed: string[] = [];
    if (shape(a) !== shape(b)) changed.push(`${shape(a)} became ${shape(b)}`);
    for (const c of a.cases) {
      const n = newCases.get(c.name);
      if (!n) changed.push(`case ${caseText(c)} removed`);
      else if (caseText(c) !== caseText(n)) changed.push(`case ${caseText(c)} became ${caseText(n)}`);
    }
    if (changed.length)
      emit({ rule: "VR_SAME_LAYOUT", class: "break", item, message: `layout changed: ${changed.join("; ")}`, old: a.span, new: b.span });
    // A new case of an unchanged layout is as compatible as the new tag value (reported on the tag enum).
    for (const c of b.cases)
      if (!oldCases.has(c.name))
        emit({ rule: "VR_CASE_ADDED", class: "addition", item: `${item}.case ${c.name}`, message: `case ${caseText(c)} added`, new: c.span });
  }

  private compareEnum(a: Extract<TypeModel, { kind: "enum" }>, b: Extract<TypeModel, { kind: "enum" }>, emit: Emit): void {
    const item = `type ${a.name}`;
    const errno = this.errnoTypes.has(a.name);
    const rule = (r: keyof typeof ERRNO_RULES): DiffRule => (errno ? ERRNO_RULES[r] : r);
    if (a.repr !== b.repr)
      emit({ rule: "EN_SAME_REPR", class: "break", item, message: `representation ${a.repr} became ${b.repr}`, old: a.span, new: b.span });
    if (a.open !== b.open)
      emit({
        rule: "EN_OPENNESS_SAME",
        class: a.open ? "break" : "source-break",
        item,
        message: a.open ? "@open was removed: guests may no longer be ready for unknown values" : "the enum became @open",
        old: a.span,
        new: b.span,
      });
    const returned = this.returnedTypes.has(a.name);
    this.compareMembers(a, b, emit, {
      prefix: `enum ${a.name}::`,
      show: (v) => String(v),
      rule,
      added: (m) =>
        b.open
          ? { rule: rule("EN_VALUE_ADDED_OPEN"), class: "addition", message: `value ${m.name} = ${m.value} added to an open enum` }
          : returned
            ? { rule: rule("EN_VALUE_ADDED_CLOSED"), class: "break", message: `value ${m.name} = ${m.value} added to a closed enum that guests receive` }
            : { rule: rule("EN_VALUE_ADDED_CLOSED"), class: "addition", message: `value ${m.name} = ${m.value} added to a closed enum that only guests send` },
    });
  }

  private compareFlags(a: Extract<TypeModel, { kind: "flags" }>, b: Extract<TypeModel, { kind: "flags" }>, emit: Emit): void {
    const item = `type ${a.name}`;
    if (a.repr !== b.repr)
      emit({ rule: "FL_SAME_REPR", class: "break", item, message: `representation ${a.repr} became ${b.repr}`, old: a.span, new: b.span });
    const flagRules: Record<MemberRule, DiffRule> = {
      EN_VALUE_SAME_NUMBER: "FL_BIT_SAME",
      EN_NO_REUSE: "FL_BIT_NO_REUSE",
      EN_VALUE_NO_DELETE: "FL_BIT_NO_DELETE",
      EN_VALUE_DELETE_RESERVED: "FL_BIT_NO_DELETE",
      EN_VALUE_RENAMED: "FL_BIT_RENAMED",
    };
    this.compareMembers(a, b, emit, {
      prefix: `flags ${a.name}::`,
      show: flagBitText,
      rule: (r) => flagRules[r],
      added: (m) => ({ rule: "FL_BIT_ADDED", class: "addition", message: `flag ${m.name} = ${flagBitText(m.value)} added` }),
    });
  }

  /** Members of an enum or flags type, matched by name; numbers and reserved entries checked for reuse. */
  private compareMembers(
    a: { span: Span; members: EnumMember[]; reserved: ReservedValue[] },
    b: { span: Span; members: EnumMember[]; reserved: ReservedValue[] },
    emit: Emit,
    how: {
      prefix: string;
      show: (v: number | string) => string;
      rule: (r: MemberRule) => DiffRule;
      added: (m: EnumMember) => { rule: DiffRule; class: FindingClass; message: string };
    },
  ): void {
    const key = (v: number | string) => String(v);
    const oldByName = new Map(a.members.map((m) => [m.name, m]));
    const newByName = new Map(b.members.map((m) => [m.name, m]));
    const newReserved = new Map(b.reserved.map((r) => [key(r.value), r]));
    // Every number and name the old side ever gave out: its members and its reserved entries.
    const oldNumbers = new Map<string, string>();
    const oldNames = new Set<string>();
    for (const m of [...a.members, ...a.reserved]) {
      oldNumbers.set(key(m.value), m.name);
      oldNames.add(m.name);
    }
    const renamedNew = new Set<string>();
    for (const m of a.members) {
      const n = newByName.get(m.name);
      const item = how.prefix + m.name;
      if (n) {
        if (key(n.value) !== key(m.value))
          emit({ rule: how.rule("EN_VALUE_SAME_NUMBER"), class: "break", item, message: `${m.name} changed from ${how.show(m.value)} to ${how.show(n.value)}`, old: m.span, new: n.span });
        continue;
      }
      const renamed = b.members.find((x) => key(x.value) === key(m.value) && !oldByName.has(x.name) && !oldNames.has(x.name));
      if (renamed) {
        renamedNew.add(renamed.name);
        emit({ rule: how.rule("EN_VALUE_RENAMED"), class: "source-break", item, message: `${m.name} = ${how.show(m.value)} renamed to ${renamed.name}`, old: m.span, new: renamed.span });
        continue;
      }
      const reserved = newReserved.get(key(m.value));
      if (reserved)
        emit({ rule: how.rule("EN_VALUE_DELETE_RESERVED"), class: "break", item, message: `${m.name} = ${how.show(m.value)} was removed (its number is reserved)`, old: m.span, new: reserved.span });
      else
        emit({
          rule: how.rule("EN_VALUE_NO_DELETE"),
          class: "break",
          item,
          message: `${m.name} = ${how.show(m.value)} was removed without a \`reserved\` entry`,
          old: m.span,
          new: b.span,
        });
    }
    for (const n of b.members) {
      if (oldByName.has(n.name) || renamedNew.has(n.name)) continue;
      const item = how.prefix + n.name;
      const previous = oldNumbers.get(key(n.value));
      if (previous !== undefined || oldNames.has(n.name)) {
        const what = previous !== undefined ? `${how.show(n.value)} was \`${previous}\`` : `the name \`${n.name}\` was reserved`;
        emit({ rule: how.rule("EN_NO_REUSE"), class: "break", item, message: `${n.name} reuses a retired entry: ${what}`, new: n.span });
        continue;
      }
      const f = how.added(n);
      emit({ ...f, item, new: n.span });
    }
    for (const r of a.reserved)
      if (!newReserved.has(key(r.value)) || newReserved.get(key(r.value))!.name !== r.name)
        emit({ rule: "RESERVED_NO_SHRINK", class: "policy", item: how.prefix + r.name, message: `reserved ${r.name} = ${how.show(r.value)} was dropped`, old: r.span, new: b.span });
  }

  // ---- constants ----

  private compareConstants(): void {
    const newConsts = new Map(this.b.constants.map((c) => [c.name, c]));
    const oldConsts = new Map(this.a.constants.map((c) => [c.name, c]));
    const renamedNew = new Set<string>();
    const same = (x: ConstModel, y: ConstModel) => idlType(x.type) === idlType(y.type) && String(x.value) === String(y.value);
    for (const a of this.a.constants) {
      const item = `const ${a.name}`;
      const b = newConsts.get(a.name);
      if (b) {
        const emit = this.emitterFor(a, b);
        this.compareGate(item, a, b);
        if (idlType(a.type) !== idlType(b.type))
          emit({ rule: "CONST_SAME_TYPE", class: "break", item, message: `type ${idlType(a.type)} became ${idlType(b.type)}`, old: a.span, new: b.span });
        if (String(a.value) !== String(b.value))
          emit({ rule: "CONST_SAME_VALUE", class: "break", item, message: `value ${a.value} became ${b.value}`, old: a.span, new: b.span });
        this.docs(item, a, b, [a.docs], [b.docs], emit);
        continue;
      }
      const renamed = this.b.constants.find((c) => !oldConsts.has(c.name) && !renamedNew.has(c.name) && same(a, c));
      if (renamed) {
        renamedNew.add(renamed.name);
        this.emitterFor(a, renamed)({ rule: "CONST_RENAMED", class: "source-break", item, message: `renamed to ${renamed.name}`, old: a.span, new: renamed.span });
      } else this.deleted("CONST_NO_DELETE", item, `constant \`${a.name}\` was removed`, a);
    }
    for (const b of this.b.constants)
      if (!oldConsts.has(b.name) && !renamedNew.has(b.name)) this.added("CONST_ADDED", `const ${b.name}`, `constant \`${b.name}\``, b);
  }

  // ---- modules and functions ----

  private compareModules(): void {
    const newByImport = new Map<string, { module: ModuleModel; fn: FunctionModel }>();
    for (const m of this.b.modules)
      for (const f of m.functions) for (const name of [m.name, ...m.aliases]) newByImport.set(`${name}.${f.name}`, { module: m, fn: f });
    const newModules = new Map(this.b.modules.map((m) => [m.name, m]));
    const matched = new Set<FunctionModel>();

    for (const a of this.a.modules) {
      const b = newModules.get(a.name);
      const moduleItem = `module ${a.name}`;
      if (b) {
        this.compareGate(moduleItem, a, b);
        const emit = this.emitterFor(a, b);
        const lost = a.aliases.filter((x) => !b.aliases.includes(x));
        for (const alias of lost)
          emit({
            rule: "FN_SAME_IMPORT_NAME",
            class: "break",
            item: moduleItem,
            message: `import module name \`${alias}\` is no longer served: guests importing ${a.functions.length} function(s) from it fail to link`,
            old: a.span,
            new: b.span,
          });
        for (const alias of b.aliases.filter((x) => !a.aliases.includes(x)))
          emit({ rule: "MOD_ALIAS_ADDED", class: "addition", item: moduleItem, message: `import module name \`${alias}\` added`, old: a.span, new: b.span });
        this.docs(moduleItem, a, b, [a.docs], [b.docs], emit);
        this.compareDeviation("MOD_DEVIATION_CHANGED", moduleItem, a, b, emit);
        const kept = new Set(b.reservedFunctions.map((r) => r.name));
        for (const r of a.reservedFunctions)
          if (!kept.has(r.name))
            emit({ rule: "RESERVED_NO_SHRINK", class: "policy", item: `${a.name}.${r.name}`, message: `reserved fn ${r.name} was dropped`, old: r.span, new: b.span });
      }
      for (const f of a.functions) {
        const item = `${a.name}.${f.name}`;
        const hit = newByImport.get(item) ?? a.aliases.map((x) => newByImport.get(`${x}.${f.name}`)).find((x) => x);
        if (!hit) {
          const reserved = newModules.get(a.name)?.reservedFunctions.some((r) => r.name === f.name);
          this.deleted("FN_NO_DELETE", item, `function removed${reserved ? " (its name is reserved)" : ""}: guests importing it fail to link`, f);
          continue;
        }
        matched.add(hit.fn);
        if (hit.module.name !== a.name)
          this.emitterFor(f, hit.fn)({
            rule: "FN_SAME_IMPORT_NAME",
            class: "break",
            item,
            message: `moved to module \`${hit.module.name}\`: imports of \`${a.name}\` no longer resolve`,
            old: f.span,
            new: hit.fn.span,
          });
        this.compareFunction(item, f, hit.fn);
      }
    }

    const oldReserved = new Map<string, Set<string>>();
    const oldNames = new Set<string>();
    for (const m of this.a.modules) {
      oldReserved.set(m.name, new Set(m.reservedFunctions.map((r) => r.name)));
      for (const f of m.functions) oldNames.add(`${m.name}.${f.name}`);
    }
    for (const m of this.b.modules)
      for (const f of m.functions) {
        if (matched.has(f)) continue;
        const item = `${m.name}.${f.name}`;
        if (oldReserved.get(m.name)?.has(f.name)) {
          this.out({ rule: "FN_NO_REUSE", class: "break", item, message: `the name \`${f.name}\` was reserved and must never be reused`, new: f.span });
          continue;
        }
        this.added("FN_ADDED", item, "function", f);
      }
  }

  private compareFunction(item: string, a: FunctionModel, b: FunctionModel): void {
    const emit = this.emitterFor(a, b);
    const spans = { old: a.span, new: b.span };
    this.compareGate(item, a, b);

    const coreA = coreSignature(a.core);
    const coreB = coreSignature(b.core);
    if (coreA !== coreB) {
      // A pure widening (i32 -> i64, f32 -> f64, same arity) replaces FN_SAME_CORE_SIGNATURE with its own id.
      const widened =
        a.core.params.length === b.core.params.length &&
        a.core.results.length === b.core.results.length &&
        [...a.core.params.map((t, i) => [t, b.core.params[i]]), ...a.core.results.map((t, i) => [t, b.core.results[i]])].every(
          ([x, y]) => x === y || (x === "i32" && y === "i64") || (x === "f32" && y === "f64"),
        );
      emit({
        rule: widened ? "FN_PARAM_WIDENED" : "FN_SAME_CORE_SIGNATURE",
        class: "break",
        item,
        message: widened
          ? `core signature widened: ${coreA} became ${coreB}; add a new function instead`
          : `core signature changed: ${coreA} became ${coreB}`,
        ...spans,
      });
    } else if (a.params.length !== b.params.length) {
      // Same lowering from other parameters (`a: u32, b: u32` and `s: string` are both `i32 i32`).
      const list = (f: FunctionModel) => `(${f.params.map((p) => idlType(p.type)).join(", ")})`;
      emit({ rule: "FN_SAME_PARAM_SEMANTIC_TYPE", class: "break", item, message: `parameters ${list(a)} became ${list(b)}`, ...spans });
    } else {
      // Same lowering: the IDL types still decide extension, byte counts and pointee layouts.
      a.params.forEach((p, i) => {
        const q = b.params[i]!;
        if (idlType(p.type) !== idlType(q.type))
          emit({
            rule: "FN_SAME_PARAM_SEMANTIC_TYPE",
            class: "break",
            item: `${item}.param ${p.name}`,
            message: `parameter ${i + 1} type ${idlType(p.type)} became ${idlType(q.type)}`,
            old: p.span,
            new: q.span,
          });
      });
    }
    if (a.params.length === b.params.length)
      a.params.forEach((p, i) => {
        const q = b.params[i]!;
        if (p.name !== q.name && idlType(p.type) === idlType(q.type))
          emit({ rule: "FN_PARAM_RENAMED", class: "source-break", item: `${item}.param ${p.name}`, message: `parameter ${i + 1} renamed to ${q.name}`, old: p.span, new: q.span });
      });
    if (resultShape(a) !== resultShape(b))
      emit({ rule: "FN_SAME_RESULT_SHAPE", class: "break", item, message: `result ${resultShape(a)} became ${resultShape(b)}`, ...spans });
    else if (a.result.kind === "expected" && b.result.kind === "expected") {
      const renamed = a.result.values.filter((v, i) => v.name !== (b.result as typeof a.result).values[i]!.name);
      for (const v of renamed)
        emit({ rule: "FN_PARAM_RENAMED", class: "source-break", item: `${item}.out ${v.name}`, message: `out-value \`${v.name}\` renamed`, ...spans });
    } else if (a.result.kind === "scalar" && b.result.kind === "scalar")
      // A model read from a schema-1 manifest without readManifest has no field at all: undeclared.
      this.compareSentinel(item, a.result.sentinel ?? null, b.result.sentinel ?? null, emit, spans);

    const rankA = STATUS_RANK[a.status.kind];
    const rankB = STATUS_RANK[b.status.kind];
    const statusText = (f: FunctionModel) => (f.status.kind === "stubbed" ? `stubbed(${f.status.errno})` : f.status.kind);
    if (statusText(a) !== statusText(b))
      emit({
        rule: "FN_STATUS_CHANGED",
        class: rankB > rankA ? "addition" : "break",
        item,
        message: `${statusText(a)} became ${statusText(b)}`,
        ...spans,
      });
    const lostTiers = a.tiers.filter((t) => !b.tiers.includes(t));
    const gainedTiers = b.tiers.filter((t) => !a.tiers.includes(t));
    if (lostTiers.length)
      emit({ rule: "FN_TIER_NARROWED", class: "break", item, message: `no longer linked at ${lostTiers.join(", ")}`, ...spans });
    if (gainedTiers.length)
      emit({ rule: "FN_TIER_WIDENED", class: "addition", item, message: `now linked at ${gainedTiers.join(", ")}`, ...spans });
    this.compareDeviation("FN_DEVIATION_CHANGED", item, a, b, emit);
    this.docs(
      item,
      a,
      b,
      [a.docs, a.resultDocs, a.compat ?? ""],
      [b.docs, b.resultDocs, b.compat ?? ""],
      emit,
      a.params,
      b.params,
    );
  }

  /**
   * A declared `@deviation` added, removed or reworded. It states what the runtime does where it
   * differs from the specification the module follows, so a change is a change of promised
   * behaviour that no signature shows: a guest written against the new text needs a host of
   * the new minor (an addition). Manifests from before the annotation carry no field: none.
   */
  private compareDeviation(rule: DiffRule, item: string, a: { deviation?: string | null; span: Span }, b: { deviation?: string | null; span: Span }, emit: Emit): void {
    const before = a.deviation ?? null;
    const after = b.deviation ?? null;
    if (before === after) return;
    const message =
      before === null ? "a deviation is declared" : after === null ? "the deviation was withdrawn: it now follows the specification" : "the declared deviation changed";
    emit({ rule, class: "addition", item, message, old: a.span, new: b.span });
  }

  /** What a plain-scalar function answers on failure: guests compare its result against it. */
  private compareSentinel(item: string, a: Sentinel | null, b: Sentinel | null, emit: Emit, spans: { old: Span; new: Span }): void {
    if (sentinelText(a) === sentinelText(b)) return;
    if (a === null)
      emit({ rule: "FN_SENTINEL_DECLARED", class: "addition", item, message: `failure values declared: ${sentinelText(b)}`, ...spans });
    else emit({ rule: "FN_SENTINEL_SAME", class: "break", item, message: `failure values ${sentinelText(a)} became ${sentinelText(b)}`, ...spans });
  }

  // ---- command ----

  private compareCommand(): void {
    const a = this.a.command;
    const b = this.b.command;
    if (!a && !b) return;
    const emit = this.emitterFor(a, b);
    const oldExports = new Map((a?.exports ?? []).map((e) => [e.name, e]));
    const newExports = new Map((b?.exports ?? []).map((e) => [e.name, e]));
    const sig = (e: CommandExport) => (e.kind === "memory" ? "memory" : `func${coreSignature(e)}`);
    if (a && b) {
      this.compareGate("command", a, b);
      this.docs("command", a, b, [a.docs], [b.docs], emit, a.exports, b.exports);
    }
    for (const e of a?.exports ?? []) {
      const n = newExports.get(e.name);
      const item = `command export ${e.name}`;
      if (!n) {
        emit({ rule: "CMD_EXPORT_REMOVED", class: "addition", item, message: `the host no longer uses export \`${e.name}\``, old: e.span });
        continue;
      }
      if (sig(e) !== sig(n))
        emit({ rule: "CMD_EXPORT_SIGNATURE", class: "break", item, message: `${sig(e)} became ${sig(n)}`, old: e.span, new: n.span });
      if (e.required !== n.required)
        emit({
          rule: "CMD_EXPORT_REQUIRED",
          class: n.required ? "break" : "addition",
          item,
          message: n.required ? "an optional export became required" : "a required export became optional",
          old: e.span,
          new: n.span,
        });
    }
    for (const n of b?.exports ?? [])
      if (!oldExports.has(n.name))
        emit({
          rule: n.required ? "CMD_EXPORT_REQUIRED_ADDED" : "CMD_EXPORT_OPTIONAL_ADDED",
          class: n.required ? "break" : "addition",
          item: `command export ${n.name}`,
          message: n.required ? `guests must now export \`${n.name}\`` : `the host now uses export \`${n.name}\` when present`,
          new: n.span,
        });
    const oldConv = new Map((a?.conventions ?? []).map((c) => [c.name, c]));
    const newConv = new Map((b?.conventions ?? []).map((c) => [c.name, c]));
    for (const c of a?.conventions ?? []) {
      const n = newConv.get(c.name);
      const item = `command convention ${c.name}`;
      if (!n) emit({ rule: "CMD_CONVENTION_CHANGED", class: "break", item, message: "convention removed", old: c.span });
      else if (c.docs !== n.docs) emit({ rule: "DOC_COMMENT", class: "docs", item, message: "the convention's text changed", old: c.span, new: n.span });
    }
    for (const n of b?.conventions ?? [])
      if (!oldConv.has(n.name))
        emit({ rule: "CMD_CONVENTION_CHANGED", class: "break", item: `command convention ${n.name}`, message: "convention added", new: n.span });
  }

  /** A manifest can carry `@since` newer than its package (the IDL checker rejects it as E0303). */
  private checkSinceNotFuture(): void {
    const version = this.b.package.version;
    if (!isVersion(version)) return;
    const items: [string, Gate & { span: Span }][] = [
      ...this.b.types.map((t): [string, TypeModel] => [`type ${t.name}`, t]),
      ...this.b.constants.map((c): [string, ConstModel] => [`const ${c.name}`, c]),
      ...this.b.modules.map((m): [string, ModuleModel] => [`module ${m.name}`, m]),
      ...this.b.modules.flatMap((m) => m.functions.map((f): [string, FunctionModel] => [`${m.name}.${f.name}`, f])),
    ];
    if (this.b.command) items.push(["command", this.b.command]);
    items.push(...libcGatedItems(this.b));
    for (const [item, g] of items)
      for (const [what, v] of [
        ["@since", g.since],
        ["@deprecated", g.deprecated?.since ?? null],
      ] as const)
        if (v !== null && isVersion(v) && compareVersions(v, version) > 0)
          this.out({ rule: "GATE_SINCE_NOT_FUTURE", class: "policy", item, message: `${what}(${v}) is newer than the package version ${version}`, new: g.span });
  }
}

/**
 * Named types a guest receives from the host: in a scalar result, an out-value, or behind a
 * writable `ptr<T>` / `buffer<T>` parameter, and every type reachable from those.
 */
export function typesReturnedToGuests(query: ModelQuery): Set<string> {
  const roots: TypeRef[] = [];
  for (const m of query.model.modules)
    for (const f of m.functions) {
      if (f.result.kind === "scalar") roots.push(f.result.type);
      if (f.result.kind === "expected") roots.push(...f.result.values.map((v) => v.type));
      for (const p of f.params) {
        if (p.type.kind === "ptr" && !p.type.const) roots.push(p.type.to);
        if (p.type.kind === "buffer") roots.push(p.type.of);
      }
    }
  return query.reachable(roots);
}
