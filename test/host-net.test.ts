// Unit tests for the main-thread pieces of host_net and fd_flock that guests reach only
// indirectly: address strings (host/net-kernel.ts) and the flock table (host/flock.ts).

import { describe, expect, test } from "vitest";
import { Errno, Failure } from "../generated/ts/index.ts";
import { FlockTable, LOCK_EX, LOCK_NB, LOCK_SH, LOCK_UN } from "../host/flock.ts";
import { formatAddress, parseAddress } from "../host/net-kernel.ts";

const errno = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as Failure).errno;
  }
  return 0;
};

describe("address strings", () => {
  test("the forms the contract accepts", () => {
    expect(parseAddress("127.0.0.1:8080")).toEqual({ host: "127.0.0.1", port: 8080 });
    expect(parseAddress("[::1]:443")).toEqual({ host: "::1", port: 443 });
    expect(parseAddress("localhost:0")).toEqual({ host: "localhost", port: 0 });
    expect(parseAddress("10.0.0.1:80\0garbage")).toEqual({ host: "10.0.0.1", port: 80 });
  });

  test("unix forms and bad ports are refused with the contract's errno", () => {
    expect(errno(() => parseAddress("unix:/tmp/s"))).toBe(Errno.Afnosupport);
    expect(errno(() => parseAddress("/tmp/socket"))).toBe(Errno.Afnosupport);
    expect(errno(() => parseAddress("1.2.3.4:65536"))).toBe(Errno.Inval);
    expect(errno(() => parseAddress("1.2.3.4:http"))).toBe(Errno.Inval);
    expect(errno(() => parseAddress("[::1:80"))).toBe(Errno.Inval);
  });

  test("written back with brackets for IPv6", () => {
    expect(formatAddress({ address: "127.0.0.1", port: 9 })).toBe("127.0.0.1:9");
    expect(formatAddress({ address: "::1", port: 9 })).toBe("[::1]:9");
  });
});

describe("flock table", () => {
  test("shared locks coexist, an exclusive one excludes, conversions replace", async () => {
    const t = new FlockTable();
    await t.apply({ file: "f", owner: "1:1", op: LOCK_SH });
    await t.apply({ file: "f", owner: "2:1", op: LOCK_SH | LOCK_NB });
    await expect(t.apply({ file: "f", owner: "1:1", op: LOCK_EX | LOCK_NB })).rejects.toMatchObject({ errno: Errno.Again });
    await t.apply({ file: "f", owner: "2:1", op: LOCK_UN });
    await t.apply({ file: "f", owner: "1:1", op: LOCK_EX | LOCK_NB });
    await expect(t.apply({ file: "f", owner: "2:1", op: LOCK_SH | LOCK_NB })).rejects.toMatchObject({ errno: Errno.Again });
    await expect(t.apply({ file: "f", owner: "2:1", op: 3 })).rejects.toMatchObject({ errno: Errno.Inval });
  });

  test("a blocking request is granted when the holder's process exits", async () => {
    const t = new FlockTable();
    await t.apply({ file: "f", owner: "1:1", op: LOCK_EX });
    let granted = false;
    const waiting = t.apply({ file: "f", owner: "2:1", op: LOCK_EX }).then(() => (granted = true));
    await Promise.resolve();
    expect(granted).toBe(false);
    t.release("1:");
    await waiting;
    expect(granted).toBe(true);
  });
});
