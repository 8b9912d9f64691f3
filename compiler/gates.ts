// Reading the annotations every item may carry: @since, @unstable, @deprecated.

import type { Annotation } from "./ast.ts";
import { error, type Diagnostic } from "./diagnostics.ts";
import type { Gate, Span } from "./model.ts";
import { compareVersions, isVersion } from "./semver.ts";

/**
 * Every annotation, in the order `abic fmt` writes them: the lifecycle (since, unstable,
 * deprecated), then the status, then how it departs from what it follows (compat, deviation),
 * then where it links, then what consumers must accept, and last what a failed call returns
 * (sentinel), next to the signature it describes.
 */
export const ANNOTATION_ORDER = [
  "since",
  "unstable",
  "deprecated",
  "provided",
  "stubbed",
  "refused",
  "compat",
  "deviation",
  "tier",
  "open",
  "sentinel",
] as const;

export const KNOWN_ANNOTATIONS: ReadonlySet<string> = new Set(ANNOTATION_ORDER);

export function findAnnotation(annotations: Annotation[], name: string): Annotation | undefined {
  return annotations.find((a) => a.name === name);
}

/** Positional argument `index` as text, or null (with a diagnostic) when it is missing. */
export function positional(a: Annotation, index: number, what: string, diagnostics: Diagnostic[]): string | null {
  const arg = a.args.filter((x) => x.key === null)[index];
  if (!arg) {
    diagnostics.push(error("E0302", `@${a.name} needs ${what}`, a.span));
    return null;
  }
  return arg.value.text;
}

/**
 * `@deviation("text")`: how an item differs from the specification its module follows, or null
 * when it is not given. The text must not be empty (E0302).
 */
export function readDeviation(annotations: Annotation[], diagnostics: Diagnostic[]): string | null {
  const a = findAnnotation(annotations, "deviation");
  if (!a) return null;
  const text = positional(a, 0, 'the deviation as text, e.g. @deviation("answers notsup where preview1 answers inval")', diagnostics);
  if (text === null) return null;
  if (text.trim() === "") {
    diagnostics.push(error("E0302", "@deviation needs a non-empty text saying how the item deviates", a.span));
    return null;
  }
  return text;
}

export function readGate(
  annotations: Annotation[],
  packageVersion: string | null,
  diagnostics: Diagnostic[],
): Gate & { sinceSpan: Span | null } {
  const gate: Gate & { sinceSpan: Span | null } = { since: null, unstable: null, deprecated: null, sinceSpan: null };
  const since = findAnnotation(annotations, "since");
  const unstable = findAnnotation(annotations, "unstable");
  const deprecated = findAnnotation(annotations, "deprecated");
  if (since) {
    const v = positional(since, 0, "a version, e.g. @since(1.0.0)", diagnostics);
    if (v !== null) {
      if (!isVersion(v)) diagnostics.push(error("E0309", `\`${v}\` is not a semantic version (MAJOR.MINOR.PATCH)`, since.span));
      else {
        gate.since = v;
        gate.sinceSpan = since.span;
        if (packageVersion && isVersion(packageVersion) && compareVersions(v, packageVersion) > 0)
          diagnostics.push(
            error("E0303", `@since(${v}) is newer than the package version ${packageVersion}`, since.span),
          );
      }
    }
  }
  if (unstable) {
    const f = positional(unstable, 0, "a feature name, e.g. @unstable(termios)", diagnostics);
    if (f !== null) gate.unstable = f;
    if (since) diagnostics.push(error("E0304", "@since and @unstable exclude each other: an item is stable or it is not", unstable.span));
  }
  if (deprecated) {
    const v = positional(deprecated, 0, "the version that deprecated it, e.g. @deprecated(1.2.0, use = other)", diagnostics);
    const use = deprecated.args.find((a) => a.key === "use")?.value.text ?? null;
    const note = deprecated.args.find((a) => a.key === "note")?.value.text ?? null;
    for (const arg of deprecated.args)
      if (arg.key !== null && arg.key !== "use" && arg.key !== "note")
        diagnostics.push(error("E0302", `@deprecated has no argument \`${arg.key}\` (use \`use\` or \`note\`)`, arg.span));
    if (use === null && note === null)
      diagnostics.push(error("E0306", "@deprecated needs `use = replacement` or `note = \"...\"`", deprecated.span));
    if (v !== null) {
      if (!isVersion(v)) diagnostics.push(error("E0309", `\`${v}\` is not a semantic version (MAJOR.MINOR.PATCH)`, deprecated.span));
      else if (packageVersion && isVersion(packageVersion) && compareVersions(v, packageVersion) > 0)
        diagnostics.push(error("E0303", `@deprecated(${v}) is newer than the package version ${packageVersion}`, deprecated.span));
      gate.deprecated = { since: v, use, note };
    }
  }
  return gate;
}
