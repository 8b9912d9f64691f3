// Version-bump arithmetic for `abic diff`: the bump a finding set requires, the bump two declared
// versions make (Cargo's convention, pre-1.0 rules included), and whether the second covers the first.

import { compareVersions, parseVersion } from "./semver.ts";

export type Bump = "none" | "patch" | "minor" | "major";

export type FindingClass = "break" | "source-break" | "addition" | "docs" | "policy" | "info";

const BUMP_ORDER: readonly Bump[] = ["none", "patch", "minor", "major"];

export function compareBumps(a: Bump, b: Bump): number {
  return Math.sign(BUMP_ORDER.indexOf(a) - BUMP_ORDER.indexOf(b));
}

/** The bump one finding class requires (the classes are explained on the generated stability page). */
export function bumpForClass(cls: FindingClass): Bump {
  switch (cls) {
    case "break":
    case "source-break": // the default `source` profile: generated bindings are part of the promise
      return "major";
    case "addition":
      return "minor";
    case "docs":
      return "patch";
    case "policy": // a policy violation fails the run by itself; it asks for no particular bump
    case "info":
      return "none";
  }
}

/** The smallest bump that covers every finding. */
export function requiredBump(findings: readonly { class: FindingClass }[]): Bump {
  let bump: Bump = "none";
  for (const f of findings) {
    const b = bumpForClass(f.class);
    if (compareBumps(b, bump) > 0) bump = b;
  }
  return bump;
}

/**
 * The bump from `oldVersion` to `newVersion` under Cargo's convention: for 1.0.0 and later the
 * changed part names it; for 0.y.z a change of y is major and of z minor; for 0.0.z every change
 * is major; a change of the pre-release tag alone is major. Equal versions bump nothing. Returns
 * null when `newVersion` is lower than `oldVersion` (versions never go back). Throws on a bad version.
 */
export function actualBump(oldVersion: string, newVersion: string): Bump | null {
  const a = parseVersion(oldVersion);
  const b = parseVersion(newVersion);
  const order = compareVersions(a, b);
  if (order > 0) return null;
  if (order === 0) return "none";
  if (a.major !== b.major) return "major";
  if (a.major === 0) {
    if (a.minor !== b.minor) return "major";
    if (a.minor === 0) return "major"; // 0.0.z: every release may break
    if (a.patch !== b.patch) return a.prerelease.join(".") === b.prerelease.join(".") ? "minor" : "major";
    return "major";
  }
  if (a.minor !== b.minor) return "minor";
  if (a.patch !== b.patch) return a.prerelease.join(".") === b.prerelease.join(".") ? "patch" : "major";
  return "major"; // only the pre-release tag changed
}

export interface BumpVerdict {
  required: Bump;
  /** The declared bump, or null when the version went back. */
  declared: Bump | null;
  /** The declared bump is smaller than the required one. */
  insufficient: boolean;
  /** The major was bumped although nothing breaks. */
  excessive: boolean;
  /** The new version is lower than the old one. */
  notMonotonic: boolean;
}

export function bumpVerdict(oldVersion: string, newVersion: string, findings: readonly { class: FindingClass }[]): BumpVerdict {
  const required = requiredBump(findings);
  const declared = actualBump(oldVersion, newVersion);
  return {
    required,
    declared,
    // An unchanged version is work towards the next release, as cargo-semver-checks treats it:
    // the smallest bump (patch) is assumed, so doc fixes pass and anything larger must be declared.
    insufficient: declared !== null && compareBumps(declared === "none" ? "patch" : declared, required) < 0,
    excessive: declared === "major" && required !== "major",
    notMonotonic: declared === null,
  };
}
