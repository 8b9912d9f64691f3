// Module hooks for `npm run fuzz -- --measure-without-prettier`, a measuring aid only: the bare
// specifier `prettier` resolves to a module whose format() returns its input, so a profile shows
// what the campaign costs once the generators emit formatted text themselves. Formatting changes
// no meaning, so what compiles is the same; the generated text is not what abic writes. prettier's
// utilities (the display width tables are aligned by) are the real ones.

const STUB = "data:text/javascript," + encodeURIComponent('export { util } from "prettier";\nexport async function format(source) { return source; }\n');

export async function resolve(specifier, context, next) {
  if (specifier !== "prettier") return next(specifier, context);
  // The stub's own import of the real prettier, resolved from here (a data: URL has no folder).
  if (context.parentURL === STUB) return next(specifier, { ...context, parentURL: import.meta.url });
  return { url: STUB, shortCircuit: true };
}
