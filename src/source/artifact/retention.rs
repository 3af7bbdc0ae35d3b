//! Which of an object's stored files garbage collection deletes: Flux's storage rule
//! (`getGarbageFiles` in source-controller's storage package), kept step for step so the
//! same files survive as under source-controller.
use std::time::{Duration, SystemTime};

/// At most this many files of one object are looked at per collection (Flux's
/// `GarbageCountLimit`); the rest wait for the next one.
pub const GARBAGE_COUNT_LIMIT: usize = 1000;

/// `--artifact-retention-ttl` and `--artifact-retention-records`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    /// Files older than this are deleted whatever their number.
    pub ttl: Duration,
    /// How many files to keep at most, the current artifact included.
    pub records: usize,
}

impl Default for Retention {
    /// Flux's defaults: one minute, two records.
    fn default() -> Retention {
        Retention {
            ttl: Duration::from_secs(60),
            records: 2,
        }
    }
}

/// One file of an object's storage directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFile {
    pub name: String,
    pub modified: SystemTime,
}

/// The files to delete, never `current`:
/// 1. every file older than the TTL;
/// 2. if at least `records` files would remain, the oldest of the others until
///    `records` remain — counted as Flux counts them: once step 1 found something, each
///    deletion in this step counts twice, so a few more files can survive than `records`.
///
/// Lock files (`.lock`) are not artifacts and are ignored, as in Flux.
pub fn garbage_files(
    mut files: Vec<StoredFile>,
    current: &str,
    retention: Retention,
    now: SystemTime,
) -> Vec<String> {
    files.retain(|f| !f.name.ends_with(".lock"));
    // Go walks a directory in lexical order and stops at the limit.
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files.truncate(GARBAGE_COUNT_LIMIT);
    let expired = |f: &StoredFile| {
        now.duration_since(f.modified)
            .is_ok_and(|age| age > retention.ttl)
    };
    let mut garbage: Vec<String> = files
        .iter()
        .filter(|f| f.name != current && expired(f))
        .map(|f| f.name.clone())
        .collect();
    let total = files.len() as i64;
    let records = retention.records as i64;
    if total - (garbage.len() as i64) < records {
        return garbage;
    }
    // Oldest first; names break ties so the order does not depend on the directory.
    files.sort_by(|a, b| {
        a.modified
            .cmp(&b.modified)
            .then_with(|| a.name.cmp(&b.name))
    });
    let expired_count = garbage.len();
    let mut collected: i64 = 0;
    for file in &files {
        if file.name == current || garbage.contains(&file.name) {
            continue;
        }
        let remaining = if expired_count > 0 {
            total - collected - garbage.len() as i64
        } else {
            total - collected
        };
        if remaining > records {
            garbage.push(file.name.clone());
            collected += 1;
        }
    }
    garbage
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files `artifact1.tgz`..`artifactN.tgz` written one `pause` apart, with a pause after
    /// the last, as Flux's test writes them.
    fn written(count: u64, pause: Duration, now: SystemTime) -> Vec<StoredFile> {
        (1..=count)
            .map(|i| StoredFile {
                name: format!("artifact{i}.tgz"),
                modified: now - pause * u32::try_from(count - i + 1).unwrap_or(0),
            })
            .collect()
    }

    fn collect(count: u64, pause: Duration, ttl: Duration, records: usize) -> Vec<String> {
        let now = SystemTime::now();
        let mut garbage = garbage_files(
            written(count, pause, now),
            &format!("artifact{count}.tgz"),
            Retention { ttl, records },
            now,
        );
        garbage.sort();
        garbage
    }

    // The cases of Flux's own TestStorage_getGarbageFiles.
    #[test]
    fn beyond_the_record_count_the_oldest_go_even_when_young() {
        let garbage = collect(5, Duration::from_millis(10), Duration::from_secs(120), 2);
        assert_eq!(garbage, ["artifact1.tgz", "artifact2.tgz", "artifact3.tgz"]);
    }

    #[test]
    fn files_older_than_the_ttl_go_even_below_the_record_count() {
        let ttl = Duration::from_millis(3500);
        let garbage = collect(5, Duration::from_secs(1), ttl, 4);
        assert_eq!(garbage, ["artifact1.tgz", "artifact2.tgz"]);
        let garbage = collect(5, Duration::from_secs(1), ttl, 10);
        assert_eq!(garbage, ["artifact1.tgz", "artifact2.tgz"]);
    }

    #[test]
    fn ttl_and_record_count_together() {
        let ttl = Duration::from_millis(5500);
        let garbage = collect(6, Duration::from_secs(1), ttl, 4);
        assert_eq!(garbage, ["artifact1.tgz", "artifact2.tgz"]);
    }

    #[test]
    fn after_expired_files_each_further_deletion_counts_twice_as_in_flux() {
        // Ten files a second apart, TTL 8.5 s: artifact1 and 2 are expired. Flux then
        // deletes while `10 - 2 - 2*collected > 2`, i.e. three more, leaving five, not two.
        let garbage = collect(10, Duration::from_secs(1), Duration::from_millis(8500), 2);
        assert_eq!(garbage.len(), 5, "{garbage:?}");
        assert!(garbage.contains(&"artifact5.tgz".to_owned()), "{garbage:?}");
        assert!(
            !garbage.contains(&"artifact6.tgz".to_owned()),
            "{garbage:?}"
        );
    }

    #[test]
    fn the_current_file_is_never_collected_and_lock_files_are_ignored() {
        let now = SystemTime::now();
        let old = now - Duration::from_secs(3600);
        let files = vec![
            StoredFile {
                name: "current.tgz".to_owned(),
                modified: old,
            },
            StoredFile {
                name: "current.tgz.lock".to_owned(),
                modified: old,
            },
        ];
        let garbage = garbage_files(files, "current.tgz", Retention::default(), now);
        assert!(garbage.is_empty(), "{garbage:?}");
    }

    #[test]
    fn files_from_the_future_are_young() {
        let now = SystemTime::now();
        let files = vec![StoredFile {
            name: "skewed.tgz".to_owned(),
            modified: now + Duration::from_secs(3600),
        }];
        assert!(garbage_files(files, "current.tgz", Retention::default(), now).is_empty());
    }
}
