// A guest that misbehaves: out-of-range pointers, huge lengths, bad fds and unknown enum
// values get the contract's errno; with argument `trap` it then traps mid-run.
#include <string.h>
#include "check.h"

int main(int argc, char **argv) {
  __wasi_size_t n;
  __wasi_ciovec_t bad = {(const uint8_t *)0xfffffff0, 64};
  CHECK(__wasi_fd_write(1, &bad, 1, &n) == __WASI_ERRNO_FAULT, "fd_write iovec out of memory: fault");
  CHECK(__wasi_fd_write(1, (const __wasi_ciovec_t *)0xfffffff8, 2, &n) == __WASI_ERRNO_FAULT, "fd_write iovec array out of memory: fault");
  __wasi_ciovec_t huge = {(const uint8_t *)16, 0x7fffffff};
  CHECK(__wasi_fd_write(1, &huge, 1, &n) == __WASI_ERRNO_FAULT, "fd_write huge length: fault");
  __wasi_ciovec_t ok = {(const uint8_t *)"x", 1};
  CHECK(__wasi_fd_write(1, &ok, 1, (__wasi_size_t *)0xfffffffe) == __WASI_ERRNO_FAULT, "fd_write bad out-pointer: fault");
  CHECK(__wasi_fd_write(4096, &ok, 1, &n) == __WASI_ERRNO_BADF, "fd_write bad fd: badf");
  CHECK(__wasi_fd_write(-5, &ok, 1, &n) == __WASI_ERRNO_BADF, "fd_write negative fd: badf");
  CHECK(__wasi_fd_close(777) == __WASI_ERRNO_BADF, "fd_close bad fd: badf");
  __wasi_filesize_t pos;
  CHECK(__wasi_fd_seek(1, 0, 7, &pos) == __WASI_ERRNO_SPIPE || __wasi_fd_seek(1, 0, 7, &pos) == __WASI_ERRNO_INVAL, "fd_seek on a pipe / bad whence");
  __wasi_timestamp_t t;
  CHECK(__wasi_clock_time_get(99, 1, &t) == __WASI_ERRNO_INVAL, "unknown clock: inval");
  CHECK(__wasi_clock_time_get(1, 1, (__wasi_timestamp_t *)0xfffffffc) == __WASI_ERRNO_FAULT, "clock out-pointer past the end: fault");
  __wasi_event_t ev;
  __wasi_size_t count;
  CHECK(__wasi_poll_oneoff((const __wasi_subscription_t *)&ev, &ev, 0, &count) == __WASI_ERRNO_INVAL, "poll_oneoff with 0 subscriptions: inval");
  __wasi_subscription_t sub;
  memset(&sub, 0, sizeof sub);
  sub.u.tag = 9;
  CHECK(__wasi_poll_oneoff(&sub, &ev, 1, &count) == __WASI_ERRNO_INVAL, "poll_oneoff unknown event type: inval");
  uint8_t *big = malloc((16 << 20) + 1);
  CHECK(big && __wasi_random_get(big, (16 << 20) + 1) == __WASI_ERRNO_INVAL, "random_get above 16 MiB: inval");
  free(big);
  // Two iovecs over one 33 MiB buffer: 66 MiB in one call, above the 64 MiB bound.
  uint8_t *half = malloc(33 << 20);
  __wasi_iovec_t twice[2] = {{half, 33 << 20}, {half, 33 << 20}};
  __wasi_size_t moved;
  CHECK(half && __wasi_fd_pread(0, twice, 2, 0, &moved) == __WASI_ERRNO_INVAL, "pread above 64 MiB: inval");
  CHECK(half && __wasi_fd_pwrite(1, (const __wasi_ciovec_t *)twice, 2, 0, &moved) == __WASI_ERRNO_INVAL, "pwrite above 64 MiB: inval");
  free(half);
  CHECK(__wasi_args_get((uint8_t **)0xfffffff0, (uint8_t *)0xfffffff0) == __WASI_ERRNO_FAULT, "args_get bad pointers: fault");
  CHECK(__wasi_fd_fdstat_set_flags(1, 0x40) == __WASI_ERRNO_NOTSUP, "fdstat_set_flags unknown bit: notsup");
  CHECK(__host_process_proc_kill(1, 1000) == __WASI_ERRNO_INVAL, "proc_kill signal 1000: inval");
  CHECK(__host_process_proc_sigaction(0, 0, 0, 0, 0) == __WASI_ERRNO_INVAL, "sigaction signal 0: inval");
  CHECK(__host_process_proc_waitpid(1, 4, (uint32_t *)&n, (int32_t *)&n) == __WASI_ERRNO_INVAL, "waitpid unknown option: inval");
  uint64_t soft, hard;
  CHECK(__host_process_proc_getrlimit(10, &soft, &hard) == __WASI_ERRNO_INVAL, "getrlimit resource 10: inval");
  CHECK(__host_process_proc_getrlimit(7, &soft, &hard) == 0 && soft == 1 << 20, "getrlimit nofile");
  uint32_t old;
  CHECK(__host_process_proc_umask(077, &old) == 0 && old == 022 && __host_process_proc_umask(022, &old) == 0 && old == 077, "umask round trip");
  fflush(stdout);
  if (argc > 1 && !strcmp(argv[1], "trap")) {
    printf("about to trap\n");
    fflush(stdout);
    __builtin_trap();
  }
  DONE();
}
