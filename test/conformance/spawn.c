// Spawn, wait and kill: pipes data through a child guest, collects exit statuses (v1 and
// v3), kills a sleeping child, delivers a signal to itself through the trampoline.
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

static volatile int got_signal = 0;

__attribute__((export_name("__wasi_signal_trampoline"))) void trampoline(int sig) { got_signal = sig; }

#define CHECK_QUIET(cond) do { if (!(cond)) { printf("FAIL: %s (line %d)\n", #cond, __LINE__); failures++; } } while (0)

static int32_t spawn(const char *argv, int len, int in, int out) {
  int32_t pid = -1;
  fflush(stdout); // children share stdout: keep whole lines apart
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

  // The v2 forms: an explicit executable path; exit code and signal reported apart.
  pid = -1;
  CHECK(__host_process_proc_spawn_v2("child", ex, sizeof ex - 1, "", 0, 0, 1, 2, "", &pid) == 0 && pid > 1, "proc_spawn_v2");
  uint32_t code = 99, sig = 99, core = 99;
  CHECK(__host_process_proc_waitpid_v2(pid, 0, &code, &sig, &child, &core) == 0 && child == pid && code == 42 && sig == 0 && core == 0, "waitpid_v2: code 42, no signal");
  pid = spawn(sl, sizeof sl - 1, 0, 1);
  CHECK(__host_process_proc_kill(pid, 9) == 0, "kill SIGKILL");
  CHECK(__host_process_proc_waitpid_v2(pid, 0, &code, &sig, &child, &core) == 0 && code == 0 && sig == 9, "waitpid_v2: signal 9");
  CHECK(__host_process_proc_spawn_v2("", ex, sizeof ex - 1, "", 0, 0, 1, 2, "", &pid) == __WASI_ERRNO_NOENT, "proc_spawn_v2 empty path: noent");

  // Process groups.
  int32_t pgid = 0;
  CHECK(__host_process_proc_getpgid(0, &pgid) == 0 && pgid == me, "getpgid: the first process leads its group");
  pid = spawn(sl, sizeof sl - 1, 0, 1);
  CHECK(__host_process_proc_getpgid(pid, &pgid) == 0 && pgid == me, "a child starts in the parent's group");
  CHECK(__host_process_proc_setpgid(pid, 0) == 0 && __host_process_proc_getpgid(pid, &pgid) == 0 && pgid == pid, "setpgid(child, 0): its own group");
  CHECK(__host_process_proc_kill(-pid, 15) == 0 && __host_process_proc_waitpid(pid, 0, &status, &child) == 0 && status == 128 + 15, "kill the child's group");
  CHECK(__host_process_proc_getpgid(999, &pgid) == __WASI_ERRNO_SRCH, "getpgid of no process: srch");

  // Limits, umask, closefrom.
  uint64_t soft = 0, hard = 0;
  CHECK(__host_process_proc_setrlimit(7, 64, 1 << 20) == 0 && __host_process_proc_getrlimit(7, &soft, &hard) == 0 && soft == 64 && hard == 1 << 20, "setrlimit nofile, read back");
  CHECK(__host_process_proc_setrlimit(7, 1 << 21, 1 << 21) == __WASI_ERRNO_PERM, "raising the hard limit: perm");
  CHECK(__host_process_proc_setrlimit(7, 10, 5) == __WASI_ERRNO_INVAL, "soft above hard: inval");
  uint32_t old = 0;
  CHECK(__host_process_umask(0, 0, &old) == 0 && __host_process_umask(0, 0, &old) == 0, "umask query (set = 0)");
  uint32_t mask = old;
  CHECK(__host_process_umask(027, 1, &old) == 0 && old == mask && __host_process_umask(mask, 1, &old) == 0 && old == 027, "umask set and restore");
  __wasi_fd_t pr, pw;
  CHECK(__host_process_fd_pipe(&pr, &pw) == 0 && pr >= 3, "a pipe to close");
  CHECK(__host_process_proc_closefrom(pr) == 0 && __wasi_fd_close(pr) == __WASI_ERRNO_BADF && __wasi_fd_close(pw) == __WASI_ERRNO_BADF, "closefrom closed both ends");
  CHECK(__wasi_fd_fdstat_get(1, &(__wasi_fdstat_t){0}) == 0, "closefrom left stdout open");

  // ppoll: a timeout with nothing ready, then a readable pipe.
  CHECK(__host_process_fd_pipe(&pr, &pw) == 0, "a pipe to poll");
  __wasi_pollfd_t pf = {.fd = pr, .events = __WASI_POLLIN};
  uint32_t ready = 9;
  CHECK(__host_process_proc_ppoll_v1(&pf, 1, 0, 20000000, 0, 0, 0, &ready) == 0 && ready == 0 && pf.revents == 0, "ppoll times out on an empty pipe");
  CHECK(write(pw, "x", 1) == 1, "write a byte");
  CHECK(__host_process_proc_ppoll_v1(&pf, 1, -1, -1, 1 << 9, 0, 1, &ready) == 0 && ready == 1 && (pf.revents & __WASI_POLLIN), "ppoll with a temporary mask: readable");
  CHECK(__host_process_proc_ppoll_v1(&pf, 1, 0, 2000000000, 0, 0, 0, &ready) == __WASI_ERRNO_INVAL, "ppoll nsec above 999999999: inval");
  close(pr);
  close(pw);

  // posix_spawn (v4): file actions send the child's stdout into a pipe; attributes.
  __wasi_fd_t act_r, aw;
  CHECK(__host_process_fd_pipe(&act_r, &aw) == 0, "a pipe for the file actions");
  __host_process_spawn_file_action_t acts[2] = {
      {.opcode = __HOST_PROCESS_SPAWN_FILE_OP_DUP2, .fd = 1, .src_fd = aw},
      {.opcode = __HOST_PROCESS_SPAWN_FILE_OP_CLOSE, .fd = aw},
  };
  const char args[] = "child\0args\0";
  pid = -1;
  CHECK(__host_process_proc_spawn_v4("child", args, sizeof args - 1, "", 0, (const uint8_t *)acts, sizeof acts, "", "",
                                     __HOST_PROCESS_SPAWN_FLAGS_SETPGROUP, 0, 0, 0, 0, 0, 0, 0, &pid) == 0 && pid > 1,
        "proc_spawn_v4 with dup2 and close actions");
  close(aw);
  char out[256] = {0};
  got = 0;
  while ((n = read(act_r, out + got, sizeof out - 1 - got)) > 0) got += n;
  close(act_r);
  CHECK(strstr(out, "child argv[1]=args\n") != NULL, "the dup2 action routed the child's stdout");
  CHECK(__host_process_proc_getpgid(pid, &pgid) == 0 && pgid == pid, "setpgroup 0: the child leads a new group");
  CHECK(__host_process_proc_waitpid(pid, 0, &status, &child) == 0 && status == 0, "v4 child exited 0");
  CHECK(__host_process_proc_spawn_v3("child", ex, sizeof ex - 1, "", 0, NULL, 0, "", 0, 0, 0, 0, 0, 0, &pid) == 0 &&
        __host_process_proc_waitpid(pid, 0, &status, &child) == 0 && status == 42, "proc_spawn_v3: exit 42");
  // A child started with SIGTERM blocked keeps running until SIGKILL.
  CHECK(__host_process_proc_spawn_v4("child", sl, sizeof sl - 1, "", 0, NULL, 0, "", "", __HOST_PROCESS_SPAWN_FLAGS_SETSIGMASK,
                                     0, 0, 1 << 14, 0, 0, 0, 0, &pid) == 0, "spawn with SIGTERM in the initial mask");
  CHECK(__host_process_proc_kill(pid, 15) == 0 && __host_process_proc_waitpid(pid, 1, &status, &child) == 0 && child == 0, "blocked SIGTERM: still running");
  CHECK(__host_process_proc_kill(pid, 9) == 0 && __host_process_proc_waitpid(pid, 0, &status, &child) == 0 && status == 128 + 9, "SIGKILL ends it");
  __host_process_spawn_file_action_t bad = {.opcode = 99, .fd = 1};
  CHECK(__host_process_proc_spawn_v4("child", ex, sizeof ex - 1, "", 0, (const uint8_t *)&bad, sizeof bad, "", "", 0, 0, 0, 0, 0, 0, 0, 0, &pid) == __WASI_ERRNO_INVAL, "unknown action opcode: inval");
  CHECK(__host_process_proc_spawn_v4("child", ex, sizeof ex - 1, "", 0, (const uint8_t *)acts, 10, "", "", 0, 0, 0, 0, 0, 0, 0, 0, &pid) == __WASI_ERRNO_INVAL, "truncated action: inval");
  __host_process_spawn_file_action_t dup_bad = {.opcode = __HOST_PROCESS_SPAWN_FILE_OP_DUP2, .fd = 1, .src_fd = 77};
  CHECK(__host_process_proc_spawn_v4("child", ex, sizeof ex - 1, "", 0, (const uint8_t *)&dup_bad, sizeof dup_bad, "", "", 0, 0, 0, 0, 0, 0, 0, 0, &pid) == __WASI_ERRNO_BADF, "dup2 from a closed fd: badf");
  struct { __host_process_spawn_file_action_t h; char path[6]; } __attribute__((packed)) open_out = {
      {.opcode = __HOST_PROCESS_SPAWN_FILE_OP_OPEN, .fd = 1, .oflag = 0x10000000, .path_len = 6}, "/x.txt"};
  CHECK(__host_process_proc_spawn_v4("child", ex, sizeof ex - 1, "", 0, (const uint8_t *)&open_out, sizeof open_out, "", "", 0, 0, 0, 0, 0, 0, 0, 0, &pid) == __WASI_ERRNO_NOTCAPABLE, "open action outside every --dir: notcapable");
  CHECK(__host_process_proc_spawn_v4("child", ex, sizeof ex - 1, "", 0, NULL, 0, "", "", __HOST_PROCESS_SPAWN_FLAGS_SETSID | __HOST_PROCESS_SPAWN_FLAGS_SETPGROUP, 0, 0, 0, 0, 0, 0, 0, &pid) == __WASI_ERRNO_PERM, "setsid with setpgroup: perm");
  CHECK(__host_process_proc_spawn_v4("child", ex, sizeof ex - 1, "", 0, NULL, 0, "", "", __HOST_PROCESS_SPAWN_FLAGS_SETSCHEDULER, 0, 0, 0, 0, 0, 1, 0, &pid) == __WASI_ERRNO_PERM, "sched policy 1: perm");
  CHECK(__host_process_proc_spawn_v4("child", ex, sizeof ex - 1, "", 0, NULL, 0, "", "", 0x100, 0, 0, 0, 0, 0, 0, 0, &pid) == __WASI_ERRNO_NOTSUP, "unknown attribute bit: notsup");

  // The real-time interval timer delivers SIGALRM to the handler.
  uint64_t ov = 9, oi = 9;
  CHECK(__host_process_proc_sigaction(14, 2, 0, 0, 0) == 0, "sigaction SIGALRM handler");
  got_signal = 0;
  CHECK(__host_process_proc_itimer_real(1, 10000, 0, &ov, &oi) == 0 && ov == 0 && oi == 0, "arm a 10 ms itimer");
  for (int i = 0; i < 2000 && got_signal != 14; i++) CHECK_QUIET(__host_process_sleep_ms(5) == 0);
  CHECK(got_signal == 14, "SIGALRM ran the handler");
  CHECK(__host_process_proc_itimer_real(1, 60000000, 1000, &ov, &oi) == 0 && ov == 0, "arm a 60 s itimer with an interval");
  CHECK(__host_process_proc_itimer_real(0, 0, 0, &ov, &oi) == 0 && ov > 0 && ov <= 60000000 && oi == 1000, "query: time left and interval");
  CHECK(__host_process_proc_itimer_real(1, 0, 0, &ov, &oi) == 0 && ov > 0 && __host_process_proc_itimer_real(0, 0, 0, &ov, &oi) == 0 && ov == 0, "value 0 disarms");
  CHECK(__host_process_proc_itimer_real(2, 0, 0, &ov, &oi) == __WASI_ERRNO_INVAL, "itimer operation 2: inval");

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
