//! The integration tests, as one binary (it links once): each module drives the `gatehouse`
//! binary on real git repositories built in temp dirs, or the library against a local HTTP
//! server speaking GitHub's REST shapes.

#[path = "../common/mod.rs"]
mod common;
#[path = "../fake_github/mod.rs"]
mod fake_github;

mod ai;
mod architecture;
mod check;
mod cli;
mod contract;
mod contract_corpus;
mod diff_corpus;
mod github;
mod graphql;
mod hygiene;
mod layers;
mod observability;
mod performance;
mod properties;
mod rules;
mod security;
mod testability;
