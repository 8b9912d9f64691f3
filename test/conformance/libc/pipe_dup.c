// Patch 0001-pipe-dup: pipe, dup, dup2 through host_process.
#include <unistd.h>
#include "shim.h"

int pipe(int fd[2]) {
  __wasi_fd_t r, w;
  __wasi_errno_t e = __host_process_fd_pipe(&r, &w);
  if (e) return shim_fail(e);
  fd[0] = (int)r;
  fd[1] = (int)w;
  return 0;
}

int dup(int oldfd) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __host_process_fd_dup(oldfd, &fd);
  return e ? shim_fail(e) : (int)fd;
}

int dup2(int oldfd, int newfd) {
  __wasi_errno_t e = __host_process_fd_dup2(oldfd, newfd);
  return e ? shim_fail(e) : newfd;
}
