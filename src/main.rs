//! The `gatehouse` command line. Everything here is argument handling and presentation; the
//! work happens in the library.

use anyhow::{Context as _, anyhow};
use clap::{Args, Parser, Subcommand, ValueEnum};
use gatehouse::core::{PolicyErrors, Severity};
use gatehouse::diff::{self, ChangeSet, Rev};
use gatehouse::engine::{EngineOptions, PolicySource};
use gatehouse::gate::Context;
use gatehouse::gates::{self as policy, LoadedPolicy};
use gatehouse::repo::Repo;
use gatehouse::report::{self, Format};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Quality gates for pull requests: one policy file, one fast binary, an honest verdict.
///
/// Gatehouse reads `gates.toml` (from the base commit, so a change cannot weaken the gates that
/// judge it), computes the diff, runs every gate, and exits 0 (pass), 1 (a blocking gate
/// failed), 2 (usage or policy error) or 3 (a gate could not run: failing closed).
#[derive(Parser)]
#[command(name = "gatehouse", version, propagate_version = true, max_term_width = 100)]
struct Cli {
    /// Log level for messages on stderr (error, warn, info, debug, trace). RUST_LOG also works.
    #[arg(long, global = true, value_name = "LEVEL")]
    log_level: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate the change between two revisions (or a diff) against the policy.
    Check(Box<CheckArgs>),
    /// Parse and check a policy file; lists every problem with file:line:col.
    Validate {
        /// The policy file.
        #[arg(default_value = "gates.toml")]
        path: PathBuf,
    },
    /// Write a commented starter gates.toml suited to the repository (never overwrites).
    Init {
        /// Repository directory.
        #[arg(long, default_value = ".")]
        repo: PathBuf,
        /// Print the policy instead of writing gates.toml.
        #[arg(long)]
        stdout: bool,
    },
    /// Explain a rule: what it checks, why, and how to fix or waive it.
    Explain {
        /// A rule id such as `hygiene.max-pr-lines`; `all` lists every rule.
        rule: String,
        /// Also look up rules defined by this policy (pattern rules).
        #[arg(long, default_value = "gates.toml")]
        policy: PathBuf,
        /// With `all`: the built-in rules as a Markdown reference (what `docs/rules.md` holds).
        #[arg(long)]
        markdown: bool,
    },
    /// Print the JSON Schema of gates.toml (for Taplo and other TOML editors).
    Schema,
}

#[derive(Args)]
struct CheckArgs {
    /// Revision to compare against. Default: the merge base with origin/HEAD, main or master.
    #[arg(long, value_name = "REV")]
    base: Option<String>,
    /// Revision under review.
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    head: String,
    /// Read the diff from FILE (`-` for stdin) instead of running git diff. Head files are then
    /// read from the working tree.
    #[arg(long, value_name = "FILE")]
    diff: Option<PathBuf>,
    /// Policy file, relative to the repository root.
    #[arg(long, value_name = "PATH", default_value = "gates.toml")]
    policy: String,
    /// Where to read the policy from. `base` (default) falls back to the worktree, with a
    /// notice, when the base commit has no policy yet.
    #[arg(long, value_enum, value_name = "FROM", default_value_t = PolicyFrom::Base)]
    policy_from: PolicyFrom,
    /// Format written to stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Also write a report to FILE; the format comes from the extension (.json, .sarif, .md,
    /// .txt) or a prefix (`sarif=out.txt`). Repeatable.
    #[arg(long, short, value_name = "FILE")]
    output: Vec<String>,
    /// Run only these gates (gate id or family), e.g. `--only patterns`. Repeatable.
    #[arg(long, value_name = "GATE")]
    only: Vec<String>,
    /// Repository directory.
    #[arg(long, value_name = "DIR", default_value = ".")]
    repo: PathBuf,
    /// Lowest finding severity that fails a gate (overrides `defaults.fail_on`).
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Colour in the human report.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Leave per-gate timings out of the JSON report, so identical runs give identical bytes.
    #[arg(long)]
    no_timings: bool,
    /// Pull-request title for hygiene gates (default: the head commit's subject).
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
    /// Pull-request body (default: the head commit's message body).
    #[arg(long, value_name = "TEXT")]
    body: Option<String>,
    /// Pull-request label. Repeatable.
    #[arg(long = "label", value_name = "LABEL")]
    labels: Vec<String>,
    /// In GitHub Actions: seconds for all GitHub API work of the run (requests, retries, waits).
    /// Past it, results go to workflow commands and the job summary; the verdict is unchanged.
    /// The action's `api-deadline` input takes precedence.
    #[arg(long, value_name = "SECONDS", env = "GATEHOUSE_API_DEADLINE", default_value = "60",
          value_parser = gatehouse::github::client::parse_deadline)]
    api_deadline: std::time::Duration,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PolicyFrom {
    Base,
    Head,
    Worktree,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Notice,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

/// An error with the exit code it maps to.
struct Exit(u8, anyhow::Error);

impl<E: Into<anyhow::Error>> From<E> for Exit {
    fn from(e: E) -> Self {
        let e = e.into();
        let code =
            if e.downcast_ref::<PolicyErrors>().is_some() || e.downcast_ref::<Usage>().is_some() { 2 } else { 3 };
        Exit(code, e)
    }
}

/// A mistake in how gatehouse was called (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Usage(String);

fn usage(msg: impl Into<String>) -> anyhow::Error {
    Usage(msg.into()).into()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.log_level.as_deref());
    let result = match cli.command {
        Command::Check(args) => check(*args),
        Command::Validate { path } => validate(&path),
        Command::Init { repo, stdout } => init(&repo, stdout),
        Command::Explain { rule, policy, markdown: true } if rule == "all" => {
            let _ = policy;
            print!("{}", report::rules::markdown(&gatehouse::gates::catalogue()));
            Ok(0)
        }
        Command::Explain { markdown: true, .. } => Err(usage("`--markdown` goes with `explain all`").into()),
        Command::Explain { rule, policy, .. } => explain(&rule, &policy),
        Command::Schema => {
            println!("{}", serde_json::to_string_pretty(&policy::json_schema()).expect("schema"));
            Ok(0)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Exit(code, e)) => {
            if let Some(p) = e.downcast_ref::<PolicyErrors>() {
                eprintln!("{p}");
            } else {
                eprintln!("gatehouse: error: {e:#}");
            }
            ExitCode::from(code)
        }
    }
}

