//! Cases for the `performance` rules, from generic CSV results and committed artifacts.

use super::{Case, run_all};

const CASES: &[Case] = &[
    Case {
        inputs: &[
            ("base.csv", "name,value,unit\nparse,10,ms\nrender,5,ms\nold,1,ms\n"),
            ("head.csv", "name,value,unit\nparse,13,ms\nrender,5.1,ms\n"),
        ],
        ..Case::new(
            &["performance.regression", "performance.budget", "performance.unmatched"],
            r#"version = 1
[performance]
benchmarks = [{ format = "csv", path = "head.csv", base = "base.csv", max_regression = "10%" }]
budgets = [{ name = "parse", max = "12 ms" }, { name = "gone-*", max = "1 ms" }]
"#,
        )
    },
    Case {
        base: &[("dist/app.js", "console.log('app');\n")],
        head: &[("dist/app.js", Some("console.log('app');\nconsole.log('a much longer bundle than before');\n"))],
        ..Case::new(
            &["performance.size", "performance.size-growth"],
            "version = 1\n[performance]\nsizes = [{ path = \"dist/*.js\", max = \"40 B\", max_growth = \"10%\" }]\n",
        )
    },
];

#[test]
fn performance() {
    run_all("performance", CASES);
}
