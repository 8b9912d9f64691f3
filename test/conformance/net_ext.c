// host_net, the rest of it: the preflight checks, resource-record queries the host answers
// without a network (loopback PTR, `localhost`, `.invalid`), and TLS against servers the test
// runs: argv[1] = the port of a TLS echo server (upper-cases what it gets; certificate for
// `localhost`, trusted by the host) or 0 when the test could not make a certificate,
// argv[2] = the port of a plain TCP server that closes every connection at once.
#include <unistd.h>
#include "net.h"

#define PTR __HOST_NET_DNS_RR_PTR
#define SSHFP __HOST_NET_DNS_RR_SSHFP

static __wasi_fd_t tcp_to(int port) {
  __wasi_fd_t fd = (__wasi_fd_t)-1;
  char addr[64];
  snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
  if (__host_net_net_socket(__HOST_NET_SOCKET_DOMAIN_INET, __WASI_SOCK_STREAM, 0, &fd) || __host_net_net_connect(fd, addr)) return (__wasi_fd_t)-1;
  return fd;
}

static void validate(void) {
  __wasi_fd_t s, u;
  int32_t l = net_listener("127.0.0.1:0");
  CHECK(l >= 0, "a listener");
  CHECK(__host_net_net_validate_socket(l) == 0, "validate_socket: a socket");
  CHECK(__host_net_net_validate_accept(l) == 0, "validate_accept: a listening socket");
  CHECK(__host_net_net_socket(__HOST_NET_SOCKET_DOMAIN_INET, __WASI_SOCK_STREAM, 0, &s) == 0, "a plain stream socket");
  CHECK(__host_net_net_validate_accept(s) == __WASI_ERRNO_INVAL, "validate_accept not listening: INVAL");
  CHECK(__host_net_net_socket(__HOST_NET_SOCKET_DOMAIN_INET, __WASI_SOCK_DGRAM, 0, &u) == 0, "a datagram socket");
  CHECK(__host_net_net_validate_socket(u) == 0, "validate_socket: a datagram socket");
  CHECK(__host_net_net_validate_accept(u) == __WASI_ERRNO_NOTSUP, "validate_accept datagram: NOTSUP");
  CHECK(__host_net_net_validate_socket(1) == __WASI_ERRNO_NOTSOCK, "validate_socket stdout: NOTSOCK");
  CHECK(__host_net_net_validate_accept(1) == __WASI_ERRNO_NOTSOCK, "validate_accept stdout: NOTSOCK");
  CHECK(__host_net_net_validate_socket(77) == __WASI_ERRNO_BADF, "validate_socket closed fd: BADF");
  close(l);
  close(s);
  close(u);
}

/** The single record of a payload, or NULL. */
static const uint8_t *one_record(const uint8_t *p, uint32_t len, uint32_t *rlen) {
  uint32_t count, n;
  if (len < 8) return NULL;
  memcpy(&count, p, 4);
  memcpy(&n, p + 4, 4);
  if (count != 1 || 8 + n != len) return NULL;
  *rlen = n;
  return p + 8;
}

static void dns(void) {
  static uint8_t out[65536];
  uint32_t len = 0, ttl = 9, status = 9, rlen = 0;
  const char localhost[] = "\x09localhost";  // wire format, with its terminating zero
  const uint8_t *r;

  CHECK(__host_net_net_dns_query_rr_v1("127.0.0.1", PTR, out, sizeof out, &len, &ttl, &status) == 0 && status == 0, "PTR 127.0.0.1");
  r = one_record(out, len, &rlen);
  CHECK(r && rlen == sizeof localhost && memcmp(r, localhost, rlen) == 0, "one record: localhost, wire format");
  CHECK(__host_net_net_dns_query_rr_v1("1.0.0.127.in-addr.arpa.", PTR, out, sizeof out, &len, &ttl, &status) == 0 && status == 0 && one_record(out, len, &rlen), "PTR by its in-addr.arpa name");
  CHECK(__host_net_net_dns_query_rr_v1("::1", PTR, out, sizeof out, &len, &ttl, &status) == 0 && status == 0 && one_record(out, len, &rlen), "PTR ::1");
  len = 0;
  CHECK(__host_net_net_dns_query_rr_v1("127.0.0.1", PTR, out, 8, &len, &ttl, &status) == __WASI_ERRNO_NOBUFS && len == 8 + sizeof localhost, "short buffer: NOBUFS, full length");
  CHECK(__host_net_net_dns_query_rr_v1("localhost", PTR, out, sizeof out, &len, &ttl, &status) == 0 && status == __HOST_NET_DNS_FLAG_NODATA && len == 4, "PTR localhost: NODATA, no records");
  CHECK(__host_net_net_dns_query_rr_v1("localhost", SSHFP, out, sizeof out, &len, &ttl, &status) == 0 && status == __HOST_NET_DNS_FLAG_NODATA && len == 4, "SSHFP localhost: NODATA");
  uint32_t count = 9;
  memcpy(&count, out, 4);
  CHECK(count == 0, "payload count 0");
  CHECK(__host_net_net_dns_query_rr_v1("nosuch.invalid", SSHFP, out, sizeof out, &len, &ttl, &status) == 0 && status == __HOST_NET_DNS_FLAG_NXDOMAIN, "SSHFP in .invalid: NXDOMAIN");
  CHECK(__host_net_net_dns_query_rr_v1("nosuch.invalid", PTR, out, sizeof out, &len, &ttl, &status) == 0 && status == __HOST_NET_DNS_FLAG_NXDOMAIN, "PTR in .invalid: NXDOMAIN");
  CHECK(__host_net_net_dns_query_rr_v1("localhost", 1, out, sizeof out, &len, &ttl, &status) == __WASI_ERRNO_NOTSUP, "type A: NOTSUP");
  CHECK(__host_net_net_dns_query_rr_v1("", PTR, out, sizeof out, &len, &ttl, &status) == __WASI_ERRNO_INVAL, "empty name: INVAL");
}

