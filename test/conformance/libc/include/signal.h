// Stands in for the patched sysroot's <signal.h> (abi/libc.idl: patched): no
// `_WASI_EMULATED_SIGNAL` needed, musl's 128-byte `sigset_t`, `struct sigaction`, `kill`.
#ifndef ABIC_SHIM_SIGNAL_H
#define ABIC_SHIM_SIGNAL_H
// Claim upstream's one-byte placeholder typedef before its header can define it.
#ifndef __wasilibc___typedef_sigset_t_h
#define __wasilibc___typedef_sigset_t_h
typedef struct __sigset_t { unsigned long __bits[128 / sizeof(long)]; } sigset_t;
#endif
#ifndef _WASI_EMULATED_SIGNAL
#define _WASI_EMULATED_SIGNAL 1
#endif
#include_next <signal.h>
#include <sys/types.h>

struct sigaction {
  union {
    void (*sa_handler)(int);
    void (*sa_sigaction)(int, void *, void *);
  } __sa_handler;
  sigset_t sa_mask;
  int sa_flags;
  void (*sa_restorer)(void);
};
#define sa_handler __sa_handler.sa_handler
#define sa_sigaction __sa_handler.sa_sigaction
#define SA_NOCLDSTOP 0x00000001
#define SA_SIGINFO 0x00000004
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000

int kill(pid_t pid, int sig);
int sigaction(int sig, const struct sigaction *restrict act, struct sigaction *restrict oact);
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int signo);
int sigdelset(sigset_t *set, int signo);
int sigismember(const sigset_t *set, int signo);
#endif
