// host_net: spawns the echo server guest (a second process of the same host), talks to it over
// loopback TCP, then UDP, name resolution, socket options, net_poll and the error cases.
#include <unistd.h>
#include "net.h"

static char reply[200000];

/** Reads the server's `port: N` line from the pipe. */
static int read_port(int fd) {
  char line[64] = {0};
  size_t n = 0;
  while (n < sizeof line - 1) {
    ssize_t got = read(fd, line + n, sizeof line - 1 - n);
    if (got <= 0) break;
    n += got;
  }
  return strncmp(line, "port: ", 6) == 0 ? atoi(line + 6) : -1;
}

static int32_t int_opt(__wasi_fd_t fd, uint32_t level, uint32_t name) {
  int32_t v = -1;
  uint32_t len = sizeof v;
  return __host_net_net_getsockopt(fd, level, name, (uint8_t *)&v, &len) == 0 && len == 4 ? v : -1;
}

static __wasi_errno_t set_int_opt(__wasi_fd_t fd, uint32_t level, uint32_t name, int32_t v) {
  return __host_net_net_setsockopt(fd, level, name, (const uint8_t *)&v, sizeof v);
}

static void tcp_with_server(void) {
  __wasi_fd_t out_r, out_w;
  CHECK(__host_process_fd_pipe(&out_r, &out_w) == 0, "pipe for the server's port line");
  const char argv[] = "echoserver\0";
  __wasi_pid_t pid = -1;
  CHECK(__host_process_proc_spawn(argv, sizeof argv - 1, "", 0, 0, out_w, 2, "", &pid) == 0 && pid > 1, "spawn the echo server");
  close(out_w);
  int port = read_port(out_r);
  close(out_r);
  CHECK(port > 0, "server reported its port");

  __wasi_fd_t fd;
  CHECK(__host_net_net_socket(__HOST_NET_SOCKET_DOMAIN_INET, __WASI_SOCK_STREAM, 0, &fd) == 0, "client socket");
  char addr[64];
  snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
  CHECK(__host_net_net_connect(fd, addr) == 0, "connect to the server");

  char name[64];
  CHECK(net_name(fd, 1, name, sizeof name) == 0 && strcmp(name, addr) == 0, "getpeername: the server's address");
  CHECK(net_name(fd, 0, name, sizeof name) == 0 && strncmp(name, "127.0.0.1:", 10) == 0 && strcmp(name, addr) != 0, "getsockname: a local loopback port");
  char tiny[4];
  uint32_t tiny_len = sizeof tiny;
  CHECK(__host_net_net_getpeername(fd, (uint8_t *)tiny, &tiny_len) == 0 && tiny_len == strlen(addr) && memcmp(tiny, addr, 4) == 0, "short address buffer: truncated text, full length");

  CHECK(set_int_opt(fd, __HOST_NET_SOL_TCP, 1, 1) == 0 && int_opt(fd, __HOST_NET_SOL_TCP, 1) == 1, "TCP_NODELAY set and read back");
  CHECK(set_int_opt(fd, __HOST_NET_SOL_SOCKET, __HOST_NET_SO_KEEPALIVE, 1) == 0 && int_opt(fd, __HOST_NET_SOL_SOCKET, __HOST_NET_SO_KEEPALIVE) == 1, "SO_KEEPALIVE set and read back");
  CHECK(set_int_opt(fd, __HOST_NET_SOL_SOCKET, __HOST_NET_SO_RCVBUF, 65536) == 0 && int_opt(fd, __HOST_NET_SOL_SOCKET, __HOST_NET_SO_RCVBUF) >= 65536, "SO_RCVBUF set and read back");
  CHECK(int_opt(fd, __HOST_NET_SOL_SOCKET, __HOST_NET_SO_TYPE) == __WASI_SOCK_STREAM, "SO_TYPE: stream");
  CHECK(int_opt(fd, __HOST_NET_SOL_SOCKET, __HOST_NET_SO_ERROR) == 0, "SO_ERROR: none");
  CHECK(set_int_opt(fd, __HOST_NET_SOL_SOCKET, 12345, 1) == __WASI_ERRNO_NOPROTOOPT, "unknown option: noprotoopt");

  __wasi_pollfd_t p = {.fd = fd, .events = __WASI_POLLIN};
  uint32_t ready = 99;
  CHECK(__host_net_net_poll(&p, 1, 50, &ready) == 0 && ready == 0 && p.revents == 0, "net_poll times out with nothing to read");
  p.events = __WASI_POLLOUT;
  CHECK(__host_net_net_poll(&p, 1, 1000, &ready) == 0 && ready == 1 && (p.revents & __WASI_POLLOUT), "net_poll: writable");
  size_t n = 0;
  CHECK(__host_net_net_recv(fd, (uint8_t *)reply, 16, __WASI_MSG_DONTWAIT, &n) == __WASI_ERRNO_AGAIN, "recv MSG_DONTWAIT with nothing buffered: again");

  const char hello[] = "hello over loopback";
  CHECK(__host_net_net_send(fd, (const uint8_t *)hello, sizeof hello - 1, 0, &n) == 0 && n == sizeof hello - 1, "net_send");
  p.events = __WASI_POLLIN;
  CHECK(__host_net_net_poll(&p, 1, 10000, &ready) == 0 && ready == 1 && (p.revents & __WASI_POLLIN), "net_poll: the echo is readable");
  CHECK(__host_net_net_recv(fd, (uint8_t *)reply, sizeof hello - 1, __WASI_MSG_WAITALL, &n) == 0 && n == sizeof hello - 1 && memcmp(reply, hello, n) == 0, "net_recv: the echo came back");

  static char big[150000];
  for (size_t i = 0; i < sizeof big; i++) big[i] = (char)(i * 7 + 3);
  size_t sent = 0, got = 0;
  int ok = 1;
  while (sent < sizeof big) {
    if (__host_net_net_send(fd, (const uint8_t *)big + sent, sizeof big - sent, 0, &n)) { ok = 0; break; }
    sent += n;
  }
  while (ok && got < sizeof big) {
    if (__host_net_net_recv(fd, (uint8_t *)reply + got, sizeof big - got, 0, &n) || n == 0) { ok = 0; break; }
    got += n;
  }
  CHECK(ok && got == sizeof big && memcmp(reply, big, sizeof big) == 0, "150 KB round trip, in order");
  // Half-close: the server reads end of stream, closes, and the client reads end of stream too.
  CHECK(__wasi_sock_shutdown(fd, __WASI_SDFLAGS_WR) == 0, "sock_shutdown(WR)");
  CHECK(__host_net_net_recv(fd, (uint8_t *)reply, 16, 0, &n) == 0 && n == 0, "after the half-close the server closed: recv 0");
  CHECK(__wasi_sock_shutdown(1, __WASI_SDFLAGS_WR) == __WASI_ERRNO_NOTSOCK, "sock_shutdown on a pipe: notsock");

  CHECK(__wasi_fd_close(fd) == 0, "close the client socket");
  int32_t child = 0;
  uint32_t status = 1;
  CHECK(__host_process_proc_waitpid_v3(pid, 0, &status, &child) == 0 && child == pid && status == 0, "the echo server exited 0");
}

