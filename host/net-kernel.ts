// host_net on the main thread: the sockets themselves. Node's `net` and `dgram` are
// asynchronous, so every socket lives here and a worker reaches it through system calls
// (`{ op: "net" }` on the channel); a call that must wait (accept, recv, connect, poll) is
// answered when the socket's state changes, while the worker blocks in `Atomics.wait`.
// Received bytes and datagrams are buffered here until the guest asks for them.

import { lookup, resolvePtr, reverse } from "node:dns/promises";
import * as dgram from "node:dgram";
import * as net from "node:net";
import * as tls from "node:tls";
import {
  Errno,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLOUT,
  POLLRDNORM,
  POLLWRNORM,
  SOCK_DGRAM,
  SOCK_STREAM,
  SO_ACCEPTCONN,
  SO_DOMAIN,
  SO_ERROR,
  SO_KEEPALIVE,
  SO_PROTOCOL,
  SO_RCVBUF,
  SO_RCVTIMEO,
  SO_REUSEADDR,
  SO_SNDBUF,
  SO_SNDTIMEO,
  SO_TYPE,
  SOL_SOCKET,
  SOL_TCP,
  SocketDomain,
  fail,
} from "../generated/ts/index.ts";
import { errnoOf } from "./errno.ts";
import { DNS_FLAG_NODATA, DNS_FLAG_NXDOMAIN, DNS_RR_PTR, localAnswer, reverseAddress, wireName, type DnsAnswer } from "./net-dns.ts";

/** Linux's `SOL_SOCKET`, accepted as well as the contract's wasi-libc value. */
const LINUX_SOL_SOCKET = 1;
/** Linux `TCP_NODELAY` at `sol_tcp`. */
const TCP_NODELAY = 1;
/** The 64-bit-time `SO_RCVTIMEO`/`SO_SNDTIMEO` values the contract also accepts. */
const SO_RCVTIMEO_64 = 20;
const SO_SNDTIMEO_64 = 21;
/** Receive buffering before the peer is paused (TCP backpressure). */
const RX_HIGH_WATER = 1 << 20;
const DEFAULT_BUF = 212992;
/** How long a closed connection may still flush what the guest sent. */
const LINGER_MS = 5000;
/** How long a TLS handshake may take before `net_tls_connect` gives up (`timedout`). */
const HANDSHAKE_MS = 30000;

export type NetCall =
  | { fn: "socket"; domain: number; type: number }
  | { fn: "pair"; type: number }
  | { fn: "bind"; id: number; addr: string }
  | { fn: "listen"; id: number; backlog: number }
  | { fn: "accept"; id: number; nonblock: boolean }
  | { fn: "connect"; id: number; addr: string; nonblock: boolean }
  | { fn: "send"; id: number; data: Uint8Array; to: string | null; nonblock: boolean }
  | { fn: "recv"; id: number; max: number; peek: boolean; nonblock: boolean; from: boolean }
  | { fn: "name"; id: number; peer: boolean }
  | { fn: "setopt"; id: number; level: number; name: number; value: Uint8Array }
  | { fn: "getopt"; id: number; level: number; name: number }
  | { fn: "poll"; ids: number[]; events: number[]; waitMs: number }
  | { fn: "shutdown"; id: number; how: number }
  | { fn: "close"; id: number }
  | { fn: "lookup"; host: string; family: number }
  | { fn: "dns"; name: string; rrtype: number }
  | { fn: "tls"; id: number; hostname: string };

export type NetReply = { errno: number; value?: unknown };

interface Endpoint {
  address: string;
  port: number;
}

interface Sock {
  id: number;
  owner: number;
  family: 4 | 6;
  type: "stream" | "dgram";
  local: Endpoint | null;
  remote: Endpoint | null;
  server: net.Server | null;
  backlog: number[];
  conn: net.Socket | null;
  connecting: boolean;
  /** The connection was upgraded by `net_tls_connect` (`conn` is then the TLS socket). */
  tls: boolean;
  udp: dgram.Socket | null;
  rx: Buffer[];
  rxBytes: number;
  datagrams: { data: Buffer; from: Endpoint }[];
  eof: boolean;
  /** The pending error `SO_ERROR` reads and clears. */
  error: number;
  closed: boolean;
  options: Map<string, Uint8Array>;
  waiters: Set<() => void>;
}

