//! Small text helpers shared by gates that read pull-request prose.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_stripped() {
        assert_eq!(strip_html_comments("a<!-- x -->b<!-- y"), "ab");
        assert_eq!(strip_html_comments("<!-- only -->\n").trim(), "");
        assert_eq!(strip_html_comments("plain"), "plain");
    }
}
