//! String building without `core::fmt`: the browser package's wasm is smaller without the
//! formatting machinery that `format!` pulls in at every call site.

/// The parts, concatenated.
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `n` in decimal.
pub(crate) fn decimal(n: u32) -> String {
    let mut digits = [0u8; 10];
    let mut n = n;
    let mut start = digits.len();
    loop {
        start -= 1;
        // `n % 10` is a digit, so the byte is ASCII.
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits
        .get(start..)
        .unwrap_or_default()
        .iter()
        .map(|&d| char::from(d))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals() {
        for n in [0, 7, 10, 443, 65_535, u32::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
    }
}
