// Pipes and descriptor duplication: fd_pipe, write/read, EOF once every writer closes,
// fd_dup/dup2/dup_min, FD_CLOEXEC flags, poll_oneoff on a pipe, broken pipes.
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

int main(void) {
  int32_t r, w, d, m;
  CHECK(__host_process_fd_pipe(&r, &w) == 0, "fd_pipe");
  CHECK(write(w, "hello", 5) == 5, "write to pipe");
  char buf[16] = {0};
  CHECK(read(r, buf, sizeof buf) == 5 && memcmp(buf, "hello", 5) == 0, "read from pipe");
  CHECK(__host_process_fd_dup(w, &d) == 0 && d > w, "fd_dup");
  CHECK(write(d, "dup", 3) == 3 && read(r, buf, sizeof buf) == 3, "write through the dup");
  CHECK(__host_process_fd_dup_min(w, 40, &m) == 0 && m == 40, "fd_dup_min 40");
  uint32_t flags = 7;
  CHECK(__host_process_fd_getfd(m, &flags) == 0 && flags == 0, "fd_getfd: 0");
  CHECK(__host_process_fd_setfd(m, 1) == 0 && __host_process_fd_getfd(m, &flags) == 0 && flags == 1, "fd_setfd cloexec");
  CHECK(__host_process_fd_dup2(r, 30) == 0, "fd_dup2 onto 30");

  // poll: readable once data is there.
  struct pollfd p = {r, POLLIN, 0};
  CHECK(poll(&p, 1, 0) == 0, "poll on empty pipe: not ready");
  write(w, "x", 1);
  CHECK(poll(&p, 1, 1000) == 1 && (p.revents & POLLIN), "poll on pipe with data: ready");
  CHECK(read(30, buf, 1) == 1 && buf[0] == 'x', "read through the dup2 copy");

  close(w);
  close(d);
  close(m);
  CHECK(read(r, buf, sizeof buf) == 0, "EOF after every writer closed");
  CHECK(close(w) == -1 && errno == EBADF, "close twice: EBADF");

  int32_t r2, w2;
  __host_process_fd_pipe(&r2, &w2);
  close(r2);
  CHECK(write(w2, "x", 1) == -1 && errno == EPIPE, "write with no reader: EPIPE");
  DONE();
}