static void tls(int tls_port, int plain_port) {
  __wasi_fd_t fd, u;
  CHECK(__host_net_net_socket(__HOST_NET_SOCKET_DOMAIN_INET, __WASI_SOCK_STREAM, 0, &fd) == 0, "an unconnected socket");
  CHECK(__host_net_net_tls_connect(fd, "localhost") == __WASI_ERRNO_NOTCONN, "tls_connect unconnected: NOTCONN");
  close(fd);
  CHECK(__host_net_net_socket(__HOST_NET_SOCKET_DOMAIN_INET, __WASI_SOCK_DGRAM, 0, &u) == 0, "a datagram socket");
  CHECK(__host_net_net_tls_connect(u, "localhost") == __WASI_ERRNO_NOTSUP, "tls_connect datagram: NOTSUP");
  close(u);
  CHECK(__host_net_net_tls_connect(1, "localhost") == __WASI_ERRNO_NOTSOCK, "tls_connect stdout: NOTSOCK");

  fd = tcp_to(plain_port);
  CHECK(fd != (__wasi_fd_t)-1, "connected to the plain server");
  CHECK(__host_net_net_tls_connect(fd, "localhost") == __WASI_ERRNO_CONNABORTED, "handshake with a server that hangs up: CONNABORTED");
  size_t sent = 0;
  CHECK(__host_net_net_send(fd, (const uint8_t *)"x", 1, 0, &sent) == __WASI_ERRNO_NOTCONN, "the failed connection is gone");
  close(fd);
  if (tls_port == 0) {
    printf("note: no TLS server (no openssl): only the error paths ran\n");
    return;
  }

  fd = tcp_to(tls_port);
  CHECK(fd != (__wasi_fd_t)-1, "connected to the TLS server");
  CHECK(__host_net_net_tls_connect(fd, "wrong.invalid") == __WASI_ERRNO_CONNABORTED, "certificate for another name: CONNABORTED");
  close(fd);

  fd = tcp_to(tls_port);
  CHECK(__host_net_net_tls_connect(fd, "localhost") == 0, "tls_connect localhost");
  CHECK(__host_net_net_tls_connect(fd, "localhost") == __WASI_ERRNO_ISCONN, "twice: ISCONN");
  CHECK(__host_net_net_send(fd, (const uint8_t *)"hello tls", 9, 0, &sent) == 0 && sent == 9, "net_send through TLS");
  char buf[64] = {0};
  size_t got = 0, total = 0;
  while (total < 9 && __host_net_net_recv(fd, (uint8_t *)buf + total, sizeof buf - 1 - total, 0, &got) == 0 && got > 0) total += got;
  CHECK(total == 9 && memcmp(buf, "HELLO TLS", 9) == 0, "net_recv: the server's plaintext answer");
  CHECK(write(fd, "again", 5) == 5, "fd_write through TLS");
  memset(buf, 0, sizeof buf);
  total = 0;
  while (total < 5) {
    ssize_t n = read(fd, buf + total, sizeof buf - 1 - total);
    if (n <= 0) break;
    total += n;
  }
  CHECK(total == 5 && memcmp(buf, "AGAIN", 5) == 0, "fd_read through TLS");
  close(fd);
}

int main(int argc, char **argv) {
  validate();
  dns();
  tls(argc > 1 ? atoi(argv[1]) : 0, argc > 2 ? atoi(argv[2]) : 0);
  DONE();
}
