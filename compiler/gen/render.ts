// The Handlebars environment every target renders through: an isolated instance, no HTML
// escaping, strict field lookups, only the helpers registered here, partials from
// templates/<target>/partials. Templates lay text out; every decision lives in a view model.

import { readdirSync, readFileSync, existsSync } from "node:fs";
import * as path from "node:path";
import Handlebars from "handlebars";
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

const compiled = new Map<string, HandlebarsTemplateDelegate>();
let env: typeof Handlebars | null = null;

function environment(): typeof Handlebars {
  if (env) return env;
  env = Handlebars.create();
  for (const [name, fn] of Object.entries(HELPERS)) env.registerHelper(name, fn);
  for (const target of existsSync(TEMPLATES_DIR) ? readdirSync(TEMPLATES_DIR) : []) {
    const dir = path.join(TEMPLATES_DIR, target, "partials");
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((f) => f.endsWith(".hbs")).sort()) {
      const source = readFileSync(path.join(dir, f), "utf8");
      env.registerPartial(`${target}/${f.replace(/\.hbs$/, "")}`, source);
    }
  }
  return env;
}

/** Renders `templates/<name>` (e.g. "c/module.h.hbs") with a view model. */
export function renderTemplate(name: string, view: object): string {
  let template = compiled.get(name);
  if (!template) {
    const source = readFileSync(path.join(TEMPLATES_DIR, name), "utf8");
    template = environment().compile(source, {
      noEscape: true,
      strict: true,
      knownHelpersOnly: true,
      knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((k) => [k, true])),
    });
    compiled.set(name, template);
  }
  return template(view);
}
