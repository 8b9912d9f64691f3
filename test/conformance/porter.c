// A porter's program: plain POSIX calls, as C code written for Linux makes them, for one
// representative function of every libc patch. It links the libc shim (test/conformance/libc/),
// which implements those functions exactly as abi/libc.idl declares them: same prototypes,
// same host imports. Run with PWD=/data/sub and /data/sub/in-sub.txt in place.
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

extern char **environ;

/** Everything a descriptor yields until end of file, NUL-terminated. */
static const char *slurp(int fd) {
  static char buf[512];
  size_t got = 0;
  ssize_t n;
  while (got < sizeof buf - 1 && (n = read(fd, buf + got, sizeof buf - 1 - got)) > 0) got += (size_t)n;
  buf[got] = '\0';
  return buf;
}

static void pipes_and_dup(void) {
  int fd[2];
  char buf[8] = {0};
  CHECK(pipe(fd) == 0 && fd[0] >= 3 && fd[1] >= 3, "pipe: two new descriptors");
  CHECK(write(fd[1], "abc", 3) == 3 && read(fd[0], buf, 3) == 3 && !memcmp(buf, "abc", 3), "pipe carries bytes");
  int copy = dup(fd[1]);
  CHECK(copy > fd[1], "dup: the lowest free descriptor above the others");
  CHECK(dup2(fd[0], 20) == 20, "dup2 onto 20");
  CHECK(write(copy, "xy", 2) == 2 && read(20, buf, 2) == 2 && !memcmp(buf, "xy", 2), "write through the dup, read through the dup2");
  CHECK(dup(99) == -1 && errno == EBADF, "dup of a closed descriptor: EBADF");
  close(fd[1]);
  close(copy);
  CHECK(read(fd[0], buf, 1) == 0, "end of file once every writer is closed");
  close(fd[0]);
  close(20);
}

static void spawn_and_wait(void) {
  int out[2];
  pipe(out);
  posix_spawn_file_actions_t fa;
  CHECK(posix_spawn_file_actions_init(&fa) == 0, "file actions init");
  CHECK(posix_spawn_file_actions_adddup2(&fa, out[1], 1) == 0 && posix_spawn_file_actions_addclose(&fa, out[0]) == 0, "adddup2 and addclose");
  CHECK(posix_spawn_file_actions_adddup2(&fa, -1, 1) == EBADF, "adddup2 of -1: EBADF");
  char *args[] = {"child", "args", "two words", NULL};
  pid_t pid = 0;
  fflush(stdout);
  CHECK(posix_spawnp(&pid, "child", &fa, NULL, args, environ) == 0 && pid > 1, "posix_spawnp a child with stdout into a pipe");
  close(out[1]);
  const char *text = slurp(out[0]);
  close(out[0]);
  CHECK(strstr(text, "child argv[2]=two words\n") != NULL, "the child's output came through the pipe");
  char ppid[32];
  snprintf(ppid, sizeof ppid, "ppid: %d\n", getpid());
  CHECK(strstr(text, ppid) != NULL, "the child's parent is getpid()");
  int status = -1;
  CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "waitpid: exited 0");
  posix_spawn_file_actions_destroy(&fa);

  char *exit42[] = {"child", "exit", "42", NULL};
  CHECK(posix_spawnp(&pid, "child", NULL, NULL, exit42, environ) == 0, "spawn a child that exits 42");
  CHECK(wait(&status) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 42, "wait: exit status 42");
  char *none[] = {"no-such-command", NULL};
  CHECK(posix_spawnp(&pid, "no-such-command", NULL, NULL, none, environ) == ENOENT, "spawn an unknown command: ENOENT");
  CHECK(waitpid(-1, &status, 0) == -1 && errno == ECHILD, "no child left: ECHILD");
}

static void killing(void) {
  char *sleeper[] = {"child", "sleep", NULL};
  pid_t pid = 0;
  int status = -1;
  CHECK(posix_spawnp(&pid, "child", NULL, NULL, sleeper, environ) == 0, "spawn a sleeping child");
  CHECK(waitpid(pid, &status, WNOHANG) == 0, "WNOHANG: still running");
  CHECK(kill(pid, SIGTERM) == 0, "kill SIGTERM");
  CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "waitpid: killed by SIGTERM");
  CHECK(kill(pid, SIGTERM) == -1 && errno == ESRCH, "kill a reaped child: ESRCH");
}

static void identity(void) {
  CHECK(getpid() == 1 && getppid() == 0, "getpid 1, getppid 0: the first process");
  CHECK(getuid() == 0 && geteuid() == 0 && getgid() == 0 && getegid() == 0, "uid, euid, gid, egid: 0");
  CHECK(isatty(1) == 0, "isatty(stdout): a pipe is no terminal");
  int32_t master, slave;
  CHECK(__host_process_pty_open(&master, &slave) == 0 && isatty(slave) == 1 && isatty(master) == 1, "isatty of a pty: 1");
  close(master);
  close(slave);
  struct passwd *pw = getpwuid(getuid());
  CHECK(pw && !strcmp(pw->pw_name, "root") && pw->pw_uid == 0 && pw->pw_gid == 0 && !strcmp(pw->pw_dir, "/root") && !strcmp(pw->pw_shell, "/bin/sh"), "getpwuid(0): root, /root, /bin/sh");
  pw = getpwuid(65534);
  CHECK(pw && !strcmp(pw->pw_name, "nobody"), "getpwuid(65534): nobody");
  CHECK(getpwuid(4242) == NULL, "getpwuid of an unknown uid: NULL");
}

