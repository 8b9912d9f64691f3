// Core wasm lowering (witx Preview1 rules): how IDL types become i32/i64/f32/f64 params and results.

import type { CoreType, PrimitiveName, TypeRef } from "./model.ts";

export function primitiveCore(name: PrimitiveName): CoreType {
  switch (name) {
    case "u64":
    case "s64":
      return "i64";
    case "f32":
      return "f32";
    case "f64":
      return "f64";
    default:
      return "i32";
  }
}

/**
 * Lowers a parameter. `scalarOf` resolves a named type to the primitive it is represented by
 * (aliases followed, enums/flags to their repr, handles), or null for structs and variants.
 */
export function lowerParam(type: TypeRef, scalarOf: (name: string) => PrimitiveName | null): CoreType[] | null {
  switch (type.kind) {
    case "primitive":
      return [primitiveCore(type.name)];
    case "ptr":
      return ["i32"];
    case "string":
    case "list":
    case "buffer":
      return ["i32", "i32"];
    case "named": {
      const scalar = scalarOf(type.name);
      return scalar ? [primitiveCore(scalar)] : null;
    }
  }
}