fn init_tracing(level: Option<&str>) {
    use tracing_subscriber::EnvFilter;
    let filter = match level {
        Some(l) => EnvFilter::try_new(l).unwrap_or_else(|_| EnvFilter::new("warn")),
        None => EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .try_init();
}

fn check(args: CheckArgs) -> Result<u8, Exit> {
    if gatehouse::github::in_actions() {
        return check_in_actions(args);
    }
    let report = evaluate(&args, Extra::default())?;
    Ok(report.verdict.exit_code() as u8)
}

/// What a GitHub Actions run adds to a local one: the PR from the event, the forge, notices,
/// and a diff rebuilt from the API when the checkout lacks the base.
#[derive(Default)]
struct Extra<'a> {
    pr: Option<gatehouse::forge::PrInfo>,
    forge: Option<&'a dyn gatehouse::forge::Forge>,
    notices: Vec<String>,
    diff: Option<Vec<u8>>,
}

/// `gatehouse check` inside GitHub Actions: the same evaluation, published as check runs (or
/// workflow commands), job summary, outputs and comment. The check run is completed whatever
/// happens, and the exit code is the local one.
fn check_in_actions(mut args: CheckArgs) -> Result<u8, Exit> {
    use gatehouse::github::{Actions, client::RetryPolicy, files};
    let env = |k: &str| std::env::var(k).ok();
    let mut gh = match Actions::start(&env, RetryPolicy::within(args.api_deadline)) {
        Ok(gh) => gh,
        Err(e) => {
            println!("::error title=gatehouse::{}", gatehouse::github::commands::escape_data(&e.to_string()));
            return Err(usage(e.to_string()).into());
        }
    };
    let i = gh.inputs.clone();
    if let Some(p) = &i.policy {
        args.policy = p.clone();
    }
    if let Some(d) = &i.working_directory {
        args.repo = PathBuf::from(d);
    }
    if let Some(f) = &i.fail_on {
        args.fail_on = FailOn::from_str(f, true).ok();
    }
    args.output.push(format!("json={}", i.report_output));
    if let Some(s) = &i.sarif_output {
        args.output.push(format!("sarif={s}"));
    }
    args.color = Color::Never;
    // The human report may quote repository text; keep the runner from reading it as commands.
    let stop = gatehouse::github::commands::stop_token();
    println!("::stop-commands::{stop}");
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> Result<_, Exit> {
        let mut notices = gh.notices.clone();
        let mut extra_diff = None;
        if let Ok(repo) = Repo::open(&args.repo) {
            let base_input = i.base.clone().or_else(|| args.base.clone());
            match files::revisions(&repo, &gh.event, base_input.as_deref(), gh.reader(), &mut notices)? {
                files::Revisions::Git { base, head } => {
                    args.base = Some(base);
                    args.head = head;
                }
                files::Revisions::Api { diff } => extra_diff = Some(diff),
                files::Revisions::Local => args.base = base_input,
            }
        }
        let forge = gh.forge();
        let extra = Extra {
            pr: gh.event.pr.number.is_some().then(|| gh.pr_info()),
            forge: forge.as_ref().map(|f| f as &dyn gatehouse::forge::Forge),
            notices,
            diff: extra_diff,
        };
        evaluate(&args, extra)
    }));
    println!("::{stop}::");
    let run = run.unwrap_or_else(|_| Err(Exit(3, anyhow!("gatehouse panicked; failing closed"))));
    match run {
        Ok(report) => {
            gh.finish(&report, Some(&i.report_output), i.sarif_output.as_deref());
            Ok(report.verdict.exit_code() as u8)
        }
        Err(Exit(code, e)) => {
            let text = match e.downcast_ref::<PolicyErrors>() {
                Some(p) => p.to_string(),
                None => format!("{e:#}"),
            };
            gh.finish_error(&text);
            Err(Exit(code, e))
        }
    }
}

