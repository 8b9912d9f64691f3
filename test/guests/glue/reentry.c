/* Exposes fd_write to the host so a test can make the implementation call back into the guest
 * (as a signal handler that writes would) and check the glue keeps each call's arguments. */
#include <stdint.h>

__attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_write")))
int32_t raw_fd_write(int32_t fd, int32_t iovs, int32_t n, int32_t out);

__attribute__((export_name("w")))
int32_t w(int32_t fd, int32_t iovs, int32_t n, int32_t out) { return raw_fd_write(fd, iovs, n, out); }
