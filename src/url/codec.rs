//! The percent codec of query strings and Hub paths, in one place:
//! `key=value` pairs percent-decoded, and values percent-encoded.

/// Decodes `%XX` escapes and `+` as space. Malformed escapes are kept as
/// written rather than rejected, and invalid UTF-8 becomes U+FFFD, so no
/// link ever fails to open.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// The query's pairs with keys decoded and values left as written, for
/// lists whose items are encoded one by one.
pub fn parse_query_raw(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            (percent_decode(key), value.to_string())
        })
        .collect()
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes_and_keeps_malformed_ones() {
        assert_eq!(percent_decode("a%2Cb%26c"), "a,b&c");
        assert_eq!(percent_decode("%F0%9F%A4%97+hi"), "🤗 hi");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%FF"), "\u{FFFD}");
    }

    #[test]
    fn splits_pairs_and_keeps_values_raw() {
        let pairs = parse_query_raw("?data=sample&view=search&flag&x=%3D&a%20b=c%2Cd");
        let expected = [
            ("data", "sample"),
            ("view", "search"),
            ("flag", ""),
            ("x", "%3D"),
            ("a b", "c%2Cd"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(pairs, expected);
    }
}