/// Evaluates the change and writes the reports; returns the report for the caller to publish.
fn evaluate(args: &CheckArgs, extra: Extra<'_>) -> Result<gatehouse::engine::Report, Exit> {
    let outputs = parse_outputs(&args.output)?;
    for o in &args.only {
        if o.trim().is_empty() {
            return Err(usage("--only needs a gate name").into());
        }
    }
    let mut notices = extra.notices;
    let repo = match Repo::open(&args.repo) {
        Ok(r) => r,
        Err(_) if args.diff.is_some() || extra.diff.is_some() => {
            Repo::plain(&args.repo).map_err(|e| usage(e.to_string()))?
        }
        Err(e) => return Err(usage(format!("{e} (use --repo DIR, or --diff FILE outside git)")).into()),
    };

    // Revisions and the change.
    let (changes, policy_rev, head_from_worktree) = if let Some(bytes) = &extra.diff {
        let cs = diff::parse_diff(bytes, Rev::unknown("base"), Rev::unknown("head"))
            .map_err(|e| anyhow!("the PR files from the GitHub API: {e}"))?;
        (cs, None, true)
    } else if let Some(diff_path) = &args.diff {
        let mut cs = diff::source::from_file(diff_path).map_err(|e| usage(e.to_string()))?;
        let mut policy_rev = None;
        if let Some(base) = &args.base {
            let sha = repo.resolve(base).map_err(|e| usage(e.to_string()))?;
            cs.base = Rev { name: base.clone(), sha: Some(sha.clone()) };
            policy_rev = Some(sha);
        }
        (cs, policy_rev, true)
    } else {
        let head_sha = repo.resolve(&args.head).map_err(|e| usage(e.to_string()))?;
        let base_name = match &args.base {
            Some(b) => b.clone(),
            None => repo.default_base().map_err(|e| usage(e.to_string()))?,
        };
        let base_sha = repo.resolve(&base_name).map_err(|e| usage(e.to_string()))?;
        let merge_base = repo.merge_base(&base_sha, &head_sha).map_err(|e| usage(e.to_string()))?;
        tracing::info!(base = %base_name, %base_sha, %merge_base, head = %head_sha, "revisions");
        let base = Rev { name: base_name, sha: Some(merge_base) };
        let head = Rev { name: args.head.clone(), sha: Some(head_sha) };
        let cs = diff::source::from_git(&repo, base, head)?;
        (cs, Some(base_sha), false)
    };
    tracing::info!(files = changes.files.len(), "diff parsed");

    // The policy.
    let (loaded, source) = load_policy(&repo, args, policy_rev.as_deref(), &changes, &mut notices)?;
    let known: Vec<String> = loaded.gates.iter().map(|g| g.id().to_string()).collect();
    for o in &args.only {
        if !known.iter().any(|k| gatehouse::engine::selected(k, std::slice::from_ref(o))) {
            return Err(usage(format!("--only {o}: no such gate in this policy (gates: {})", known.join(", "))).into());
        }
    }

    let pr = extra.pr.unwrap_or_else(|| local_pr_info(&repo, args, &changes));
    let cx = Context { changes: &changes, repo: &repo, head_from_worktree, pr: &pr, forge: extra.forge };
    let opts = EngineOptions {
        only: args.only.clone(),
        fail_on: args.fail_on.map(|f| match f {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Notice => Severity::Notice,
        }),
        today: gatehouse::core::date::today(),
    };
    let mut report = gatehouse::engine::run(&loaded, source, &cx, &opts, notices);
    if args.no_timings {
        report.timings_ms.clear();
    }

    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    };
    for (format, path) in &outputs {
        let text = report::render(&report, *format, false);
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    let text = report::render(&report, args.format, color && args.format == Format::Human);
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    Ok(report)
}

