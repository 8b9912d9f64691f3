// Shared by the Rust conformance guests (included with `mod check;`): `check` prints
// `ok: what` or `FAIL: what` and counts failures; `done` exits non-zero when any check failed.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

static FAILURES: AtomicUsize = AtomicUsize::new(0);

pub fn check(cond: bool, what: &str) {
    if cond {
        println!("ok: {}", what);
    } else {
        println!("FAIL: {}", what);
        FAILURES.fetch_add(1, Ordering::Relaxed);
    }
}

pub fn done() -> ! {
    std::io::stdout().flush().unwrap();
    std::process::exit(if FAILURES.load(Ordering::Relaxed) == 0 { 0 } else { 1 })
}
