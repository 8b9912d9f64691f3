// A loopback TCP exchange through host_net with the generated crate: the guest spawns itself as
// an echo server (a second process of the same host), reads its port from a pipe, connects,
// sends and receives 64 KiB in order, then checks the error paths.

mod check;

use check::{check, done};
use command_abi::host_net::{self as net, SOCKET_DOMAIN_INET};
use command_abi::host_process::{self as process, SpawnFileAction, SPAWN_FILE_OP_CLOSE, SPAWN_FILE_OP_DUP2};
use command_abi::wasi_snapshot_preview1 as wasi;
use command_abi::*;
use std::io::Write;

/// The text address of a socket (`getsockname`).
fn local_address(fd: Fd) -> Result<String, Errno> {
    let mut buf = [0u8; 64];
    let mut len = buf.len() as u32;
    unsafe { net::net_getsockname(fd, buf.as_mut_ptr(), &mut len) }?;
    Ok(String::from_utf8_lossy(&buf[..len as usize]).into_owned())
}

/// The server: listen on an ephemeral loopback port, print it, echo one connection.
fn serve() -> ! {
    let report = |ok: bool, what: &str| eprintln!("{} {}", if ok { "server ok:" } else { "FAIL: server:" }, what);
    let listener = unsafe { net::net_socket(SOCKET_DOMAIN_INET, SOCK_STREAM, 0) }.unwrap();
    let bound = unsafe { net::net_bind(listener, "127.0.0.1:0").and_then(|()| net::net_listen(listener, 4)) };
    report(bound.is_ok(), "bind 127.0.0.1:0 and listen");
    let address = local_address(listener).unwrap_or_default();
    println!("port: {}", address.trim_start_matches("127.0.0.1:"));
    std::io::stdout().flush().unwrap();
    unsafe { wasi::fd_close(1).unwrap() }; // the client sees EOF after the port line

    let mut conn: Fd = -1;
    let mut peer = [0u8; 64];
    let mut peer_len = peer.len() as u32;
    let accepted = unsafe { net::net_accept(listener, &mut conn, peer.as_mut_ptr(), &mut peer_len) };
    report(accepted.is_ok() && peer[..peer_len as usize].starts_with(b"127.0.0.1:"), "accept, with the peer address");
    let mut echoed = 0;
    loop {
        let mut buf = [0u8; 4096];
        match unsafe { net::net_recv(conn, &mut buf, 0) } {
            Ok(0) => break,
            Ok(n) => {
                let mut sent = 0;
                while sent < n {
                    sent += unsafe { net::net_send(conn, &buf[sent..n], 0) }.unwrap();
                }
                echoed += n;
            }
            Err(e) => {
                report(false, &format!("net_recv: {}", e));
                std::process::exit(1);
            }
        }
    }
    report(echoed > 0, "echoed until the client closed");
    unsafe {
        wasi::fd_close(conn).unwrap();
        wasi::fd_close(listener).unwrap();
    }
    std::process::exit(0)
}

fn spawn_server(port_w: Fd, port_r: Fd) -> Result<Pid, Errno> {
    let actions = [
        SpawnFileAction { opcode: SPAWN_FILE_OP_DUP2, fd: 1, src_fd: port_w, oflag: 0, mode: 0, path_len: 0 },
        SpawnFileAction { opcode: SPAWN_FILE_OP_CLOSE, fd: port_r, src_fd: 0, oflag: 0, mode: 0, path_len: 0 },
    ];
    let bytes = unsafe { std::slice::from_raw_parts(actions.as_ptr() as *const u8, std::mem::size_of_val(&actions)) };
    std::io::stdout().flush().unwrap();
    unsafe {
        process::proc_spawn_v4("rust_net", b"rust_net\0serve\0", b"", bytes, "", "", process::SpawnFlags::empty(), 0, 0, 0, 0, 0, 0, 0)
    }
}

/// Reads the server's `port: N` line from the pipe until EOF.
fn read_port(fd: Fd) -> Option<u16> {
    let mut line = Vec::new();
    loop {
        let mut chunk = [0u8; 32];
        match unsafe { wasi::fd_read(fd, &[Iovec { buf: chunk.as_mut_ptr(), buf_len: chunk.len() }]) } {
            Ok(0) | Err(_) => break,
            Ok(n) => line.extend_from_slice(&chunk[..n]),
        }
    }
    String::from_utf8(line).ok()?.trim().strip_prefix("port: ")?.parse().ok()
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("serve") {
        serve();
    }
    let (port_r, port_w) = unsafe { process::fd_pipe() }.unwrap();
    let server = spawn_server(port_w, port_r);
    check(server.is_ok(), "spawn the Rust echo server");
    unsafe { wasi::fd_close(port_w).unwrap() };
    let port = read_port(port_r);
    check(port.is_some(), "the server reported its port");
    let (server, port) = match (server, port) {
        (Ok(s), Some(p)) => (s, p),
        _ => done(),
    };

    let fd = unsafe { net::net_socket(SOCKET_DOMAIN_INET, SOCK_STREAM, 0) }.unwrap();
    let address = format!("127.0.0.1:{}", port);
    check(unsafe { net::net_connect(fd, &address) }.is_ok(), "net_connect to the server");
    check(local_address(fd).map(|a| a.starts_with("127.0.0.1:") && a != address) == Ok(true), "getsockname: a local loopback port");

    let hello = b"hello over loopback from Rust";
    check(unsafe { net::net_send(fd, hello, 0) } == Ok(hello.len()), "net_send");
    let mut reply = [0u8; 64];
    let got = unsafe { net::net_recv(fd, &mut reply[..hello.len()], MSG_WAITALL) };
    check(got == Ok(hello.len()) && &reply[..hello.len()] == hello, "net_recv: the echo came back");

    let big: Vec<u8> = (0..65536u32).map(|i| (i * 7 + 3) as u8).collect();
    let mut back = vec![0u8; big.len()];
    let (mut sent, mut received) = (0, 0);
    while received < big.len() {
        if sent < big.len() {
            let end = (sent + 8192).min(big.len());
            sent += unsafe { net::net_send(fd, &big[sent..end], 0) }.unwrap();
        }
        match unsafe { net::net_recv(fd, &mut back[received..], 0) } {
            Ok(0) | Err(_) => break,
            Ok(n) => received += n,
        }
    }
    check(received == big.len() && back == big, "64 KiB round trip, in order");
    check(unsafe { wasi::fd_close(fd) }.is_ok(), "close the client socket");
    let waited = unsafe { process::proc_waitpid_v3(server, process::WaitOptions::empty()) };
    check(waited == Ok((0, server)), "the server exited 0 after the client closed");

    let refused = unsafe { net::net_socket(SOCKET_DOMAIN_INET, SOCK_STREAM, 0) }.unwrap();
    check(unsafe { net::net_connect(refused, &address) } == Err(ERRNO_CONNREFUSED), "connect to a closed port: connrefused");
    let bound = unsafe { net::net_socket(SOCKET_DOMAIN_INET, SOCK_STREAM, 0) }.unwrap();
    check(unsafe { net::net_bind(bound, "127.0.0.1:0") }.is_ok(), "bind a fresh socket");
    check(unsafe { net::net_bind(bound, "127.0.0.1:0") } == Err(ERRNO_INVAL), "bind it again: inval");
    done()
}
