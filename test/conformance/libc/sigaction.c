// Patch 0011-sigaction: dispositions live in libc; host_process.proc_sigaction tells the host
// how to deliver, and the host calls the exported __wasi_signal_trampoline at a host-call
// boundary, which runs the recorded handler.
#include <signal.h>
#include <string.h>
#include "shim.h"

enum { SIGNALS = 65 }; // 1..64

// <signal.h> names SIG_IGN and SIG_ERR by these functions' addresses, because on wasm 1 is a
// valid function-table index: comparing a handler with `(void (*)(int))1`, as patch 0011's
// sigaction does, mistakes the program's first address-taken function for SIG_IGN.
void __SIG_IGN(int sig) { (void)sig; }
void __SIG_ERR(int sig) { (void)sig; }

static struct sigaction actions[SIGNALS];

static int valid(int sig) {
  return sig >= 1 && sig < SIGNALS;
}

int sigemptyset(sigset_t *set) {
  if (!set) return shim_fail(EINVAL);
  memset(set, 0, sizeof *set);
  return 0;
}

int sigfillset(sigset_t *set) {
  if (!set) return shim_fail(EINVAL);
  memset(set, 0xff, sizeof *set);
  return 0;
}

#define WORD(sig) ((unsigned)((sig) - 1) / (8 * sizeof(unsigned long)))
#define BIT(sig) (1UL << ((unsigned)((sig) - 1) % (8 * sizeof(unsigned long))))

int sigaddset(sigset_t *set, int signo) {
  if (!set || !valid(signo)) return shim_fail(EINVAL);
  set->__bits[WORD(signo)] |= BIT(signo);
  return 0;
}

int sigdelset(sigset_t *set, int signo) {
  if (!set || !valid(signo)) return shim_fail(EINVAL);
  set->__bits[WORD(signo)] &= ~BIT(signo);
  return 0;
}

int sigismember(const sigset_t *set, int signo) {
  if (!set || !valid(signo)) return shim_fail(EINVAL);
  return (set->__bits[WORD(signo)] & BIT(signo)) != 0;
}

int sigaction(int sig, const struct sigaction *restrict act, struct sigaction *restrict oact) {
  if (!valid(sig) || ((sig == SIGKILL || sig == SIGSTOP) && act)) return shim_fail(EINVAL);
  if (oact) *oact = actions[sig];
  if (!act) return 0;
  uint32_t lo = 0, hi = 0;
  for (int s = 1; s < SIGNALS; s++)
    if (sigismember(&act->sa_mask, s) == 1) *(s <= 32 ? &lo : &hi) |= 1U << ((s - 1) % 32);
  __host_process_sig_action_t how = act->sa_handler == SIG_DFL ? __HOST_PROCESS_SIG_ACTION_DEFAULT
                                   : act->sa_handler == SIG_IGN ? __HOST_PROCESS_SIG_ACTION_IGNORE
                                                                : __HOST_PROCESS_SIG_ACTION_HANDLER;
  __wasi_errno_t e = __host_process_proc_sigaction((uint32_t)sig, how, lo, hi, (uint32_t)act->sa_flags);
  if (e) return shim_fail(e);
  actions[sig] = *act;
  return 0;
}

__attribute__((export_name("__wasi_signal_trampoline"))) void __wasi_signal_trampoline(int sig) {
  if (!valid(sig)) return;
  void (*handler)(int) = actions[sig].sa_handler;
  if (handler == SIG_DFL || handler == SIG_IGN) return;
  if (actions[sig].sa_flags & SA_RESETHAND) actions[sig] = (struct sigaction){0};
  handler(sig);
}
