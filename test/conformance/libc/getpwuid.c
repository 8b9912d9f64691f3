// Patch 0007-getpwuid: the passwd record comes from host_user.getpwuid as
// `name:x:uid:gid:gecos:home:shell` and is split into one static `struct passwd`.
#include <pwd.h>
#include <stdlib.h>
#include "shim.h"

static struct passwd entry;
static char record[512];

struct passwd *getpwuid(uid_t uid) {
  uint32_t len = 0;
  if (__host_user_getpwuid(uid, (uint8_t *)record, sizeof record - 1, &len) || len >= sizeof record) return NULL;
  record[len] = '\0';
  char *field[7] = {record};
  int n = 1;
  for (char *p = record; *p && n < 7; p++)
    if (*p == ':') {
      *p = '\0';
      field[n++] = p + 1;
    }
  if (n != 7) return NULL;
  entry = (struct passwd){field[0], field[1], (uid_t)strtoul(field[2], NULL, 10), (gid_t)strtoul(field[3], NULL, 10), field[4], field[5], field[6]};
  return &entry;
}
