// SCM_RIGHTS over an fd_socketpair: the parent hands one end to a child (`passing child`, its
// stdin), then sends it a pipe's write end; the child writes through the received descriptor.
// Also: truncated control data, the private msg_flags encoding, the limits.
#include <string.h>
#include <unistd.h>
#include "check.h"

static __wasi_size_t got, nrights;
static uint32_t flags;

static int child(void) {
  uint8_t buf[16] = {0};
  __wasi_fd_t rights[4] = {-1, -1, -1, -1};
  CHECK(__host_process_fd_recvmsg_rights(0, buf, sizeof buf, rights, 4, 0, &got, &nrights, &flags) == 0, "child: recvmsg_rights");
  CHECK(got == 2 && memcmp(buf, "fd", 2) == 0 && nrights == 1 && rights[0] > 2, "child: the payload and one descriptor");
  CHECK(flags == (2u << __HOST_PROCESS_RECVMSG_LEN_SHIFT), "child: msg_flags = length << 2, no truncation");
  CHECK(write(rights[0], "from the child\n", 15) == 15, "child: write through the received descriptor");
  close(rights[0]);
  DONE();
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "child") == 0) return child();
  int32_t s0, s1;
  CHECK(__host_process_fd_socketpair(__WASI_SOCK_STREAM, 0, 0, &s0, &s1) == 0, "fd_socketpair");
  const char args[] = "passing\0child\0";
  int32_t pid = -1;
  fflush(stdout);
  CHECK(__host_process_proc_spawn(args, sizeof args - 1, "", 0, s1, 1, 2, "", &pid) == 0 && pid > 1, "spawn a child holding one end as stdin");
  close(s1);
  int32_t r, w;
  __host_process_fd_pipe(&r, &w);
  __wasi_size_t sent = 0;
  CHECK(__host_process_fd_sendmsg_rights(s0, (const uint8_t *)"fd", 2, &w, 1, 0, &sent) == 0 && sent == 2, "sendmsg_rights: a pipe's write end");
  close(w);
  char buf[64] = {0};
  size_t total = 0;
  ssize_t n;
  while ((n = read(r, buf + total, sizeof buf - 1 - total)) > 0) total += n;
  CHECK(strcmp(buf, "from the child\n") == 0, "the child wrote through the passed descriptor; EOF once it closed");
  uint32_t status = 99;
  int32_t child_pid;
  CHECK(__host_process_proc_waitpid(pid, 0, &status, &child_pid) == 0 && status == 0, "the child passed its checks");

  // Within one process: two descriptors, room for one.
  int32_t a, b;
  CHECK(__host_process_fd_socketpair(__WASI_SOCK_STREAM, 0, 0, &a, &b) == 0, "a second pair");
  __host_process_fd_pipe(&r, &w);
  __wasi_fd_t two[2] = {r, w};
  CHECK(__host_process_fd_sendmsg_rights(a, (const uint8_t *)"xy", 2, two, 2, 0, &sent) == 0, "send two descriptors");
  __wasi_fd_t one[1] = {-1};
  uint8_t data[8];
  CHECK(__host_process_fd_recvmsg_rights(b, data, sizeof data, one, 1, 0x40000000, &got, &nrights, &flags) == 0 && got == 2 && nrights == 1, "receive with room for one");
  CHECK(flags == (__HOST_PROCESS_RECVMSG_FLAG_CTRUNC | (2u << __HOST_PROCESS_RECVMSG_LEN_SHIFT)), "msg_flags: ctrunc and the length");
  uint32_t fdflags = 0;
  CHECK(__host_process_fd_getfd(one[0], &fdflags) == 0 && fdflags == 1, "MSG_CMSG_CLOEXEC: the received fd is close-on-exec");
  CHECK(write(w, "z", 1) == 1 && read(one[0], data, 1) == 1 && data[0] == 'z', "the received read end reads the pipe");

  static __wasi_fd_t many[254];
  CHECK(__host_process_fd_sendmsg_rights(a, (const uint8_t *)"x", 1, many, 254, 0, &sent) == __WASI_ERRNO_INVAL, "254 descriptors: inval");
  CHECK(__host_process_fd_recvmsg_rights(b, data, sizeof data, many, 254, 0, &got, &nrights, &flags) == __WASI_ERRNO_INVAL, "capacity 254: inval");
  __wasi_fd_t bad = 77;
  CHECK(__host_process_fd_sendmsg_rights(a, (const uint8_t *)"x", 1, &bad, 1, 0, &sent) == __WASI_ERRNO_BADF, "a closed descriptor: badf");
  CHECK(__host_process_fd_sendmsg_rights(r, (const uint8_t *)"x", 1, NULL, 0, 0, &sent) == __WASI_ERRNO_NOTSOCK, "not a socket: notsock");
  DONE();
}