/** `a.b.c.d:port`, `[v6]:port` or `host:port`; `unix:` forms are not served by this host. */
export function parseAddress(text: string): { host: string; port: number } {
  const nul = text.indexOf("\0");
  if (nul >= 0) text = text.slice(0, nul);
  if (text.startsWith("unix")) throw fail(Errno.Afnosupport);
  let host: string;
  let port: string;
  if (text.startsWith("[")) {
    const close = text.indexOf("]:");
    if (close < 0) throw fail(Errno.Inval);
    host = text.slice(1, close);
    port = text.slice(close + 2);
  } else {
    const colon = text.lastIndexOf(":");
    if (colon < 0) throw fail(Errno.Afnosupport); // a colon-less string is a unix path
    host = text.slice(0, colon);
    port = text.slice(colon + 1);
  }
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw fail(Errno.Inval);
  return { host, port: Number(port) };
}

export function formatAddress(e: Endpoint): string {
  return net.isIPv6(e.address) ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

function endpointOf(address: string | undefined, port: number | undefined): Endpoint | null {
  if (address === undefined || port === undefined) return null;
  return { address: address.startsWith("::ffff:") && net.isIPv4(address.slice(7)) ? address.slice(7) : address, port };
}

const int32 = (value: number) => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, value, true);
  return out;
};

export interface NetKernelOptions {
  /** Extra PEM certificates trusted by `net_tls_connect`, besides Node's root store. */
  tlsCa?: string[];
}

export class NetKernel {
  private readonly sockets = new Map<number, Sock>();
  private nextId = 1;

  constructor(private readonly opts: NetKernelOptions = {}) {}

  async handle(owner: number, call: NetCall): Promise<NetReply> {
    try {
      return { errno: 0, value: await this.dispatch(owner, call) };
    } catch (error) {
      return { errno: errnoOf(error) };
    }
  }

  /** Closes every socket a process still holds (it exited). */
  release(owner: number): void {
    for (const s of [...this.sockets.values()]) if (s.owner === owner) this.close(s);
  }

  private dispatch(owner: number, c: NetCall): unknown {
    switch (c.fn) {
      case "socket":
        return this.socket(owner, c.domain, c.type);
      case "pair":
        return this.pair(owner, c.type);
      case "bind":
        return this.bind(this.get(c.id), c.addr);
      case "listen":
        return this.listen(this.get(c.id), c.backlog);
      case "accept":
        return this.accept(owner, this.get(c.id), c.nonblock);
      case "connect":
        return this.connect(this.get(c.id), c.addr, c.nonblock);
      case "send":
        return this.send(this.get(c.id), Buffer.from(c.data), c.to, c.nonblock);
      case "recv":
        return this.recv(this.get(c.id), c.max, c.peek, c.nonblock, c.from);
      case "name": {
        const s = this.get(c.id);
        const e = c.peer ? s.remote : s.local;
        if (!e) {
          if (c.peer) throw fail(Errno.Notconn);
          return formatAddress({ address: s.family === 6 ? "::" : "0.0.0.0", port: 0 });
        }
        return formatAddress(e);
      }
      case "setopt":
        return this.setopt(this.get(c.id), c.level, c.name, c.value);
      case "getopt":
        return this.getopt(this.get(c.id), c.level, c.name);
      case "poll":
        return this.poll(c.ids, c.events, c.waitMs);
      case "shutdown": {
        const s = this.get(c.id);
        if (s.type !== "stream" || !s.conn) throw fail(Errno.Notconn);
        if (c.how & 1) s.eof = true;
        if (c.how & 2) s.conn.end();
        this.notify(s);
        return 0;
      }
      case "close":
        this.close(this.get(c.id));
        return 0;
      case "lookup":
        return this.lookup(c.host, c.family);
      case "dns":
        return this.dnsQuery(c.name, c.rrtype);
      case "tls":
        return this.tlsConnect(this.get(c.id), c.hostname);
    }
  }

  private get(id: number): Sock {
    const s = this.sockets.get(id);
    if (!s || s.closed) throw fail(Errno.Badf);
    return s;
  }

