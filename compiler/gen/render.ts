// The Handlebars environment every target renders through: an isolated instance, no HTML
// escaping, strict field lookups, only the helpers registered here, partials from
// templates/<target>/partials. Templates lay text out; every decision lives in a view model.

import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type Handlebars from "handlebars";
import { packageFile } from "../package-files.ts";

export const TEMPLATES_DIR = packageFile("templates");

type HelperFn = (...args: unknown[]) => unknown;

function requireDefined(name: string, args: unknown[]): void {
  // The last argument is Handlebars' options object; the rest are the helper's own.
  const options = args[args.length - 1] as { loc?: { start?: { line: number; column: number } } } | undefined;
  args.slice(0, -1).forEach((a, i) => {
    if (a === undefined) {
      const at = options?.loc?.start ? ` at ${options.loc.start.line}:${options.loc.start.column}` : "";
      throw new Error(`template helper \`${name}\` got an undefined argument ${i + 1}${at}`);
    }
  });
}

const HELPERS: Record<string, HelperFn> = {
  /** `{{join items ", "}}` joins an array of strings. */
  join: (...args) => {
    requireDefined("join", args);
    const [items, sep] = args as [unknown[], string];
    return items.map(String).join(sep);
  },
  /** `{{indent text "  "}}` prefixes every non-empty line. */
  indent: (...args) => {
    requireDefined("indent", args);
    const [text, prefix] = args as [string, string];
    return text
      .split("\n")
      .map((l) => (l ? prefix + l : l))
      .join("\n");
  },
  eq: (...args) => {
    requireDefined("eq", args);
    return args[0] === args[1];
  },
};

// Compiling a template costs far more than running it, so the build precompiles every template
// and partial once (writePrecompiledTemplates, `npm run build`) into a CommonJS module beside this
// one, each with a digest of the source it came from. A run uses a precompiled template only if
// its source still has that digest (an edited template without a rebuild, or a run from the
// TypeScript sources, compiles it as before): the output is the same either way.

const COMPILE_OPTIONS = {
  noEscape: true,
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((k) => [k, true])),
} as const;

/** The precompiled module, next to the compiled render.js (absent when running from source). */
export const PRECOMPILED_FILE = packageFile("dist", "compiler", "gen", "templates.precompiled.cjs");

type Precompiled = Record<string, { digest: string; spec: TemplateSpecification }>;

let precompiled: Precompiled | null = null;

function precompiledTemplates(): Precompiled {
  if (precompiled !== null) return precompiled;
  try {
    precompiled = createRequire(import.meta.url)(PRECOMPILED_FILE) as Precompiled;
  } catch {
    precompiled = {};
  }
  return precompiled;
}

function sourceDigest(source: string): string {
  return createHash("sha256").update(source).digest("hex").slice(0, 32);
}

const requireHere = createRequire(import.meta.url);

/** Handlebars with its compiler: for a template without a current precompiled form, and the build. */
function handlebarsWithCompiler(): typeof Handlebars {
  return requireHere("handlebars") as typeof Handlebars;
}

/** Whether `source` (templates/`file`) has a precompiled form made from exactly this text. */
function isPrecompiled(file: string, source: string): boolean {
  return precompiledTemplates()[file]?.digest === sourceDigest(source);
}

/** The template `file` (relative to templates/) from its precompiled form, or compiled now. */
function load(env: typeof Handlebars, file: string, source: string): HandlebarsTemplateDelegate {
  if (isPrecompiled(file, source)) return env.template(precompiledTemplates()[file]!.spec);
  return env.compile(source, COMPILE_OPTIONS);
}

/** Every template and partial file under templates/, relative to it, sorted. */
function templateFiles(): string[] {
  const files: string[] = [];
  for (const target of existsSync(TEMPLATES_DIR) ? readdirSync(TEMPLATES_DIR).sort() : []) {
    const dir = path.join(TEMPLATES_DIR, target);
    for (const sub of ["", "partials"]) {
      const folder = path.join(dir, sub);
      if (!existsSync(folder) || !statSync(folder).isDirectory()) continue;
      for (const f of readdirSync(folder).filter((f) => f.endsWith(".hbs")).sort()) files.push(path.posix.join(target, sub, f));
    }
  }
  return files;
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();
let env: typeof Handlebars | null = null;
/** Every template's text, read once with the environment (so each is loaded from the text it was checked by). */
let sources = new Map<string, string>();

function environment(): typeof Handlebars {
  if (env) return env;
  sources = new Map(templateFiles().map((file) => [file, readFileSync(path.join(TEMPLATES_DIR, file), "utf8")]));
  // Precompiled templates need only Handlebars' runtime, far less code to load than the whole
  // of it (on every gen, on each thread); the compiler comes only when a template needs it.
  const runtimeOnly = [...sources].every(([file, source]) => isPrecompiled(file, source));
  env = (runtimeOnly ? (requireHere("handlebars/runtime") as typeof Handlebars) : handlebarsWithCompiler()).create();
  for (const [name, fn] of Object.entries(HELPERS)) env.registerHelper(name, fn);
  for (const [file, source] of sources) {
    const [target, sub, f] = file.split("/");
    if (sub === "partials" && f !== undefined) env.registerPartial(`${target}/${f.replace(/\.hbs$/, "")}`, load(env, file, source));
  }
  return env;
}

/** Renders `templates/<name>` (e.g. "c/module.h.hbs") with a view model. */
export function renderTemplate(name: string, view: object): string {
  let template = compiled.get(name);
  if (!template) {
    const e = environment();
    const source = sources.get(name);
    if (source === undefined) throw new Error(`no template ${name} in ${TEMPLATES_DIR}`);
    template = load(e, name, source);
    compiled.set(name, template);
  }
  return template(view);
}

/** The precompiled module's text: every template and partial, with the digest of its source. */
export function precompiledModule(): string {
  const entries = templateFiles().map((file) => {
    const source = readFileSync(path.join(TEMPLATES_DIR, file), "utf8");
    const spec = handlebarsWithCompiler().precompile(source, COMPILE_OPTIONS) as string;
    return `  ${JSON.stringify(file)}: { digest: ${JSON.stringify(sourceDigest(source))}, spec: ${spec} },`;
  });
  return `// Generated by \`npm run build\` (compiler/gen/render.ts): abic's Handlebars templates, precompiled.\n"use strict";\nmodule.exports = {\n${entries.join("\n")}\n};\n`;
}

/** Writes the precompiled templates next to the compiled render.js (the build's last step). */
export function writePrecompiledTemplates(): void {
  writeFileSync(PRECOMPILED_FILE, precompiledModule());
}
