// The options of the TypeScript target, one typed object (`abic gen --ts-opt`, the API's
// `generate`, and any later configuration file all produce it). Names and values follow
// protoc-gen-es (`import_extension`, `target`), so users of that tool know them.

export type ImportExtension = "js" | "ts" | "none";
export type TsEmit = "ts" | "js+dts";

export interface TsOptions {
  /** The extension of the relative import specifiers between generated files: `./runtime.js`. */
  importExtension: ImportExtension;
  /** What is written: TypeScript sources, or JavaScript with declaration files. */
  target: TsEmit;
}

/** Every option: its command-line name, the field it sets, the values it takes and its default. */
export const TS_OPTIONS: readonly {
  name: string;
  field: keyof TsOptions;
  values: readonly string[];
  default: string;
  summary: string;
}[] = [
  {
    name: "import_extension",
    field: "importExtension",
    values: ["js", "ts", "none"],
    default: "js",
    summary:
      "how generated files import each other: `./runtime.js` (works with NodeNext, bundlers and Node), `./runtime.ts` (Node's type stripping, tsx, Deno, or tsc with rewriteRelativeImportExtensions), or `./runtime` (bundlers)",
  },
  {
    name: "target",
    field: "target",
    values: ["ts", "js+dts"],
    default: "ts",
    summary: "`ts`: TypeScript sources; `js+dts`: JavaScript with .d.ts declarations (no TypeScript build step needed)",
  },
];

export const DEFAULT_TS_OPTIONS: TsOptions = { importExtension: "js", target: "ts" };

/** A bad option name, value or combination; the CLI reports it as a usage error. */
export class OptionError extends Error {}

/**
 * Parses `--ts-opt` values: `key=value` pairs, several per argument when comma-separated
 * (`target=js+dts,import_extension=none`). A key given twice is an error.
 */
export function parseTsOptions(args: readonly string[]): Partial<TsOptions> {
  const options: Partial<Record<keyof TsOptions, string>> = {};
  for (const pair of args.flatMap((a) => a.split(",")).filter((p) => p !== "")) {
    const eq = pair.indexOf("=");
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const option = TS_OPTIONS.find((o) => o.name === name);
    if (option === undefined) throw new OptionError(`unknown TypeScript option \`${name}\` (expected ${TS_OPTIONS.map((o) => o.name).join(", ")})`);
    if (eq < 0) throw new OptionError(`TypeScript option \`${name}\` needs a value: ${name}=${option.values.join("|")}`);
    if (options[option.field] !== undefined) throw new OptionError(`TypeScript option \`${name}\` given more than once`);
    options[option.field] = pair.slice(eq + 1);
  }
  return options as Partial<TsOptions>;
}

/** Fills in the defaults and checks every value and their combination (callers may be plain JS). */
export function resolveTsOptions(partial: Partial<TsOptions> = {}): TsOptions {
  const resolved = { ...DEFAULT_TS_OPTIONS };
  for (const [field, value] of Object.entries(partial)) {
    const option = TS_OPTIONS.find((o) => o.field === field);
    if (option === undefined) throw new OptionError(`unknown TypeScript option field \`${field}\``);
    if (value === undefined) continue;
    if (typeof value !== "string" || !option.values.includes(value))
      throw new OptionError(`TypeScript option ${option.name} must be ${option.values.join(", ")}; got \`${String(value)}\``);
    (resolved as Record<string, string>)[field] = value;
  }
  if (resolved.target === "js+dts" && resolved.importExtension === "ts")
    throw new OptionError("import_extension=ts needs target=ts: JavaScript files cannot import .ts files");
  return resolved;
}

/** Options named as the command line and the configuration name them (`import_extension`), as fields. */
export function tsOptionsByName(options: Readonly<Record<string, string>>): Partial<TsOptions> {
  const out: Partial<Record<keyof TsOptions, string>> = {};
  for (const [name, value] of Object.entries(options)) {
    const option = TS_OPTIONS.find((o) => o.name === name);
    if (option === undefined) throw new OptionError(`unknown TypeScript option \`${name}\` (expected ${TS_OPTIONS.map((o) => o.name).join(", ")})`);
    out[option.field] = value;
  }
  return out as Partial<TsOptions>;
}
