// Shared by the conformance guests: CHECK prints `ok: what` or `FAIL: what` and counts
// failures; DONE exits non-zero when any check failed. Hand-declared host_* imports.
#ifndef CONFORMANCE_CHECK_H
#define CONFORMANCE_CHECK_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <wasi/api.h>

static int failures = 0;
#define CHECK(cond, what)                                            \
  do {                                                               \
    if (cond) printf("ok: %s\n", what);                              \
    else { printf("FAIL: %s (line %d)\n", what, __LINE__); failures++; } \
  } while (0)
#define DONE() do { fflush(stdout); return failures ? 1 : 0; } while (0)

#define HOST(module, name) __attribute__((import_module(module), import_name(name)))

HOST("host_process", "proc_getpid") int32_t hp_getpid(int32_t *pid);
HOST("host_process", "proc_getppid") int32_t hp_getppid(int32_t *pid);
HOST("host_process", "fd_pipe") int32_t hp_pipe(int32_t *r, int32_t *w);
HOST("host_process", "fd_dup") int32_t hp_dup(int32_t fd, int32_t *out);
HOST("host_process", "fd_dup2") int32_t hp_dup2(int32_t from, int32_t to);
HOST("host_process", "fd_dup_min") int32_t hp_dup_min(int32_t fd, int32_t min, int32_t *out);
HOST("host_process", "proc_spawn") int32_t hp_spawn(const char *argv, int32_t argv_len, const char *envp, int32_t envp_len, int32_t in, int32_t out, int32_t err, const char *cwd, int32_t cwd_len, int32_t *pid);
HOST("host_process", "proc_waitpid") int32_t hp_waitpid(int32_t pid, int32_t options, uint32_t *status, int32_t *child);
HOST("host_process", "proc_waitpid_v3") int32_t hp_waitpid_v3(int32_t pid, int32_t options, uint32_t *status, int32_t *child);
HOST("host_process", "proc_kill") int32_t hp_kill(int32_t pid, int32_t sig);
HOST("host_process", "proc_sigaction") int32_t hp_sigaction(int32_t sig, int32_t action, int32_t mlo, int32_t mhi, int32_t flags);
HOST("host_process", "sleep_ms") int32_t hp_sleep_ms(int32_t ms);
HOST("host_process", "proc_getrlimit") int32_t hp_getrlimit(int32_t res, uint64_t *soft, uint64_t *hard);
HOST("host_process", "proc_umask") int32_t hp_umask(int32_t mask, uint32_t *old);
HOST("host_process", "fd_getfd") int32_t hp_getfd(int32_t fd, uint32_t *flags);
HOST("host_process", "fd_setfd") int32_t hp_setfd(int32_t fd, int32_t flags);
HOST("host_process", "proc_signal_mask_v2") int32_t hp_sigmask(int32_t how, int32_t lo, int32_t hi, uint32_t *olo, uint32_t *ohi);

HOST("host_user", "getuid") int32_t hu_getuid(uint32_t *out);
HOST("host_user", "geteuid") int32_t hu_geteuid(uint32_t *out);
HOST("host_user", "getgid") int32_t hu_getgid(uint32_t *out);
HOST("host_user", "getpwuid") int32_t hu_getpwuid(uint32_t uid, char *buf, int32_t cap, uint32_t *len);
HOST("host_user", "getpwnam") int32_t hu_getpwnam(const char *name, int32_t name_len, char *buf, int32_t cap, uint32_t *len);
HOST("host_user", "getgroups") int32_t hu_getgroups(uint32_t cap, uint32_t *groups, uint32_t *count);
HOST("host_user", "setuid") int32_t hu_setuid(uint32_t id);
HOST("host_user", "isatty") int32_t hu_isatty(int32_t fd, uint32_t *out);
HOST("host_system", "get_identity") int32_t hs_identity(int32_t field, char *buf, int32_t cap);
HOST("host_tty", "isatty") uint32_t ht_isatty(int32_t fd);
HOST("host_tty", "get_size") uint32_t ht_get_size(int32_t fd, uint16_t *cols, uint16_t *rows);
HOST("host_tty", "get_attr") int32_t ht_get_attr(int32_t fd, uint32_t *mode, uint8_t *cc);
HOST("host_tty", "set_raw_mode") uint32_t ht_set_raw_mode(uint32_t on);

#endif
