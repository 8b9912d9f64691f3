// The generation checks: rules a contract must meet for every target to generate it, run on
// the checked model. Two items whose names are spelt the same in one scope of some target
// (after case conversion, prefixing or escaping: E0219); a name a target keeps for itself
// (E0220); an error enum without the errnos the generated glue answers with (E0221); a module
// name too long to be a file name (E0222). Each target's naming module lists what it declares;
// the generators themselves only ever spell names through the same functions.

import { error, type Diagnostic } from "./diagnostics.ts";
import { cNameClaims, cReservedModule } from "./lang/c.ts";
import type { NameClaim } from "./lang/names.ts";
import { RUST_FIXED_FEATURES, RUST_FIXED_MODULES, rustIdent, rustNameClaims, symbolOf } from "./lang/rust.ts";
import { GLUE_ERRNO_MEMBERS, hasGlue, tsNameClaims, tsReservedModule } from "./lang/ts.ts";
import type { ContractModel } from "./model.ts";

/** Pages the docs target writes besides one per module (doc-pages.ts keeps the same list). */
const DOC_PAGES = ["index", "types", "command", "stability", "libc", "deviations"];

/**
 * The longest module name, in bytes: a module is a file in every target (`<module>.d.ts`,
 * `<module>.md`), and file systems allow 255 bytes for a file name.
 */
export const MAX_MODULE_NAME = 200;

export function checkGeneratedNames(model: ContractModel): Diagnostic[] {
  return [
    ...collisions(tsNameClaims(model), "TypeScript"),
    ...collisions(cNameClaims(model), "C"),
    ...collisions(rustNameClaims(model), "Rust"),
    ...reservedNames(model),
    ...glueErrnos(model),
  ];
}

/** E0219 for every claim whose name an earlier claim of its scope already took. */
function collisions(claims: NameClaim[], language: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Scope -> name -> first claim (nested maps: no key string to build per claim).
  const first = new Map<string, Map<string, NameClaim>>();
  for (const c of claims) {
    let names = first.get(c.scope);
    if (names === undefined) first.set(c.scope, (names = new Map()));
    const prior = names.get(c.name);
    if (!prior) {
      names.set(c.name, c);
      continue;
    }
    // One item claiming a name twice (a type and its own companion) is the generator's business.
    if (prior.owner === c.owner) continue;
    out.push(
      error("E0219", `${c.owner} is spelt \`${c.name}\` in ${language}, like ${prior.owner} (in ${c.scope}); rename one of them`, c.span, [
        { message: `${prior.owner} is declared here`, span: prior.span },
      ]),
    );
  }
  return out;
}

/** E0220 for module and feature names a target keeps; E0222 for module names too long for a file. */
function reservedNames(model: ContractModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of model.modules) {
    const clashes = [
      tsReservedModule(m.name),
      cReservedModule(m.name),
      RUST_FIXED_MODULES.includes(symbolOf(rustIdent(m.name))) ? `the Rust crate's own \`${symbolOf(rustIdent(m.name))}\` module` : null,
      DOC_PAGES.includes(m.name) ? `the docs' own ${m.name}.md page` : null,
    ].filter((c): c is string => c !== null);
    if (clashes.length > 0) out.push(error("E0220", `module \`${m.name}\` would be generated over ${clashes.join(" and ")}; rename it`, m.span));
    const bytes = Buffer.byteLength(m.name, "utf8");
    if (bytes > MAX_MODULE_NAME)
      out.push(error("E0222", `module name is ${bytes} bytes long: it names generated files, which allow at most ${MAX_MODULE_NAME}`, m.span));
  }
  const gated = [...model.types, ...model.constants, ...model.modules, ...model.modules.flatMap((m) => m.functions)];
  const reported = new Set<string>();
  for (const item of gated)
    if (item.unstable !== null && RUST_FIXED_FEATURES.includes(item.unstable) && !reported.has(item.unstable)) {
      reported.add(item.unstable);
      out.push(error("E0220", `the feature \`${item.unstable}\` is the Rust crate's own \`${item.unstable}\` Cargo feature; rename it`, item.span));
    }
  return out;
}

/** E0221: the error enum of a generated `result<T, E>` glue must hold every errno the glue answers with itself. */
function glueErrnos(model: ContractModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const m of model.modules)
    for (const f of m.functions) {
      if (!hasGlue(f) || f.result.kind !== "expected" || reported.has(f.result.error)) continue;
      const name = f.result.error;
      const e = model.types.find((t) => t.name === name);
      if (e?.kind !== "enum") continue;
      const missing = GLUE_ERRNO_MEMBERS.filter((g) => !e.members.some((x) => x.name === g));
      if (missing.length === 0) continue;
      reported.add(name);
      out.push(
        error(
          "E0221",
          `\`${m.name}.${f.name}\` returns \`${name}\`, which has no ${missing.map((x) => `\`${x}\``).join(", ")}: the generated glue answers bad guest memory (\`fault\`), host exceptions (\`io\`), bad UTF-8 (\`ilseq\`) and bad tags (\`inval\`) with them`,
          f.span,
          [{ message: `\`${name}\` is declared here`, span: e.span }],
        ),
      );
    }
  return out;
}
