// The body of one import's TS glue, composed from parts in the order it runs: the lowered
// parameters' locals, the range checks of pointers, lengths and out-pointers, the member checks
// of closed enums, the text decodes, then the call block (which owns a reused list accessor
// while the implementation runs) and what follows it. ts.ts builds the parts from the model;
// how each result kind answers a failure and wraps the call is declared here, once per kind.

/** One parameter lowered from its core values. */
export interface LoweredParam {
  /** Lines naming the raw values, laid out as prettier prints them (`const $p1 = $1 >>> 0,` `  $n1 = $2 >>> 0;`). */
  locals: string[];
  /** A range that must lie inside guest memory (`$m.fits($p1, $n1 * 8, 4)`). */
  range: string | null;
  /** A closed enum's value test (`$p0 <= 5`); failing it is `inval`. */
  member: string | null;
  /** Text to decode: the statement, and the test that says it was not UTF-8 (`ilseq`). */
  decode: { statement: string; invalid: string } | null;
  /** The lifted argument handed to the implementation. */
  arg: string;
  /** Per-import state (a list accessor created once and re-aimed on every call). */
  setup: string[];
  /** The argument uses that reused state, so the call must own it while it runs. */
  reused: boolean;
}

/** An out-value of `result<T, errno>`: its local, its range, and the statement that writes it. */
export interface OutValue {
  locals: string[];
  range: string;
  write: string;
}

/** How a result kind answers each early failure, and how the call block uses the call. */
export interface ResultPlan {
  /** A range outside guest memory. */
  fault: string;
  /** A closed enum value no member has (only `result<T, errno>` functions check them). */
  inval: string;
  /** Text that is not UTF-8. */
  ilseq: string;
  /** The statements of the try block: `call` is the implementation call; `release` ends the call's ownership. */
  attempt(call: string, release: string[]): string[];
  /** The catch block, after `release`. */
  caught: string[];
  /** Statements after the try/catch (`-> !` unwinds). */
  after: string[];
}

/** `!(a && b)`; a lone call needs no parentheses (`!$m.fits(...)`). */
function negate(tests: string[]): string {
  const only = tests.length === 1 ? tests[0]! : null;
  return only !== null && /^[\w$.]+\([^()]*\)$/.test(only) ? `!${only}` : `!(${tests.join(" && ")})`;
}

export interface GlueBody {
  setup: string[];
  body: string[];
  /** True when the body reaches guest memory (`$m`): any range to check means it does. */
  usesMemory: boolean;
}

/**
 * The glue of one call, in order. A reused accessor is taken (`$own`) right before the call and
 * given back as soon as the implementation returns or throws, before anything else happens;
 * a re-entrant call (the implementation called back into the guest) finds it taken and builds
 * its own. Cheaper than try/finally on this path.
 */
export function composeGlue(params: LoweredParam[], outs: OutValue[], call: string, plan: ResultPlan): GlueBody {
  const ranges = [...params.flatMap((p) => p.range ?? []), ...outs.map((o) => o.range)];
  const members = params.flatMap((p) => p.member ?? []);
  const guarded = params.some((p) => p.reused);
  const release = guarded ? ["if ($own) $free = true;"] : [];
  const body = [...params.flatMap((p) => p.locals), ...outs.flatMap((o) => o.locals)];
  // Written as prettier prints them: a single call is negated bare; an `||` test keeps its
  // parentheses among others (prettier flattens nested `&&` but never mixes the two).
  if (ranges.length > 0) body.push(`if (${negate(ranges)}) ${plan.fault}`);
  if (members.length > 0) body.push(`if (${negate(members.map((m) => (members.length > 1 && m.includes(" || ") ? `(${m})` : m)))}) ${plan.inval}`);
  for (const p of params) if (p.decode) body.push(p.decode.statement, `if (${p.decode.invalid}) ${plan.ilseq}`);
  if (guarded) body.push("const $own = $free;", "$free = false;");
  const inner = (lines: string[]): string[] => lines.map((l) => `  ${l}`);
  body.push("try {", ...inner(plan.attempt(call, release)), "} catch ($e) {", ...inner([...release, ...plan.caught]), "}", ...plan.after);
  const setup = params.flatMap((p) => p.setup);
  if (guarded) setup.push("let $free = true;");
  return { setup, body, usesMemory: ranges.length > 0 };
}
