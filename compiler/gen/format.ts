// Output formatting: prettier for TypeScript, JavaScript and Markdown (pinned version, so output is
// byte-stable); C is laid out by its templates and only has trailing whitespace and runs of
// blank lines normalised.

import * as prettier from "prettier";

const PRETTIER_OPTIONS = { printWidth: 100, proseWrap: "preserve" } as const;

export async function formatTypeScript(source: string): Promise<string> {
  return prettier.format(source, { ...PRETTIER_OPTIONS, parser: "typescript" });
}

export async function formatJavaScript(source: string): Promise<string> {
  return prettier.format(source, { ...PRETTIER_OPTIONS, parser: "babel" });
}

export async function formatMarkdown(source: string): Promise<string> {
  return prettier.format(source, { ...PRETTIER_OPTIONS, parser: "markdown" });
}

export function formatC(source: string): string {
  return (
    source
      .split("\n")
      .map((l) => l.replace(/[ \t]+$/, ""))
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .replace(/^\n+/, "")
      .replace(/\n*$/, "\n")
  );
}

/** Rust is laid out as rustfmt leaves it by the Rust target itself; only whitespace is normalised. */
export function formatRust(source: string): string {
  return formatC(source);
}