static void udp(void) {
  __wasi_fd_t a, b;
  CHECK(__host_net_net_socket(__HOST_NET_SOCKET_DOMAIN_INET, __WASI_SOCK_DGRAM, 0, &a) == 0 && __host_net_net_bind(a, "127.0.0.1:0") == 0, "udp socket a bound");
  CHECK(__host_net_net_socket(__HOST_NET_SOCKET_DOMAIN_INET, __WASI_SOCK_DGRAM, 0, &b) == 0, "udp socket b");
  char a_name[64], b_name[64], from[64];
  CHECK(net_name(a, 0, a_name, sizeof a_name) == 0 && strncmp(a_name, "127.0.0.1:", 10) == 0 && strcmp(a_name, "127.0.0.1:0") != 0, "udp getsockname: a real port");
  size_t n = 0;
  CHECK(__host_net_net_sendto(b, (const uint8_t *)"datagram", 8, 0, a_name, &n) == 0 && n == 8, "sendto");
  CHECK(net_name(b, 0, b_name, sizeof b_name) == 0, "sender's address after the implicit bind");
  __wasi_pollfd_t p = {.fd = a, .events = __WASI_POLLIN};
  uint32_t ready = 0;
  CHECK(__host_net_net_poll(&p, 1, 10000, &ready) == 0 && ready == 1 && (p.revents & __WASI_POLLIN), "net_poll: datagram readable");
  char buf[32] = {0};
  uint32_t received = 0, from_len = sizeof from - 1;
  CHECK(__host_net_net_recvfrom(a, (uint8_t *)buf, sizeof buf, 0, &received, (uint8_t *)from, &from_len) == 0 && received == 8 && memcmp(buf, "datagram", 8) == 0, "recvfrom: the datagram");
  from[from_len < sizeof from ? from_len : sizeof from - 1] = 0;
  // The sender was bound implicitly to the wildcard address: compare the ports.
  CHECK(strncmp(from, "127.0.0.1:", 10) == 0 && strcmp(strrchr(from, ':'), strrchr(b_name, ':')) == 0, "recvfrom: the sender's address");
  CHECK(__host_net_net_recvfrom(a, (uint8_t *)buf, sizeof buf, __WASI_MSG_DONTWAIT, &received, (uint8_t *)from, &from_len) == __WASI_ERRNO_AGAIN, "recvfrom with nothing queued: again");
  CHECK(int_opt(a, __HOST_NET_SOL_SOCKET, __HOST_NET_SO_TYPE) == __WASI_SOCK_DGRAM, "SO_TYPE: dgram");
  CHECK(__wasi_fd_close(a) == 0 && __wasi_fd_close(b) == 0, "close udp sockets");
}

