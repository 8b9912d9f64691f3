// The JSON manifest: the checked model as plain JSON (`abic ir`, generated/abi.json), and reading
// one back for `abic diff`. A manifest of an older schema is upgraded to the current shape.

import { SCHEMA_VERSION, type ContractModel } from "./model.ts";
import { isVersion } from "./semver.ts";

export function manifestJson(model: ContractModel): string {
  return JSON.stringify(model, null, 2) + "\n";
}

/** A manifest that cannot be read; the message names the file and says why. */
export class ManifestError extends Error {}

/** Parses manifest text written by this or an earlier abic; throws ManifestError otherwise. */
export function readManifest(text: string, file: string): ContractModel {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ManifestError(`\`${file}\` is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const m = data as Partial<ContractModel> | null;
  if (typeof m !== "object" || m === null || !("schemaVersion" in m))
    throw new ManifestError(`\`${file}\` is not an abic manifest (no \`schemaVersion\`; write one with \`abic ir\`)`);
  if (m.schemaVersion !== SCHEMA_VERSION && m.schemaVersion !== 1)
    throw new ManifestError(`\`${file}\` has manifest schemaVersion ${String(m.schemaVersion)}; this abic reads versions 1 to ${SCHEMA_VERSION}`);
  if (
    typeof m.package?.version !== "string" ||
    !isVersion(m.package.version) ||
    !Array.isArray(m.types) ||
    !Array.isArray(m.constants) ||
    !Array.isArray(m.modules)
  )
    throw new ManifestError(`\`${file}\` is not a complete abic manifest (package, types, constants, modules)`);
  if ((m.libc !== undefined && !Array.isArray(m.libc)) || (m.libcSurface !== undefined && m.libcSurface !== null && typeof m.libcSurface !== "object"))
    throw new ManifestError(`\`${file}\` is not a complete abic manifest (libc, libcSurface)`);
  // Manifests written before the libc block existed (such as the frozen 1.0.0) have no libc surface.
  return upgrade({ ...(m as ContractModel), libc: m.libc ?? [], libcSurface: m.libcSurface ?? null });
}

/** Schema 1 had no `sentinel` on plain-scalar results: they read as undeclared (null). */
function upgrade(m: ContractModel): ContractModel {
  if (m.schemaVersion === SCHEMA_VERSION) return m;
  const modules = m.modules.map((mod) => ({
    ...mod,
    functions: mod.functions.map((f) => (f.result.kind === "scalar" ? { ...f, result: { ...f.result, sentinel: f.result.sentinel ?? null } } : f)),
  }));
  return { ...m, schemaVersion: SCHEMA_VERSION, modules };
}
