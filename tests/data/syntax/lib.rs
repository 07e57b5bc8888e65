//! Crate docs: use crate::not::an::import;
use std::collections::HashMap;
use crate::a::{b, c::{d, self}, e as f};
pub use super::g::*;
mod child;
extern crate serde;

#[must_use]
#[tracing::instrument(skip(self))]
pub fn classify(x: Option<i32>) -> i32 {
    let y = x?;
    match y {
        1 => 1,
        2 if y > 0 && y < 3 => 2,
        _ => 3,
    }
}

impl Thing {
    fn method(&self) -> i32 {
        tracing::info!(user = %self.name, "logged in {token}", token.len());
        let f = |a: i32| if a > 0 { 1 } else { 0 };
        crate::util::helper(f(1))
    }
}

#[get("/users/{id}")]
async fn user(id: u32) -> String {
    format!("{id}")
}

mod tests {
    use super::*;
}
