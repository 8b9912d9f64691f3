// The JSON manifest: the checked model as plain JSON (`abic ir`, generated/abi.json), and reading
// one back for `abic diff`. A manifest of an older schema is upgraded to the current shape.

import { SCHEMA_VERSION, type ContractModel } from "./model.ts";
import { contractSchema, SchemaError } from "./manifest-schema.ts";

export function manifestJson(model: ContractModel): string {
  return JSON.stringify(model, null, 2) + "\n";
}

/**
 * A manifest that cannot be read; the message names the file and says why. `E0701`: not an abic
 * manifest at all (not JSON, no or another schema version); `E0703`: a manifest with a value
 * that does not have the shape abic writes (the message gives its JSON path).
 */
export class ManifestError extends Error {
  constructor(
    message: string,
    readonly code: "E0701" | "E0703" = "E0701",
  ) {
    super(message);
  }
}

/** Parses manifest text written by this or an earlier abic; throws ManifestError otherwise. */
export function readManifest(text: string, file: string): ContractModel {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ManifestError(`\`${file}\` is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data) || !("schemaVersion" in data))
    throw new ManifestError(`\`${file}\` is not an abic manifest (no \`schemaVersion\`; write one with \`abic ir\`)`);
  const schemaVersion = (data as { schemaVersion: unknown }).schemaVersion;
  if (schemaVersion !== SCHEMA_VERSION && schemaVersion !== 1)
    throw new ManifestError(`\`${file}\` has manifest schemaVersion ${JSON.stringify(schemaVersion)}; this abic reads versions 1 to ${SCHEMA_VERSION}`);
  try {
    // Every field is read through the schema; fields older schemas lack read as absent.
    return { ...contractSchema(data, "$"), schemaVersion: SCHEMA_VERSION };
  } catch (e) {
    if (e instanceof SchemaError) throw new ManifestError(`\`${file}\` is a damaged abic manifest: at ${e.message}`, "E0703");
    throw e;
  }
}
