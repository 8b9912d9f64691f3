// What each generated binding calls a contract item, for the reference docs: per function the C
// prototype, the TypeScript interface method a host implements and the Rust wrapper's
// signature; per type its C, TypeScript and Rust names. Each comes from the target's own naming
// (compiler/lang) or view model (the TS target's tsView), so the docs show exactly what is
// generated and never a second derivation of it.

import { cFunctionName, cPrototype, cTypeName } from "../lang/c.ts";
import { rustCrateName, rustIdent, rustModuleOf, rustPrototype, rustTypeName, TYPES_MODULE } from "../lang/rust.ts";
import type { ContractModel, FunctionModel, ModuleModel, TypeModel } from "../model.ts";
import { ModelQuery } from "../query.ts";
import type { GenContext } from "./target.ts";
import { tsView, type MethodView, type ModuleView } from "./ts.ts";

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
  private readonly methods = new Map<string, { module: ModuleView; method: MethodView }>();
  private readonly tsTypes = new Map<string, string>();
  private readonly tsFile: (m: ModuleView) => string;

  constructor(
    private readonly model: ContractModel,
    ctx: Pick<GenContext, "source" | "ts">,
  ) {
    this.q = ModelQuery.of(model);
    const view = tsView(model, { source: ctx.source, ts: ctx.ts });
    for (const m of view.modules) for (const method of m.methods) this.methods.set(`${m.module}.${method.idlName}`, { module: m, method });
    for (const t of view.types.types) this.tsTypes.set(t.idlName, t.name);
    // With `target=js+dts` the interface a host implements is read from the declaration file.
    this.tsFile = (m) => (view.options.target === "ts" ? m.fileName : `${m.module}.d.ts`);
  }

  function(module: ModuleModel, fn: FunctionModel): FunctionBindings {
    const ts = this.methods.get(`${module.name}.${fn.name}`);
    return {
      c: cPrototype(this.q, fn),
      ts: ts
        ? `// interface ${ts.module.interfaceName} (ts/${this.tsFile(ts.module)})\n${ts.method.name}(${ts.method.signature}): ${ts.method.returns};`
        : null,
      rust: rustPrototype(this.model, fn),
    };
  }

  /** What each binding names a function: its C function, TypeScript method (when the host implements one) and Rust path. */
  functionNames(module: ModuleModel, fn: FunctionModel): string[] {
    const ts = this.methods.get(`${module.name}.${fn.name}`);
    return [
      cFunctionName(module.name, fn),
      ...(ts ? [ts.method.name] : []),
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
