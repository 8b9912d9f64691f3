// `net_dns_query_rr_v1` without a DNS client of its own: names the host can answer locally
// (loopback addresses, `localhost`, RFC 6761's `.invalid`) never leave it; other PTR queries go
// through Node's resolver, and SSHFP (a type Node cannot query) is answered from whether the
// name resolves at all. Also the payload the contract specifies: `u32 count`, then per record
// `u32 len` and the rdata in DNS wire format (a PTR's rdata is an uncompressed domain name).

import { isIP } from "node:net";
import { Errno, fail } from "../generated/ts/index.ts";

export const DNS_RR_PTR = 12;
export const DNS_RR_SSHFP = 44;
export const DNS_FLAG_NXDOMAIN = 2;
export const DNS_FLAG_NODATA = 4;
/** The contract's limits on one answer. */
const MAX_RECORDS = 4096;
const MAX_PAYLOAD = 65536;

/** An answer: rdata per record, the status flags and the smallest TTL (0: not known). */
export interface DnsAnswer {
  records: Uint8Array[];
  status: number;
  ttl: number;
}

const nodata = (): DnsAnswer => ({ records: [], status: DNS_FLAG_NODATA, ttl: 0 });
const nxdomain = (): DnsAnswer => ({ records: [], status: DNS_FLAG_NXDOMAIN, ttl: 0 });

/** A query name without its trailing dot, lower-cased; `inval` when it cannot be a name. */
export function queryName(name: string): string {
  const n = name.replace(/\.$/, "").toLowerCase();
  if (n.length === 0 || n.length > 253 || n.includes("\0") || n.split(".").some((l) => l.length === 0 || l.length > 63)) {
    throw fail(Errno.Inval);
  }
  return n;
}

/** The address a PTR query is about: an address literal or its `in-addr.arpa`/`ip6.arpa` name. */
export function reverseAddress(name: string): string | null {
  if (isIP(name)) return name;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa$/.exec(name);
  if (v4) {
    const ip = v4.slice(1, 5).reverse().join(".");
    return isIP(ip) === 4 ? ip : null;
  }
  const v6 = /^((?:[0-9a-f]\.){32})ip6\.arpa$/.exec(name);
  if (v6) {
    const hex = v6[1]!.split(".").filter(Boolean).reverse().join("");
    return hex.match(/.{4}/g)!.join(":");
  }
  return null;
}

function isLoopback(ip: string): boolean {
  if (isIP(ip) === 4) return ip.startsWith("127.");
  // Expanded or compressed ::1.
  return /^(0{1,4}:){7}0{0,3}1$|^::1$/.test(ip);
}

/** A domain name in DNS wire format (length-prefixed labels, a zero byte at the end). */
export function wireName(name: string): Uint8Array {
  const labels = name.replace(/\.$/, "").split(".").filter(Boolean).map((l) => new TextEncoder().encode(l));
  const out = new Uint8Array(labels.reduce((n, l) => n + 1 + l.length, 1));
  let at = 0;
  for (const l of labels) {
    out[at++] = l.length;
    out.set(l, at);
    at += l.length;
  }
  return out;
}

/** The answer the host gives without asking a resolver, or null when it must ask. */
export function localAnswer(name: string, rrtype: number): DnsAnswer | null {
  if (name === "invalid" || name.endsWith(".invalid")) return nxdomain();
  if (name === "localhost" || name.endsWith(".localhost")) return nodata();
  if (rrtype === DNS_RR_PTR) {
    const ip = reverseAddress(name);
    if (ip !== null && isLoopback(ip)) return { records: [wireName("localhost")], status: 0, ttl: 0 };
  }
  return null;
}

/** The contract's payload: `u32 count`, then `u32 len` + rdata per record, little-endian. */
export function rrPayload(records: Uint8Array[]): Uint8Array {
  const kept: Uint8Array[] = [];
  let size = 4;
  for (const r of records.slice(0, MAX_RECORDS)) {
    if (size + 4 + r.length > MAX_PAYLOAD) break;
    kept.push(r);
    size += 4 + r.length;
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, kept.length, true);
  let at = 4;
  for (const r of kept) {
    view.setUint32(at, r.length, true);
    out.set(r, at + 4);
    at += 4 + r.length;
  }
  return out;
}
