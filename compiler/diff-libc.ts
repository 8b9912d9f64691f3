// `abic diff` for the libc block: the rules that classify changes to the patched libc's
// functions, headers and absent functions. Guests link libc statically, so the promise is to
// porters who rebuild: what compiled and behaved before still does.

import type { FindingClass } from "./bump.ts";
import type { DiffRule, Finding } from "./rules.ts";
import type { ContractModel, Gate, LibcAbsentModel, LibcFunctionModel, LibcHeaderModel, Span } from "./model.ts";

type Emit = (f: Finding) => void;

/** The parts of the diff context the libc rules share with every other item. */
export interface LibcDiffTools {
  /** The emitter for an item with these gates (changes to unstable items become information). */
  emitterFor(oldGate: Gate | null, newGate: Gate | null): Emit;
  /** Gate transitions of an item present on both sides. */
  compareGate(item: string, a: Gate & { span: Span }, b: Gate & { span: Span }): void;
  added(rule: DiffRule, item: string, what: string, g: Gate & { span: Span }): void;
  deleted(rule: DiffRule, item: string, message: string, g: Gate & { span: Span }): void;
}

const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const sameSet = (a: readonly string[], b: readonly string[]): boolean => same([...a].sort(), [...b].sort());
const show = (items: readonly string[]): string => (items.length ? items.join(", ") : "none");

/** A manifest written before the libc block existed has no `libc` array: it declares no functions. */
const functionsOf = (m: ContractModel): LibcFunctionModel[] => (m.libc as LibcFunctionModel[] | undefined) ?? [];

export function compareLibc(a: ContractModel, b: ContractModel, t: LibcDiffTools): void {
  compareFunctions(a, b, t);
  compareHeaders(a.libcSurface?.headers ?? [], b.libcSurface?.headers ?? [], t);
  compareAbsent(a.libcSurface?.absent ?? [], b.libcSurface?.absent ?? [], t);
}

function compareFunctions(a: ContractModel, b: ContractModel, t: LibcDiffTools): void {
  const newByName = new Map(functionsOf(b).map((f) => [f.name, f]));
  const oldByName = new Map(functionsOf(a).map((f) => [f.name, f]));
  const nowAbsent = new Set((b.libcSurface?.absent ?? []).map((x) => x.name));
  for (const f of functionsOf(a)) {
    const n = newByName.get(f.name);
    const item = `libc ${f.name}`;
    if (!n) {
      const why = nowAbsent.has(f.name) ? "now listed as absent" : "removed";
      t.deleted("LIBC_NO_DELETE", item, `libc function ${why}: programs calling it no longer link`, f);
    } else compareFunction(item, f, n, t);
  }
  for (const n of functionsOf(b)) if (!oldByName.has(n.name)) t.added("LIBC_ADDED", `libc ${n.name}`, "libc function", n);
}

function compareFunction(item: string, a: LibcFunctionModel, b: LibcFunctionModel, t: LibcDiffTools): void {
  t.compareGate(item, a, b);
  const emit = t.emitterFor(a, b);
  const spans = { old: a.span, new: b.span };
  if (a.cType !== b.cType) emit({ rule: "LIBC_SAME_PROTOTYPE", class: "break", item, message: `C type ${a.cType} became ${b.cType}`, ...spans });
  else if (a.prototype !== b.prototype)
    emit({ rule: "LIBC_PROTOTYPE_TEXT", class: "docs", item, message: `prototype text changed, same C type ${b.cType}`, ...spans });
  if (a.header !== b.header)
    emit({ rule: "LIBC_SAME_HEADER", class: "source-break", item, message: `moved from <${a.header}> to <${b.header}>: programs including the old header stop compiling`, ...spans });
  if (a.change !== b.change) {
    const cls: FindingClass = b.change === "stubbed" ? "break" : a.change === "stubbed" ? "addition" : "docs";
    const why = cls === "break" ? "it no longer does anything useful" : cls === "addition" ? "it gained real behaviour" : "a reclassification against upstream";
    emit({ rule: "LIBC_CHANGE_KIND", class: cls, item, message: `${a.change} became ${b.change}: ${why}`, ...spans });
  }
  const stubs = a.change === "stubbed" && b.change === "stubbed";
  if (stubs && (a.returns !== b.returns || !sameSet(a.errno, b.errno)))
    emit({
      rule: "LIBC_STUB_RESULT",
      class: "break",
      item,
      message: `the stub's answer changed: returns ${a.returns} errno ${show(a.errno)} became returns ${b.returns} errno ${show(b.errno)}`,
      ...spans,
    });
  else if (!sameSet(a.errno, b.errno))
    emit({ rule: "LIBC_ERRNO_CHANGED", class: "addition", item, message: `extra errno values ${show(a.errno)} became ${show(b.errno)}`, ...spans });
  if (!sameSet(a.imports, b.imports))
    emit({ rule: "LIBC_IMPORTS_CHANGED", class: "addition", item, message: `imports ${show(a.imports)} became ${show(b.imports)}: rebuilt guests import the new set`, ...spans });
  const lost = a.tiers.filter((x) => !b.tiers.includes(x));
  if (lost.length)
    emit({ rule: "LIBC_TIER_NARROWED", class: "break", item, message: `rebuilt guests calling it no longer link at ${lost.join(", ")}`, ...spans });
  if (a.docs !== b.docs || !same(a.deviations, b.deviations) || !same(a.patches, b.patches) || !same(a.instead, b.instead))
    emit({ rule: "DOC_COMMENT", class: "docs", item, message: "docs, deviations, patches or suggested replacements changed", ...spans });
}

