// The model-query core: every question a generator, `abic diff` or the checker asks of a checked
// model (find an item by name, follow aliases, list what a type refers to, walk the types a
// reference reaches, order types by dependency, list members) is answered here, once.
// Switches over a kind end in `exhaustive`, so a new type kind is a compile error everywhere
// it must be handled.

import type {
  CommandModel,
  ConstModel,
  ContractModel,
  FunctionModel,
  ModuleModel,
  PrimitiveName,
  Span,
  TypeModel,
  TypeRef,
} from "./model.ts";

/**
 * Ends a switch over a discriminated union: with every case handled, `value` has type `never`;
 * a case added to the union makes the call a type error at this line.
 */
export function exhaustive(value: never, what = "kind"): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}

export type TypeKind = TypeModel["kind"];
export type TypeOfKind<K extends TypeKind> = Extract<TypeModel, { kind: K }>;

/** A named member of a type (an enum or flags member, a struct field, a variant case). */
export interface Member {
  name: string;
  docs: string;
  span: Span;
}

/** The live members of a type, in declaration order; an alias has none. */
export function members(t: TypeModel): Member[] {
  switch (t.kind) {
    case "alias":
      return [];
    case "enum":
    case "flags":
      return t.members;
    case "struct":
      return t.fields;
    case "variant":
      return t.cases;
    default:
      return exhaustive(t);
  }
}

/** The retired names of a type (`reserved` entries of an enum or flags). */
export function reservedMembers(t: TypeModel): { name: string; value: number | string; span: Span }[] {
  switch (t.kind) {
    case "enum":
    case "flags":
      return t.reserved;
    case "alias":
    case "struct":
    case "variant":
      return [];
    default:
      return exhaustive(t);
  }
}

/** The type references a type declaration holds itself: an alias target, fields, a variant's tag and payloads. */
export function typeRefs(t: TypeModel): TypeRef[] {
  switch (t.kind) {
    case "alias":
      return [t.target];
    case "enum":
    case "flags":
      return [];
    case "struct":
      return t.fields.map((f) => f.type);
    case "variant":
      return [{ kind: "named", name: t.tag }, ...t.cases.flatMap((c) => (c.payload ? [c.payload] : []))];
    default:
      return exhaustive(t);
  }
}

/** The type references of a function's signature: parameters, then the result (its error enum, then its values). */
export function functionRefs(fn: FunctionModel): TypeRef[] {
  const refs = fn.params.map((p) => p.type);
  const r = fn.result;
  switch (r.kind) {
    case "none":
    case "noreturn":
      break;
    case "scalar":
      refs.push(r.type);
      break;
    case "expected":
      refs.push({ kind: "named", name: r.error }, ...r.values.map((v) => v.type));
      break;
    default:
      exhaustive(r, "result kind");
  }
  return refs;
}

/** The named type a reference stands on, through pointers, lists and buffers; null for primitives and strings. */
export function namedIn(ref: TypeRef): string | null {
  switch (ref.kind) {
    case "named":
      return ref.name;
    case "ptr":
      return namedIn(ref.to);
    case "list":
    case "buffer":
      return namedIn(ref.of);
    case "primitive":
    case "string":
      return null;
    default:
      return exhaustive(ref, "type reference");
  }
}

const queries = new WeakMap<object, ModelQuery>();

/** The contract's items by name, and the walks over them. Build one per model and reuse it. */
export class ModelQuery {
  /** The query of a model, built on first use and kept as long as the model lives. */
  static of(model: ContractModel): ModelQuery {
    let q = queries.get(model);
    if (q === undefined) queries.set(model, (q = new ModelQuery(model)));
    return q;
  }

  private readonly types = new Map<string, TypeModel>();
  private readonly constants = new Map<string, ConstModel>();
  private readonly modules = new Map<string, ModuleModel>();
  /** Module by every import module name it is served under (its name and aliases). */
  private readonly imports = new Map<string, ModuleModel>();

  constructor(readonly model: Pick<ContractModel, "types" | "constants" | "modules"> & { command?: CommandModel | null }) {
    for (const t of model.types) this.types.set(t.name, t);
    for (const c of model.constants) this.constants.set(c.name, c);
    for (const m of model.modules) {
      this.modules.set(m.name, m);
      for (const name of [m.name, ...m.aliases]) if (!this.imports.has(name)) this.imports.set(name, m);
    }
  }

  findType(name: string): TypeModel | undefined {
    return this.types.get(name);
  }

  /** A type the model must have: a miss is a bug in the caller, not a user error. */
  type(name: string): TypeModel {
    const t = this.types.get(name);
    if (t === undefined) throw new Error(`the model has no type \`${name}\``);
    return t;
  }

