// Stands in for <spawn.h>, which upstream wasi-libc omits and the patched libc installs
// (abi/libc.idl: unomitted): musl's types and the spawn calls.
#ifndef ABIC_SHIM_SPAWN_H
#define ABIC_SHIM_SPAWN_H
#include <signal.h>
#include <sys/types.h>

typedef struct {
  int __flags;
  pid_t __pgrp;
  sigset_t __def, __mask;
  int __prio, __pol;
  void *__fn;
  char __pad[64 - sizeof(void *)];
} posix_spawnattr_t;

typedef struct {
  int __pad0[2];
  void *__actions;
  int __pad[16];
} posix_spawn_file_actions_t;

int posix_spawn(pid_t *restrict pid, const char *restrict path, const posix_spawn_file_actions_t *file_actions,
                const posix_spawnattr_t *restrict attrp, char *const argv[restrict], char *const envp[restrict]);
int posix_spawnp(pid_t *restrict pid, const char *restrict file, const posix_spawn_file_actions_t *file_actions,
                 const posix_spawnattr_t *restrict attrp, char *const argv[restrict], char *const envp[restrict]);
int posix_spawn_file_actions_init(posix_spawn_file_actions_t *file_actions);
int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *file_actions);
int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *file_actions, int fildes, int newfildes);
int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *file_actions, int fildes);
int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *restrict file_actions, int fildes, const char *restrict path, int oflag, mode_t mode);
#endif
