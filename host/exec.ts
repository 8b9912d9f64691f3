// proc_exec / proc_fexec: the new image runs in the same worker, so the pid, the descriptor
// table (minus the close-on-exec set), the signal mask and pending signals carry over. The
// main thread finds and checks the module; the old image is unwound by an `ExecImage`
// exception, which the glue lets through like an exit.

import { Errno, ProcExit as GuestExit, fail, type S32List } from "../generated/ts/index.ts";
import type { Guest } from "./guest.ts";

/** Unwinds the old image; `worker.ts` starts `module` in its place. */
export class ExecImage extends GuestExit {
  constructor(
    readonly module: WebAssembly.Module,
    readonly imageName: string,
    readonly argv: string[],
    readonly env: string[],
  ) {
    super(0);
    this.message = `exec ${imageName}`;
  }
}

/** Most entries of a cloexec list (2^20); more answer `2big`. */
const CLOEXEC_MAX = 1 << 20;

/**
 * Commits an exec once the image is found: `image` names it by command path or host file.
 * Never returns: closes the cloexec set and throws `ExecImage`.
 */
export function execImage(g: Guest, image: { path: string } | { file: string; name: string }, argv: string[], env: string[], cloexec: S32List): never {
  if (cloexec.length > CLOEXEC_MAX) throw fail(Errno._2big);
  const closing = [...cloexec];
  const reply = g.rpc.call(
    { op: "exec", path: "path" in image ? image.path : null, file: "file" in image ? image.file : null },
    () => g.checkpoint(false),
  );
  if (reply.errno) throw fail(reply.errno);
  // The commit: from here on the old image is gone.
  for (const fd of closing) g.fds.close(fd, true);
  for (const fd of g.fds.numbers()) if (g.fds.entry(fd).cloexec) g.fds.close(fd, true);
  const name = "path" in image ? image.path.slice(image.path.lastIndexOf("/") + 1) : image.name;
  throw new ExecImage(reply.value as WebAssembly.Module, name, argv, env);
}
