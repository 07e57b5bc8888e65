//! Cobertura and JaCoCo XML, read as a stream of events with quick-xml (no document tree, so
//! a report of any size needs memory only for the line table it produces).

use super::{Coverage, ParseError};
use quick_xml::events::{BytesStart, Event};
use std::io::BufRead;

/// Counts newlines in what the XML reader consumes, so errors can name a line.
struct Lines<R> {
    inner: R,
    line: usize,
}

impl<R: BufRead> std::io::Read for Lines<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(out)?;
        self.line += out[..n].iter().filter(|b| **b == b'\n').count();
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Lines<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            self.line += buf[..amt.min(buf.len())].iter().filter(|b| **b == b'\n').count();
        }
        self.inner.consume(amt);
    }
}

/// Walks the document, handing each start (or empty) element and each text node to `visit`.
pub(crate) fn walk<R: BufRead>(
    reader: R,
    roots: &[&str],
    mut visit: impl FnMut(Item<'_>, &[Vec<u8>]) -> Result<(), String>,
) -> Result<(), ParseError> {
    let mut xml = quick_xml::Reader::from_reader(Lines { inner: reader, line: 1 });
    xml.config_mut().trim_text(true);
    let mut buf = Vec::new();
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut saw_root = false;
    loop {
        let ev = xml.read_event_into(&mut buf);
        let line = xml.get_ref().line;
        let err = |m: String| ParseError::new(line, m);
        match ev.map_err(|e| err(format!("malformed XML: {e}")))? {
            Event::Start(e) | Event::Empty(e) if !saw_root => {
                if !roots.iter().any(|r| e.local_name().as_ref() == r.as_bytes()) {
                    let got = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    return Err(err(format!("root element is <{got}>, expected <{}>", roots.join("> or <"))));
                }
                saw_root = true;
                visit(Item::Start(&e), &stack).map_err(err)?;
                stack.push(e.local_name().as_ref().to_vec());
            }
            Event::Start(e) => {
                visit(Item::Start(&e), &stack).map_err(err)?;
                stack.push(e.local_name().as_ref().to_vec());
            }
            Event::Empty(e) => {
                visit(Item::Start(&e), &stack).map_err(err)?;
                visit(Item::End(e.local_name().as_ref()), &stack).map_err(err)?;
            }
            Event::End(e) => {
                stack.pop();
                visit(Item::End(e.local_name().as_ref()), &stack).map_err(err)?;
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| err(format!("bad text: {e}")))?;
                visit(Item::Text(&text), &stack).map_err(err)?;
            }
            Event::GeneralRef(r) => {
                let name: &[u8] = &r;
                let text = match name {
                    b"amp" => "&",
                    b"lt" => "<",
                    b"gt" => ">",
                    b"quot" => "\"",
                    b"apos" => "'",
                    _ => "",
                };
                visit(Item::Text(text), &stack).map_err(err)?;
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(err(format!(
                        "unexpected end of file: <{}> is not closed (truncated report?)",
                        String::from_utf8_lossy(open)
                    )));
                }
                if !saw_root {
                    return Err(err(format!("no <{}> element (empty file?)", roots.join("> or <"))));
                }
                return Ok(());
            }
            _ => {}
        }
        buf.clear();
    }
}