/// Title and body from the flags, else from the head commit's message.
fn local_pr_info(repo: &Repo, args: &CheckArgs, changes: &ChangeSet) -> gatehouse::forge::PrInfo {
    let message = match (&changes.head.sha, repo.is_git()) {
        (Some(sha), true) if args.title.is_none() || args.body.is_none() => {
            repo.git(&["log", "-1", "--format=%B", sha]).ok().map(|b| String::from_utf8_lossy(&b).into_owned())
        }
        _ => None,
    };
    let (subject, rest) = match &message {
        Some(m) => {
            let (s, r) = m.split_once('\n').unwrap_or((m.as_str(), ""));
            (Some(s.trim().to_string()), Some(r.trim().to_string()))
        }
        None => (None, None),
    };
    gatehouse::forge::PrInfo {
        number: None,
        title: args.title.clone().or(subject),
        body: args.body.clone().or(rest),
        labels: args.labels.clone(),
        author: None,
    }
}

/// Reads the policy from the chosen source, falling back from base to the worktree with a
/// notice, and notes when the change edits the policy.
fn load_policy(
    repo: &Repo,
    args: &CheckArgs,
    base_rev: Option<&str>,
    changes: &ChangeSet,
    notices: &mut Vec<String>,
) -> Result<(LoadedPolicy, PolicySource), Exit> {
    let path = gatehouse::repo::confine(&args.policy).map_err(|e| usage(format!("--policy: {e}")))?;
    let worktree = |p: &str| repo.read_worktree(p).map_err(|e| e.to_string());
    let (from, rev): (&str, Option<String>) = match args.policy_from {
        PolicyFrom::Worktree => ("worktree", None),
        PolicyFrom::Head if args.diff.is_some() => ("worktree", None),
        PolicyFrom::Head => ("head", changes.head.sha.clone()),
        PolicyFrom::Base => match base_rev {
            None => {
                notices.push(format!("The base revision is unknown (diff read from a file), so `{path}` was read from the working tree. Pass --base to judge with the base's policy."));
                ("worktree", None)
            }
            Some(rev) if repo.read_at(rev, &path).map_err(|e| anyhow!(e))?.is_none() => {
                notices.push(format!("The base commit has no `{path}`, so the working tree's copy was used. Once it is merged, the base's policy judges every change."));
                ("worktree", None)
            }
            Some(rev) => ("base", Some(rev.to_string())),
        },
    };
    let loaded = match &rev {
        Some(r) => policy::load(&|p: &str| repo.read_at(r, p).map_err(|e| e.to_string()), &path),
        None => policy::load(&worktree, &path),
    };
    let loaded = match loaded {
        Ok(l) => l,
        Err(e) if from == "worktree" && e.0.len() == 1 && e.0[0].message == "policy file not found" => {
            return Err(usage(format!("no policy found at `{path}`; create one with `gatehouse init`")).into());
        }
        Err(e) => return Err(e.into()),
    };
    if from == "base" {
        let touched: Vec<&str> = loaded
            .files
            .iter()
            .map(|(p, _)| p.as_str())
            .filter(|p| changes.files.iter().any(|f| f.path == *p || f.old_path.as_deref() == Some(p)))
            .collect();
        if !touched.is_empty() {
            notices.push(format!(
                "This change edits the policy ({}); it was judged by the base commit's version.",
                touched.join(", ")
            ));
        }
    }
    let source = PolicySource {
        from: from.to_string(),
        rev,
        path: path.clone(),
        extends: loaded.files.iter().skip(1).map(|(p, _)| p.clone()).collect(),
        digest: loaded.digest.clone(),
    };
    Ok((loaded, source))
}

fn parse_outputs(specs: &[String]) -> Result<Vec<(Format, PathBuf)>, Exit> {
    specs
        .iter()
        .map(|spec| {
            let (format, path) = match spec.split_once('=') {
                Some((f, p)) if Format::from_str(f, true).is_ok() => (Format::from_str(f, true).expect("checked"), p),
                _ => (
                    Format::from_extension(spec).ok_or_else(|| usage(format!("--output {spec}: cannot tell the format from the extension; write FORMAT=FILE (human, json, markdown, sarif)")))?,
                    spec.as_str(),
                ),
            };
            Ok((format, PathBuf::from(path)))
        })
        .collect()
}

