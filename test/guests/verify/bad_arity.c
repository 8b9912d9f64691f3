// Declares fd_write with three parameters instead of four: the import check must report
// IMP_SIG_EXACT. Built with -nostartfiles so the real fd_write from libc is not pulled in.
#include <stdint.h>

__attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_write")))
int32_t bad_fd_write(int32_t fd, int32_t iovs, int32_t iovs_len);

__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
_Noreturn void proc_exit(int32_t code);

void _start(void) {
  proc_exit(bad_fd_write(1, 0, 0));
}
