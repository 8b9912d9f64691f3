// Root cause 1 (rights): fd_fdstat_get reports rights derived from the file type and the access
// mode, so copying a directory's rights into path_open(".", O_DIRECTORY) opens it; a directory
// opened for writing still answers isdir; only fd_write selects write access.
#include "preview1.h"

#define R(x) __WASI_RIGHTS_##x
#define HAS(st, r) (((st).fs_rights_base & (r)) == (r))
#define LACKS(st, r) (((st).fs_rights_base & (r)) == 0)

int main(void) {
  __wasi_fd_t base = preopen("/data");
  CHECK(base != (__wasi_fd_t)-1, "found the /data preopen");
  __wasi_fdstat_t dir;
  EXPECT(__wasi_fd_fdstat_get(base, &dir), 0, "fdstat of the preopen");
  CHECK(dir.fs_filetype == __WASI_FILETYPE_DIRECTORY, "the preopen is a directory");
  CHECK(LACKS(dir, R(FD_WRITE) | R(FD_READ) | R(FD_SEEK) | R(FD_TELL) | R(FD_FILESTAT_SET_SIZE) | R(FD_ALLOCATE)),
        "a directory reports no fd_read, fd_write, fd_seek, fd_tell, fd_filestat_set_size, fd_allocate");
  CHECK(HAS(dir, R(PATH_OPEN) | R(FD_READDIR) | R(PATH_CREATE_FILE) | R(PATH_CREATE_DIRECTORY) | R(PATH_UNLINK_FILE) | R(FD_FILESTAT_GET)),
        "a directory reports path_open, fd_readdir, path_create_*, path_unlink_file, fd_filestat_get");
  CHECK((dir.fs_rights_inheriting & (R(FD_READ) | R(FD_WRITE) | R(FD_SEEK))) == (R(FD_READ) | R(FD_WRITE) | R(FD_SEEK)),
        "a directory's inheriting rights include the file rights");

  // What preview1 test programs do: open "." with the preopen's own rights.
  __wasi_fd_t again;
  EXPECT(__wasi_path_open(base, 0, ".", __WASI_OFLAGS_DIRECTORY, dir.fs_rights_base, dir.fs_rights_inheriting, 0, &again), 0,
         "path_open(\".\", O_DIRECTORY) with the preopen's rights");
  __wasi_fdstat_t st;
  CHECK(__wasi_fd_fdstat_get(again, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_DIRECTORY &&
            st.fs_rights_base == dir.fs_rights_base && st.fs_rights_inheriting == dir.fs_rights_inheriting,
        "the new directory fd reports the same rights");
  __wasi_fd_t sub;
  EXPECT(__wasi_path_open(again, 0, "sub", __WASI_OFLAGS_DIRECTORY, dir.fs_rights_base, dir.fs_rights_inheriting, 0, &sub), 0,
         "a subdirectory opens with the copied rights");
  (void)__wasi_fd_close(sub);

  // A directory opened for writing: isdir, with or without O_DIRECTORY.
  __wasi_fd_t bad;
  EXPECT(__wasi_path_open(base, 0, "sub", 0, R(FD_WRITE), 0, 0, &bad), __WASI_ERRNO_ISDIR, "a directory opened with fd_write: isdir");
  EXPECT(__wasi_path_open(base, 0, "sub", __WASI_OFLAGS_DIRECTORY, R(FD_READ) | R(FD_WRITE), 0, 0, &bad), __WASI_ERRNO_ISDIR,
         "O_DIRECTORY with fd_write: isdir");
  EXPECT(__wasi_path_open(base, 0, "sub", __WASI_OFLAGS_DIRECTORY, R(FD_ALLOCATE) | R(FD_FILESTAT_SET_SIZE) | R(FD_READDIR), 0, 0, &sub), 0,
         "fd_allocate and fd_filestat_set_size do not ask for write access");
  (void)__wasi_fd_close(sub);

  // Files: fd_read / fd_write by open mode.
  __wasi_fd_t ro = open_at(base, "input.txt", 0, R(FD_READ) | R(FD_SEEK) | R(FD_FILESTAT_SET_SIZE), 0);
  CHECK(ro != (__wasi_fd_t)-1, "open input.txt with fd_read and fd_filestat_set_size");
  CHECK(__wasi_fd_fdstat_get(ro, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_REGULAR_FILE, "fdstat: a regular file");
  CHECK(HAS(st, R(FD_READ) | R(FD_SEEK) | R(FD_TELL) | R(FD_FILESTAT_GET)) && LACKS(st, R(FD_WRITE) | R(FD_ALLOCATE) | R(FD_FILESTAT_SET_SIZE)),
        "a read-only file reports fd_read, fd_seek, fd_tell, and no write rights");
  CHECK(st.fs_rights_inheriting == 0, "a file reports no inheriting rights");
  EXPECT(put(ro, "x") < 0 ? __WASI_ERRNO_BADF : 0, __WASI_ERRNO_BADF, "fd_write on the read-only file: badf");
  EXPECT(__wasi_fd_filestat_set_size(ro, 0), __WASI_ERRNO_BADF, "fd_filestat_set_size on the read-only file: badf");
  char buf[256];
  CHECK(strcmp(content(base, "input.txt", buf), "first line\n") == 0, "the file is unchanged");
  (void)__wasi_fd_close(ro);

  __wasi_fd_t wo = open_at(base, "out/w.txt", __WASI_OFLAGS_CREAT, R(FD_WRITE), 0);
  CHECK(wo != (__wasi_fd_t)-1 && __wasi_fd_fdstat_get(wo, &st) == 0, "create out/w.txt with fd_write only");
  CHECK(HAS(st, R(FD_WRITE) | R(FD_ALLOCATE) | R(FD_FILESTAT_SET_SIZE)) && LACKS(st, R(FD_READ)), "a write-only file reports the write rights, no fd_read");
  __wasi_iovec_t iov = {(uint8_t *)buf, 4};
  __wasi_size_t n;
  EXPECT(__wasi_fd_read(wo, &iov, 1, &n), __WASI_ERRNO_BADF, "fd_read on the write-only file: badf");
  (void)__wasi_fd_close(wo);

  __wasi_fd_t rw = open_at(base, "out/w.txt", 0, R(FD_READ) | R(FD_WRITE), 0);
  CHECK(rw != (__wasi_fd_t)-1 && __wasi_fd_fdstat_get(rw, &st) == 0 && HAS(st, R(FD_READ) | R(FD_WRITE)), "a read-write file reports both");
  (void)__wasi_fd_close(rw);

  // Streams: no fd_seek/fd_tell (wasi-libc's isatty test), the direction of the end.
  CHECK(__wasi_fd_fdstat_get(1, &st) == 0 && HAS(st, R(FD_WRITE)) && LACKS(st, R(FD_SEEK) | R(FD_TELL) | R(FD_READ)),
        "stdout (a pipe) reports fd_write and neither fd_read, fd_seek nor fd_tell");
  CHECK(__wasi_fd_fdstat_get(0, &st) == 0 && HAS(st, R(FD_READ)) && LACKS(st, R(FD_WRITE) | R(FD_SEEK)), "stdin (a pipe) reports fd_read only");
  DONE();
}