static void sockets(void) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  CHECK(listener >= 0, "socket");
  CHECK(bind(listener, (struct sockaddr *)&addr, sizeof addr) == 0 && listen(listener, 4) == 0, "bind 127.0.0.1:0 and listen");
  socklen_t len = sizeof addr;
  CHECK(getsockname(listener, (struct sockaddr *)&addr, &len) == 0 && len == sizeof addr && ntohs(addr.sin_port) != 0, "getsockname: the port chosen");
  char port[8];
  snprintf(port, sizeof port, "%u", ntohs(addr.sin_port));

  // getaddrinfo finds the listener by name.
  struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *res = NULL;
  CHECK(getaddrinfo("localhost", port, &hints, &res) == 0 && res && res->ai_family == AF_INET && res->ai_next == NULL, "getaddrinfo localhost, IPv4: one address");
  struct sockaddr_in *found = (struct sockaddr_in *)res->ai_addr;
  CHECK(found->sin_addr.s_addr == htonl(INADDR_LOOPBACK) && found->sin_port == addr.sin_port, "127.0.0.1 with the port given");
  CHECK(res->ai_socktype == SOCK_STREAM && res->ai_protocol == IPPROTO_TCP, "stream socket type, TCP");
  int client = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
  CHECK(client >= 0 && connect(client, res->ai_addr, res->ai_addrlen) == 0, "connect to what getaddrinfo found");
  freeaddrinfo(res);
  struct sockaddr_in peer;
  socklen_t peer_len = sizeof peer;
  int server = accept(listener, (struct sockaddr *)&peer, &peer_len);
  CHECK(server >= 0 && peer.sin_family == AF_INET && peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "accept: the peer is 127.0.0.1");
  char buf[8] = {0};
  CHECK(send(client, "ping", 4, 0) == 4 && recv(server, buf, sizeof buf, 0) == 4 && !memcmp(buf, "ping", 4), "send, recv");
  CHECK(send(server, "pong", 4, 0) == 4 && recv(client, buf, sizeof buf, 0) == 4 && !memcmp(buf, "pong", 4), "and back");
  struct sockaddr bogus = {.sa_family = 99};
  CHECK(connect(client, &bogus, sizeof bogus) == -1 && errno == EAFNOSUPPORT, "connect to family 99: EAFNOSUPPORT");
  close(client);
  close(server);
  close(listener);

  hints.ai_family = AF_INET6;
  CHECK(getaddrinfo("localhost", "80", &hints, &res) == 0 && res->ai_family == AF_INET6 && res->ai_next == NULL, "getaddrinfo, IPv6 only: ::1");
  freeaddrinfo(res);
  hints.ai_family = AF_UNSPEC;
  CHECK(getaddrinfo("localhost", "80", &hints, &res) == 0 && res->ai_next && !res->ai_next->ai_next, "getaddrinfo, any family: two addresses");
  freeaddrinfo(res);
  CHECK(getaddrinfo(NULL, NULL, &hints, &res) == EAI_NONAME && strlen(gai_strerror(EAI_NONAME)) > 0, "no node and no service: EAI_NONAME");
}

static volatile int caught;
static void on_signal(int sig) { caught = sig; }

static void signals(void) {
  struct sigaction sa = {0}, old;
  sa.sa_handler = on_signal;
  CHECK(sigemptyset(&sa.sa_mask) == 0 && sigaddset(&sa.sa_mask, SIGUSR2) == 0 && sigismember(&sa.sa_mask, SIGUSR2) == 1 && sigismember(&sa.sa_mask, SIGINT) == 0, "signal sets");
  CHECK(sigaddset(&sa.sa_mask, 65) == -1 && errno == EINVAL, "signal 65: EINVAL");
  CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction SIGUSR1");
  CHECK(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == on_signal, "sigaction reads the handler back");
  CHECK(kill(getpid(), SIGUSR1) == 0 && caught == SIGUSR1, "kill(getpid(), SIGUSR1) ran the handler");
  CHECK(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL, "sigaction SIGKILL: EINVAL");
}

static void working_directory(void) {
  char cwd[128];
  const char *pwd = getenv("PWD");
  CHECK(pwd && getcwd(cwd, sizeof cwd) && !strcmp(cwd, pwd), "getcwd: where PWD says");
  FILE *f = fopen("in-sub.txt", "r");
  char line[32] = {0};
  CHECK(f && fgets(line, sizeof line, f) && !strcmp(line, "in sub\n"), "a relative path resolves against it");
  if (f) fclose(f);
  CHECK(getcwd(cwd, 2) == NULL && errno == ERANGE, "getcwd into a short buffer: ERANGE");
}

int main(void) {
  pipes_and_dup();
  spawn_and_wait();
  killing();
  identity();
  sockets();
  signals();
  working_directory();
  DONE();
}
