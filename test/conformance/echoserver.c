// A TCP echo server: listens on 127.0.0.1 (an ephemeral port), prints `port: N` on stdout (the
// parent reads it through a pipe), accepts one connection and echoes it with fd_read/fd_write
// until the client closes. Checks go to stderr; exits non-zero on any failure.
#include <poll.h>
#include <unistd.h>
#include "net.h"

#undef CHECK
#define CHECK(cond, what)                                                     \
  do {                                                                        \
    if (cond) fprintf(stderr, "server ok: %s\n", what);                       \
    else { fprintf(stderr, "FAIL: server: %s (line %d)\n", what, __LINE__); failures++; } \
  } while (0)

int main(void) {
  int32_t lfd = net_listener("127.0.0.1:0");
  CHECK(lfd >= 0, "socket, bind 127.0.0.1:0, listen");
  if (lfd < 0) return 1;
  char name[64];
  CHECK(net_name(lfd, 0, name, sizeof name) == 0 && strncmp(name, "127.0.0.1:", 10) == 0, "getsockname of the listener");
  printf("port: %s\n", name + 10);
  fflush(stdout);
  close(1); // the parent sees EOF after the port line

  // poll_oneoff (through libc poll) sees the pending connection as readable.
  struct pollfd p = {.fd = lfd, .events = POLLIN};
  CHECK(poll(&p, 1, 10000) == 1 && (p.revents & POLLIN), "poll_oneoff: listener readable");

  __wasi_fd_t conn;
  char peer[64];
  uint32_t peer_len = sizeof peer - 1;
  CHECK(__host_net_net_accept(lfd, &conn, (uint8_t *)peer, &peer_len) == 0, "accept");
  peer[peer_len < sizeof peer ? peer_len : sizeof peer - 1] = 0;
  CHECK(strncmp(peer, "127.0.0.1:", 10) == 0, "accept wrote the peer address");

  __wasi_fdstat_t st;
  CHECK(__wasi_fd_fdstat_get(conn, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM, "fd_fdstat_get: socket_stream");

  char buf[4096];
  size_t total = 0;
  for (;;) {
    ssize_t n = read(conn, buf, sizeof buf);
    if (n <= 0) {
      CHECK(n == 0, "fd_read: end of stream after the client closed");
      break;
    }
    total += n;
    CHECK(write(conn, buf, n) == n, "fd_write echoed a chunk");
  }
  CHECK(total > 0, "echoed some bytes");
  CHECK(__wasi_fd_close(conn) == 0, "fd_close on a socket");
  CHECK(__host_net_net_close(lfd) == 0, "net_close on the listener");
  return failures ? 1 : 0;
}
