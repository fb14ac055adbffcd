//! The grammar's building blocks: byte classes (httparse-style tables),
//! eight-bytes-at-a-time scans, and the small value grammars (numbers, lists,
//! chunk extensions) that the line readers and the framing rules share.

/// A byte as a student reads it: `'a'`, or `0x0D (CR)`.
pub fn describe_byte(b: u8) -> String {
    match b {
        b'\r' => "the byte 0x0D (CR)".into(),
        b'\n' => "the byte 0x0A (LF)".into(),
        b' ' => "a space (0x20)".into(),
        b'\t' => "a tab (0x09)".into(),
        0x21..=0x7e => format!("the character '{}'", b as char),
        _ => format!("the byte 0x{b:02X}"),
    }
}

/// Methods in the IANA HTTP Method Registry (RFC 9110 §16.1), the ones a
/// student is likely to meet first.
pub(crate) const REGISTERED_METHODS: &[&[u8]] = &[
    b"GET",
    b"HEAD",
    b"POST",
    b"PUT",
    b"DELETE",
    b"CONNECT",
    b"OPTIONS",
    b"TRACE",
    b"PATCH",
    b"ACL",
    b"BASELINE-CONTROL",
    b"BIND",
    b"CHECKIN",
    b"CHECKOUT",
    b"COPY",
    b"LABEL",
    b"LINK",
    b"LOCK",
    b"MERGE",
    b"MKACTIVITY",
    b"MKCALENDAR",
    b"MKCOL",
    b"MKREDIRECTREF",
    b"MKWORKSPACE",
    b"MOVE",
    b"ORDERPATCH",
    b"PRI",
    b"PROPFIND",
    b"PROPPATCH",
    b"QUERY",
    b"REBIND",
    b"REPORT",
    b"SEARCH",
    b"UNBIND",
    b"UNCHECKOUT",
    b"UNLINK",
    b"UNLOCK",
    b"UPDATE",
    b"UPDATEREDIRECTREF",
    b"VERSION-CONTROL",
];

/// Whether a field name or a token of a field value equals `lower`
/// (lower-case letters and dashes) in any case. Setting bit 0x20 lower-cases
/// a letter and keeps a dash; the only other byte it maps to a letter or
/// dash is CR, which neither holds.
pub(crate) fn name_is(name: &[u8], lower: &[u8]) -> bool {
    name.len() == lower.len() && name.iter().zip(lower).all(|(&a, &b)| a | 0x20 == b)
}

/// The non-empty, trimmed elements of a comma-separated list value. A
/// folded value still holds its line ends: RFC 9112 §5.2 has a recipient
/// replace each obs-fold with SP before interpreting the value, so CR and
/// LF are trimmed like the whitespace they stand for.
pub(crate) fn list_items(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value.split(|&b| b == b',').map(trim_ws).filter(|s| !s.is_empty())
}

fn trim_ws(s: &[u8]) -> &[u8] {
    let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let start = s.iter().position(|b| !ws(b)).unwrap_or(s.len());
    let end = s.iter().rposition(|b| !ws(b)).map_or(start, |i| i + 1);
    &s[start..end]
}

/// `1*DIGIT` as a u64; `None` for anything else or overflow.
pub(crate) fn parse_decimal(s: &[u8]) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.iter().try_fold(0u64, |n, &b| {
        if !b.is_ascii_digit() || n > u64::MAX / 10 {
            return None;
        }
        // (Overflow tested by comparison: in wasm32 a 64-bit `checked_mul`
        // is a call to a 128-bit multiply.)
        (n * 10).checked_add(u64::from(b - b'0'))
    })
}

/// `1*HEXDIG` as a u64; `None` on overflow.
pub(crate) fn parse_hex(s: &[u8]) -> Option<u64> {
    s.iter().try_fold(0u64, |n, &b| {
        let d = (b as char).to_digit(16)? as u64;
        (n >> 60 == 0).then_some(n << 4 | d)
    })
}

