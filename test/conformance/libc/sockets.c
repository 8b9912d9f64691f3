// Patch 0008-sockets: the socket calls through host_net. Addresses cross as text:
// `a.b.c.d:port`, an IPv6 address without brackets then `:port`, or a Unix path.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "shim.h"

enum { ADDRESS_TEXT = 256 };

/** `addr` as the host's text form in `out`; 0, or the errno to fail with. */
static int address_text(const struct sockaddr *addr, socklen_t len, char out[ADDRESS_TEXT]) {
  char ip[INET6_ADDRSTRLEN];
  int n;
  if (addr->sa_family == AF_INET) {
    const struct sockaddr_in *in = (const void *)addr;
    n = snprintf(out, ADDRESS_TEXT, "%s:%u", inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip), ntohs(in->sin_port));
  } else if (addr->sa_family == AF_INET6) {
    const struct sockaddr_in6 *in6 = (const void *)addr;
    n = snprintf(out, ADDRESS_TEXT, "%s:%u", inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip), ntohs(in6->sin6_port));
  } else if (addr->sa_family == AF_UNIX) {
    const char *path = (const char *)addr + sizeof(sa_family_t);
    size_t max = len > sizeof(sa_family_t) ? len - sizeof(sa_family_t) : 0;
    n = snprintf(out, ADDRESS_TEXT, "%.*s", (int)strnlen(path, max), path);
  } else
    return EAFNOSUPPORT;
  return n < 0 || n >= ADDRESS_TEXT ? EINVAL : 0;
}

/** The host's text form back into `addr` (truncated to `*len`); the full size goes to `*len`. */
static int parse_address(const char *text, struct sockaddr *addr, socklen_t *len) {
  const char *colon = strrchr(text, ':');
  struct sockaddr_storage ss = {0};
  socklen_t size;
  if (!colon) { // no port: a Unix path
    struct sockaddr_un *un = (void *)&ss;
    un->sun_family = AF_UNIX;
    size = sizeof(sa_family_t) + strlen(text) + 1;
    if (size > sizeof ss) return EINVAL;
    memcpy((char *)un + sizeof(sa_family_t), text, strlen(text));
  } else {
    char ip[INET6_ADDRSTRLEN] = {0};
    size_t iplen = (size_t)(colon - text);
    if (iplen >= sizeof ip) return EINVAL;
    memcpy(ip, text, iplen);
    in_port_t port = htons((in_port_t)strtoul(colon + 1, NULL, 10));
    struct sockaddr_in *in = (void *)&ss;
    struct sockaddr_in6 *in6 = (void *)&ss;
    if (inet_pton(AF_INET, ip, &in->sin_addr) == 1) {
      in->sin_family = AF_INET;
      in->sin_port = port;
      size = sizeof *in;
    } else if (inet_pton(AF_INET6, ip, &in6->sin6_addr) == 1) {
      in6->sin6_family = AF_INET6;
      in6->sin6_port = port;
      size = sizeof *in6;
    } else
      return EINVAL;
  }
  memcpy(addr, &ss, *len < size ? *len : size);
  *len = size;
  return 0;
}

int socket(int domain, int type, int protocol) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __host_net_net_socket((uint32_t)domain, (uint32_t)type, (uint32_t)protocol, &fd);
  return e ? shim_fail(e) : (int)fd;
}

/** connect and bind: the address as text, then the host call. */
static int with_address(int sockfd, const struct sockaddr *addr, socklen_t addrlen, __wasi_errno_t (*call)(__wasi_fd_t, const char *)) {
  char text[ADDRESS_TEXT];
  int bad = address_text(addr, addrlen, text);
  if (bad) return shim_fail(bad);
  __wasi_errno_t e = call(sockfd, text);
  return e ? shim_fail(e) : 0;
}

int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen) {
  return with_address(sockfd, addr, addrlen, __host_net_net_connect);
}

int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen) {
  return with_address(sockfd, addr, addrlen, __host_net_net_bind);
}

int listen(int sockfd, int backlog) {
  __wasi_errno_t e = __host_net_net_listen(sockfd, backlog > 0 ? (uint32_t)backlog : 0);
  return e ? shim_fail(e) : 0;
}

int accept(int sockfd, struct sockaddr *restrict addr, socklen_t *restrict addrlen) {
  __wasi_fd_t fd;
  char text[ADDRESS_TEXT];
  uint32_t len = sizeof text - 1;
  __wasi_errno_t e = __host_net_net_accept(sockfd, &fd, (uint8_t *)text, &len);
  if (e) return shim_fail(e);
  text[len < sizeof text ? len : sizeof text - 1] = '\0';
  if (addr && addrlen) parse_address(text, addr, addrlen);
  return (int)fd;
}

ssize_t send(int sockfd, const void *buf, size_t len, int flags) {
  __wasi_size_t sent;
  __wasi_errno_t e = __host_net_net_send(sockfd, buf, len, (uint32_t)flags, &sent);
  return e ? shim_fail(e) : (ssize_t)sent;
}

ssize_t recv(int sockfd, void *buf, size_t len, int flags) {
  __wasi_size_t got;
  __wasi_errno_t e = __host_net_net_recv(sockfd, buf, len, (uint32_t)flags, &got);
  return e ? shim_fail(e) : (ssize_t)got;
}

int getsockname(int sockfd, struct sockaddr *restrict addr, socklen_t *restrict addrlen) {
  if (!addr || !addrlen) return shim_fail(EINVAL);
  char text[ADDRESS_TEXT];
  uint32_t len = sizeof text - 1;
  __wasi_errno_t e = __host_net_net_getsockname(sockfd, (uint8_t *)text, &len);
  if (e) return shim_fail(e);
  text[len < sizeof text ? len : sizeof text - 1] = '\0';
  int bad = parse_address(text, addr, addrlen);
  return bad ? shim_fail(bad) : 0;
}