  private socket(owner: number, domain: number, type: number): number {
    if (domain === SocketDomain.Unix) throw fail(Errno.Afnosupport);
    if (domain !== SocketDomain.Inet && domain !== SocketDomain.Inet6) throw fail(Errno.Afnosupport);
    if (type !== SOCK_STREAM && type !== SOCK_DGRAM) throw fail(Errno.Socktnosupport);
    const id = this.nextId++;
    this.sockets.set(id, {
      id,
      owner,
      family: domain === SocketDomain.Inet ? 4 : 6,
      type: type === SOCK_STREAM ? "stream" : "dgram",
      local: null,
      remote: null,
      server: null,
      backlog: [],
      conn: null,
      connecting: false,
      tls: false,
      udp: null,
      rx: [],
      rxBytes: 0,
      datagrams: [],
      eof: false,
      error: 0,
      closed: false,
      options: new Map(),
      waiters: new Set(),
    });
    return id;
  }

  /**
   * A connected pair (`socketpair`), made of loopback sockets: a TCP connection through a
   * listener closed at once, or two UDP sockets connected to each other.
   */
  private async pair(owner: number, type: number): Promise<[number, number]> {
    const open = (t: number) => this.get(this.socket(owner, SocketDomain.Inet, t));
    if (type === SOCK_DGRAM) {
      const [a, b] = [open(SOCK_DGRAM), open(SOCK_DGRAM)];
      await this.bind(a, "127.0.0.1:0");
      await this.bind(b, "127.0.0.1:0");
      a.remote = b.local;
      b.remote = a.local;
      return [a.id, b.id];
    }
    if (type !== SOCK_STREAM) throw fail(Errno.Notsup);
    const listener = open(SOCK_STREAM);
    try {
      await this.bind(listener, "127.0.0.1:0");
      await this.listen(listener, 1);
      const a = open(SOCK_STREAM);
      const connected = this.connect(a, formatAddress(listener.local!), false);
      for (;;) {
        const { id } = await this.accept(owner, listener, false);
        await connected;
        const b = this.get(id);
        // Only our own connection will do; anything else that raced in is dropped.
        if (b.remote?.port === a.local?.port) return [a.id, b.id];
        this.close(b);
      }
    } finally {
      this.close(listener);
    }
  }

  /** Resolves an address string to a numeric host of the socket's family. */
  private async resolve(s: Sock, addr: string): Promise<Endpoint> {
    const { host, port } = parseAddress(addr);
    if (net.isIP(host)) return { address: host, port };
    if (host === "localhost") return { address: s.family === 4 ? "127.0.0.1" : "::1", port };
    const found = await lookup(host, { family: s.family }).catch(() => null);
    if (!found) throw fail(Errno.Hostunreach);
    return { address: found.address, port };
  }

  private async bind(s: Sock, addr: string): Promise<number> {
    if (s.local) throw fail(Errno.Inval);
    const e = await this.resolve(s, addr);
    if (s.type === "dgram") {
      const udp = this.udpOf(s);
      await new Promise<void>((resolve, reject) => {
        udp.once("error", reject);
        udp.bind({ address: e.address, port: e.port, exclusive: true }, () => {
          udp.off("error", reject);
          resolve();
        });
      });
      const a = udp.address();
      s.local = { address: a.address, port: a.port };
    } else {
      // Node binds a TCP socket only when it listens or connects: the address is kept until then.
      s.local = e;
    }
    return 0;
  }