/// Checks `chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )`
/// (RFC 9112 §7.1.1); `Err(i)` names the first offending byte (or `s.len()`).
pub(crate) fn check_chunk_ext(s: &[u8]) -> Result<(), usize> {
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < s.len() && (s[*i] == b' ' || s[*i] == b'\t') {
            *i += 1;
        }
    };
    let token = |i: &mut usize| -> Result<(), usize> {
        let start = *i;
        while *i < s.len() && TCHAR[s[*i] as usize] {
            *i += 1;
        }
        if *i == start {
            Err(*i)
        } else {
            Ok(())
        }
    };
    let mut extensions = 0;
    loop {
        skip_ws(&mut i);
        if i == s.len() {
            // Whitespace alone after the size is no extension.
            return if extensions > 0 { Ok(()) } else { Err(i) };
        }
        extensions += 1;
        if s[i] != b';' {
            return Err(i);
        }
        i += 1;
        skip_ws(&mut i);
        token(&mut i)?;
        let after_name = i;
        skip_ws(&mut i);
        if i < s.len() && s[i] == b'=' {
            i += 1;
            skip_ws(&mut i);
            if i < s.len() && s[i] == b'"' {
                i += 1;
                loop {
                    match s.get(i) {
                        None => return Err(i),
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(b'\\') => {
                            match s.get(i + 1) {
                                Some(&c) if FIELD_VCHAR_OR_WS[c as usize] => i += 2,
                                _ => return Err(i + 1),
                            };
                        }
                        Some(&c) if FIELD_VCHAR_OR_WS[c as usize] => i += 1,
                        Some(_) => return Err(i),
                    }
                }
            } else {
                token(&mut i)?;
            }
        } else {
            i = after_name.max(i);
        }
    }
}

// ---- byte classes (httparse style tables) ---------------------------------

/// Builds a 256-entry table from a list of inclusive ranges.
const fn table(ranges: &[(u8, u8)]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut r = 0;
    while r < ranges.len() {
        let (lo, hi) = ranges[r];
        let mut b = lo as usize;
        while b <= hi as usize {
            t[b] = true;
            b += 1;
        }
        r += 1;
    }
    t
}

/// `tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
///          "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA` (RFC 9110 §5.6.2)
pub(crate) static TCHAR: [bool; 256] = table(&[
    (b'!', b'!'),
    (b'#', b'\''),
    (b'*', b'+'),
    (b'-', b'.'),
    (b'0', b'9'),
    (b'A', b'Z'),
    (b'^', b'`'),
    (b'a', b'z'),
    (b'|', b'|'),
    (b'~', b'~'),
]);

/// Request-target bytes: visible ASCII (RFC 9112 §3.2 allows no spaces or
/// controls, and no raw bytes above 0x7E).
pub(crate) static TARGET: [bool; 256] = table(&[(0x21, 0x7e)]);

/// `field-vchar = VCHAR / obs-text` plus SP and HTAB (RFC 9110 §5.5); the
/// same set serves reason phrases and quoted strings.
pub(crate) static FIELD_VCHAR_OR_WS: [bool; 256] = table(&[(b'\t', b'\t'), (b' ', 0x7e), (0x80, 0xff)]);

/// Eight bytes at a time ("SIMD within a register"): each test marks, in
/// the high bit of its byte, the first byte of a little-endian word that
/// may be outside the class; 0 means all eight belong to it. A mark is
/// exact for the lowest marked byte only (a borrow may mark bytes above
/// it), and a marked byte may still belong to the class (a tab in a field
/// value): the caller goes on from the lowest mark with the byte table.
pub(crate) mod swar {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;

    /// Marks bytes below `n` (valid for n <= 128; bytes >= 0x80 are not marked).
    fn below(w: u64, n: u8) -> u64 {
        w.wrapping_sub(ONES * n as u64) & !w & HIGH
    }

    fn equal(w: u64, n: u8) -> u64 {
        let x = w ^ (ONES * n as u64);
        x.wrapping_sub(ONES) & !x & HIGH
    }

    /// Not SP, VCHAR or obs-text: control bytes and DEL. (A tab, also
    /// allowed, is left to the byte table.)
    pub fn not_field_text(w: u64) -> u64 {
        below(w, 0x20) | equal(w, 0x7f)
    }

    /// Not 0x21..=0x7E.
    pub fn not_visible_ascii(w: u64) -> u64 {
        (w & HIGH) | below(w, 0x21) | equal(w, 0x7f)
    }

    /// The index of the lowest marked byte of `marks`, if any.
    pub fn first_marked(marks: u64) -> Option<usize> {
        (marks != 0).then(|| (marks.trailing_zeros() / 8) as usize)
    }
}

