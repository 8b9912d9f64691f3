// Identity through host_system, host_user and host_tty with the generated crate, built with the
// unstable `group_records` feature (the test runs it with that feature enabled on the host).

mod check;

use check::{check, done};
use command_abi::host_system::{self as system, IdentityField};
use command_abi::{host_tty as tty, host_user as user};
use command_abi::*;

/// One uname field as text.
fn identity(field: IdentityField) -> Result<String, Errno> {
    let mut buf = [0u8; 65];
    unsafe { system::get_identity(field, &mut buf) }?;
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    Ok(String::from_utf8_lossy(&buf[..end]).into_owned())
}

/// A passwd or group record through one of the `(…, buf, ret_len)` lookups.
fn record(lookup: impl Fn(&mut [u8], *mut u32) -> Result<(), Errno>) -> Result<String, Errno> {
    let mut buf = [0u8; 128];
    let mut len = 0u32;
    lookup(&mut buf, &mut len)?;
    Ok(String::from_utf8_lossy(&buf[..len as usize]).into_owned())
}

fn main() {
    check(identity(system::IDENTITY_FIELD_SYSNAME).as_deref() == Ok("Linux"), "get_identity sysname: Linux");
    check(identity(system::IDENTITY_FIELD_MACHINE).as_deref() == Ok("wasm32"), "get_identity machine: wasm32");
    check(identity(IdentityField::from_raw(6)) == Err(ERRNO_INVAL), "identity field 6: inval");
    let mut short = [0u8; 3];
    check(unsafe { system::get_identity(system::IDENTITY_FIELD_SYSNAME, &mut short) } == Err(ERRNO_NAMETOOLONG), "short buffer: nametoolong");
    check(system::IDENTITY_FIELD_MACHINE.name() == "MACHINE", "IdentityField::name");

    check(unsafe { user::getuid() } == Ok(0) && unsafe { user::geteuid() } == Ok(0), "getuid, geteuid: 0");
    check(unsafe { user::getresgid() } == Ok((0, 0, 0)), "getresgid: (0, 0, 0) as a tuple");
    let root = record(|buf, len| unsafe { user::getpwuid(0, buf, len) });
    check(root.as_deref() == Ok("root:x:0:0:root:/root:/bin/sh"), "getpwuid 0");
    let nobody = record(|buf, len| unsafe { user::getpwnam("nobody", buf, len) });
    check(matches!(&nobody, Ok(r) if r.starts_with("nobody:x:65534:")), "getpwnam nobody (a &str parameter)");
    let ghost = record(|buf, len| unsafe { user::getpwnam("ghost", buf, len) });
    check(ghost == Err(ERRNO_NOENT), "getpwnam unknown: noent");
    let group = record(|buf, len| unsafe { user::getgrgid(0, buf, len) });
    check(group.as_deref() == Ok("root:x:0:"), "getgrgid 0 (the group_records feature)");

    check(unsafe { tty::get_pgrp(1) } == Err(ERRNO_NOTTY), "host_tty.get_pgrp on a pipe: notty");
    check(unsafe { user::setuid(1000) }.is_ok() && unsafe { user::getuid() } == Ok(1000), "setuid 1000");
    check(unsafe { user::setuid(0) } == Err(ERRNO_PERM), "after dropping root, setuid 0: perm");
    done()
}
