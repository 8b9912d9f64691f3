// Semantic versions as the contract writes them (`MAJOR.MINOR.PATCH(-pre)?`): parsing, precedence
// and max. Shared by the guest check (`@since` against the host version) and `abic diff`.

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Dot-separated pre-release identifiers; empty for a release. */
  prerelease: string[];
}

// Numeric parts have no leading zeros (semver 2.0.0 §2); build metadata is accepted and ignored (§10).
const VERSION_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** Parses a version; throws an Error naming the text when it is not `MAJOR.MINOR.PATCH(-pre)?`. */
export function parseVersion(text: string): Version {
  const match = VERSION_PATTERN.exec(text);
  if (!match) throw new Error(`invalid version "${text}": expected MAJOR.MINOR.PATCH or MAJOR.MINOR.PATCH-pre`);
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    prerelease: match[4] === undefined ? [] : match[4].split("."),
  };
}

export function isVersion(text: string): boolean {
  return VERSION_PATTERN.test(text);
}

/** Semver precedence: negative when a < b, zero when equal, positive when a > b. */
export function compareVersions(a: string | Version, b: string | Version): number {
  const va = typeof a === "string" ? parseVersion(a) : a;
  const vb = typeof b === "string" ? parseVersion(b) : b;
  return (
    Math.sign(va.major - vb.major) ||
    Math.sign(va.minor - vb.minor) ||
    Math.sign(va.patch - vb.patch) ||
    comparePrerelease(va.prerelease, vb.prerelease)
  );
}

/** The highest of the given versions, or null when there are none. */
export function maxVersion(versions: Iterable<string>): string | null {
  let best: string | null = null;
  for (const version of versions) {
    if (best === null || compareVersions(version, best) > 0) best = version;
  }
  return best;
}

// A release outranks its pre-releases; identifiers compare numerically when both are numeric,
// numeric ones rank below alphanumeric ones, and a longer list wins a tie (semver §11).
function comparePrerelease(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return Math.sign(b.length - a.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareIdentifier(a[i], b[i]);
    if (order !== 0) return order;
  }
  return Math.sign(a.length - b.length);
}

function compareIdentifier(a: string, b: string): number {
  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric && bNumeric) return Math.sign(Number(a) - Number(b));
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