static void names(void) {
  char out[512];
  uint32_t len = sizeof out - 1;
  CHECK(__host_net_net_getaddrinfo("localhost", "80", 0, (uint8_t *)out, &len) == 0, "getaddrinfo localhost");
  out[len] = 0;
  CHECK(strstr(out, "{\"addr\":\"127.0.0.1\",\"family\":4}") != NULL, "localhost resolves to 127.0.0.1 (JSON)");
  len = sizeof out - 1;
  CHECK(__host_net_net_getaddrinfo("localhost", "", 6, (uint8_t *)out, &len) == 0, "getaddrinfo localhost, IPv6 only");
  out[len] = 0;
  CHECK(strcmp(out, "[{\"addr\":\"::1\",\"family\":6}]") == 0, "IPv6 filter: ::1 only");
  len = sizeof out - 1;
  CHECK(__host_net_net_getaddrinfo("10.1.2.3", "", 0, (uint8_t *)out, &len) == 0, "getaddrinfo of a literal");
  out[len] = 0;
  CHECK(strcmp(out, "[{\"addr\":\"10.1.2.3\",\"family\":4}]") == 0, "a literal resolves to itself");
  len = 5;
  CHECK(__host_net_net_getaddrinfo("10.1.2.3", "", 0, (uint8_t *)out, &len) == __WASI_ERRNO_NOBUFS && len == strlen("[{\"addr\":\"10.1.2.3\",\"family\":4}]"), "short buffer: nobufs and the full length");
  CHECK(__host_net_net_getaddrinfo("10.1.2.3", "", 9, (uint8_t *)out, &len) == __WASI_ERRNO_INVAL, "unknown family filter: inval");
}