  private async listen(s: Sock, backlog: number): Promise<number> {
    if (s.type !== "stream") throw fail(Errno.Notsup);
    if (s.conn) throw fail(Errno.Isconn);
    if (s.server) return 0;
    const local = s.local ?? { address: s.family === 4 ? "0.0.0.0" : "::", port: 0 };
    const server = net.createServer({ pauseOnConnect: false });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host: local.address, port: local.port, backlog: Math.max(1, Math.min(backlog, 128)), exclusive: true }, () => {
        server.off("error", reject);
        resolve();
      });
    });
    server.on("connection", (conn) => {
      if (s.closed) return conn.destroy();
      const id = this.socket(s.owner, s.family === 4 ? SocketDomain.Inet : SocketDomain.Inet6, SOCK_STREAM);
      const accepted = this.sockets.get(id)!;
      this.attach(accepted, conn);
      s.backlog.push(id);
      this.notify(s);
    });
    server.on("error", () => {});
    const a = server.address() as net.AddressInfo;
    s.local = { address: a.address, port: a.port };
    s.server = server;
    return 0;
  }

  private async accept(owner: number, s: Sock, nonblock: boolean): Promise<{ id: number; peer: string }> {
    if (!s.server) throw fail(Errno.Inval);
    for (;;) {
      const id = s.backlog.shift();
      if (id !== undefined) {
        const accepted = this.sockets.get(id)!;
        accepted.owner = owner;
        return { id, peer: formatAddress(accepted.remote ?? { address: "0.0.0.0", port: 0 }) };
      }
      if (nonblock) throw fail(Errno.Again);
      await this.change(s);
      if (s.closed) throw fail(Errno.Badf);
    }
  }

  /** Wires a connected Node socket to `s`: incoming bytes are buffered, errors kept. */
  private attach(s: Sock, conn: net.Socket): void {
    s.conn = conn;
    s.local = endpointOf(conn.localAddress, conn.localPort);
    s.remote = endpointOf(conn.remoteAddress, conn.remotePort);
    this.applyOptions(s);
    conn.on("data", (chunk: Buffer) => {
      if (s.closed) return;
      s.rx.push(chunk);
      s.rxBytes += chunk.length;
      if (s.rxBytes > RX_HIGH_WATER) conn.pause();
      this.notify(s);
    });
    conn.on("end", () => {
      s.eof = true;
      this.notify(s);
    });
    conn.on("error", (error) => {
      s.error = errnoOf(error);
      this.notify(s);
    });
    conn.on("close", () => {
      s.eof = true;
      this.notify(s);
    });
    conn.on("drain", () => this.notify(s));
  }

  private async connect(s: Sock, addr: string, nonblock: boolean): Promise<number> {
    const e = await this.resolve(s, addr);
    if (s.type === "dgram") {
      s.remote = e;
      return 0;
    }
    if (s.conn) throw fail(s.connecting ? Errno.Already : Errno.Isconn);
    if (s.server) throw fail(Errno.Inval);
    const conn = net.connect({
      host: e.address,
      port: e.port,
      ...(s.local ? { localAddress: s.local.address, localPort: s.local.port || undefined } : {}),
    });
    s.connecting = true;
    s.conn = conn;
    const settled = new Promise<number>((resolve) => {
      const refused = (error: Error) => {
        s.connecting = false;
        s.error = errnoOf(error);
        s.conn = null;
        this.notify(s);
        resolve(s.error);
      };
      conn.once("error", refused);
      conn.once("connect", () => {
        conn.off("error", refused);
        s.connecting = false;
        this.attach(s, conn);
        this.notify(s);
        resolve(0);
      });
    });
    if (nonblock) throw fail(Errno.Inprogress);
    const errno = await settled;
    if (errno) {
      s.error = 0;
      throw fail(errno);
    }
    return 0;
  }

  private async send(s: Sock, data: Buffer, to: string | null, nonblock: boolean): Promise<number> {
    if (s.type === "dgram") {
      const dest = to !== null ? await this.resolve(s, to) : s.remote;
      if (!dest) throw fail(Errno.Destaddrreq);
      const udp = this.udpOf(s);
      await new Promise<void>((resolve, reject) => udp.send(data, dest.port, dest.address, (error) => (error ? reject(error) : resolve())));
      if (!s.local) {
        const a = udp.address();
        s.local = { address: a.address, port: a.port };
      }
      return data.length;
    }
    const conn = s.conn;
    if (!conn || s.connecting) throw fail(s.connecting ? Errno.Again : Errno.Notconn);
    if (s.error) throw fail(this.takeError(s));
    if (conn.writableEnded || conn.destroyed) throw fail(Errno.Pipe);
    if (conn.writableNeedDrain && nonblock) throw fail(Errno.Again);
    const flushed = conn.write(data);
    if (!flushed && !nonblock) await this.change(s);
    return data.length;
  }

  private async recv(s: Sock, max: number, peek: boolean, nonblock: boolean, from: boolean): Promise<{ data: Uint8Array; from: string | null }> {
    const timeoutMs = this.timeoutOf(s, "rcv");
    const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : null;
    for (;;) {
      if (s.closed) throw fail(Errno.Badf);
      if (s.type === "dgram") {
        const d = s.datagrams[0];
        if (d) {
          if (!peek) s.datagrams.shift();
          // A copy: a view would send its whole (pooled) buffer across to the worker.
          return { data: Uint8Array.prototype.slice.call(d.data, 0, max), from: from ? formatAddress(d.from) : null };
        }
      } else {
        if (!s.conn && !s.eof) throw fail(Errno.Notconn);
        if (s.rxBytes > 0) return { data: this.take(s, max, peek), from: from && s.remote ? formatAddress(s.remote) : null };
        if (s.error) throw fail(this.takeError(s));
        if (s.eof) return { data: new Uint8Array(0), from: null };
      }
      if (nonblock) throw fail(Errno.Again);
      const left = deadline === null ? undefined : deadline - Date.now();
      if (left !== undefined && left <= 0) throw fail(Errno.Again);
      await this.change(s, left);
    }
  }

  /** Up to `max` buffered bytes, consumed unless `peek`. */
  private take(s: Sock, max: number, peek: boolean): Uint8Array {
    const all = s.rx.length === 1 ? s.rx[0]! : Buffer.concat(s.rx);
    const out = Uint8Array.prototype.slice.call(all, 0, max);
    if (!peek) {
      const rest = all.subarray(out.length);
      s.rx = rest.length ? [rest] : [];
      s.rxBytes = rest.length;
      if (s.rxBytes <= RX_HIGH_WATER && s.conn?.isPaused()) s.conn.resume();
    }
    return out;
  }

  private takeError(s: Sock): number {
    const e = s.error;
    s.error = 0;
    return e;
  }

  private udpOf(s: Sock): dgram.Socket {
    if (s.udp) return s.udp;
    const udp = dgram.createSocket({ type: s.family === 4 ? "udp4" : "udp6", reuseAddr: this.flag(s, "reuseaddr") });
    udp.on("message", (data, rinfo) => {
      s.datagrams.push({ data, from: endpointOf(rinfo.address, rinfo.port)! });
      this.notify(s);
    });
    udp.on("error", (error) => {
      s.error = errnoOf(error);
      this.notify(s);
    });
    s.udp = udp;
    return udp;
  }

  /** `revents` for each socket, waiting up to `waitMs` for one to become ready. */
  private async poll(ids: number[], events: number[], waitMs: number): Promise<number[]> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const revents = ids.map((id, i) => this.readiness(id, events[i]!));
      const left = deadline - Date.now();
      if (revents.some((r) => r !== 0) || left <= 0) return revents;
      const socks = ids.map((id) => this.sockets.get(id)).filter((s): s is Sock => s !== undefined && !s.closed);
      if (socks.length === 0) return revents;
      await this.changeAny(socks, left);
    }
  }

  private readiness(id: number, events: number): number {
    const s = this.sockets.get(id);
    if (!s || s.closed) return 0x20; // pollnval
    const wantIn = (events & (POLLIN | POLLRDNORM)) !== 0;
    const wantOut = (events & (POLLOUT | POLLWRNORM)) !== 0;
    let r = 0;
    if (s.error) r |= POLLERR;
    if (s.type === "dgram") {
      if (wantIn && s.datagrams.length) r |= events & (POLLIN | POLLRDNORM);
      if (wantOut) r |= events & (POLLOUT | POLLWRNORM);
      return r;
    }
    if (s.server) return wantIn && s.backlog.length ? r | (events & (POLLIN | POLLRDNORM)) : r;
    if (!s.conn) return s.connecting ? r : r | POLLHUP | (wantOut ? events & (POLLOUT | POLLWRNORM) : 0);
    if (s.connecting) return r;
    if (wantIn && (s.rxBytes > 0 || s.eof)) r |= events & (POLLIN | POLLRDNORM);
    if (wantOut && !s.conn.writableNeedDrain && !s.conn.writableEnded) r |= events & (POLLOUT | POLLWRNORM);
    if (s.eof && (s.conn.destroyed || s.conn.writableEnded)) r |= POLLHUP;
    return r;
  }

  private setopt(s: Sock, level: number, name: number, value: Uint8Array): number {
    const key = this.optionKey(level, name);
    if (key === "type" || key === "error" || key === "acceptconn" || key === "domain" || key === "protocol") throw fail(Errno.Noprotoopt);
    if (value.length < 4) throw fail(Errno.Inval);
    if ((key === "rcvtimeo" || key === "sndtimeo") && value.length < 8) throw fail(Errno.Inval);
    s.options.set(key, value.slice());
    this.applyOptions(s);
    return 0;
  }

  private getopt(s: Sock, level: number, name: number): Uint8Array {
    const key = this.optionKey(level, name);
    switch (key) {
      case "type":
        return int32(s.type === "stream" ? SOCK_STREAM : SOCK_DGRAM);
      case "error":
        return int32(this.takeError(s));
      case "acceptconn":
        return int32(s.server ? 1 : 0);
      case "domain":
        return int32(s.family === 4 ? SocketDomain.Inet : SocketDomain.Inet6);
      case "protocol":
        return int32(s.type === "stream" ? 6 : 17);
      case "rcvbuf":
      case "sndbuf": {
        const set = s.options.get(key);
        // Linux doubles the requested size to leave room for bookkeeping.
        return int32(set ? new DataView(set.buffer).getInt32(0, true) * 2 : DEFAULT_BUF);
      }
      case "rcvtimeo":
      case "sndtimeo":
        return s.options.get(key) ?? new Uint8Array(8);
      default:
        return int32(this.flag(s, key) ? 1 : 0);
    }
  }

  private optionKey(level: number, name: number): string {
    if (level === SOL_SOCKET || level === LINUX_SOL_SOCKET) {
      const names: Record<number, string> = {
        [SO_REUSEADDR]: "reuseaddr",
        [SO_TYPE]: "type",
        [SO_ERROR]: "error",
        [SO_SNDBUF]: "sndbuf",
        [SO_RCVBUF]: "rcvbuf",
        [SO_KEEPALIVE]: "keepalive",
        [SO_ACCEPTCONN]: "acceptconn",
        [SO_PROTOCOL]: "protocol",
        [SO_DOMAIN]: "domain",
        [SO_RCVTIMEO]: "rcvtimeo",
        [SO_RCVTIMEO_64]: "rcvtimeo",
        [SO_SNDTIMEO]: "sndtimeo",
        [SO_SNDTIMEO_64]: "sndtimeo",
      };
      const key = names[name];
      if (key) return key;
    }
    if (level === SOL_TCP && name === TCP_NODELAY) return "nodelay";
    throw fail(Errno.Noprotoopt);
  }

  private flag(s: Sock, key: string): boolean {
    const v = s.options.get(key);
    return v !== undefined && new DataView(v.buffer).getInt32(0, true) !== 0;
  }

  /** The receive or send timeout in ms (a 32-bit `struct timeval`), 0 = none. */
  private timeoutOf(s: Sock, which: "rcv" | "snd"): number {
    const v = s.options.get(`${which}timeo`);
    if (!v) return 0;
    const dv = new DataView(v.buffer);
    return dv.getInt32(0, true) * 1000 + Math.ceil(dv.getInt32(4, true) / 1000);
  }

  private applyOptions(s: Sock): void {
    if (s.conn && !s.connecting) {
      s.conn.setNoDelay(this.flag(s, "nodelay"));
      s.conn.setKeepAlive(this.flag(s, "keepalive"));
    }
    const rcv = s.options.get("rcvbuf");
    if (s.udp && s.local && rcv) s.udp.setRecvBufferSize(new DataView(rcv.buffer).getInt32(0, true));
  }

  private async lookup(host: string, family: number): Promise<{ addr: string; family: number }[]> {
    const wanted = (f: number) => family === 0 || family === f;
    const ip = net.isIP(host);
    if (ip) return wanted(ip) ? [{ addr: host, family: ip }] : [];
    if (host === "localhost") {
      return [
        { addr: "127.0.0.1", family: 4 },
        { addr: "::1", family: 6 },
      ].filter((a) => wanted(a.family));
    }
    const found = await lookup(host, { all: true }).catch(() => null);
    if (!found) throw fail(Errno.Noent);
    return found.filter((a) => wanted(a.family)).slice(0, 256).map((a) => ({ addr: a.address, family: a.family }));
  }

  /** One resource-record query (see net-dns.ts): local answers first, then Node's resolver. */
  private async dnsQuery(name: string, rrtype: number): Promise<DnsAnswer> {
    const local = localAnswer(name, rrtype);
    if (local) return local;
    const failed = (error: unknown): DnsAnswer => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOTFOUND") return { records: [], status: DNS_FLAG_NXDOMAIN, ttl: 0 };
      if (code === "ENODATA") return { records: [], status: DNS_FLAG_NODATA, ttl: 0 };
      throw fail(code === "ETIMEOUT" || code === "ESERVFAIL" || code === "ECONNREFUSED" || code === "EAI_AGAIN" ? Errno.Again : Errno.Io);
    };
    try {
      if (rrtype === DNS_RR_PTR) {
        const ip = reverseAddress(name);
        const names = ip !== null ? await reverse(ip) : await resolvePtr(name);
        // Node reports no TTL for PTR records: 0 says "not known".
        return { records: names.map(wireName), status: names.length ? 0 : DNS_FLAG_NODATA, ttl: 0 };
      }
      // SSHFP: Node cannot ask for the type, so a name that exists is answered as having none.
      await lookup(name, { all: true });
      return { records: [], status: DNS_FLAG_NODATA, ttl: 0 };
    } catch (error) {
      return failed(error);
    }
  }

  /**
   * Upgrades a connected TCP socket to a TLS client (SNI and verification against `hostname`).
   * The plain socket's listeners move to the TLS socket, so later sends and receives (and a
   * pending `SO_ERROR`, poll readiness, close) see plaintext. A failed handshake or certificate
   * check answers `connaborted` and leaves the connection closed.
   */
  private async tlsConnect(s: Sock, hostname: string): Promise<number> {
    if (s.type !== "stream") throw fail(Errno.Notsup);
    const raw = s.conn;
    if (!raw || s.connecting || s.server) throw fail(Errno.Notconn);
    if (s.tls) throw fail(Errno.Isconn);
    const { local, remote } = s;
    const abandon = (errno: number): never => {
      raw.destroy();
      s.conn = null;
      s.eof = true;
      this.notify(s);
      throw fail(errno);
    };
    // A peer that already hung up cannot take part in a handshake.
    if (raw.destroyed || raw.writableEnded || s.eof) abandon(Errno.Connaborted);
    for (const event of ["data", "end", "error", "close", "drain"]) raw.removeAllListeners(event);
    raw.resume();
    const extra = this.opts.tlsCa ?? [];
    const secure = tls.connect({
      socket: raw,
      host: hostname,
      // RFC 6066: no SNI for an address literal.
      ...(net.isIP(hostname) ? {} : { servername: hostname }),
      ...(extra.length ? { ca: [...tls.rootCertificates, ...extra] } : {}),
    });
    s.tls = true;
    const errno = await new Promise<number>((resolve) => {
      const timer = setTimeout(() => secure.destroy(Object.assign(new Error("TLS handshake timed out"), { code: "ETIMEDOUT" })), HANDSHAKE_MS);
      secure.once("secureConnect", () => {
        clearTimeout(timer);
        secure.removeAllListeners("error");
        resolve(0);
      });
      secure.once("error", (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve(error.code === "ETIMEDOUT" ? Errno.Timedout : Errno.Connaborted);
      });
    });
    if (errno) {
      secure.destroy();
      abandon(errno);
    }
    this.attach(s, secure);
    s.local = local;
    s.remote = remote;
    return 0;
  }

  private close(s: Sock): void {
    if (s.closed) return;
    s.closed = true;
    this.sockets.delete(s.id);
    // As close(2): bytes already sent still reach the peer, then the connection ends. Incoming
    // bytes are dropped, and a peer that never reads gets LINGER_MS before the reset.
    const conn = s.conn;
    if (conn && !conn.destroyed) {
      conn.resume();
      conn.destroySoon();
      setTimeout(() => conn.destroy(), LINGER_MS).unref();
    }
    s.server?.close();
    s.udp?.close();
    for (const id of s.backlog) {
      const pending = this.sockets.get(id);
      if (pending) this.close(pending);
    }
    this.notify(s);
  }

  private notify(s: Sock): void {
    const waiters = [...s.waiters];
    s.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Resolves at the socket's next state change (or after `ms`). */
  private change(s: Sock, ms?: number): Promise<void> {
    return this.changeAny([s], ms);
  }

  private changeAny(socks: Sock[], ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        for (const s of socks) s.waiters.delete(wake);
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(wake, ms);
      for (const s of socks) s.waiters.add(wake);
    });
  }
}
