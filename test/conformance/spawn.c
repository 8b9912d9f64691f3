// Spawn, wait and kill: pipes data through a child guest, collects exit statuses (v1 and
// v3), kills a sleeping child, delivers a signal to itself through the trampoline.
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

static volatile int got_signal = 0;

__attribute__((export_name("__wasi_signal_trampoline"))) void trampoline(int sig) { got_signal = sig; }

static int32_t spawn(const char *argv, int len, int in, int out) {
  int32_t pid = -1;
  int32_t e = __host_process_proc_spawn(argv, len, "", 0, in, out, 2, "", &pid);
  return e ? -e : pid;
}

int main(void) {
  int32_t me, parent;
  CHECK(__host_process_proc_getpid(&me) == 0 && me == 1, "getpid: 1");
  CHECK(__host_process_proc_getppid(&parent) == 0 && parent == 0, "getppid: 0");

  int32_t in_r, in_w, out_r, out_w;
  __host_process_fd_pipe(&in_r, &in_w);
  __host_process_fd_pipe(&out_r, &out_w);
  const char up[] = "child\0upcase\0";
  int32_t pid = spawn(up, sizeof up - 1, in_r, out_w);
  CHECK(pid > 1, "spawn child upcase");
  close(in_r);
  close(out_w);
  const char *text = "piped through a child\n";
  CHECK(write(in_w, text, strlen(text)) == (ssize_t)strlen(text), "write to child's stdin");
  close(in_w);
  char buf[128] = {0};
  size_t got = 0;
  ssize_t n;
  while ((n = read(out_r, buf + got, sizeof buf - 1 - got)) > 0) got += n;
  CHECK(strcmp(buf, "PIPED THROUGH A CHILD\n") == 0, "child's output came back upper-cased");
  uint32_t status = 99;
  int32_t child = 0;
  CHECK(__host_process_proc_waitpid(pid, 0, &status, &child) == 0 && child == pid && status == 0, "waitpid: exit 0");
  CHECK(__host_process_proc_waitpid(pid, 0, &status, &child) == __WASI_ERRNO_CHILD, "waitpid again: child");

  const char ex[] = "child\0exit\0" "42\0";
  pid = spawn(ex, sizeof ex - 1, 0, 1);
  CHECK(__host_process_proc_waitpid(-1, 0, &status, &child) == 0 && child == pid && status == 42, "waitpid any: exit 42");
  pid = spawn(ex, sizeof ex - 1, 0, 1);
  CHECK(__host_process_proc_waitpid_v3(pid, 0, &status, &child) == 0 && status == (42 << 8), "waitpid_v3: 42 << 8");

  const char sl[] = "child\0sleep\0";
  pid = spawn(sl, sizeof sl - 1, 0, 1);
  CHECK(__host_process_proc_waitpid(pid, 1, &status, &child) == 0 && child == 0, "waitpid WNOHANG on a running child: 0");
  CHECK(__host_process_proc_kill(pid, 15) == 0, "kill SIGTERM");
  CHECK(__host_process_proc_waitpid(pid, 0, &status, &child) == 0 && status == 128 + 15, "killed child: 128+15");
  CHECK(__host_process_proc_kill(pid, 15) == __WASI_ERRNO_SRCH, "kill reaped child: srch");
  CHECK(__host_process_proc_kill(1, 65) == __WASI_ERRNO_INVAL, "kill signal 65: inval");

  const char tr[] = "child\0trap\0";
  pid = spawn(tr, sizeof tr - 1, 0, -1);
  CHECK(__host_process_proc_waitpid(pid, 0, &status, &child) == 0 && status == 1, "trapping child: status 1");

  const char ar[] = "/bin/child\0args\0\0last\0";
  pid = spawn(ar, sizeof ar - 1, 0, 1);
  CHECK(__host_process_proc_waitpid(pid, 0, &status, &child) == 0 && status == 0, "child printing args");

  const char no[] = "no-such-command\0";
  CHECK(spawn(no, sizeof no - 1, 0, 1) == -__WASI_ERRNO_NOENT, "spawn unknown command: noent");
  CHECK(spawn("", 0, 0, 1) == -__WASI_ERRNO_FAULT, "spawn empty argv: fault");
  CHECK(spawn(up, sizeof up - 1, 77, 1) == -__WASI_ERRNO_BADF, "spawn with bad stdin fd: badf");

  CHECK(__host_process_proc_sigaction(10, 2, 0, 0, 0) == 0, "sigaction SIGUSR1 handler");
  CHECK(__host_process_proc_kill(me, 10) == 0 && got_signal == 10, "signal to self ran the trampoline");
  CHECK(__host_process_proc_sigaction(9, 2, 0, 0, 0) == __WASI_ERRNO_INVAL, "sigaction SIGKILL: inval");
  uint32_t olo, ohi;
  CHECK(__host_process_proc_signal_mask_v2(0, 1 << 9, 0, &olo, &ohi) == 0 && olo == 0, "block SIGUSR1");
  got_signal = 0;
  __host_process_proc_kill(me, 10);
  CHECK(got_signal == 0, "blocked signal stays pending");
  __host_process_proc_signal_mask_v2(1, 1 << 9, 0, &olo, &ohi);
  CHECK(got_signal == 10, "unblocked signal delivered");
  CHECK(__host_process_proc_waitpid(-1, 0, &status, &child) == __WASI_ERRNO_CHILD, "no children left: child");
  DONE();
}
