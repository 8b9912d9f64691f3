// Patches 0003-kill, 0004-getpid, 0005-user-identity, 0006-isatty: one host call each.
#include <signal.h>
#include <unistd.h>
#include "shim.h"

int kill(pid_t pid, int sig) {
  __wasi_errno_t e = __host_process_proc_kill(pid, (uint32_t)sig);
  return e ? shim_fail(e) : 0;
}

pid_t getpid(void) {
  __wasi_pid_t pid;
  __wasi_errno_t e = __host_process_proc_getpid(&pid);
  return e ? shim_fail(e) : pid;
}

pid_t getppid(void) {
  __wasi_pid_t pid;
  __wasi_errno_t e = __host_process_proc_getppid(&pid);
  return e ? shim_fail(e) : pid;
}

// The credential getters cannot fail in POSIX; a host error reads as uid/gid -1.
uid_t getuid(void) {
  __wasi_uid_t id;
  return __host_user_getuid(&id) ? (uid_t)-1 : id;
}

uid_t geteuid(void) {
  __wasi_uid_t id;
  return __host_user_geteuid(&id) ? (uid_t)-1 : id;
}

gid_t getgid(void) {
  __wasi_gid_t id;
  return __host_user_getgid(&id) ? (gid_t)-1 : id;
}

gid_t getegid(void) {
  __wasi_gid_t id;
  return __host_user_getegid(&id) ? (gid_t)-1 : id;
}

int isatty(int fd) {
  uint32_t yes = 0;
  __wasi_errno_t e = __host_user_isatty(fd, &yes);
  if (e) {
    errno = (int)e;
    return 0;
  }
  return yes != 0;
}
