// The rules `abic diff` and `abic verify` report, declared once, as buf declares its breaking
// rules: each id with the class of change it reports (diff) or its severity (verify) and what it
// protects. The code can emit only these ids (their types are this catalog's keys); `abic help
// diff|verify`, the generated stability page and the fixture tests all read this table.

import type { FindingClass } from "./bump.ts";
import type { Span } from "./model.ts";

export interface DiffRuleSpec {
  /** The classes a finding of this rule may have; most rules have one. */
  classes: readonly FindingClass[];
  /** What the rule protects, in one line. */
  purpose: string;
}

export const DIFF_RULES = {
  PKG_SAME_NAME: { classes: ["break"], purpose: "the package keeps its name" },

  TY_NO_DELETE: { classes: ["break"], purpose: "a type is never removed" },
  TY_ADDED: { classes: ["addition"], purpose: "a new type (a minor change)" },
  TY_SAME_KIND: { classes: ["break"], purpose: "a type keeps its kind (alias, enum, flags, struct, variant)" },
  TY_ALIAS_SAME_TARGET: { classes: ["break"], purpose: "an alias keeps its target type" },

  ST_SAME_LAYOUT: { classes: ["break"], purpose: "a struct keeps its size, alignment, field offsets and field types" },
  ST_FIELD_NO_DELETE: { classes: ["break"], purpose: "a struct field is never removed" },
  ST_FIELD_NO_REORDER: { classes: ["break"], purpose: "struct fields keep their order" },
  ST_FIELD_RENAMED: { classes: ["source-break"], purpose: "a field renamed at the same offset and type: the layout holds, generated names change" },

  VR_SAME_LAYOUT: { classes: ["break"], purpose: "a variant keeps its tag, payload offset, size and the tag and payload of each case" },
  VR_CASE_ADDED: { classes: ["addition"], purpose: "a new case of an unchanged variant layout" },

  EN_SAME_REPR: { classes: ["break"], purpose: "an enum keeps its representation" },
  EN_OPENNESS_SAME: { classes: ["break", "source-break"], purpose: "an enum stays @open or closed (closing breaks guests; opening breaks exhaustive code)" },
  EN_VALUE_SAME_NUMBER: { classes: ["break"], purpose: "an enum member keeps its number" },
  EN_VALUE_RENAMED: { classes: ["source-break"], purpose: "a member renamed with the same number: binaries hold, generated names change" },
  EN_VALUE_NO_DELETE: { classes: ["break"], purpose: "an enum member is never removed" },
  EN_VALUE_DELETE_RESERVED: { classes: ["break"], purpose: "a member removed even with its number reserved still breaks users" },
  EN_NO_REUSE: { classes: ["break"], purpose: "a retired number or name is never given to another member" },
  EN_VALUE_ADDED_OPEN: { classes: ["addition"], purpose: "a new member of an @open enum" },
  EN_VALUE_ADDED_CLOSED: { classes: ["break", "addition"], purpose: "a new member of a closed enum: breaks guests that receive it, adds for guests that only send it" },

  ER_CODE_SAME_NUMBER: { classes: ["break"], purpose: "an error code keeps its number (EN_VALUE_SAME_NUMBER for error enums)" },
  ER_CODE_RENAMED: { classes: ["source-break"], purpose: "an error code renamed with the same number" },
  ER_CODE_NO_DELETE: { classes: ["break"], purpose: "an error code is never removed" },
  ER_CODE_NO_REUSE: { classes: ["break"], purpose: "a retired error number or name is never reused" },
  ER_CODE_ADDED: { classes: ["addition", "break"], purpose: "a new error code (an addition when the error enum is @open)" },

  FL_SAME_REPR: { classes: ["break"], purpose: "a flags type keeps its representation" },
  FL_BIT_SAME: { classes: ["break"], purpose: "a flag keeps its bit" },
  FL_BIT_RENAMED: { classes: ["source-break"], purpose: "a flag renamed on the same bit" },
  FL_BIT_NO_DELETE: { classes: ["break"], purpose: "a flag is never removed" },
  FL_BIT_NO_REUSE: { classes: ["break"], purpose: "a retired bit or name is never reused" },
  FL_BIT_ADDED: { classes: ["addition"], purpose: "a new flag bit" },

  RESERVED_NO_SHRINK: { classes: ["policy"], purpose: "a `reserved` entry (value, bit or function name) is never dropped" },

  CONST_SAME_TYPE: { classes: ["break"], purpose: "a constant keeps its type" },
  CONST_SAME_VALUE: { classes: ["break"], purpose: "a constant keeps its value: guests compile it in" },
  CONST_RENAMED: { classes: ["source-break"], purpose: "a constant renamed with the same type and value" },
  CONST_NO_DELETE: { classes: ["break"], purpose: "a constant is never removed" },
  CONST_ADDED: { classes: ["addition"], purpose: "a new constant" },

  MOD_ALIAS_ADDED: { classes: ["addition"], purpose: "a module is also served under a new import module name" },
  FN_SAME_IMPORT_NAME: { classes: ["break"], purpose: "a function stays importable under every module name it had" },
  FN_NO_DELETE: { classes: ["break"], purpose: "a function is never removed: guests importing it fail to link" },
  FN_NO_REUSE: { classes: ["break"], purpose: "a reserved function name is never reused" },
  FN_ADDED: { classes: ["addition"], purpose: "a new function" },
  FN_SAME_CORE_SIGNATURE: { classes: ["break"], purpose: "a function keeps its core wasm signature: a mismatch fails to link" },
  FN_PARAM_WIDENED: { classes: ["break"], purpose: "a widened core parameter (i32 -> i64) is still a new signature: add a function instead" },
  FN_SAME_PARAM_SEMANTIC_TYPE: { classes: ["break"], purpose: "with the same lowering, a parameter keeps its IDL type (extension, byte counts, pointee layout)" },
  FN_PARAM_RENAMED: { classes: ["source-break"], purpose: "a parameter or out-value renamed: binaries hold, generated names change" },
  FN_SAME_RESULT_SHAPE: { classes: ["break"], purpose: "a function keeps its result shape (scalar, errno, out-values and their types)" },
  FN_SENTINEL_SAME: { classes: ["break"], purpose: "a plain-scalar function keeps the values it returns on failure (@sentinel)" },
  FN_SENTINEL_DECLARED: { classes: ["addition"], purpose: "failure values are declared where the old side (a schema-1 manifest) had none" },
  FN_DEVIATION_CHANGED: { classes: ["addition"], purpose: "a function's declared @deviation is added, reworded or withdrawn: promised behaviour no signature shows" },
  MOD_DEVIATION_CHANGED: { classes: ["addition"], purpose: "a module's declared @deviation is added, reworded or withdrawn" },
  FN_STATUS_CHANGED: { classes: ["addition", "break"], purpose: "refused -> stubbed -> provided adds; the other way breaks" },
  FN_TIER_NARROWED: { classes: ["break"], purpose: "a function stays linked at every tier it was linked at" },
  FN_TIER_WIDENED: { classes: ["addition"], purpose: "a function is now linked at more tiers" },

  CMD_EXPORT_SIGNATURE: { classes: ["break"], purpose: "an export the host uses keeps its kind and core signature" },
  CMD_EXPORT_REQUIRED: { classes: ["break", "addition"], purpose: "an optional export becoming required breaks; the other way adds" },
  CMD_EXPORT_REQUIRED_ADDED: { classes: ["break"], purpose: "a new required export breaks every existing guest" },
  CMD_EXPORT_OPTIONAL_ADDED: { classes: ["addition"], purpose: "a new optional export the host uses when present" },
  CMD_EXPORT_REMOVED: { classes: ["addition"], purpose: "the host no longer uses an export" },
  CMD_CONVENTION_CHANGED: { classes: ["break"], purpose: "conventions of the command contract are not added or removed in place" },

  LIBC_NO_DELETE: { classes: ["break"], purpose: "a patched libc function is never removed: programs calling it stop linking" },
  LIBC_ADDED: { classes: ["addition"], purpose: "a new patched libc function" },
  LIBC_SAME_PROTOTYPE: { classes: ["break"], purpose: "a libc function keeps its C type" },
  LIBC_PROTOTYPE_TEXT: { classes: ["docs"], purpose: "a prototype spelt differently with the same C type" },
  LIBC_SAME_HEADER: { classes: ["source-break"], purpose: "a libc function stays in its header" },
  LIBC_CHANGE_KIND: { classes: ["break", "addition", "docs"], purpose: "becoming a stub breaks; leaving one adds; added <-> replaced is a reclassification" },
  LIBC_STUB_RESULT: { classes: ["break"], purpose: "a stub keeps what it returns and the errno it sets" },
  LIBC_ERRNO_CHANGED: { classes: ["addition"], purpose: "the extra errno values a libc function can produce changed" },
  LIBC_IMPORTS_CHANGED: { classes: ["addition"], purpose: "the host imports a libc function calls changed: rebuilt guests import the new set" },
  LIBC_TIER_NARROWED: { classes: ["break"], purpose: "a libc function stays linkable at every tier it was" },
  LIBC_HEADER_NO_DELETE: { classes: ["break"], purpose: "a libc header is never removed" },
  LIBC_HEADER_ADDED: { classes: ["addition"], purpose: "a new libc header" },
  LIBC_HEADER_KIND: { classes: ["docs"], purpose: "how a header relates to upstream wasi-libc was reclassified" },
  LIBC_ABSENT_CHANGED: { classes: ["docs"], purpose: "the list of functions a porter will not find (and what to use instead) changed" },

  GATE_DESTABILIZE: { classes: ["break"], purpose: "a stable item never becomes unstable" },
  GATE_STABILIZE: { classes: ["addition"], purpose: "an unstable item becomes stable" },
  GATE_SINCE_IMMUTABLE: { classes: ["policy"], purpose: "a stable item's @since never changes" },
  GATE_NEW_ITEM_SINCE: { classes: ["policy"], purpose: "a new (or newly stable) item is @since the new version" },
  GATE_SINCE_NOT_FUTURE: { classes: ["policy"], purpose: "no @since or @deprecated is newer than the package version" },
  GATE_UNSTABLE_CHANGES: { classes: ["info"], purpose: "changes to unstable items carry no promise; reported for information" },
  DEPR_ADDED: { classes: ["addition"], purpose: "an item is deprecated (still served as before)" },
  DEPR_REMOVED: { classes: ["addition"], purpose: "an item is no longer deprecated" },

  DOC_COMMENT: { classes: ["docs"], purpose: "doc comments changed: a patch" },

  VER_MONOTONIC: { classes: ["policy"], purpose: "the package version never goes back" },
  VER_BUMP_SUFFICIENT: { classes: ["policy"], purpose: "the version bump covers the largest change" },
  VER_BUMP_EXCESSIVE: { classes: ["policy"], purpose: "the major is bumped only for a break" },
} as const satisfies Record<string, DiffRuleSpec>;

