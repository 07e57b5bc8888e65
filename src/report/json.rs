//! The JSON decision record: the report as data, pretty-printed, deterministic.

use crate::engine::Report;

pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("report serialises");
    s.push('\n');
    s
}
