//! Small text helpers shared by gates (pull-request prose, URIs in reports and specs).

/// `text` without HTML comments (`<!-- ... -->`; PR templates put their instructions in them).
/// An unclosed comment runs to the end.
pub fn strip_html_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `%XX` escapes decoded (URIs in SARIF reports and `$ref`s); invalid escapes are kept as written.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() && s.is_char_boundary(i + 1) && s.is_char_boundary(i + 3) {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_escapes() {
        assert_eq!(percent_decode("a%20b%2Fc%zz%4"), "a b/c%zz%4");
        assert_eq!(percent_decode("caf%C3%A9%"), "café%");
    }

    #[test]
    fn comments_are_stripped() {
        assert_eq!(strip_html_comments("a<!-- x -->b<!-- y"), "ab");
        assert_eq!(strip_html_comments("<!-- only -->\n").trim(), "");
        assert_eq!(strip_html_comments("plain"), "plain");
    }
}
