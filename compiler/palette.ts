// Colour for human output: ANSI styles when the stream is a terminal, nothing otherwise.
// `--color auto|always|never` decides; in auto mode NO_COLOR (https://no-color.org) and
// TERM=dumb turn colour off, as terminal users expect.

type Style = (text: string) => string;

export interface Palette {
  enabled: boolean;
  bold: Style;
  error: Style;
  warning: Style;
  note: Style;
  help: Style;
  gutter: Style;
  added: Style;
  removed: Style;
  dim: Style;
}

const identity: Style = (text) => text;

export const PLAIN: Palette = {
  enabled: false,
  bold: identity,
  error: identity,
  warning: identity,
  note: identity,
  help: identity,
  gutter: identity,
  added: identity,
  removed: identity,
  dim: identity,
};

const sgr =
  (...codes: number[]): Style =>
  (text) =>
    text === "" ? text : `\u001b[${codes.join(";")}m${text}\u001b[0m`;

export const ANSI: Palette = {
  enabled: true,
  bold: sgr(1),
  error: sgr(1, 31),
  warning: sgr(1, 33),
  note: sgr(1, 36),
  help: sgr(1, 32),
  gutter: sgr(1, 34),
  added: sgr(32),
  removed: sgr(31),
  dim: sgr(2),
};

export const COLOR_MODES = ["auto", "always", "never"] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

/**
 * Environment variables (`process.env` fits). Declared here, not as `NodeJS.ProcessEnv`, so the
 * package's declarations compile in projects without @types/node.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Whether output to a stream gets colour, from the mode, the stream and the environment. */
export function useColor(mode: ColorMode, isTTY: boolean, env: Environment): boolean {
  if (mode !== "auto") return mode === "always";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return isTTY;
}

export function paletteFor(mode: ColorMode, isTTY: boolean, env: Environment): Palette {
  return useColor(mode, isTTY, env) ? ANSI : PLAIN;
}
