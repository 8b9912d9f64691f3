// Patch 0008-sockets, name resolution: host_net.net_getaddrinfo answers a JSON array
// `[{"addr":"127.0.0.1","family":4}, ...]`; libc parses the port and builds the list.
#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include "shim.h"

/** The numeric service as a port, or -1 (names such as `http` are not looked up). */
static long service_port(const char *service) {
  if (!service || !*service) return 0;
  char *end;
  long port = strtol(service, &end, 10);
  return *end || port < 0 || port > 65535 ? -1 : port;
}

static struct addrinfo *entry(const char *ip, int family, long port, int socktype) {
  size_t size = family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
  struct addrinfo *ai = calloc(1, sizeof *ai + size);
  if (!ai) return NULL;
  ai->ai_family = family;
  ai->ai_socktype = socktype ? socktype : SOCK_STREAM;
  ai->ai_protocol = ai->ai_socktype == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
  ai->ai_addrlen = size;
  ai->ai_addr = (struct sockaddr *)(ai + 1);
  if (family == AF_INET) {
    struct sockaddr_in *in = (void *)ai->ai_addr;
    in->sin_family = AF_INET;
    in->sin_port = htons((in_port_t)port);
    inet_pton(AF_INET, ip, &in->sin_addr);
  } else {
    struct sockaddr_in6 *in6 = (void *)ai->ai_addr;
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons((in_port_t)port);
    inet_pton(AF_INET6, ip, &in6->sin6_addr);
  }
  return ai;
}

int getaddrinfo(const char *restrict node, const char *restrict service, const struct addrinfo *restrict hints, struct addrinfo **restrict res) {
  if (!node && !service) return EAI_NONAME;
  long port = service_port(service);
  if (port < 0) return EAI_SERVICE;
  int family = hints ? hints->ai_family : AF_UNSPEC;
  uint32_t filter = family == AF_INET ? 4 : family == AF_INET6 ? 6 : 0;
  static char json[4096];
  uint32_t len = sizeof json - 1;
  if (__host_net_net_getaddrinfo(node ? node : "", service ? service : "", filter, (uint8_t *)json, &len)) return EAI_NONAME;
  json[len < sizeof json ? len : sizeof json - 1] = '\0';
  struct addrinfo *head = NULL, **tail = &head;
  // Each object holds "addr":"<ip>" and "family":4|6; nothing else is read.
  for (const char *p = strstr(json, "\"addr\""); p; p = strstr(p + 1, "\"addr\"")) {
    const char *open = strchr(p + 6, '"'), *close = open ? strchr(open + 1, '"') : NULL;
    const char *fam = strstr(p, "\"family\"");
    if (!open || !close || !fam || (size_t)(close - open - 1) >= INET6_ADDRSTRLEN) {
      freeaddrinfo(head);
      return EAI_FAIL;
    }
    char ip[INET6_ADDRSTRLEN] = {0};
    memcpy(ip, open + 1, (size_t)(close - open - 1));
    int af = strtol(strchr(fam, ':') + 1, NULL, 10) == 6 ? AF_INET6 : AF_INET;
    if (family != AF_UNSPEC && af != family) continue;
    if (!(*tail = entry(ip, af, port, hints ? hints->ai_socktype : 0))) {
      freeaddrinfo(head);
      return EAI_MEMORY;
    }
    tail = &(*tail)->ai_next;
  }
  if (!head) return EAI_NONAME;
  *res = head;
  return 0;
}

void freeaddrinfo(struct addrinfo *res) {
  while (res) {
    struct addrinfo *next = res->ai_next;
    free(res);
    res = next;
  }
}

const char *gai_strerror(int errcode) {
  switch (errcode) {
    case 0: return "Success";
    case EAI_NONAME: return "Name or service not known";
    case EAI_AGAIN: return "Temporary failure in name resolution";
    case EAI_FAIL: return "Non-recoverable failure in name resolution";
    case EAI_FAMILY: return "Address family not supported";
    case EAI_SOCKTYPE: return "Socket type not supported";
    case EAI_SERVICE: return "Servname not supported for ai_socktype";
    case EAI_MEMORY: return "Memory allocation failure";
    default: return "Unknown error";
  }
}
