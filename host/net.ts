// host_net in the worker, as the generated `HostNet` interface: socket descriptors live in the
// process's fd table (so fd_read, fd_write, fd_close and poll_oneoff serve them too); each
// socket operation is a system call to the main thread's `NetKernel` (net-kernel.ts), which
// owns the Node sockets.

import {
  Errno,
  SOL_SOCKET,
  SO_ACCEPTCONN,
  MSG_DONTWAIT,
  MSG_PEEK,
  MSG_WAITALL,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  SOCK_TYPE_MASK,
  fail,
  type GuestMemory,
  type HostNet,
} from "../generated/ts/index.ts";
import type { SyscallClient } from "./channel.ts";
import { OpenFile } from "./fdtable.ts";
import type { Guest } from "./guest.ts";
import type { NetCall } from "./net-kernel.ts";
import { DNS_RR_PTR, DNS_RR_SSHFP, queryName, rrPayload, type DnsAnswer } from "./net-dns.ts";
import { pollSet } from "./poll.ts";

const enc = new TextEncoder();

/** The worker's end of the socket system calls. */
export class NetClient {
  constructor(
    private readonly rpc: SyscallClient,
    /** Runs between wait slices (a terminating signal ends a blocked call). */
    private readonly onSlice: () => void,
  ) {}

  call<T>(call: NetCall): T {
    const reply = this.rpc.call({ op: "net", call }, this.onSlice);
    if (reply.errno) throw fail(reply.errno);
    return reply.value as T;
  }

  recv(id: number, max: number, peek: boolean, nonblock: boolean): Uint8Array {
    return this.call<{ data: Uint8Array }>({ fn: "recv", id, max, peek, nonblock, from: false }).data;
  }

  send(id: number, data: Uint8Array, nonblock: boolean): number {
    return this.call<number>({ fn: "send", id, data: data.slice(), to: null, nonblock });
  }

  close(id: number): void {
    try {
      this.call({ fn: "close", id });
    } catch {
      // Already gone on the main thread: nothing left to release.
    }
  }
}

type SocketDesc = { kind: "socket"; id: number; type: "stream" | "dgram"; net: NetClient };

/** The socket behind `fd`: `badf` when it is not open, `notsock` when it is not a socket. */
function socketOf(g: Guest, fd: number): { file: OpenFile; d: SocketDesc } {
  const file = g.fds.get(fd);
  if (file.desc.kind !== "socket") throw fail(Errno.Notsock);
  return { file, d: file.desc };
}

/** Writes an address string through an in/out length pointer: truncated text, full length. */
function writeAddress(memory: GuestMemory, text: string | null, addr: number, inoutLen: number): void {
  const cap = memory.getU32(inoutLen);
  memory.check(addr, cap);
  const bytes = enc.encode(text ?? "");
  memory.write(addr, bytes.subarray(0, Math.min(cap, bytes.length)));
  memory.setU32(inoutLen, bytes.length);
}

