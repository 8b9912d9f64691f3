// What a target declares for a contract, as the checker sees it: each generated name with the
// scope it must be unique in and the contract item it comes from. Each target's naming module
// (lang/c.ts, lang/rust.ts, lang/ts.ts) lists its claims; check-names.ts rejects two equal
// names in one scope, so a contract that checks never makes a generator clash.

import type { Span } from "../model.ts";

/** A name a target declares: its spelling, the scope it must be unique in, and the item it comes from. */
export interface NameClaim {
  name: string;
  /** Names are unique per scope; a scope is described for messages. */
  scope: string;
  /** The contract item, for messages: "type `fd_read`". */
  owner: string;
  span: Span;
}

/** Collects claims: `claim(name, scope, owner, span)`. */
export class ClaimList {
  readonly claims: NameClaim[] = [];
  claim(name: string, scope: string, owner: string, span: Span): void {
    this.claims.push({ name, scope, owner, span });
  }
}
