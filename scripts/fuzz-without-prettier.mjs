// Module hooks for `npm run fuzz -- --measure-without-prettier`, a measuring aid only: the bare
// specifier `prettier` resolves to a module whose format() returns its input, so a profile shows
// what the campaign costs once the generators emit formatted text themselves. Formatting changes
// no meaning, so what compiles is the same; the generated text is not what abic writes.

const STUB = "data:text/javascript," + encodeURIComponent("export async function format(source) { return source; }\n");

export async function resolve(specifier, context, next) {
  if (specifier === "prettier") return { url: STUB, shortCircuit: true };
  return next(specifier, context);
}
