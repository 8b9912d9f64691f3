// Unit tests of the emulated xattr table (host/fs-xattr.ts) and the resource-record helpers
// (host/net-dns.ts): the parts of those host functions that need no guest.

import { describe, expect, test } from "vitest";
import { Errno } from "../generated/ts/index.ts";
import { XattrStore } from "../host/fs-xattr.ts";
import { DNS_FLAG_NODATA, DNS_FLAG_NXDOMAIN, DNS_RR_PTR, DNS_RR_SSHFP, localAnswer, queryName, reverseAddress, rrPayload, wireName } from "../host/net-dns.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("XattrStore", () => {
  test("set, get, list in insertion order, remove", () => {
    const x = new XattrStore();
    expect(x.handle({ fn: "set", key: "f", name: "user.b", value: bytes("1"), flags: 0 })).toEqual({ errno: 0, value: 0 });
    x.handle({ fn: "set", key: "f", name: "user.a", value: bytes("22"), flags: 0 });
    expect(x.handle({ fn: "get", key: "f", name: "user.a" })).toEqual({ errno: 0, value: bytes("22") });
    expect(x.handle({ fn: "list", key: "f" }).value).toEqual(["user.b", "user.a"]);
    expect(x.handle({ fn: "list", key: "other" }).value).toEqual([]);
    expect(x.handle({ fn: "remove", key: "f", name: "user.b" }).errno).toBe(0);
    expect(x.handle({ fn: "remove", key: "f", name: "user.b" }).errno).toBe(Errno.Nodata);
    expect(x.handle({ fn: "get", key: "f", name: "user.b" }).errno).toBe(Errno.Nodata);
  });

  test("XATTR_CREATE and XATTR_REPLACE; copy to another identity", () => {
    const x = new XattrStore();
    expect(x.handle({ fn: "set", key: "f", name: "user.a", value: bytes("1"), flags: 2 }).errno).toBe(Errno.Nodata);
    expect(x.handle({ fn: "set", key: "f", name: "user.a", value: bytes("1"), flags: 1 }).errno).toBe(0);
    expect(x.handle({ fn: "set", key: "f", name: "user.a", value: bytes("2"), flags: 1 }).errno).toBe(Errno.Exist);
    expect(x.handle({ fn: "set", key: "f", name: "user.a", value: bytes("3"), flags: 2 }).errno).toBe(0);
    x.handle({ fn: "copy", key: "f", to: "g" });
    expect(x.handle({ fn: "get", key: "g", name: "user.a" }).value).toEqual(bytes("3"));
  });
});

describe("net-dns", () => {
  test("reverse names of addresses", () => {
    expect(reverseAddress("127.0.0.1")).toBe("127.0.0.1");
    expect(reverseAddress("4.3.2.1.in-addr.arpa")).toBe("1.2.3.4");
    expect(reverseAddress(`1.${"0.".repeat(31)}ip6.arpa`)).toBe("0000:0000:0000:0000:0000:0000:0000:0001");
    expect(reverseAddress("example.com")).toBeNull();
  });

  test("local answers: loopback PTR, localhost NODATA, .invalid NXDOMAIN; others ask", () => {
    expect(localAnswer("127.0.0.1", DNS_RR_PTR)).toEqual({ records: [wireName("localhost")], status: 0, ttl: 0 });
    expect(localAnswer(reverseAddress(`1.${"0.".repeat(31)}ip6.arpa`)!, DNS_RR_PTR)?.records.length).toBe(1);
    expect(localAnswer("localhost", DNS_RR_SSHFP)?.status).toBe(DNS_FLAG_NODATA);
    expect(localAnswer("a.b.invalid", DNS_RR_PTR)?.status).toBe(DNS_FLAG_NXDOMAIN);
    expect(localAnswer("8.8.8.8", DNS_RR_PTR)).toBeNull();
    expect(localAnswer("example.com", DNS_RR_SSHFP)).toBeNull();
  });

  test("wire names and the payload layout", () => {
    expect([...wireName("a.bc.")]).toEqual([1, 97, 2, 98, 99, 0]);
    const p = rrPayload([bytes("xy"), bytes("z")]);
    const v = new DataView(p.buffer);
    expect(p.length).toBe(4 + 4 + 2 + 4 + 1);
    expect([v.getUint32(0, true), v.getUint32(4, true), v.getUint32(10, true)]).toEqual([2, 2, 1]);
    expect(rrPayload([]).length).toBe(4);
  });

  test("query names", () => {
    expect(queryName("LocalHost.")).toBe("localhost");
    for (const bad of ["", ".", "a..b", "x".repeat(64)]) expect(() => queryName(bad)).toThrow();
  });
});
