// The output targets `abic gen` runs, in order, each declared once: its name (the key in
// abic.config.json and its JSON Schema), the folder of the default layout its files go to,
// whether it runs when the configuration does not list targets, the options it takes, and its
// generator, loaded only when the target runs. Adding a target is one entry here.

import { resolveTsOptions, TS_OPTIONS, tsOptionsByName } from "./options.ts";
import type { Target } from "./target.ts";

/** One option of a target: its name in the configuration, the values it takes, its default. */
export interface TargetOption {
  name: string;
  values: readonly string[];
  default: string;
  summary: string;
}

export interface TargetEntry {
  name: string;
  /**
   * Where its files go in the default layout, relative to the output root (`generated/`): every
   * path the target generates starts with this folder (`c/wasi/api.h`), or the folder is "" and
   * the files sit in the root itself (`abi.json`). A configured `out` replaces root + folder.
   */
  folder: string;
  /** Runs when the configuration does not list targets (`abic gen` without a configuration). */
  byDefault: boolean;
  /**
   * Its rendering cost relative to the others (CPU time per function of a large contract), by
   * which `abic gen` shares the targets between two threads (gen/parallel.ts).
   */
  weight: number;
  summary: string;
  options: readonly TargetOption[];
  /** Checks a combination of option values; throws OptionError. */
  checkOptions?(options: Readonly<Record<string, string>>): void;
  load(): Promise<Target>;
}

export const TARGET_ENTRIES: readonly TargetEntry[] = [
  {
    name: "manifest",
    weight: 2,
    folder: "",
    byDefault: true,
    summary: "the checked model as JSON (abi.json)",
    options: [],
    load: async () => (await import("./manifest.ts")).manifestTarget,
  },
  {
    name: "c",
    weight: 16,
    folder: "c",
    byDefault: true,
    summary: "C headers for the patched wasi-libc",
    options: [],
    load: async () => (await import("./c.ts")).cTarget,
  },
  {
    name: "ts",
    weight: 16,
    folder: "ts",
    byDefault: true,
    summary: "TypeScript host bindings with bounds-checked glue",
    options: TS_OPTIONS,
    checkOptions: (options) => void resolveTsOptions(tsOptionsByName(options)),
    load: async () => (await import("./ts.ts")).tsTarget,
  },
  {
    name: "rust",
    weight: 12,
    folder: "rust",
    byDefault: true,
    summary: "the no_std Rust crate for guests",
    options: [],
    load: async () => (await import("./rust.ts")).rustTarget,
  },
  {
    name: "docs",
    weight: 27,
    folder: "docs",
    byDefault: true,
    summary: "Markdown reference docs",
    options: [],
    load: async () => (await import("./docs.ts")).docsTarget,
  },
  {
    name: "html",
    weight: 150,
    folder: "html",
    byDefault: false,
    summary: "the HTML reference with search (a static site)",
    options: [],
    load: async () => (await import("./html.ts")).htmlTarget,
  },
  {
    name: "report",
    weight: 2,
    folder: "",
    byDefault: true,
    summary: "the reviewable ABI report (abi.report.txt)",
    options: [],
    load: async () => (await import("./report.ts")).reportTarget,
  },
];

export const TARGET_NAMES: readonly string[] = TARGET_ENTRIES.map((e) => e.name);

export const DEFAULT_TARGETS: readonly string[] = TARGET_ENTRIES.filter((e) => e.byDefault).map((e) => e.name);

export function targetEntry(name: string): TargetEntry | undefined {
  return TARGET_ENTRIES.find((e) => e.name === name);
}
