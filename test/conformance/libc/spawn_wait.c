// Patches 0002-spawn-wait and 0012-posix-spawn-cwd: posix_spawn(p) through proc_spawn (v1),
// the file-action helpers, and waitpid/wait through proc_waitpid (v1).
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "shim.h"

enum { ACTION_CLOSE = 1, ACTION_DUP2 = 2, ACTION_OPEN = 3 };

/** One recorded action; kept in call order, as POSIX requires. */
struct action {
  struct action *next;
  int op, fd, src, oflag;
  mode_t mode;
  char path[];
};

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *file_actions) {
  memset(file_actions, 0, sizeof *file_actions);
  return 0;
}

int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *file_actions) {
  for (struct action *a = file_actions->__actions, *next; a; a = next) {
    next = a->next;
    free(a);
  }
  file_actions->__actions = NULL;
  return 0;
}

static int append(posix_spawn_file_actions_t *file_actions, int op, int fd, int src, const char *path, int oflag, mode_t mode) {
  if (fd < 0 || (op == ACTION_DUP2 && src < 0)) return EBADF;
  size_t len = path ? strlen(path) + 1 : 0;
  struct action *a = calloc(1, sizeof *a + len);
  if (!a) return ENOMEM;
  *a = (struct action){.op = op, .fd = fd, .src = src, .oflag = oflag, .mode = mode};
  if (path) memcpy(a->path, path, len);
  struct action **tail = (struct action **)&file_actions->__actions;
  while (*tail) tail = &(*tail)->next;
  *tail = a;
  return 0;
}

int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *file_actions, int fildes, int newfildes) {
  return append(file_actions, ACTION_DUP2, newfildes, fildes, NULL, 0, 0);
}

int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *file_actions, int fildes) {
  return append(file_actions, ACTION_CLOSE, fildes, -1, NULL, 0, 0);
}

int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *restrict file_actions, int fildes, const char *restrict path, int oflag, mode_t mode) {
  return append(file_actions, ACTION_OPEN, fildes, -1, path, oflag, mode);
}

/** Concatenated NUL-terminated strings: `first` (when not NULL) then `list` from `from` on. */
static char *join(const char *first, char *const list[], int from, size_t *len) {
  size_t n = first ? strlen(first) + 1 : 0;
  for (int i = from; list && list[i]; i++) n += strlen(list[i]) + 1;
  char *buf = malloc(n ? n : 1), *p = buf;
  if (!buf) return NULL;
  if (first) p = stpcpy(p, first) + 1;
  for (int i = from; list && list[i]; i++) p = stpcpy(p, list[i]) + 1;
  *len = n;
  return buf;
}

int posix_spawn(pid_t *restrict pid, const char *restrict path, const posix_spawn_file_actions_t *file_actions,
                const posix_spawnattr_t *restrict attrp, char *const argv[restrict], char *const envp[restrict]) {
  (void)attrp; // the v1 import has no attributes: documented as ignored
  extern char **environ;
  char *const *env = envp ? envp : environ;
  // Patch 0012: the child starts in the directory `PWD` names in its environment.
  const char *cwd = "";
  for (int i = 0; env && env[i]; i++)
    if (!strncmp(env[i], "PWD=", 4)) cwd = env[i] + 4;
  // argv[0] of the child is `path`; the caller's argv[0] is dropped.
  size_t argv_len, envp_len;
  char *argv_buf = join(path, argv, 1, &argv_len);
  char *envp_buf = join(NULL, env, 0, &envp_len);
  int stdio[3] = {0, 1, 2}, opened[3] = {-1, -1, -1}, result = 0;
  if (!argv_buf || !envp_buf) result = ENOMEM;
  for (const struct action *a = file_actions ? file_actions->__actions : NULL; a && !result; a = a->next) {
    if (a->fd > 2) continue; // a child inherits only its stdio
    if (a->op == ACTION_DUP2) stdio[a->fd] = a->src;
    else if (a->op == ACTION_OPEN) {
      int fd = open(a->path, a->oflag, a->mode);
      if (fd < 0) result = errno;
      else stdio[a->fd] = opened[a->fd] = fd;
    }
  }
  if (!result) {
    __wasi_pid_t child;
    __wasi_errno_t e = __host_process_proc_spawn(argv_buf, argv_len, envp_buf, envp_len, stdio[0], stdio[1], stdio[2], cwd, &child);
    if (e) result = (int)e;
    else if (pid) *pid = child;
  }
  for (int i = 0; i < 3; i++)
    if (opened[i] >= 0) close(opened[i]);
  free(argv_buf);
  free(envp_buf);
  return result;
}

int posix_spawnp(pid_t *restrict pid, const char *restrict file, const posix_spawn_file_actions_t *file_actions,
                 const posix_spawnattr_t *restrict attrp, char *const argv[restrict], char *const envp[restrict]) {
  // No PATH search in libc: the host resolves a bare command name.
  return posix_spawn(pid, file, file_actions, attrp, argv, envp);
}

pid_t waitpid(pid_t pid, int *status, int options) {
  uint32_t raw;
  __wasi_pid_t got;
  __wasi_errno_t e = __host_process_proc_waitpid(pid, (uint32_t)options, &raw, &got);
  if (e) return shim_fail(e);
  // The host reports a shell-style code: 129..255 is a death by signal `code - 128`.
  if (status && got) *status = raw > 128 && raw < 256 ? (int)(raw - 128) : (int)(raw << 8);
  return got;
}

pid_t wait(int *status) {
  return waitpid(-1, status, 0);
}