function compareHeaders(oldHeaders: LibcHeaderModel[], newHeaders: LibcHeaderModel[], t: LibcDiffTools): void {
  const newByName = new Map(newHeaders.map((h) => [h.name, h]));
  const oldByName = new Map(oldHeaders.map((h) => [h.name, h]));
  for (const h of oldHeaders) {
    const n = newByName.get(h.name);
    const item = `libc header ${h.name}`;
    if (!n) {
      t.deleted("LIBC_HEADER_NO_DELETE", item, `header removed: programs including <${h.name}> stop compiling`, h);
      continue;
    }
    t.compareGate(item, h, n);
    const emit = t.emitterFor(h, n);
    if (h.change !== n.change) emit({ rule: "LIBC_HEADER_KIND", class: "docs", item, message: `${h.change} became ${n.change}`, old: h.span, new: n.span });
    if (h.docs !== n.docs) emit({ rule: "DOC_COMMENT", class: "docs", item, message: "doc comments changed", old: h.span, new: n.span });
  }
  for (const n of newHeaders) if (!oldByName.has(n.name)) t.added("LIBC_HEADER_ADDED", `libc header ${n.name}`, "libc header", n);
}

/** The absent list is advice to porters: any change to it is documentation. */
function compareAbsent(oldAbsent: LibcAbsentModel[], newAbsent: LibcAbsentModel[], t: LibcDiffTools): void {
  const newByName = new Map(newAbsent.map((x) => [x.name, x]));
  const oldByName = new Map(oldAbsent.map((x) => [x.name, x]));
  for (const x of oldAbsent) {
    const n = newByName.get(x.name);
    const item = `libc absent ${x.name}`;
    const emit = t.emitterFor(x, n ?? null);
    if (!n) emit({ rule: "LIBC_ABSENT_CHANGED", class: "docs", item, message: "no longer listed as absent", old: x.span });
    else if (x.header !== n.header || !same(x.instead, n.instead) || x.docs !== n.docs)
      emit({ rule: "LIBC_ABSENT_CHANGED", class: "docs", item, message: `header, advice or docs changed (instead: ${show(x.instead)} became ${show(n.instead)})`, old: x.span, new: n.span });
  }
  for (const n of newAbsent)
    if (!oldByName.has(n.name))
      t.emitterFor(null, n)({ rule: "LIBC_ABSENT_CHANGED", class: "docs", item: `libc absent ${n.name}`, message: "now listed as absent", new: n.span });
}

/** Every gated libc item, for the check that no `@since` is newer than the package. */
export function libcGatedItems(model: ContractModel): [string, Gate & { span: Span }][] {
  return [
    ...functionsOf(model).map((f): [string, LibcFunctionModel] => [`libc ${f.name}`, f]),
    ...(model.libcSurface?.headers ?? []).map((h): [string, LibcHeaderModel] => [`libc header ${h.name}`, h]),
    ...(model.libcSurface?.absent ?? []).map((x): [string, LibcAbsentModel] => [`libc absent ${x.name}`, x]),
  ];
}
