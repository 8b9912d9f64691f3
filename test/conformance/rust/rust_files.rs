// A file round trip through wasi_snapshot_preview1 with the generated crate: find the preopen,
// create a file, gather-write it, seek, scatter-read it back, stat it (also through host_fs, a
// scalar result), and the error paths.

mod check;

use check::{check, done};
use command_abi::wasi_snapshot_preview1 as wasi;
use command_abi::*;

const TEXT: &[u8] = b"written by a Rust guest\n";

/// The preopened directory named `/data`, found through `fd_prestat_get`.
fn data_dir() -> Option<Fd> {
    for fd in 3..16 {
        let prestat = match unsafe { wasi::fd_prestat_get(fd) } {
            Ok(p) => p,
            Err(_) => continue,
        };
        if prestat.tag != PREOPENTYPE_DIR.raw() {
            continue;
        }
        let len = unsafe { prestat.u.dir.pr_name_len };
        let mut name = vec![0u8; len];
        if unsafe { wasi::fd_prestat_dir_name(fd, &mut name) }.is_ok() && name == b"/data" {
            return Some(fd);
        }
    }
    None
}

fn main() {
    let dir = data_dir();
    check(dir.is_some(), "fd_prestat_get/fd_prestat_dir_name: /data is preopened");
    let dir = match dir {
        Some(fd) => fd,
        None => done(),
    };

    let rights = RIGHTS_FD_READ | RIGHTS_FD_WRITE | RIGHTS_FD_SEEK;
    let opened = unsafe {
        wasi::path_open(
            dir,
            LOOKUPFLAGS_SYMLINK_FOLLOW,
            "out/rust.txt",
            OFLAGS_CREAT | OFLAGS_TRUNC,
            rights,
            rights,
            Fdflags::empty(),
        )
    };
    check(opened.is_ok(), "path_open creates out/rust.txt");
    let fd = match opened {
        Ok(fd) => fd,
        Err(_) => done(),
    };

    let (head, tail) = TEXT.split_at(10);
    let gather = [
        Ciovec { buf: head.as_ptr(), buf_len: head.len() },
        Ciovec { buf: tail.as_ptr(), buf_len: tail.len() },
    ];
    check(unsafe { wasi::fd_write(fd, &gather) } == Ok(TEXT.len()), "fd_write of two iovecs writes every byte");
    check(unsafe { wasi::fd_seek(fd, 0, WHENCE_SET) } == Ok(0), "fd_seek back to 0");

    let mut first = [0u8; 7];
    let mut rest = [0u8; 64];
    let scatter = [
        Iovec { buf: first.as_mut_ptr(), buf_len: first.len() },
        Iovec { buf: rest.as_mut_ptr(), buf_len: rest.len() },
    ];
    let read = unsafe { wasi::fd_read(fd, &scatter) };
    check(read == Ok(TEXT.len()), "fd_read of two iovecs reads the whole file");
    let mut back = first.to_vec();
    back.extend_from_slice(&rest[..TEXT.len() - first.len()]);
    check(back == TEXT, "the bytes read back are the bytes written");

    match unsafe { wasi::fd_filestat_get(fd) } {
        Ok(stat) => {
            check(stat.size == TEXT.len() as u64, "fd_filestat_get: the size");
            check(stat.filetype == FILETYPE_REGULAR_FILE, "fd_filestat_get: a regular file");
        }
        Err(e) => check(false, &format!("fd_filestat_get: {}", e)),
    }
    check(unsafe { wasi::fd_tell(fd) } == Ok(TEXT.len() as u64), "fd_tell at the end");
    check(unsafe { host_fs::fd_size(fd) } == TEXT.len() as u64, "host_fs.fd_size: a u64 returned directly");
    check(unsafe { host_fs::fd_size(999) } == u64::MAX, "host_fs.fd_size of a bad fd: u64::MAX");
    check(unsafe { wasi::fd_close(fd) }.is_ok(), "fd_close");

    let stat = unsafe { wasi::path_filestat_get(dir, LOOKUPFLAGS_SYMLINK_FOLLOW, "out/rust.txt") };
    check(stat.map(|s| s.size) == Ok(TEXT.len() as u64), "path_filestat_get: the size");

    let missing = unsafe {
        wasi::path_open(dir, Lookupflags::empty(), "no/such/file", Oflags::empty(), rights, rights, Fdflags::empty())
    };
    check(missing.err() == Some(ERRNO_NOENT), "path_open of a missing file: noent");
    let closed = unsafe { wasi::fd_close(fd) };
    check(closed == Err(ERRNO_BADF), "fd_close twice: badf");
    if let Err(e) = closed {
        check(e.to_string() == "BADF (error 8)" && e.message() == "Bad file descriptor.", "Errno: Display and message");
    }

    let now = unsafe { wasi::clock_time_get(CLOCKID_REALTIME, 1) };
    check(matches!(now, Ok(t) if t > 1_600_000_000_000_000_000), "clock_time_get: realtime after 2020");
    let mut noise = [0u8; 32];
    check(unsafe { wasi::random_get(&mut noise) }.is_ok() && noise.iter().any(|&b| b != 0), "random_get fills a buffer");
    done()
}
