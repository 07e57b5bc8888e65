//! Gatehouse: evaluates a change against a versioned gate policy and reports an honest verdict.
//!
//! Layers, one way down (a module names only the layers below it; `gates.toml` at the
//! repository root enforces this with Gatehouse's own architecture gate):
//!
//! ```text
//! core                      findings, rules, settings, errors, tables, outcomes
//!  ↑ inputs                 text, lang, repo, diff, forge, policy, gate (Context, Gate), commits, rules
//!  ↑ gates                  one module per family; the registry and the typed policy
//!  ↑ engine                 runs gates, scope, suppressions, waivers, verdict, decision record
//!  ↑ report, github         render and publish
//!  ↑ init, main.rs          the command line
//! ```
//!
//! The flow: [`gates::load`] → [`diff`] → [`engine::run`] → [`report`].

// Policy errors carry position and snippet; they are built once per mistake, so their size is
// irrelevant next to the clarity of returning them by value.
#![allow(clippy::result_large_err)]

pub mod commits;
pub mod core;
pub mod diff;
pub mod engine;
pub mod forge;
pub mod gate;
pub mod gates;
pub mod github;
pub mod init;
pub mod lang;
pub mod policy;
pub mod repo;
pub mod report;
pub mod rules;
pub mod text;
