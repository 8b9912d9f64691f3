// Stands in for the patched sysroot's <unistd.h> (abi/libc.idl: patched): upstream's header
// plus the declarations the patches un-gate, as the libc block declares them.
#ifndef ABIC_SHIM_UNISTD_H
#define ABIC_SHIM_UNISTD_H
#include_next <unistd.h>

int pipe(int fd[2]);
int dup(int oldfd);
int dup2(int oldfd, int newfd);
pid_t getpid(void);
pid_t getppid(void);
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);
#endif
