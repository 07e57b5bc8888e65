//! The `gates.toml` policy, generic part: reading the file and the files it `extends`, checking
//! each top-level section on its own (so every broken section is reported at once), merging,
//! placing errors at `file:line:col`, and the waiver model. The typed model with every family's
//! table lives with the families (`gates::policy`), which this layer never names.

mod load;
mod waiver;

pub use load::{PolicyReader, Sources, digest, in_order, one, place, read_sources};
pub use waiver::{CompiledWaiver, DateInput, Waiver, compile_waivers};
