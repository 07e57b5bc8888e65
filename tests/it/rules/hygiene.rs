//! Cases for the `hygiene` rules.

use super::{Case, run_all};

const CASES: &[Case] = &[
    Case {
        head: &[("src/lib.rs", Some("pub fn a() {}\npub fn b() {}\npub fn c() {}\npub fn d() {}\n"))],
        ..Case::new(&["hygiene.max-pr-lines"], "version = 1\n[hygiene]\nmax_pr_lines = 3\n")
    },
    Case {
        head: &[("src/a.rs", Some("a\n")), ("src/b.rs", Some("b\n"))],
        ..Case::new(&["hygiene.max-pr-files"], "version = 1\n[hygiene]\nmax_pr_files = 1\n")
    },
    Case {
        head: &[("README.md", Some("more\n"))],
        args: &["--title", "Update the readme", "--body", "Closes #12"],
        ..Case::new(&["hygiene.title"], "version = 1\n[hygiene]\ntitle = true\n")
    },
    Case {
        head: &[("README.md", Some("more\n"))],
        args: &["--title", "docs: readme", "--body", "<!-- describe the change -->"],
        ..Case::new(&["hygiene.body-empty"], "version = 1\n[hygiene]\nbody_required = true\n")
    },
    Case {
        head: &[("README.md", Some("more\n"))],
        args: &["--title", "docs: readme", "--body", "Explains the setup."],
        ..Case::new(
            &["hygiene.body-reference"],
            "version = 1\n[hygiene]\nbody_references = '#[0-9]+|REQ-[A-Z]+-[0-9]+'\n",
        )
    },
    Case {
        base: &[("src/lib.rs", "pub fn a() {}\n"), ("CHANGELOG.md", "# Changelog\n")],
        head: &[("src/lib.rs", Some("pub fn a() -> u8 { 1 }\n"))],
        ..Case::new(
            &["hygiene.changelog"],
            "version = 1\n[hygiene]\nchangelog = { path = \"CHANGELOG.md\", code = [\"src/**\"] }\n",
        )
    },
    Case {
        head: &[("README.md", Some("more\n"))],
        args: &["--label", "wip"],
        ..Case::new(
            &["hygiene.label-missing", "hygiene.label-forbidden"],
            "version = 1\n[hygiene]\nlabels = { one_of = [\"bug\", \"enhancement\"], forbidden = [\"wip\"] }\n",
        )
    },
    Case {
        head: &[("README.md", Some("more\n"))],
        message: "Fixed stuff",
        args: &["--title", "fix: stuff"],
        ..Case::new(&["hygiene.commit-subject"], "version = 1\n[hygiene]\ncommit_subject = true\n")
    },
    Case {
        head: &[("README.md", Some("more\n"))],
        setup: Some(|r| {
            r.git(&["checkout", "--quiet", "main"]);
            r.write("NOTES.md", "main moved on\n");
            r.commit("docs: notes");
            r.git(&["checkout", "--quiet", "pr"]);
            r.git(&["merge", "--quiet", "--no-ff", "--no-edit", "main"]);
        }),
        ..Case::new(&["hygiene.base-merge"], "version = 1\n[hygiene]\nno_base_merges = true\n")
    },
    Case {
        head: &[("assets/logo.bin", Some("0123456789abcdef0123456789abcdef"))],
        ..Case::new(&["hygiene.large-file"], "version = 1\n[hygiene]\nmax_file_size = \"16 B\"\n")
    },
    Case {
        head: &[(".env", Some("DATABASE_URL=postgres://localhost/dev\n"))],
        ..Case::new(&["hygiene.forbidden-path"], "version = 1\n[hygiene]\nforbidden_paths = [\".env\", \".env.*\"]\n")
    },
];

#[test]
fn hygiene() {
    run_all("hygiene", CASES);
}
