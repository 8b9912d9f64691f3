// A spawn and wait through host_process with the generated crate: the guest spawns itself in a
// child mode, pipes data through the child with file actions, and reads exit statuses back.

mod check;

use check::{check, done};
use command_abi::host_process::{self as process, SpawnFileAction, SPAWN_FILE_OP_CLOSE, SPAWN_FILE_OP_DUP2};
use command_abi::wasi_snapshot_preview1 as wasi;
use command_abi::*;
use std::io::{Read, Write};

/// `argv` as the NUL-separated blob the spawn functions take.
fn blob(args: &[&str]) -> Vec<u8> {
    args.iter().flat_map(|a| a.bytes().chain(std::iter::once(0))).collect()
}

/// The raw bytes of the file actions (the contract passes them as a byte list).
fn action_bytes(actions: &[SpawnFileAction]) -> &[u8] {
    unsafe { std::slice::from_raw_parts(actions.as_ptr() as *const u8, std::mem::size_of_val(actions)) }
}

fn action(opcode: process::SpawnFileOp, fd: Fd, src_fd: Fd) -> SpawnFileAction {
    SpawnFileAction { opcode, fd, src_fd, oflag: 0, mode: 0, path_len: 0 }
}

fn spawn(args: &[&str], actions: &[SpawnFileAction]) -> Result<Pid, Errno> {
    std::io::stdout().flush().unwrap(); // the child shares stdout: keep whole lines apart
    unsafe {
        process::proc_spawn_v4(
            "rust_spawn",
            &blob(args),
            b"",
            action_bytes(actions),
            "",
            "",
            process::SpawnFlags::empty(),
            0,
            0,
            0,
            0,
            0,
            0,
            0,
        )
    }
}

/// The exit code of a reaped child, from the Linux wait status.
fn exit_code(raw_status: u32) -> u32 {
    raw_status >> process::WSTATUS_EXIT_SHIFT
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("upcase") => {
            let mut input = String::new();
            std::io::stdin().read_to_string(&mut input).unwrap();
            print!("{}", input.to_uppercase());
            std::process::exit(0);
        }
        Some("exit") => std::process::exit(args[2].parse().unwrap()),
        _ => {}
    }

    check(unsafe { process::proc_getpid() } == Ok(1), "proc_getpid: 1");
    let (in_r, in_w) = unsafe { process::fd_pipe() }.unwrap();
    let (out_r, out_w) = unsafe { process::fd_pipe() }.unwrap();
    let actions = [
        action(SPAWN_FILE_OP_DUP2, 0, in_r),
        action(SPAWN_FILE_OP_DUP2, 1, out_w),
        action(SPAWN_FILE_OP_CLOSE, in_w, 0),
        action(SPAWN_FILE_OP_CLOSE, out_r, 0),
    ];
    let child = spawn(&["rust_spawn", "upcase"], &actions);
    check(matches!(child, Ok(pid) if pid > 1), "proc_spawn_v4 with dup2 and close file actions");
    unsafe {
        wasi::fd_close(in_r).unwrap();
        wasi::fd_close(out_w).unwrap();
    }
    let text = b"piped through a Rust child\n";
    let sent = unsafe { wasi::fd_write(in_w, &[Ciovec { buf: text.as_ptr(), buf_len: text.len() }]) };
    check(sent == Ok(text.len()), "write to the child's stdin");
    unsafe { wasi::fd_close(in_w).unwrap() };
    let mut got = Vec::new();
    loop {
        let mut chunk = [0u8; 64];
        match unsafe { wasi::fd_read(out_r, &[Iovec { buf: chunk.as_mut_ptr(), buf_len: chunk.len() }]) } {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&chunk[..n]),
        }
    }
    check(got == b"PIPED THROUGH A RUST CHILD\n", "the child's output came back upper-cased");
    if let Ok(pid) = child {
        let waited = unsafe { process::proc_waitpid_v3(pid, process::WaitOptions::empty()) };
        check(waited == Ok((0, pid)), "proc_waitpid_v3: the child exited 0");
        let again = unsafe { process::proc_waitpid_v3(pid, process::WaitOptions::empty()) };
        check(again == Err(ERRNO_CHILD), "waiting for it again: child");
    }

    let pid = spawn(&["rust_spawn", "exit", "42"], &[]).unwrap();
    let waited = unsafe { process::proc_waitpid_v3(-1, process::WaitOptions::empty()) };
    check(matches!(waited, Ok((status, who)) if who == pid && exit_code(status) == 42), "waitpid any: exit 42");
    let nothing = unsafe { process::proc_waitpid_v3(-1, process::WAIT_OPTIONS_NOHANG) };
    check(nothing == Err(ERRNO_CHILD), "no child left: child");
    let missing = unsafe {
        process::proc_spawn_v4("no-such-command", &blob(&["x"]), b"", &[], "", "", process::SpawnFlags::empty(), 0, 0, 0, 0, 0, 0, 0)
    };
    check(missing == Err(ERRNO_NOENT), "spawning a missing command: noent");
    done()
}
