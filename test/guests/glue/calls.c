// A guest for the TS glue tests: each export calls one import through the generated headers
// with pointers chosen by the test, so the test can aim at good and bad ranges alike.

#include <host_fs.h>
#include <host_process.h>
#include <wasi/api.h>

#define EXPORT(name) __attribute__((export_name(#name)))

static uint8_t scratch[4096] __attribute__((aligned(16)));

EXPORT(scratch_ptr) uint32_t scratch_ptr(void) { return (uint32_t)(uintptr_t)scratch; }

/** Grows memory by `pages`; returns the old size in pages (or -1). */
EXPORT(grow) int32_t grow(uint32_t pages) { return (int32_t)__builtin_wasm_memory_grow(0, pages); }

EXPORT(call_fd_write) uint32_t call_fd_write(uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t out) {
    return __wasi_fd_write((__wasi_fd_t)fd, (const __wasi_ciovec_t *)(uintptr_t)iovs, iovs_len,
                           (__wasi_size_t *)(uintptr_t)out);
}

EXPORT(call_fd_fdstat_get) uint32_t call_fd_fdstat_get(uint32_t fd, uint32_t out) {
    return __wasi_fd_fdstat_get((__wasi_fd_t)fd, (__wasi_fdstat_t *)(uintptr_t)out);
}

EXPORT(call_fd_prestat_get) uint32_t call_fd_prestat_get(uint32_t fd, uint32_t out) {
    return __wasi_fd_prestat_get((__wasi_fd_t)fd, (__wasi_prestat_t *)(uintptr_t)out);
}

EXPORT(call_clock_time_get) uint32_t call_clock_time_get(uint32_t id, uint64_t precision, uint32_t out) {
    return __wasi_clock_time_get((__wasi_clockid_t)id, precision, (__wasi_timestamp_t *)(uintptr_t)out);
}

EXPORT(call_args_sizes_get) uint32_t call_args_sizes_get(uint32_t argc, uint32_t buf_size) {
    return __wasi_args_sizes_get((__wasi_size_t *)(uintptr_t)argc, (__wasi_size_t *)(uintptr_t)buf_size);
}

EXPORT(call_random_get) uint32_t call_random_get(uint32_t buf, uint32_t len) {
    return __wasi_random_get((uint8_t *)(uintptr_t)buf, len);
}

EXPORT(call_proc_getpid) uint32_t call_proc_getpid(uint32_t out) {
    return __host_process_proc_getpid((__wasi_pid_t *)(uintptr_t)out);
}

/** The raw import, so the test can pass any (pointer, length) for the path string. */
EXPORT(call_path_size) uint64_t call_path_size(int32_t fd, uint32_t path, uint32_t path_len, uint32_t follow) {
    return (uint64_t)__imported_host_fs_path_size(fd, (int32_t)path, (int32_t)path_len, (int32_t)follow);
}

/** Through the header's wrapper (which takes strlen of a NUL-terminated path). */
EXPORT(call_path_size_cstr) uint64_t call_path_size_cstr(int32_t fd, const char *path) {
    return __host_fs_path_size(fd, path, 1);
}

EXPORT(call_proc_exit) void call_proc_exit(uint32_t code) { __wasi_proc_exit(code); }
