//! `llvm-cov export -format=text` JSON (what `cargo llvm-cov --json` writes). Line coverage is
//! derived from the region segments exactly as `llvm-cov report`/`show` does it
//! (LLVM's `LineCoverageStats`). The JSON is deserialised straight from the reader; function
//! records and expansions are skipped without being kept.

use super::{Coverage, ParseError};
use serde::Deserialize;
use serde::de::{self, SeqAccess, Visitor};
use std::io::BufRead;

#[derive(Deserialize)]
struct Export {
    data: Vec<Data>,
}

#[derive(Deserialize)]
struct Data {
    #[serde(default)]
    files: Vec<File>,
}

#[derive(Deserialize)]
struct File {
    filename: String,
    #[serde(default)]
    segments: Vec<Segment>,
}

/// `[line, col, count, has_count, is_region_entry, is_gap_region?]`
#[derive(Debug, Clone, Copy)]
struct Segment {
    line: u32,
    count: u64,
    has_count: bool,
    is_region_entry: bool,
    is_gap: bool,
}

impl<'de> Deserialize<'de> for Segment {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Segment;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a segment [line, col, count, has_count, is_region_entry, is_gap_region]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Segment, A::Error> {
                let missing = |i| de::Error::invalid_length(i, &self);
                let line: u32 = s.next_element()?.ok_or_else(|| missing(0))?;
                let _col: u32 = s.next_element()?.ok_or_else(|| missing(1))?;
                let count: f64 = s.next_element()?.ok_or_else(|| missing(2))?;
                let has_count: bool = s.next_element()?.ok_or_else(|| missing(3))?;
                let is_region_entry: bool = s.next_element()?.ok_or_else(|| missing(4))?;
                let is_gap: bool = s.next_element()?.unwrap_or(false);
                while s.next_element::<de::IgnoredAny>()?.is_some() {}
                let count = if count > 0.0 { count as u64 } else { 0 };
                Ok(Segment { line, count, has_count, is_region_entry, is_gap })
            }
        }
        d.deserialize_seq(V)
    }
}

pub fn parse<R: BufRead>(reader: R) -> Result<Coverage, ParseError> {
    let export: Export = serde_json::from_reader(reader).map_err(|e| ParseError::new(e.line(), e.to_string()))?;
    let mut cov = Coverage::default();
    for data in export.data {
        for file in data.files {
            line_counts(&file.segments, |line, count| cov.add(&file.filename, line, count));
        }
    }
    Ok(cov)
}

fn is_start_of_region(s: &Segment) -> bool {
    !s.is_gap && s.has_count && s.is_region_entry
}

/// Calls `out(line, count)` for every mapped line, following LLVM's `LineCoverageStats`.
fn line_counts(segments: &[Segment], mut out: impl FnMut(u32, u64)) {
    let (Some(first), Some(last)) = (segments.first(), segments.last()) else { return };
    let mut wrapped: Option<Segment> = None;
    let mut i = 0;
    for line in first.line..=last.line {
        let start = i;
        while i < segments.len() && segments[i].line == line {
            i += 1;
        }
        let on_line = &segments[start..i];
        let region_starts = on_line.iter().filter(|s| is_start_of_region(s)).count();
        let skipped = on_line.first().is_some_and(|s| !s.has_count && s.is_region_entry);
        let mapped = !skipped && (wrapped.is_some_and(|w| w.has_count) || region_starts > 0);
        if mapped {
            let mut count = wrapped.map(|w| w.count).unwrap_or(0);
            if region_starts > 0 {
                for s in on_line.iter().filter(|s| is_start_of_region(s)) {
                    count = count.max(s.count);
                }
            }
            out(line, count);
        }
        if let Some(l) = on_line.last() {
            wrapped = Some(*l);
        }
        // Segments out of order would stall the walk: skip anything behind us.
        while i < segments.len() && segments[i].line < line {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_to_lines() {
        // line 1: region entry, count 3; line 2: wrapped (3); line 3: a region entry with count 0
        // but the wrapped count 3 also reaches the line, and LLVM takes the max (3); line 4: a
        // non-entry segment, wrapped count 0 from line 3; line 5: wrapped count 3.
        let json = r#"{"data":[{"files":[{"filename":"/ci/src/lib.rs","segments":[
            [1,10,3,true,true,false],[3,5,0,true,true,false],[4,4,3,true,false,false],[5,2,0,false,false,false]
        ]}],"functions":[{"name":"f","count":3,"regions":[[1,10,5,2,3,0,0,0]]}]}],
        "type":"llvm.coverage.json.export","version":"2.0.1"}"#;
        let c = parse(json.as_bytes()).unwrap();
        let f = &c.files["/ci/src/lib.rs"];
        assert_eq!(f.iter().map(|(l, h)| (*l, *h)).collect::<Vec<_>>(), vec![(1, 3), (2, 3), (3, 3), (4, 0), (5, 3)]);
    }

    #[test]
    fn skipped_regions_and_gaps_are_not_code() {
        let json = r#"{"data":[{"files":[{"filename":"a.c","segments":[
            [1,1,0,false,true,false],[2,1,0,false,false,false],[4,1,7,true,true,false],[5,1,0,false,false,false]
        ]}]}]}"#;
        let c = parse(json.as_bytes()).unwrap();
        assert_eq!(c.files["a.c"].iter().map(|(l, h)| (*l, *h)).collect::<Vec<_>>(), vec![(4, 7), (5, 7)]);
    }

    #[test]
    fn corrupt_json_names_the_line() {
        let e = parse("{\"data\":[\n{\"files\":[\n{\"filename\":1}]}]}".as_bytes()).unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
    }

    /// A real `llvm-cov export` of a C program (clang-14; `tests/data/testability/llvm/generate.sh`):
    /// the lines derived from the JSON segments are exactly the `DA:` lines `llvm-cov export
    /// -format=lcov` writes for the same profile.
    #[test]
    fn agrees_with_llvm_cov_lcov_export() {
        let json = include_str!("../../../../tests/data/testability/llvm/export.json");
        let lcov = include_str!("../../../../tests/data/testability/llvm/export.lcov");
        let from_json = parse(json.as_bytes()).unwrap();
        let from_lcov = super::super::lcov::parse(lcov.as_bytes()).unwrap();
        assert_eq!(from_json.files.len(), 1);
        assert!(from_json.files.values().next().unwrap().len() > 30);
        assert_eq!(from_json.files, from_lcov.files);
    }
}
