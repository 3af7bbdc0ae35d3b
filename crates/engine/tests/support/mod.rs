//! Shared by the engine's corpus tests: the `.case` file format, the Go oracle client, the
//! list of known differences and readable diffs.
pub mod case_file;
pub mod diff;
pub mod known_differences;
pub mod oracle;

use std::path::{Path, PathBuf};

/// The repository root: the engine crate lives in crates/engine.
pub fn repo_dir() -> PathBuf {
    let engine = Path::new(env!("CARGO_MANIFEST_DIR"));
    engine.ancestors().nth(2).unwrap_or(engine).to_path_buf()
}