export type DiffRule = keyof typeof DIFF_RULES;

/** One change `abic diff` reports, under a rule of the catalog. */
export interface Finding {
  rule: DiffRule;
  /** One of the classes the catalog gives the rule. */
  class: FindingClass;
  /** What changed, e.g. `host_net.net_getaddrinfo`, `type filestat.field nlink`, `enum whence::set`. */
  item: string;
  message: string;
  old?: Span;
  new?: Span;
}

export type VerifySeverity = "error" | "warning";

export interface VerifyRuleSpec {
  severity: VerifySeverity;
  purpose: string;
}

export const VERIFY_RULES = {
  MOD_FORMAT: { severity: "error", purpose: "the file is a well-formed wasm module (not a script or native binary)" },
  MOD_LIMITS: { severity: "error", purpose: "the module is at most 256 MiB with at most 16384 imports" },
  IMP_MODULE_KNOWN: { severity: "error", purpose: "every import module is served by the contract" },
  IMP_NAME_EXISTS: { severity: "error", purpose: "every imported function exists in its module" },
  IMP_NAME_REMOVED: { severity: "error", purpose: "no import names a removed (reserved) function" },
  IMP_KIND_MATCH: { severity: "error", purpose: "a contract function is imported as a function" },
  IMP_SIG_EXACT: { severity: "error", purpose: "an import's core signature is exactly the contract's" },
  IMP_NAME_TOO_NEW: { severity: "error", purpose: "no import is newer than the contract version the host serves" },
  IMP_UNSTABLE_GATED: { severity: "error", purpose: "an unstable import needs its feature enabled on the host" },
  IMP_REFUSED: { severity: "error", purpose: "no import is refused by the host" },
  IMP_TIER: { severity: "error", purpose: "every import is linked at the host's tier" },
  IMP_DEPRECATED: { severity: "warning", purpose: "a deprecated or compat import still links; the replacement is named" },
  EXP_REQUIRED: { severity: "error", purpose: "required exports exist, and every export the host uses has its kind and type" },
} as const satisfies Record<string, VerifyRuleSpec>;

export type VerifyRule = keyof typeof VERIFY_RULES;

/** The diff catalog as aligned text lines, for `abic help diff`. */
export function diffRulesHelp(): string {
  return Object.entries(DIFF_RULES)
    .map(([id, r]) => `  ${id.padEnd(27)} ${r.classes.join("|").padEnd(19)} ${r.purpose}`)
    .join("\n");
}

/** The verify catalog as aligned text lines, for `abic help verify`. */
export function verifyRulesHelp(): string {
  return Object.entries(VERIFY_RULES)
    .map(([id, r]) => `  ${id.padEnd(19)} ${r.severity.padEnd(8)} ${r.purpose}`)
    .join("\n");
}
