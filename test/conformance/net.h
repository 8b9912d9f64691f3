// Shared by the network guests: the generated host_net header and small helpers over it.
#ifndef CONFORMANCE_NET_H
#define CONFORMANCE_NET_H
// SOL_SOCKET is an unstable constant of the contract; the guests opt in to it.
#define __ABIC_FEATURE_SOCKOPT_LEVELS 1
#include <host_net.h>
#include <string.h>
#include "check.h"

/** A TCP socket bound to `addr` and listening; -errno on failure. */
static int32_t net_listener(const char *addr) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __host_net_net_socket(__HOST_NET_SOCKET_DOMAIN_INET, __WASI_SOCK_STREAM, 0, &fd);
  if (e) return -e;
  if ((e = __host_net_net_bind(fd, addr)) || (e = __host_net_net_listen(fd, 16))) return -e;
  return fd;
}

/** The address of a socket as a NUL-terminated string in `buf`; 0 or an errno. */
static __wasi_errno_t net_name(__wasi_fd_t fd, int peer, char *buf, uint32_t cap) {
  uint32_t len = cap - 1;
  __wasi_errno_t e = peer ? __host_net_net_getpeername(fd, (uint8_t *)buf, &len) : __host_net_net_getsockname(fd, (uint8_t *)buf, &len);
  buf[e ? 0 : (len < cap - 1 ? len : cap - 1)] = 0;
  return e;
}
#endif