export function hostNet(g: Guest): Partial<HostNet> {
  const net = g.net;
  const nonblock = (file: OpenFile, flags: number) => file.nonblock || (flags & MSG_DONTWAIT) !== 0;

  return {
    netSocket: (domain, type, protocol) => {
      const base = type & SOCK_TYPE_MASK;
      if (type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) throw fail(Errno.Inval);
      if (protocol !== 0 && protocol !== (base === SOCK_STREAM ? 6 : base === SOCK_DGRAM ? 17 : -1)) throw fail(Errno.Protonosupport);
      const id = net.call<number>({ fn: "socket", domain, type: base });
      const file = new OpenFile({ kind: "socket", id, type: base === SOCK_STREAM ? "stream" : "dgram", net });
      file.nonblock = (type & SOCK_NONBLOCK) !== 0;
      const fd = g.fds.add(file);
      if (type & SOCK_CLOEXEC) g.fds.entry(fd).cloexec = true;
      return fd;
    },
    netSetNonblock: (fd, enable) => {
      socketOf(g, fd).file.nonblock = enable !== 0;
    },
    netConnect: (fd, addr) => {
      const { file, d } = socketOf(g, fd);
      net.call({ fn: "connect", id: d.id, addr, nonblock: file.nonblock });
    },
    netBind: (fd, addr) => {
      net.call({ fn: "bind", id: socketOf(g, fd).d.id, addr });
    },
    netListen: (fd, backlog) => {
      net.call({ fn: "listen", id: socketOf(g, fd).d.id, backlog });
    },
    netAccept: (fd, retFd, addr, inoutAddrLen, ctx) => {
      const { file, d } = socketOf(g, fd);
      ctx.memory.check(addr, ctx.memory.getU32(inoutAddrLen));
      const r = net.call<{ id: number; peer: string }>({ fn: "accept", id: d.id, nonblock: file.nonblock });
      const conn = g.fds.add(new OpenFile({ kind: "socket", id: r.id, type: "stream", net }));
      ctx.memory.setU32(retFd, conn);
      writeAddress(ctx.memory, r.peer, addr, inoutAddrLen);
    },
    netGetsockname: (fd, addr, inoutLen, ctx) => {
      writeAddress(ctx.memory, net.call<string>({ fn: "name", id: socketOf(g, fd).d.id, peer: false }), addr, inoutLen);
    },
    netGetpeername: (fd, addr, inoutLen, ctx) => {
      writeAddress(ctx.memory, net.call<string>({ fn: "name", id: socketOf(g, fd).d.id, peer: true }), addr, inoutLen);
    },
    netSend: (fd, buf, flags) => {
      const { file, d } = socketOf(g, fd);
      return net.send(d.id, buf, nonblock(file, flags));
    },
    netRecv: (fd, buf, flags, ctx) => {
      const { file, d } = socketOf(g, fd);
      const at = buf.byteOffset;
      let got = 0;
      do {
        const data = net.recv(d.id, buf.length - got, (flags & MSG_PEEK) !== 0, nonblock(file, flags) && got === 0);
        ctx.memory.write(at + got, data);
        got += data.length;
        if (data.length === 0) break;
      } while ((flags & MSG_WAITALL) !== 0 && d.type === "stream" && got < buf.length && (flags & MSG_PEEK) === 0);
      return got;
    },
    netSendto: (fd, buf, flags, addr) => {
      const { file, d } = socketOf(g, fd);
      return net.call<number>({ fn: "send", id: d.id, data: buf.slice(), to: addr, nonblock: nonblock(file, flags) });
    },
    netRecvfrom: (fd, buf, flags, retReceived, addr, inoutAddrLen, ctx) => {
      const { file, d } = socketOf(g, fd);
      ctx.memory.check(addr, ctx.memory.getU32(inoutAddrLen));
      const r = net.call<{ data: Uint8Array; from: string | null }>({
        fn: "recv",
        id: d.id,
        max: buf.length,
        peek: (flags & MSG_PEEK) !== 0,
        nonblock: nonblock(file, flags),
        from: true,
      });
      ctx.memory.write(buf.byteOffset, r.data);
      ctx.memory.setU32(retReceived, r.data.length);
      writeAddress(ctx.memory, r.from, addr, inoutAddrLen);
    },
    netSetsockopt: (fd, level, optname, optval) => {
      net.call({ fn: "setopt", id: socketOf(g, fd).d.id, level, name: optname, value: optval.slice() });
    },
    netGetsockopt: (fd, level, optname, optval, inoutOptlen, ctx) => {
      const cap = ctx.memory.getU32(inoutOptlen);
      ctx.memory.check(optval, cap);
      const value = net.call<Uint8Array>({ fn: "getopt", id: socketOf(g, fd).d.id, level, name: optname });
      ctx.memory.write(optval, value.subarray(0, Math.min(cap, value.length)));
      ctx.memory.setU32(inoutOptlen, value.length);
    },
    netPoll: (fds, nfds, timeoutMs, ctx) => pollSet(g, ctx.memory, fds, nfds, timeoutMs),
    netClose: (fd) => g.fds.close(fd),
    netValidateSocket: (fd) => {
      socketOf(g, fd);
    },
    netValidateAccept: (fd) => {
      const { d } = socketOf(g, fd);
      // accept(2) on a datagram socket: EOPNOTSUPP; on one that is not listening: EINVAL.
      if (d.type !== "stream") throw fail(Errno.Notsup);
      const listening = net.call<Uint8Array>({ fn: "getopt", id: d.id, level: SOL_SOCKET, name: SO_ACCEPTCONN });
      if (new DataView(listening.buffer, listening.byteOffset).getInt32(0, true) === 0) throw fail(Errno.Inval);
    },
    netTlsConnect: (fd, hostname) => {
      const hostnameText = hostname.split("\0")[0]!;
      if (hostnameText.length === 0) throw fail(Errno.Inval);
      net.call({ fn: "tls", id: socketOf(g, fd).d.id, hostname: hostnameText });
    },
    netDnsQueryRrV1: (name, rrtype, out, retLen, ctx) => {
      if (rrtype !== DNS_RR_PTR && rrtype !== DNS_RR_SSHFP) throw fail(Errno.Notsup);
      const answer = net.call<DnsAnswer>({ fn: "dns", name: queryName(name), rrtype });
      const payload = rrPayload(answer.records);
      ctx.memory.setU32(retLen, payload.length);
      if (payload.length > out.length) throw fail(Errno.Nobufs);
      ctx.memory.write(out.byteOffset, payload);
      return { ttl: answer.ttl, status: answer.status };
    },
    netGetaddrinfo: (host, _service, family, out, inoutLen, ctx) => {
      if (family !== 0 && family !== 4 && family !== 6) throw fail(Errno.Inval);
      const found = net.call<{ addr: string; family: number }[]>({ fn: "lookup", host, family });
      if (found.length === 0) throw fail(Errno.Noent);
      const json = enc.encode(JSON.stringify(found));
      const cap = ctx.memory.getU32(inoutLen);
      ctx.memory.setU32(inoutLen, json.length);
      if (json.length > cap) throw fail(Errno.Nobufs);
      ctx.memory.write(out, json);
    },
  };
}
