// WASI errno values the host answers with, the error that carries one out of an
// implementation, and the mapping from Node's error codes to them.

export const E = {
  success: 0,
  "2big": 1,
  acces: 2,
  again: 6,
  badf: 8,
  busy: 10,
  child: 12,
  exist: 20,
  fault: 21,
  fbig: 22,
  intr: 27,
  inval: 28,
  io: 29,
  isdir: 31,
  loop: 32,
  mfile: 33,
  nametoolong: 37,
  noent: 44,
  noexec: 45,
  nomem: 48,
  nospc: 51,
  nosys: 52,
  notdir: 54,
  notempty: 55,
  notsup: 58,
  notty: 59,
  overflow: 61,
  perm: 63,
  pipe: 64,
  range: 68,
  rofs: 69,
  spipe: 70,
  srch: 71,
  xdev: 75,
  notcapable: 76,
} as const;

/** Thrown by an implementation to answer an errno; the import wrapper returns its code. */
export class Errno extends Error {
  constructor(readonly code: number) {
    super(`errno ${code}`);
  }
}

/** Thrown to end the guest process: `proc_exit`, a default signal action or a trap. */
export class ProcExit extends Error {
  constructor(
    readonly code: number,
    readonly signal = 0,
  ) {
    super(signal ? `killed by signal ${signal}` : `exit ${code}`);
  }
}

const NODE_CODES: Record<string, number> = {
  EACCES: E.acces,
  EAGAIN: E.again,
  EBADF: E.badf,
  EBUSY: E.busy,
  EEXIST: E.exist,
  EFBIG: E.fbig,
  EINVAL: E.inval,
  EISDIR: E.isdir,
  ELOOP: E.loop,
  EMFILE: E.mfile,
  ENAMETOOLONG: E.nametoolong,
  ENOENT: E.noent,
  ENOMEM: E.nomem,
  ENOSPC: E.nospc,
  ENOTDIR: E.notdir,
  ENOTEMPTY: E.notempty,
  ENOTSUP: E.notsup,
  EPERM: E.perm,
  EPIPE: E.pipe,
  EROFS: E.rofs,
  ESPIPE: E.spipe,
  EXDEV: E.xdev,
};

/** The errno for a thrown Node fs error (unknown codes are `io`, as the contract says). */
export function errnoOf(error: unknown): number {
  if (error instanceof Errno) return error.code;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return (code && NODE_CODES[code]) || E.io;
}
