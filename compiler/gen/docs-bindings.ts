// What each generated binding calls a contract item, for the reference docs: per function the C
// prototype, the TypeScript interface method a host implements and the Rust wrapper's
// signature; per type its C, TypeScript and Rust names. Each comes from the target's own naming
// (compiler/lang) or view model (the TS target's tsView, read once per gen), so the docs show exactly what is
// generated and never a second derivation of it.

import { cFunctionName, cPrototype, cTypeName } from "../lang/c.ts";
import { rustCrateName, rustIdent, rustModuleOf, rustPrototype, rustTypeName, TYPES_MODULE } from "../lang/rust.ts";
import type { ContractModel, FunctionModel, ModuleModel, TypeModel } from "../model.ts";
import { ModelQuery } from "../query.ts";
import type { GenContext } from "./target.ts";
import { tsBindingNames } from "./ts.ts";

export interface FunctionBindings {
  /** The C declaration (wasi-libc's prototype or the typed wrapper). */
  c: string;
  /** The TypeScript method, after a comment naming its interface and file; null when the host implements none. */
  ts: string | null;
  /** The Rust wrapper, after a comment naming its path in the crate. */
  rust: string;
}

export interface TypeBindings {
  c: string;
  ts: string;
  rust: string;
}

export class Bindings {
  private readonly q: ModelQuery;
  /** Per `module.function`: the TypeScript method's name and its declaration as the docs show it. */
  private readonly methods: ReadonlyMap<string, { name: string; declaration: string }>;
  private readonly tsTypes: ReadonlyMap<string, string>;

  constructor(
    private readonly model: ContractModel,
    ctx: Pick<GenContext, "source" | "ts">,
  ) {
    this.q = ModelQuery.of(model);
    const names = tsBindingNames(model, { source: ctx.source, ...(ctx.ts === undefined ? {} : { ts: ctx.ts }) });
    this.methods = names.methods;
    this.tsTypes = names.types;
  }

  function(module: ModuleModel, fn: FunctionModel): FunctionBindings {
    return {
      c: cPrototype(this.q, fn),
      ts: this.methods.get(`${module.name}.${fn.name}`)?.declaration ?? null,
      rust: rustPrototype(this.model, fn),
    };
  }

  /** What each binding names a function: its C function, TypeScript method (when the host implements one) and Rust path. */
  functionNames(module: ModuleModel, fn: FunctionModel): string[] {
    const ts = this.methods.get(`${module.name}.${fn.name}`);
    return [
      cFunctionName(module.name, fn),
      ...(ts ? [ts.name] : []),
      `${rustCrateName(this.model)}::${rustIdent(module.name)}::${rustIdent(fn.name)}`,
    ];
  }

  type(t: TypeModel): TypeBindings {
    const ts = this.tsTypes.get(t.name);
    if (ts === undefined) throw new Error(`docs: the TypeScript bindings have no type for \`${t.name}\``);
    const home = rustModuleOf(t.scope);
    // The types module is re-exported at the crate root; scoped types live in their module.
    const rustPath = home === TYPES_MODULE ? rustCrateName(this.model) : `${rustCrateName(this.model)}::${home}`;
    return { c: cTypeName(this.q, t.name), ts, rust: `${rustPath}::${rustTypeName(t.name)}` };
  }
}