  /** A type the model must have, of the given kind. */
  typeOfKind<K extends TypeKind>(name: string, kind: K): TypeOfKind<K> {
    const t = this.type(name);
    if (t.kind !== kind) throw new Error(`type \`${name}\` is a ${t.kind}, not a ${kind}`);
    return t as TypeOfKind<K>;
  }

  findConstant(name: string): ConstModel | undefined {
    return this.constants.get(name);
  }

  findModule(name: string): ModuleModel | undefined {
    return this.modules.get(name);
  }

  /** The module served under an import module name (its own name or an alias). */
  moduleByImport(importName: string): ModuleModel | undefined {
    return this.imports.get(importName);
  }

  /** Every import module name the contract serves (module names and aliases). */
  moduleImports(): Iterable<string> {
    return this.imports.keys();
  }

  /** A function by `module.function` or by its name within `module` (`use = x` of @deprecated). */
  findFunction(module: string | null, name: string): { module: ModuleModel; fn: FunctionModel } | undefined {
    const [m, f] = name.includes(".") ? name.split(".", 2) : [module, name];
    const mod = m === null ? undefined : this.moduleByImport(m);
    const fn = mod?.functions.find((x) => x.name === f);
    return mod && fn ? { module: mod, fn } : undefined;
  }

  /** The reference with aliases followed until it names something that is not an alias. */
  dealias(ref: TypeRef): TypeRef {
    for (let r = ref, hops = 0; ; hops++) {
      if (r.kind !== "named") return r;
      const t = this.type(r.name);
      if (t.kind !== "alias") return r;
      if (hops > this.types.size) throw new Error(`alias cycle at \`${r.name}\``);
      r = t.target;
    }
  }

  /** The named, non-alias type a reference stands for, or null when it is not a named type. */
  definition(ref: TypeRef): Exclude<TypeModel, { kind: "alias" }> | null {
    const r = this.dealias(ref);
    if (r.kind !== "named") return null;
    return this.type(r.name) as Exclude<TypeModel, { kind: "alias" }>;
  }

  /**
   * The primitive a value of `ref` is represented by: aliases followed, an enum or flags type's
   * representation, `u32` for a pointer; null for records, strings, lists and buffers.
   */
  scalarOf(ref: TypeRef): PrimitiveName | null {
    const r = this.dealias(ref);
    switch (r.kind) {
      case "primitive":
        return r.name;
      case "ptr":
        return "u32";
      case "string":
      case "list":
      case "buffer":
        return null;
      case "named": {
        const t = this.type(r.name);
        switch (t.kind) {
          case "enum":
          case "flags":
            return t.repr;
          case "struct":
          case "variant":
          case "alias":
            return null;
          default:
            return exhaustive(t);
        }
      }
      default:
        return exhaustive(r, "type reference");
    }
  }

  /** The value of member `member` of enum `enumName`; the model must have it. */
  enumValue(enumName: string, member: string): number {
    const m = this.typeOfKind(enumName, "enum").members.find((x) => x.name === member);
    if (m === undefined || typeof m.value !== "number") throw new Error(`enum \`${enumName}\` has no member \`${member}\``);
    return m.value;
  }

  /** Every named type `refs` reach, through pointers, lists, alias targets, fields, tags and payloads. */
  reachable(refs: Iterable<TypeRef>, into = new Set<string>()): Set<string> {
    const stack = [...refs];
    while (stack.length > 0) {
      const name = namedIn(stack.pop()!);
      if (name === null || into.has(name)) continue;
      into.add(name);
      const t = this.types.get(name);
      if (t) stack.push(...typeRefs(t));
    }
    return into;
  }

  /**
   * `types` reordered so each comes after the types of the list it names (directly or through a
   * pointer, list or buffer), keeping declaration order otherwise; `deps` narrows what counts.
   */
  dependencyOrder(types: readonly TypeModel[], deps?: (t: TypeModel) => TypeModel[]): TypeModel[] {
    const inList = new Map(types.map((t) => [t.name, t]));
    const named = (t: TypeModel): TypeModel[] =>
      typeRefs(t).flatMap((ref) => {
        const name = namedIn(ref);
        const dep = name === null ? undefined : inList.get(name);
        return dep ? [dep] : [];
      });
    const next = deps ?? named;
    const done = new Set<string>();
    const out: TypeModel[] = [];
    // A depth-first walk with its own stack: chains through pointers may be as long as the contract.
    for (const start of types) {
      if (done.has(start.name)) continue;
      done.add(start.name);
      const stack = [{ type: start, next: next(start).reverse() }];
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const dep = top.next.pop();
        if (dep === undefined) {
          out.push(top.type);
          stack.pop();
        } else if (!done.has(dep.name)) {
          done.add(dep.name);
          stack.push({ type: dep, next: next(dep).reverse() });
        }
      }
    }
    return out;
  }

}
