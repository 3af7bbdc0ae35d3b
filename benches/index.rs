//! Resolving one chart in a large repository index: helmsync's streaming reader against
//! Helm's `repo.LoadIndexFile` + `IndexFile.Get` (tools/indexbench, Helm v4.3.1).
//!
//! Generates an index of about 25 MB (18,000 entries shaped like a big public
//! repository's), then runs each side in a child process of its own so that the peak
//! resident memory (VmHWM) measured is that of one resolution. helmsync is measured reading
//! the stored index from a file and from bytes already in memory (as right after a fetch),
//! plus a child that does nothing, for the process's own baseline.
//!
//!   cargo bench --bench index        or        tools/bench-index
//!
//! `-- --write-index PATH` only writes the index, for tools/bench-controller.
use std::fmt::Write as _;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use helmsync::source::index::{IndexLimits, find_chart_version};

const CHARTS: usize = 600;
const VERSIONS: usize = 30;
const RUNS: usize = 3;
const CHART: &str = "chart-0299";
const CONSTRAINT: &str = "^1.0.0";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("--measure") => {
            measure(&args[2], Path::new(&args[3]));
            return;
        }
        Some("--write-index") => {
            std::fs::write(&args[2], generate_index()).expect("write index");
            return;
        }
        _ => {}
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let index = dir.path().join("index.yaml");
    let text = generate_index();
    std::fs::write(&index, &text).expect("write index");
    println!(
        "index: {:.1} MB, {} charts x {} versions = {} entries; resolving {CHART} {CONSTRAINT:?}",
        text.len() as f64 / 1e6,
        CHARTS,
        VERSIONS,
        CHARTS * VERSIONS
    );
    let me = std::env::current_exe().expect("current executable");
    let baseline = best(|| {
        Command::new(&me)
            .args(["--measure", "noop"])
            .arg(&index)
            .output()
    });
    let file = best(|| {
        Command::new(&me)
            .args(["--measure", "file"])
            .arg(&index)
            .output()
    });
    let bytes = best(|| {
        Command::new(&me)
            .args(["--measure", "bytes"])
            .arg(&index)
            .output()
    });
    let go = indexbench();
    let helm = best(|| {
        Command::new(&go)
            .arg(&index)
            .args([CHART, CONSTRAINT])
            .output()
    });
    assert_eq!(
        file.version, helm.version,
        "helmsync and Helm resolved differently"
    );
    assert_eq!(
        bytes.version, helm.version,
        "helmsync and Helm resolved differently"
    );

    println!("resolved version: {}", helm.version);
    println!("{:<34} {:>10} {:>14}", "", "time", "peak RSS");
    for (name, m) in [
        ("helmsync, process baseline", &baseline),
        ("helmsync, streaming from file", &file),
        ("helmsync, streaming from memory", &bytes),
        ("helm LoadIndexFile + Get", &helm),
    ] {
        println!(
            "{name:<34} {:>8.1}ms {:>11.1} MiB",
            m.seconds * 1e3,
            m.vmhwm_kib as f64 / 1024.0
        );
    }
    println!(
        "helmsync (file) is {:.1}x faster than helm and peaks at {:.1}x less memory ({:.1}x over the process baseline)",
        helm.seconds / file.seconds,
        helm.vmhwm_kib as f64 / file.vmhwm_kib as f64,
        helm.vmhwm_kib.saturating_sub(baseline.vmhwm_kib) as f64
            / file.vmhwm_kib.saturating_sub(baseline.vmhwm_kib).max(1) as f64
    );
    println!(
        "helmsync (memory) is {:.1}x faster than helm and peaks at {:.1}x less memory",
        helm.seconds / bytes.seconds,
        helm.vmhwm_kib as f64 / bytes.vmhwm_kib as f64
    );
}

/// One resolution in this process, printed as tools/indexbench prints it.
fn measure(mode: &str, index: &Path) {
    let limits = IndexLimits::default();
    let start = Instant::now();
    let version = match mode {
        "noop" => String::from("-"),
        "file" => {
            let file = std::fs::File::open(index).expect("open index");
            let reader = BufReader::with_capacity(64 * 1024, file);
            find_chart_version(reader, CHART, CONSTRAINT, &limits)
                .expect("resolve")
                .version
        }
        "bytes" => {
            let bytes = std::fs::read(index).expect("read index");
            find_chart_version(bytes.as_slice(), CHART, CONSTRAINT, &limits)
                .expect("resolve")
                .version
        }
        other => panic!("unknown mode {other}"),
    };
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "version={version} seconds={seconds:.6} vmhwm_kib={}",
        peak_rss_kib()
    );
}

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

