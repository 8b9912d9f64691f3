// The tsconfig the generated TypeScript must compile under: what `tsc --init` (TypeScript 5.9)
// writes (strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, verbatimModuleSyntax,
// no @types packages) plus the unused-code and override checks a demanding project turns on.

export const STRICT_COMPILER_OPTIONS = {
  target: "es2022",
  module: "nodenext",
  types: [],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  noUncheckedSideEffectImports: true,
  moduleDetection: "force",
  skipLibCheck: false,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  noImplicitOverride: true,
  noPropertyAccessFromIndexSignature: true,
  noFallthroughCasesInSwitch: true,
} as const;