static void errors(void) {
  int32_t l = net_listener("127.0.0.1:0");
  char name[64];
  CHECK(l >= 0 && net_name(l, 0, name, sizeof name) == 0, "a listener to find a free port");
  __wasi_fd_t conn;
  char peer[64];
  uint32_t peer_len = sizeof peer;
  CHECK(__host_net_net_set_nonblock(l, 1) == 0 && __host_net_net_accept(l, &conn, (uint8_t *)peer, &peer_len) == __WASI_ERRNO_AGAIN, "non-blocking accept with nobody waiting: again");
  CHECK(int_opt(l, __HOST_NET_SOL_SOCKET, __HOST_NET_SO_ACCEPTCONN) == 1, "SO_ACCEPTCONN on a listener");
  CHECK(__wasi_fd_close(l) == 0, "close the listener (its port is now closed)");
  __wasi_fd_t fd;
  CHECK(__host_net_net_socket(__HOST_NET_SOCKET_DOMAIN_INET, __WASI_SOCK_STREAM, 0, &fd) == 0, "socket");
  CHECK(__host_net_net_connect(fd, name) == __WASI_ERRNO_CONNREFUSED, "connect to a closed port: connrefused");
  CHECK(__host_net_net_connect(fd, "not an address") == __WASI_ERRNO_AFNOSUPPORT || __host_net_net_connect(fd, "1.2.3.4:99999") == __WASI_ERRNO_INVAL, "bad port: inval");
  CHECK(__host_net_net_connect(fd, "1.2.3.4:99999") == __WASI_ERRNO_INVAL, "port above 65535: inval");
  CHECK(__host_net_net_getpeername(fd, (uint8_t *)peer, &peer_len) == __WASI_ERRNO_NOTCONN, "getpeername unconnected: notconn");
  size_t n;
  CHECK(__host_net_net_send(999, (const uint8_t *)"x", 1, 0, &n) == __WASI_ERRNO_BADF, "send on a bad fd: badf");
  CHECK(__host_net_net_recv(1, (uint8_t *)peer, 1, 0, &n) == __WASI_ERRNO_NOTSOCK, "recv on a pipe: notsock");
  CHECK(__host_net_net_socket(__HOST_NET_SOCKET_DOMAIN_INET, 9, 0, &conn) == __WASI_ERRNO_SOCKTNOSUPPORT, "unknown socket type: socktnosupport");
  __wasi_pollfd_t p[2] = {{.fd = 999, .events = __WASI_POLLIN}, {.fd = -1, .events = __WASI_POLLIN}};
  uint32_t ready = 0;
  CHECK(__host_net_net_poll(p, 2, 0, &ready) == 0 && ready == 1 && p[0].revents == __WASI_POLLNVAL && p[1].revents == 0, "net_poll: bad fd pollnval, negative fd ignored");
  CHECK(__host_net_net_close(fd) == 0 && __host_net_net_close(fd) == __WASI_ERRNO_BADF, "net_close twice: badf");
}

static void pairs(void) {
  __wasi_fd_t s0, s1;
  size_t n = 0;
  char buf[32] = {0};
  CHECK(__host_process_fd_socketpair(__WASI_SOCK_STREAM, 0, 1, &s0, &s1) == 0 && s0 != s1, "fd_socketpair stream");
  uint32_t flags = 0;
  CHECK(__host_process_fd_getfd(s0, &flags) == 0 && flags == 1, "socketpair cloexec");
  CHECK(write(s0, "ping", 4) == 4 && __host_net_net_recv(s1, (uint8_t *)buf, 4, __WASI_MSG_WAITALL, &n) == 0 && n == 4 && !memcmp(buf, "ping", 4), "stream pair: fd_write one end, net_recv the other");
  CHECK(__host_net_net_send(s1, (const uint8_t *)"pong", 4, 0, &n) == 0 && read(s0, buf, 4) == 4 && !memcmp(buf, "pong", 4), "stream pair: and back");
  CHECK(__wasi_fd_close(s1) == 0 && read(s0, buf, 4) == 0, "closing one end: end of stream at the other");
  __wasi_fd_close(s0);
  CHECK(__host_process_fd_socketpair(__WASI_SOCK_DGRAM, 1, 0, &s0, &s1) == 0, "fd_socketpair dgram, non-blocking");
  CHECK(__host_net_net_recv(s1, (uint8_t *)buf, sizeof buf, 0, &n) == __WASI_ERRNO_AGAIN, "dgram pair: nothing queued: again");
  CHECK(__host_net_net_send(s0, (const uint8_t *)"one", 3, 0, &n) == 0, "dgram pair: send without an address");
  __wasi_pollfd_t p = {.fd = s1, .events = __WASI_POLLIN};
  uint32_t ready = 0;
  CHECK(__host_net_net_poll(&p, 1, 10000, &ready) == 0 && ready == 1 && __host_net_net_recv(s1, (uint8_t *)buf, sizeof buf, 0, &n) == 0 && n == 3 && !memcmp(buf, "one", 3), "dgram pair: the datagram arrives");
  __wasi_fd_close(s0);
  __wasi_fd_close(s1);
  CHECK(__host_process_fd_socketpair(77, 0, 0, &s0, &s1) == __WASI_ERRNO_INVAL, "fd_socketpair unknown kind: inval");
}

int main(void) {
  tcp_with_server();
  udp();
  names();
  errors();
  pairs();
  DONE();
}
