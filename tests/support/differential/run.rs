//! Runs a renderer on one case with a deadline, so that a hung process fails its case
//! instead of the whole suite.
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longer than `helm template` needs for the largest chart, many times over.
pub const RENDER_TIMEOUT: Duration = Duration::from_secs(120);

/// What one render printed and whether it succeeded.
pub struct Rendered {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cmd` to completion or until `timeout`, when it is killed and reported as failed.
pub fn run(cmd: &mut Command, timeout: Duration) -> Result<Rendered, String> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child
            .try_wait()
            .map_err(|e| format!("waiting for {cmd:?}: {e}"))?
        {
            Some(status) => break Some(status),
            None if Instant::now() > deadline => {
                // The process may have exited in between; either way it is gone after this.
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => std::thread::sleep(Duration::from_millis(10)),
        }
    };
    let stdout = stdout.join().unwrap_or_default();
    let mut stderr = stderr.join().unwrap_or_default();
    if status.is_none() {
        stderr.push_str(&format!("\nError: killed after {timeout:?}"));
    }
    Ok(Rendered {
        success: status.is_some_and(|s| s.success()),
        stdout,
        stderr,
    })
}

/// Reads a pipe to its end on a thread, so a full pipe never blocks the child.
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}
