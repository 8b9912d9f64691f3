// The host's side of the error contract: Node's error codes mapped to the contract's errno,
// and the exit that also carries a signal number (the glue lets every `ProcExit` through).

import { Errno, Failure, ProcExit as GuestExit } from "../generated/ts/index.ts";

/** Ends the guest process: `proc_exit`, a default signal action; `signal` is 0 for an exit. */
export class ProcExit extends GuestExit {
  constructor(
    code: number,
    readonly signal = 0,
  ) {
    super(code);
    this.message = signal ? `killed by signal ${signal}` : `exit ${code}`;
  }
}

const NODE_CODES: Record<string, number> = {
  EACCES: Errno.Acces,
  EADDRINUSE: Errno.Addrinuse,
  EADDRNOTAVAIL: Errno.Addrnotavail,
  EAGAIN: Errno.Again,
  EBADF: Errno.Badf,
  EBUSY: Errno.Busy,
  ECONNABORTED: Errno.Connaborted,
  ECONNREFUSED: Errno.Connrefused,
  ECONNRESET: Errno.Connreset,
  EEXIST: Errno.Exist,
  EFBIG: Errno.Fbig,
  EHOSTUNREACH: Errno.Hostunreach,
  EINVAL: Errno.Inval,
  EISDIR: Errno.Isdir,
  ELOOP: Errno.Loop,
  EMFILE: Errno.Mfile,
  EMSGSIZE: Errno.Msgsize,
  ENAMETOOLONG: Errno.Nametoolong,
  ENETUNREACH: Errno.Netunreach,
  ENOENT: Errno.Noent,
  ENOMEM: Errno.Nomem,
  ENOSPC: Errno.Nospc,
  ENOTCONN: Errno.Notconn,
  ENOTDIR: Errno.Notdir,
  ENOTEMPTY: Errno.Notempty,
  ENOTSUP: Errno.Notsup,
  EPERM: Errno.Perm,
  EPIPE: Errno.Pipe,
  EROFS: Errno.Rofs,
  ESPIPE: Errno.Spipe,
  ETIMEDOUT: Errno.Timedout,
  EXDEV: Errno.Xdev,
  ENODATA: Errno.Nodata,
  ERANGE: Errno.Range,
  EOPNOTSUPP: Errno.Notsup,
  ENOSYS: Errno.Nosys,
  EOVERFLOW: Errno.Overflow,
  ETXTBSY: Errno.Txtbsy,
  EDQUOT: Errno.Dquot,
  EMLINK: Errno.Mlink,
};

/** The errno for a thrown Node error (unknown codes are `io`, as the contract says). */
export function errnoOf(error: unknown): number {
  if (error instanceof Failure) return error.errno;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return (code && NODE_CODES[code]) || Errno.Io;
}
