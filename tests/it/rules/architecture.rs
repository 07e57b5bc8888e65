//! Cases for the `architecture` rules.

use super::{Case, run_all};

const CASES: &[Case] = &[
    Case {
        base: &[
            ("app/__init__.py", ""),
            ("app/domain/__init__.py", ""),
            ("app/infra/__init__.py", ""),
            ("app/infra/db.py", "def connect():\n    return 1\n"),
            ("app/billing/__init__.py", ""),
            ("app/shipping/__init__.py", ""),
            ("app/shipping/rates.py", "RATE = 3\n"),
        ],
        head: &[
            (
                "app/domain/model.py",
                Some("from ..infra.db import connect\nimport requests\n\nclass Order:\n    pass\n"),
            ),
            ("app/billing/invoice.py", Some("from app.shipping.rates import RATE\n")),
        ],
        ..Case::new(
            &["architecture.layer", "architecture.forbidden-package", "architecture.independence"],
            r#"version = 1
[architecture]
cycles = false
layers = [{ name = "domain", from = "app/domain/**", deny = ["app/infra/**"] }]
forbidden_packages = [{ paths = ["app/domain/**"], packages = ["requests"], reason = "the domain does no I/O" }]
independent = [{ name = "bounded contexts", modules = ["app/billing/**", "app/shipping/**"] }]
"#,
        )
    },
    Case {
        base: &[
            ("Cargo.toml", "[package]\nname = \"x\"\n"),
            ("src/lib.rs", "mod a;\nmod b;\n"),
            ("src/a.rs", "use crate::b::B;\npub struct A;\n"),
            ("src/b.rs", "pub struct B;\n"),
        ],
        head: &[("src/b.rs", Some("use crate::a::A;\npub struct B;\n"))],
        ..Case::new(&["architecture.cycle"], "version = 1\n[architecture]\n")
    },
    Case {
        head: &[(
            "src/calc.py",
            Some(
                "def grade(score):\n    if score > 90:\n        return 'A'\n    elif score > 80:\n        return 'B'\n    elif score > 70:\n        return 'C'\n    return 'F'\n",
            ),
        )],
        ..Case::new(
            &["architecture.max-file-lines", "architecture.max-function-lines", "architecture.max-complexity"],
            "version = 1\n[architecture]\nlimits = { max_file_lines = 6, max_function_lines = 5, max_complexity = 3 }\n",
        )
    },
    Case {
        base: &[("Cargo.toml", "[package]\nname = \"x\"\n"), ("Cargo.lock", "version = 3\n")],
        head: &[("Cargo.toml", Some("[package]\nname = \"x\"\n\n[dependencies]\nserde = \"1\"\n"))],
        ..Case::new(
            &["architecture.co-change"],
            "version = 1\n[architecture]\nco_change = [{ name = \"lockfile\", when = [\"Cargo.toml\"], require = [\"Cargo.lock\"] }]\n",
        )
    },
];

#[test]
fn architecture() {
    run_all("architecture", CASES);
}
