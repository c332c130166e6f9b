//! What the process holds, read from `/proc`: our TCP sockets to a port, open descriptors, RSS.

use std::collections::HashSet;

/// Inodes of the sockets among our open file descriptors.
fn our_socket_inodes() -> HashSet<String> {
    let mut out = HashSet::new();
    if let Ok(dir) = std::fs::read_dir("/proc/self/fd") {
        for entry in dir.flatten() {
            if let Ok(target) = std::fs::read_link(entry.path()) {
                let target = target.to_string_lossy();
                if let Some(inode) = target
                    .strip_prefix("socket:[")
                    .and_then(|s| s.strip_suffix(']'))
                {
                    out.insert(inode.to_owned());
                }
            }
        }
    }
    out
}

/// Our open TCP sockets whose remote port is `port`, in any state: a socket we still hold a
/// descriptor for (established, or half-closed by the server) is a connection we have not let go.
pub fn sockets_to(port: u16) -> usize {
    let ours = our_socket_inodes();
    let want = format!(":{port:04X}");
    let mut count = 0;
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            if cols.len() > 9
                && cols[2].ends_with(&want)
                && cols[3] == "01"
                && ours.contains(cols[9])
            {
                count += 1;
            }
        }
    }
    count
}

/// Number of open file descriptors.
pub fn fd_count() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

/// Resident set size in KiB.
pub fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// Polls until our connections to `port` drop to at most `max` (or `tries` × 50 ms pass);
/// returns the last count.
pub async fn settle_connections(port: u16, max: usize, tries: u32) -> usize {
    let mut now = sockets_to(port);
    for _ in 0..tries {
        if now <= max {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        now = sockets_to(port);
    }
    now
}
