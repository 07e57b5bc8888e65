//! What the fuzz targets check, shared so a target is a few lines. Each check panics (which
//! libFuzzer reports as a crash) only when an invariant of Gatehouse breaks: a panic inside the
//! library, or a round trip that loses information.

use gatehouse::diff::{ChangeSet, Rev, parse_diff, render};

/// Parses `data` as a diff; when it parses, rendering and parsing again must give the same
/// change set, and the queries gates use must not panic.
pub fn diff_round_trip(data: &[u8]) {
    let Ok(cs) = parse_diff(data, Rev::unknown("base"), Rev::unknown("head")) else { return };
    for f in &cs.files {
        let _ = f.added_lines().count();
        let _ = f.touches(1) || f.touches(u32::MAX) || f.touches_range(0, u32::MAX);
    }
    let text = render(&cs);
    let again = parse_diff(text.as_bytes(), cs.base.clone(), cs.head.clone())
        .unwrap_or_else(|e| panic!("rendered diff does not parse: {e}\n{text}"));
    assert_eq!(lossy(cs), again, "round trip changed the change set\n{text}");
}

/// Lines that were not UTF-8 are decoded lossily: rendered back they are valid UTF-8.
fn lossy(mut cs: ChangeSet) -> ChangeSet {
    for f in &mut cs.files {
        f.non_utf8 = false;
    }
    cs
}

/// Loads `data` as `gates.toml`: any input gives a policy or a list of errors, never a panic.
pub fn policy_load(data: &[u8]) {
    let bytes = data.to_vec();
    let read = move |p: &str| Ok((p == "gates.toml").then(|| bytes.clone()));
    if let Err(errors) = gatehouse::gates::load(&read, "gates.toml") {
        let _ = errors.to_string();
    }
}
