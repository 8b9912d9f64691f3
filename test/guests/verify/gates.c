// Imports one function per gate of the fixture contract (test/support/model-fixture.ts), each
// with its correct core signature, through both the module name and its alias `wasi_unstable`.
#include <stdint.h>

#define WASI(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))

WASI(fd_advise) int32_t fd_advise(int32_t fd, int64_t offset, int64_t len, int32_t advice);
WASI(fd_seek_old) int32_t fd_seek_old(int32_t fd, int64_t offset, int32_t whence, int32_t out);
WASI(fd_renumber_compat) int32_t fd_renumber_compat(int32_t from, int32_t to);
WASI(fd_fancy) int32_t fd_fancy(int32_t fd);
WASI(sock_open) int32_t sock_open(int32_t family, int32_t type);
WASI(fd_sync_future) int32_t fd_sync_future(int32_t fd);
WASI(fd_datasync) int32_t fd_datasync(int32_t fd);
WASI(old_function) int32_t old_function(void);
WASI(proc_exit) _Noreturn void proc_exit(int32_t code);

__attribute__((import_module("wasi_unstable"), import_name("fd_close")))
int32_t legacy_fd_close(int32_t fd);

void _start(void) {
  int32_t sum = fd_advise(3, 0, 0, 0) + fd_seek_old(3, 0, 0, 0) + fd_renumber_compat(3, 4) + fd_fancy(3) +
                sock_open(1, 1) + fd_sync_future(3) + fd_datasync(3) + old_function() + legacy_fd_close(3);
  proc_exit(sum);
}
