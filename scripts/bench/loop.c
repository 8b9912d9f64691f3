// The benchmark guest: loops inside wasm calling one import through the generated headers, so
// the time per iteration is the cost of the import call and its glue.

#include <host_process.h>
#include <wasi/api.h>

#define EXPORT(name) __attribute__((export_name(#name)))

static uint8_t data[16] = "0123456789abcdef";
static __wasi_ciovec_t iov = {data, sizeof data};

EXPORT(loop_fd_write) uint32_t loop_fd_write(uint32_t n) {
    uint32_t acc = 0;
    for (uint32_t i = 0; i < n; i++) {
        __wasi_size_t written = 0;
        acc += __wasi_fd_write(1, &iov, 1, &written) + written;
    }
    return acc;
}

EXPORT(loop_getpid) uint32_t loop_getpid(uint32_t n) {
    uint32_t acc = 0;
    for (uint32_t i = 0; i < n; i++) {
        __wasi_pid_t pid = 0;
        acc += __host_process_proc_getpid(&pid) + (uint32_t)pid;
    }
    return acc;
}
