// Stands in for the patched sysroot's <sys/socket.h> (abi/libc.idl: patched): the socket
// calls lose their wasip2-only guard.
#ifndef ABIC_SHIM_SYS_SOCKET_H
#define ABIC_SHIM_SYS_SOCKET_H
#include_next <sys/socket.h>

int socket(int domain, int type, int protocol);
int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen);
int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);
int listen(int sockfd, int backlog);
int getsockname(int sockfd, struct sockaddr *restrict addr, socklen_t *restrict addrlen);
int getpeername(int sockfd, struct sockaddr *restrict addr, socklen_t *restrict addrlen);
ssize_t sendto(int sockfd, const void *buf, size_t len, int flags, const struct sockaddr *dest_addr, socklen_t addrlen);
ssize_t recvfrom(int sockfd, void *restrict buf, size_t len, int flags, struct sockaddr *restrict src_addr, socklen_t *restrict addrlen);
int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen);
#endif