pub(crate) enum Item<'a> {
    Start(&'a BytesStart<'a>),
    End(&'a [u8]),
    Text(&'a str),
}

pub(crate) fn attr(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, String> {
    match e.try_get_attribute(name) {
        Ok(Some(a)) => a.unescape_value().map(|v| Some(v.into_owned())).map_err(|x| format!("attribute `{name}`: {x}")),
        Ok(None) => Ok(None),
        Err(x) => Err(format!("bad attributes on <{}>: {x}", String::from_utf8_lossy(e.local_name().as_ref()))),
    }
}

fn num<T: std::str::FromStr>(e: &BytesStart<'_>, name: &str) -> Result<T, String> {
    let tag = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
    let v = attr(e, name)?.ok_or_else(|| format!("<{tag}> has no `{name}` attribute"))?;
    v.trim().parse().map_err(|_| format!("<{tag} {name}=\"{v}\">: not a number"))
}

/// Cobertura (`coverage.py xml`, gcovr, istanbul, .NET coverlet...): `<class filename>` holding
/// `<line number hits>`; `<sources><source>` lists the roots filenames are relative to.
pub fn parse_cobertura<R: BufRead>(reader: R) -> Result<Coverage, ParseError> {
    let mut cov = Coverage::default();
    let mut file: Option<String> = None;
    let mut source = String::new();
    walk(reader, &["coverage"], |item, stack| {
        match item {
            Item::Start(e) => match e.local_name().as_ref() {
                b"class" => {
                    file = Some(attr(e, "filename")?.ok_or("<class> has no `filename` attribute")?);
                }
                b"line" if file.is_some() => {
                    let n: u32 = num(e, "number")?;
                    // hits may be written as a float by some producers.
                    let hits = attr(e, "hits")?.ok_or("<line> has no `hits` attribute")?;
                    let hits = hits
                        .trim()
                        .parse::<u64>()
                        .ok()
                        .or_else(|| hits.trim().parse::<f64>().ok().map(|f| if f > 0.0 { f.ceil() as u64 } else { 0 }))
                        .ok_or_else(|| format!("<line hits=\"{hits}\">: not a number"))?;
                    if let Some(f) = &file {
                        cov.add(f, n, hits);
                    }
                }
                b"source" => source.clear(),
                _ => {}
            },
            Item::Text(t) if stack.last().is_some_and(|s| s == b"source") => source.push_str(t),
            Item::End(b"class") => file = None,
            Item::End(b"source") => {
                let s = source.trim().to_string();
                if !s.is_empty() && !cov.sources.contains(&s) {
                    cov.sources.push(s);
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(cov)
}

/// JaCoCo: `<package name="com/acme">` → `<sourcefile name="Foo.java">` → `<line nr mi ci>`;
/// a line is covered when some instruction on it ran (`ci > 0`). The file is named
/// `package/name`, relative to a source root (mapped with `source_roots`).
pub fn parse_jacoco<R: BufRead>(reader: R) -> Result<Coverage, ParseError> {
    let mut cov = Coverage::default();
    let mut package = String::new();
    let mut file: Option<String> = None;
    walk(reader, &["report"], |item, _| {
        match item {
            Item::Start(e) => match e.local_name().as_ref() {
                b"package" => package = attr(e, "name")?.unwrap_or_default(),
                b"sourcefile" => {
                    let name = attr(e, "name")?.ok_or("<sourcefile> has no `name` attribute")?;
                    file = Some(if package.is_empty() { name } else { format!("{package}/{name}") });
                }
                b"line" => {
                    if let Some(f) = &file {
                        let n: u32 = num(e, "nr")?;
                        let ci: u64 = num(e, "ci")?;
                        cov.add(f, n, ci);
                    }
                }
                _ => {}
            },
            Item::End(b"sourcefile") => file = None,
            Item::End(b"package") => package.clear(),
            _ => {}
        }
        Ok(())
    })?;
    Ok(cov)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COBERTURA: &str = r#"<?xml version="1.0" ?>
<coverage version="7.6" line-rate="0.5">
	<sources>
		<source>/home/runner/work/app/app</source>
	</sources>
	<packages>
		<package name="calc">
			<classes>
				<class name="calc.py" filename="calc/calc.py" line-rate="0.5">
					<methods><method name="f"><lines><line number="2" hits="1"/></lines></method></methods>
					<lines>
						<line number="1" hits="1"/>
						<line number="2" hits="1"/>
						<line number="4" hits="0" branch="true" condition-coverage="0% (0/2)"/>
					</lines>
				</class>
			</classes>
		</package>
	</packages>
</coverage>
"#;

    #[test]
    fn cobertura_lines_and_sources() {
        let c = parse_cobertura(COBERTURA.as_bytes()).unwrap();
        assert_eq!(c.sources, vec!["/home/runner/work/app/app".to_string()]);
        let f = &c.files["calc/calc.py"];
        assert_eq!(f.iter().map(|(l, h)| (*l, *h)).collect::<Vec<_>>(), vec![(1, 1), (2, 1), (4, 0)]);
    }

    #[test]
    fn jacoco_lines() {
        let src = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd"><report name="demo"><sessioninfo id="x" start="1" dump="2"/><package name="com/acme"><class name="com/acme/Calc" sourcefilename="Calc.java"><method name="add" desc="(II)I" line="3"><counter type="LINE" missed="0" covered="1"/></method></class><sourcefile name="Calc.java"><line nr="3" mi="0" ci="4" mb="0" cb="0"/><line nr="6" mi="3" ci="0" mb="0" cb="0"/><counter type="LINE" missed="1" covered="1"/></sourcefile></package></report>"#;
        let c = parse_jacoco(src.as_bytes()).unwrap();
        let f = &c.files["com/acme/Calc.java"];
        assert_eq!(f.iter().map(|(l, h)| (*l, *h)).collect::<Vec<_>>(), vec![(3, 4), (6, 0)]);
    }

    #[test]
    fn corrupt_xml_names_the_line() {
        let bad = "<?xml version=\"1.0\"?>\n<coverage>\n<packages>\n<class filename=\"a.py\">\n<line number=\"x\" hits=\"1\"/>\n";
        let e = parse_cobertura(bad.as_bytes()).unwrap_err();
        assert_eq!(e.line, 5, "{e:?}");
        assert!(e.message.contains("not a number"), "{}", e.message);
        let truncated = "<coverage>\n<packages>\n<package>\n";
        let e = parse_cobertura(truncated.as_bytes()).unwrap_err();
        assert!(e.message.contains("not closed"), "{}", e.message);
        let mismatched = "<coverage>\n<a>\n</b>\n</coverage>\n";
        let e = parse_cobertura(mismatched.as_bytes()).unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
        let e = parse_jacoco(COBERTURA.as_bytes()).unwrap_err();
        assert!(e.message.contains("expected <report>"), "{}", e.message);
    }
}
