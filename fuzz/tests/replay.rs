//! Runs every checked-in corpus file through the target bodies under plain `cargo test`, so the
//! invariants are checked even where libFuzzer cannot run.

use std::path::Path;

fn replay(target: &str, body: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus dir") {
        let data = std::fs::read(entry.expect("entry").path()).expect("read");
        body(&data);
        n += 1;
    }
    assert!(n > 0, "empty corpus for {target}");
}

#[test]
fn webhook_verify() {
    replay("webhook_verify", nango_fuzz::webhook_verify);
}

#[test]
fn records_page() {
    replay("records_page", nango_fuzz::records_page);
}

#[test]
fn popup_message() {
    replay("popup_message", nango_fuzz::popup_message);
}

#[test]
fn url_query() {
    replay("url_query", nango_fuzz::url_query);
}