struct Measurement {
    version: String,
    seconds: f64,
    vmhwm_kib: u64,
}

/// The fastest of RUNS runs, with the highest peak memory seen.
fn best(run: impl Fn() -> std::io::Result<std::process::Output>) -> Measurement {
    let mut runs: Vec<Measurement> = (0..RUNS)
        .map(|_| {
            let out = run().expect("start measurement");
            assert!(
                out.status.success(),
                "measurement failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            parse(&String::from_utf8_lossy(&out.stdout))
        })
        .collect();
    let vmhwm_kib = runs.iter().map(|m| m.vmhwm_kib).max().unwrap_or(0);
    runs.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    let mut fastest = runs.swap_remove(0);
    fastest.vmhwm_kib = vmhwm_kib;
    fastest
}

fn parse(line: &str) -> Measurement {
    let field = |name: &str| {
        line.split_whitespace()
            .find_map(|f| f.strip_prefix(name))
            .unwrap_or_else(|| panic!("no {name} in {line:?}"))
            .to_owned()
    };
    Measurement {
        version: field("version="),
        seconds: field("seconds=").parse().expect("seconds"),
        vmhwm_kib: field("vmhwm_kib=").parse().expect("vmhwm_kib"),
    }
}

/// tools/indexbench as `tools/build checkers` caches it.
fn indexbench() -> PathBuf {
    let tools = std::env::var_os("HELMSYNC_TOOLS")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/helmsync-tools"))
        })
        .expect("HOME or HELMSYNC_TOOLS");
    let path = tools.join("bin/indexbench");
    assert!(
        path.is_file(),
        "{} is missing; run: tools/build checkers",
        path.display()
    );
    path
}

/// An index as `helm repo index` writes it, entries shaped like a large public
/// repository's (annotations, dependencies, maintainers, keywords), about 2 KB each.
fn generate_index() -> String {
    let mut out = String::with_capacity(CHARTS * VERSIONS * 2200);
    out.push_str("apiVersion: v1\nentries:\n");
    for c in 0..CHARTS {
        let name = format!("chart-{c:04}");
        let _ = writeln!(out, "  {name}:");
        for v in (0..VERSIONS).rev() {
            let version = format!("{}.{}.{}", v / 10, v % 10, c % 7);
            let _ = write!(
                out,
                r#"  - annotations:
      category: Infrastructure
      images: |
        - name: {name}
          image: registry.example.com/library/{name}:{version}-debian-12-r{v}
        - name: os-shell
          image: registry.example.com/library/os-shell:12-debian-12-r{v}
      licenses: Apache-2.0
    apiVersion: v2
    appVersion: {v}.{c}.0
    created: "2026-{month:02}-{day:02}T10:{v:02}:00.{c:06}Z"
    dependencies:
    - name: common
      repository: oci://registry.example.com/charts
      tags:
      - library-common
      version: 2.x.x
    - condition: redis.enabled
      name: redis
      repository: oci://registry.example.com/charts
      version: 19.x.x
    description: {name} is a chart used to measure how fast an index of a large public repository is read; this sentence pads the entry to a realistic size.
    digest: {digest:064x}
    home: https://charts.example.com/{name}
    icon: https://charts.example.com/{name}/icon.svg
    keywords:
    - {name}
    - database
    - cache
    - http
    - web
    maintainers:
    - name: Example Maintainers
      url: https://github.com/example/charts
    name: {name}
    sources:
    - https://github.com/example/charts/tree/main/{name}
    - https://github.com/example/containers/tree/main/{name}
    urls:
    - https://charts.example.com/{name}-{version}.tgz
    version: {version}
"#,
                month = 1 + v % 12,
                day = 1 + c % 28,
                digest = (c * VERSIONS + v) as u128 * 0x9e37_79b9_7f4a_7c15,
            );
        }
    }
    out.push_str("generated: \"2026-11-23T00:00:00Z\"\n");
    out
}