fn validate(path: &Path) -> Result<u8, Exit> {
    let (root, rel) = split_for_reading(path)?;
    let read = |p: &str| match std::fs::read(root.join(p)) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.to_string()),
    };
    let loaded = policy::load(&read, &rel)?;
    let gates: Vec<&str> = loaded.gates.iter().map(|g| g.id()).collect();
    let extends = if loaded.files.len() > 1 {
        format!(" (extends {})", loaded.files[1..].iter().map(|f| f.0.as_str()).collect::<Vec<_>>().join(", "))
    } else {
        String::new()
    };
    println!(
        "{}: ok{extends} · gates: {} · {} waiver(s) · {}",
        path.display(),
        if gates.is_empty() { "none".into() } else { gates.join(", ") },
        loaded.waivers.len(),
        loaded.digest
    );
    Ok(0)
}

/// The directory policy paths are confined to (the git top level, else the file's directory)
/// and the file's path relative to it.
fn split_for_reading(path: &Path) -> Result<(PathBuf, String), Exit> {
    let abs = std::fs::canonicalize(path).map_err(|e| usage(format!("{}: {e}", path.display())))?;
    let dir = abs.parent().unwrap_or(Path::new("/")).to_path_buf();
    let root = Repo::open(&dir).map(|r| r.root().to_path_buf()).unwrap_or(dir);
    let rel = abs.strip_prefix(&root).map_err(|_| usage("policy outside its repository"))?;
    Ok((root, rel.to_string_lossy().replace('\\', "/")))
}

fn init(dir: &Path, to_stdout: bool) -> Result<u8, Exit> {
    let root = Repo::open(dir).map(|r| r.root().to_path_buf()).unwrap_or_else(|_| dir.to_path_buf());
    let found = gatehouse::init::detect(&root);
    let text = gatehouse::init::starter_policy(&found);
    if to_stdout {
        print!("{text}");
        return Ok(0);
    }
    let target = root.join("gates.toml");
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(&target) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(usage(format!(
                "{} already exists; not overwriting it (use --stdout to see the starter policy)",
                target.display()
            ))
            .into());
        }
        Err(e) => return Err(anyhow!("creating {}: {e}", target.display()).into()),
    };
    file.write_all(text.as_bytes()).with_context(|| format!("writing {}", target.display()))?;
    let names: Vec<&str> = found.iter().map(|e| e.name()).collect();
    eprintln!(
        "wrote {} for {}. Next: `gatehouse validate`, then commit it to your default branch.",
        target.display(),
        if names.is_empty() { "a repository with no recognised layout".into() } else { names.join(", ") }
    );
    Ok(0)
}

fn explain(rule: &str, policy_path: &Path) -> Result<u8, Exit> {
    let mut rules = gatehouse::gates::catalogue();
    // Pattern rules live in the policy; include them when a policy is at hand.
    if let Ok((root, rel)) = split_for_reading(policy_path) {
        let read = |p: &str| std::fs::read(root.join(p)).map(Some).map_err(|e| e.to_string());
        if let Ok(loaded) = policy::load(&read, &rel) {
            for g in &loaded.gates {
                rules.extend(g.rules().iter().cloned());
            }
        }
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    rules.dedup_by(|a, b| a.id == b.id);
    if rule == "all" {
        for r in &rules {
            println!("{:<40} {:<8} {}", r.id, r.severity.as_str(), r.summary);
        }
        return Ok(0);
    }
    let Some(r) = rules.iter().find(|r| r.id == rule) else {
        let hint = gatehouse::core::error::closest(rule, rules.iter().map(|r| r.id.as_str()));
        let hint = hint.map(|h| format!("; did you mean `{h}`?")).unwrap_or_default();
        return Err(usage(format!("unknown rule `{rule}`{hint} (`gatehouse explain all` lists them)")).into());
    };
    println!("{} ({})\n", r.id, r.severity.as_str());
    println!("What it checks:\n  {}\n", r.summary);
    println!("Why:\n  {}\n", r.why);
    println!("How to fix:\n  {}\n", r.fix);
    if !r.example.is_empty() {
        println!("Example:\n{}\n", r.example.lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n"));
    }
    println!("How to waive it when it is intended:");
    println!("  on or above the line:  gatehouse: allow({}) <reason>", r.id);
    println!("  or in gates.toml on the base branch:");
    println!(
        "    [[waivers]]\n    rule = \"{}\"\n    path = \"<glob>\"          # optional\n    reason = \"<why this is acceptable>\"\n    expires = \"YYYY-MM-DD\"    # optional",
        r.id
    );
    Ok(0)
}
