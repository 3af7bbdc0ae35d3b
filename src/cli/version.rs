//! `helmsync version`: the release version and the commit it was built from.

pub const VERSION: &str = env!("CARGO_PKG_VERSION");
pub const GIT_COMMIT: &str = env!("HELMSYNC_GIT_COMMIT");

pub fn print() {
    println!("helmsync {VERSION} (commit {GIT_COMMIT})");
}