pub(crate) static WS: [bool; 256] = table(&[(b' ', b' '), (b'\t', b'\t')]);
pub(crate) static DIGIT: [bool; 256] = table(&[(b'0', b'9')]);
pub(crate) static HEXDIG: [bool; 256] = table(&[(b'0', b'9'), (b'A', b'F'), (b'a', b'f')]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_items_read_an_obs_fold_as_whitespace() {
        let items: Vec<&[u8]> = list_items(b"deflate,\r\n chunked").collect();
        assert_eq!(items, [&b"deflate"[..], b"chunked"]);
        assert_eq!(list_items(b" , ,").count(), 0);
    }

    #[test]
    fn numbers_overflow_to_none() {
        assert_eq!(parse_decimal(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_decimal(b"18446744073709551616"), None);
        assert_eq!(parse_decimal(b""), None);
        assert_eq!(parse_decimal(b"1 2"), None);
        assert_eq!(parse_hex(b"fF"), Some(255));
        assert_eq!(parse_hex(b"10000000000000000"), None);
        assert_eq!(parse_hex(b"ffffffffffffffff"), Some(u64::MAX));
        assert_eq!(parse_hex(b"000000000000000000001"), Some(1));
        assert_eq!(parse_decimal(b"18446744073709551620"), None);
        assert_eq!(parse_decimal(b"0000000000000000000000042"), Some(42));
    }

    #[test]
    fn chunk_extensions_follow_their_grammar() {
        assert_eq!(check_chunk_ext(b";a=1"), Ok(()));
        assert_eq!(check_chunk_ext(b" ; a = \"q\\\"x\""), Ok(()));
        assert_eq!(check_chunk_ext(b";a;b"), Ok(()));
        assert_eq!(check_chunk_ext(b" "), Err(1));
        assert_eq!(check_chunk_ext(b";"), Err(1));
        assert_eq!(check_chunk_ext(b";a=\"open"), Err(8));
        assert_eq!(check_chunk_ext(b"x"), Err(0));
    }

    #[test]
    fn names_compare_without_case() {
        assert!(name_is(b"Content-Length", b"content-length"));
        assert!(!name_is(b"Content-Lengt\r", b"content-length"));
        assert!(!name_is(b"Host", b"hosts"));
    }

    /// A word test and the byte class it stands for.
    type WordTest = (fn(u64) -> u64, &'static [bool; 256]);

    #[test]
    fn the_first_marked_byte_of_a_word_is_the_first_outside_the_class() {
        // Every byte value at every place, among bytes of the class and
        // among bytes that are not, so that borrows run through the word.
        for b in 0..=255u8 {
            for at in 0..8 {
                for filler in [b'a', b' ', 0x80, 0x00, 0x7f, b'\r'] {
                    let mut bytes = [b'a'; 8];
                    bytes[at] = b;
                    for byte in &mut bytes[at + 1..] {
                        *byte = filler;
                    }
                    let w = u64::from_le_bytes(bytes);
                    let field_text: WordTest = (swar::not_field_text, &FIELD_VCHAR_OR_WS);
                    for (test, class) in [field_text, (swar::not_visible_ascii, &TARGET)] {
                        let first = swar::first_marked(test(w)).unwrap_or(8);
                        assert!(bytes[..first].iter().all(|&c| class[c as usize]), "{bytes:?}");
                        if first < 8 {
                            assert!(!class[bytes[first] as usize] || bytes[first] == b'\t', "{bytes:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn word_tests_agree_with_the_byte_tables() {
        for b in 0..=255u8 {
            let w = u64::from_le_bytes([b; 8]);
            if swar::not_field_text(w) == 0 {
                assert!(FIELD_VCHAR_OR_WS[b as usize], "{b:#x}");
            }
            if swar::not_visible_ascii(w) == 0 {
                assert!(TARGET[b as usize], "{b:#x}");
            }
            // No class a line is scanned with holds CR or LF: a scan stops
            // at the first line end, which the line readers rely on.
            for class in [&TCHAR, &TARGET, &FIELD_VCHAR_OR_WS, &WS, &DIGIT, &HEXDIG] {
                if b == b'\r' || b == b'\n' {
                    assert!(!class[b as usize]);
                }
            }
        }
    }
}
