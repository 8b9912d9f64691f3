// abic.config.json: the project's settings for `abic gen`, found from the working directory
// upward (as tsc finds tsconfig.json and buf finds buf.gen.yaml). It names the contract, the
// output root, the targets to run with each one's output folder and options, and whether
// warnings fail the run. Paths in it are relative to its own folder. Every mistake is reported
// at its place (file:line:col, with the key as a JSON pointer), all of them in one run.
//
// The keys are declared once, in CONFIG_KEYS and the target registry; the JSON Schema editors
// use (abic.config.schema.json) is generated from the same declarations.

import { existsSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { error, withReplacement, type Diagnostic } from "./diagnostics.ts";
import { OptionError } from "./gen/options.ts";
import { TARGET_ENTRIES, targetEntry } from "./gen/targets.ts";
import { JsonSyntaxError, parseJson, type JsonValue, type TextRange } from "./json-text.ts";
import type { Span } from "./model.ts";
import { suggest } from "./suggest.ts";

export const CONFIG_FILE = "abic.config.json";

/** A target the configuration turns on: its output folder (as written) and options. */
export interface TargetConfig {
  out: string | null;
  options: Record<string, string>;
}

/** A checked configuration file; paths are as written, relative to `dir`. */
export interface ConfigFile {
  /** Absolute path of the file. */
  file: string;
  /** Its folder, which its paths are relative to. */
  dir: string;
  contract: string | null;
  out: string | null;
  denyWarnings: boolean | null;
  /** The targets it lists (only those run), in registry order; null when it lists none (the defaults run). */
  targets: Map<string, TargetConfig> | null;
}

/** The top-level keys: what each holds, for the checker and the JSON Schema. */
export const CONFIG_KEYS = {
  $schema: { type: "string", description: "The JSON Schema of this file, for editors (node_modules/abic/abic.config.schema.json)." },
  contract: { type: "string", description: "The contract's root IDL file, relative to this file. Default: abi.idl." },
  out: {
    type: "string",
    description: "The output root, relative to this file: targets without an `out` of their own write to their folder under it (c/, ts/, rust/, docs/; the manifest and report to the root itself). Default: generated.",
  },
  denyWarnings: { type: "boolean", description: "Treat warnings as errors (as --deny-warnings). Default: false." },
  targets: {
    type: "object",
    description: "The targets to run, each `true` (its default folder and options) or an object with `out` and `options`; `false` or absent: not run. Without this key, every default target runs.",
  },
} as const;

/** The configuration file that applies in `cwd`: the nearest one in it or a folder above, or null. */
export function findConfigFile(cwd: string): string | null {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, CONFIG_FILE);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

export type ConfigResult = { config: ConfigFile; diagnostics: [] } | { config: null; diagnostics: Diagnostic[] };

/**
 * Reads and checks a configuration file. `display` is how diagnostics name it (relative to the
 * working directory); `texts` receives its text for code frames.
 */
export function readConfigFile(file: string, display: string, texts: Map<string, string>): ConfigResult {
  const at = (r: TextRange): Span => ({ file: display, ...r });
  const start: Span = { file: display, line: 1, column: 1, endLine: 1, endColumn: 1 };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    return { config: null, diagnostics: [error("E0702", `cannot read the configuration: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, start)] };
  }
  texts.set(display, text);
  let root: JsonValue;
  try {
    root = parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { config: null, diagnostics: [error("E0702", `not valid JSON: ${e.message}`, at(e.range))] };
    throw e;
  }
  const diagnostics: Diagnostic[] = [];
  const problem = (where: TextRange, message: string, replacement: string | null = null): void =>
    void diagnostics.push(withReplacement(error("E0702", message, at(where)), replacement));
  const config: ConfigFile = { file, dir: path.dirname(file), contract: null, out: null, denyWarnings: null, targets: null };

  const describe = (v: JsonValue): string =>
    v.kind === "object" ? "an object" : v.kind === "array" ? "an array" : v.kind === "null" ? "null" : `\`${JSON.stringify((v as { value: unknown }).value)}\``;
  const path_ = (v: JsonValue, pointer: string, what: string): string | null => {
    if (v.kind !== "string") return problem(v.range, `\`${pointer}\` must be ${what} (a string), not ${describe(v)}`), null;
    if (v.value.trim() === "") return problem(v.range, `\`${pointer}\` must not be empty`), null;
    return v.value;
  };
  const unknownKey = (range: TextRange, pointer: string, key: string, known: readonly string[]): void => {
    const best = suggest(key, known);
    // The range is the quoted key, so the replacement is quoted too.
    problem(range, `unknown key \`${pointer}\`${best === null ? ` (expected one of ${known.join(", ")})` : ""}`, best === null ? null : JSON.stringify(best));
  };

  if (root.kind !== "object") {
    problem(root.range, `the configuration must be a JSON object, not ${describe(root)}`);
    return { config: null, diagnostics };
  }
  for (const m of root.members) {
    const pointer = `/${m.key}`;
    switch (m.key) {
      case "$schema":
        if (m.value.kind !== "string") problem(m.value.range, `\`${pointer}\` must be a string, not ${describe(m.value)}`);
        break;
      case "contract":
        config.contract = path_(m.value, pointer, "the contract's IDL file");
        break;
      case "out":
        config.out = path_(m.value, pointer, "a folder");
        break;
      case "denyWarnings":
        if (m.value.kind === "boolean") config.denyWarnings = m.value.value;
        else problem(m.value.range, `\`${pointer}\` must be true or false, not ${describe(m.value)}`);
        break;
      case "targets":
        config.targets = readTargets(m.value, problem, describe, path_, unknownKey);
        break;
      default:
        unknownKey(m.keyRange, pointer, m.key, Object.keys(CONFIG_KEYS));
    }
  }
  return diagnostics.length > 0 ? { config: null, diagnostics } : { config, diagnostics: [] };
}

type Problem = (where: TextRange, message: string, replacement?: string | null) => void;

function readTargets(
  value: JsonValue,
  problem: Problem,
  describe: (v: JsonValue) => string,
  folder: (v: JsonValue, pointer: string, what: string) => string | null,
  unknownKey: (range: TextRange, pointer: string, key: string, known: readonly string[]) => void,
): Map<string, TargetConfig> | null {
  if (value.kind !== "object") {
    problem(value.range, `\`/targets\` must be an object naming targets (${TARGET_ENTRIES.map((e) => e.name).join(", ")}), not ${describe(value)}`);
    return null;
  }
  const listed = new Map<string, TargetConfig>();
  for (const m of value.members) {
    const pointer = `/targets/${m.key}`;
    const entry = targetEntry(m.key);
    if (entry === undefined) {
      unknownKey(m.keyRange, pointer, m.key, TARGET_ENTRIES.map((e) => e.name));
      continue;
    }
    const v = m.value;
    if (v.kind === "boolean") {
      if (v.value) listed.set(entry.name, { out: null, options: {} });
      continue;
    }
    if (v.kind !== "object") {
      problem(v.range, `\`${pointer}\` must be true, false or an object with \`out\` and \`options\`, not ${describe(v)}`);
      continue;
    }
    const target: TargetConfig = { out: null, options: {} };
    for (const k of v.members) {
      const at = `${pointer}/${k.key}`;
      if (k.key === "out") target.out = folder(k.value, at, "a folder");
      else if (k.key === "options") {
        const o = k.value;
        if (o.kind !== "object") {
          problem(o.range, `\`${at}\` must be an object of option values, not ${describe(o)}`);
          continue;
        }
        if (entry.options.length === 0 && o.members.length > 0) {
          problem(o.members[0]!.keyRange, `the ${entry.name} target takes no options`);
          continue;
        }
        for (const opt of o.members) {
          const option = entry.options.find((x) => x.name === opt.key);
          const optPointer = `${at}/${opt.key}`;
          if (option === undefined) unknownKey(opt.keyRange, optPointer, opt.key, entry.options.map((x) => x.name));
          else if (opt.value.kind !== "string" || !option.values.includes(opt.value.value)) {
            const got = opt.value.kind === "string" ? opt.value.value : null;
            problem(
              opt.value.range,
              `\`${optPointer}\` must be one of ${option.values.map((x) => `"${x}"`).join(", ")}, not ${describe(opt.value)}`,
              got === null ? null : (() => {
                const best = suggest(got, option.values);
                return best === null ? null : `"${best}"`;
              })(),
            );
          } else target.options[opt.key] = opt.value.value;
        }
        if (entry.checkOptions && Object.keys(target.options).length === o.members.length) {
          try {
            entry.checkOptions(target.options);
          } catch (e) {
            if (!(e instanceof OptionError)) throw e;
            problem(o.range, `\`${at}\`: ${e.message}`);
          }
        }
      } else unknownKey(k.keyRange, at, k.key, ["out", "options"]);
    }
    listed.set(entry.name, target);
  }
  // Registry order, whatever order the file lists them in.
  return new Map(TARGET_ENTRIES.filter((e) => listed.has(e.name)).map((e) => [e.name, listed.get(e.name)!]));
}

/** The JSON Schema of abic.config.json (draft-07, which editors support widely), from the same declarations. */
export function configSchema(): object {
  const targetProperties = Object.fromEntries(
    TARGET_ENTRIES.map((e) => [
      e.name,
      {
        description: `${e.summary[0]!.toUpperCase()}${e.summary.slice(1)}. Default folder: ${e.folder === "" ? "the output root" : `${e.folder}/ under the output root`}${e.byDefault ? "" : "; not run unless listed"}.`,
        oneOf: [
          { type: "boolean" },
          {
            type: "object",
            additionalProperties: false,
            properties: {
              out: { type: "string", minLength: 1, description: "The folder this target writes to, relative to this file." },
              options: {
                type: "object",
                additionalProperties: false,
                properties: Object.fromEntries(
                  e.options.map((o) => [o.name, { enum: [...o.values], default: o.default, description: o.summary }]),
                ),
              },
            },
          },
        ],
      },
    ]),
  );
  const top = Object.fromEntries(
    Object.entries(CONFIG_KEYS).map(([k, v]) => [
      k,
      k === "targets"
        ? { type: "object", description: v.description, additionalProperties: false, properties: targetProperties }
        : { type: v.type, description: v.description, ...(v.type === "string" && k !== "$schema" ? { minLength: 1 } : {}) },
    ]),
  );
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "abic.config.json",
    description: "Settings for `abic gen`: the contract, the targets to run, their output folders and options. Command-line flags override them.",
    type: "object",
    additionalProperties: false,
    properties: top,
  };
}
