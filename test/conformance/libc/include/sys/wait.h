// Stands in for <sys/wait.h>, which upstream wasi-libc omits and the patched libc installs
// (abi/libc.idl: unomitted): musl's status macros and the wait calls.
#ifndef ABIC_SHIM_SYS_WAIT_H
#define ABIC_SHIM_SYS_WAIT_H
#include <sys/types.h>

#define WNOHANG 1
#define WUNTRACED 2

#define WEXITSTATUS(s) (((s) & 0xff00) >> 8)
#define WTERMSIG(s) ((s) & 0x7f)
#define WIFEXITED(s) (!WTERMSIG(s))
#define WIFSIGNALED(s) (((s) & 0xffff) - 1U < 0xffu)

pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait(int *status);
#endif
