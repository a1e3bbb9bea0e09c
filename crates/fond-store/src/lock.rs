//! One writer at a time: the archive's write lock.
//!
//! Every command that writes the archive (ingest, remove, the linking stage,
//! the search index) holds an exclusive OS file lock on
//! `ARCHIVE/`[`LOCK_FILE`] from before it reads the state it derives from
//! until its last write. SQLite's own locks only cover one transaction; an
//! ingest is several (edition, links) plus the index beside the database,
//! and two ingests that each read the stored sources and then wrote would
//! lose one of them. The OS releases the lock when the process dies (even
//! under `kill -9`), so a crash never leaves the archive locked.
//!
//! Readers never take it: they read SQLite snapshots and the index that is
//! swapped into place whole, so they neither block a writer nor see half of
//! its work.

use crate::StoreError;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// The lock file inside an archive directory. Its content is irrelevant
/// (empty); only the OS lock on it counts, so a leftover file means nothing.
pub const LOCK_FILE: &str = "fond.lock";

/// What to do when another process holds the lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Wait for it (after calling the `on_wait` callback once).
    Block,
    /// Fail at once with [`StoreError::Busy`].
    NoWait,
}

/// The held write lock; released on drop (or when the process ends).
#[derive(Debug)]
pub struct WriteLock {
    // Held for its OS lock only; closing the file releases it.
    _file: File,
    path: PathBuf,
}

impl WriteLock {
    /// Takes the write lock of the archive in `dir`, creating the directory
    /// and the lock file if needed. When another process holds it,
    /// `on_wait` is called once (to tell the user why nothing happens) and
    /// the call blocks until the lock is free, or fails with
    /// [`StoreError::Busy`] under [`Wait::NoWait`].
    pub fn acquire(
        dir: &Path,
        wait: Wait,
        on_wait: impl FnOnce(),
    ) -> Result<WriteLock, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|source| StoreError::LockFile {
                path: path.clone(),
                source,
            })?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => match wait {
                Wait::NoWait => return Err(StoreError::Busy { path }),
                Wait::Block => {
                    on_wait();
                    file.lock().map_err(|source| StoreError::LockFile {
                        path: path.clone(),
                        source,
                    })?;
                }
            },
            Err(TryLockError::Error(source)) => {
                return Err(StoreError::LockFile { path, source });
            }
        }
        Ok(WriteLock { _file: file, path })
    }

    /// Takes the lock only if it is free at once: `None` when another
    /// process is writing (the caller carries on without writing).
    pub fn try_acquire(dir: &Path) -> Result<Option<WriteLock>, StoreError> {
        match WriteLock::acquire(dir, Wait::NoWait, || {}) {
            Ok(l) => Ok(Some(l)),
            Err(StoreError::Busy { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Waits until no fond is writing the archive in `dir` (returns at once
    /// when none is), calling `on_wait` once if it has to wait. Takes the
    /// lock shared and lets it go at once: a reader that needs the derived
    /// stages whole waits for the writer to finish them, and holds up no
    /// writer while it reads. `Ok(false)` when there is no lock file (no
    /// fond ever wrote here).
    pub fn wait_for_writers(dir: &Path, on_wait: impl FnOnce()) -> Result<bool, StoreError> {
        let path = dir.join(LOCK_FILE);
        let file = match OpenOptions::new().read(true).open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(source) => return Err(StoreError::LockFile { path, source }),
        };
        match file.try_lock_shared() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                on_wait();
                file.lock_shared().map_err(|source| StoreError::LockFile {
                    path: path.clone(),
                    source,
                })?;
            }
            Err(TryLockError::Error(source)) => return Err(StoreError::LockFile { path, source }),
        }
        // Dropping the file releases the shared lock.
        Ok(true)
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_or_is_refused() {
        let tmp = tempfile::tempdir().expect("tmp");
        let first = WriteLock::acquire(tmp.path(), Wait::NoWait, || {}).expect("first");
        // The OS lock is per open file description, so a second open in
        // this process contends like another process would.
        let refused = WriteLock::acquire(tmp.path(), Wait::NoWait, || {});
        assert!(
            matches!(refused, Err(StoreError::Busy { .. })),
            "{refused:?}"
        );
        assert!(WriteLock::try_acquire(tmp.path()).expect("try").is_none());
        let dir = tmp.path().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = std::thread::spawn(move || {
            let mut told = false;
            let l = WriteLock::acquire(&dir, Wait::Block, || told = true);
            let _ = tx.send(());
            (l.is_ok(), told)
        });
        // The waiter cannot finish while the first lock is held.
        assert!(rx
            .recv_timeout(std::time::Duration::from_millis(200))
            .is_err());
        drop(first);
        let (ok, told) = waiter.join().expect("join");
        assert!(ok && told, "the waiter was told, then got the lock");
        // A reader waits for a writer without taking its place.
        assert!(WriteLock::wait_for_writers(tmp.path(), || panic!("no writer now")).expect("free"));
        let writer = WriteLock::acquire(tmp.path(), Wait::NoWait, || {}).expect("writer");
        let dir = tmp.path().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut told = false;
            let r = WriteLock::wait_for_writers(&dir, || told = true);
            let _ = tx.send(());
            (r.is_ok(), told)
        });
        assert!(rx
            .recv_timeout(std::time::Duration::from_millis(200))
            .is_err());
        drop(writer);
        assert_eq!(reader.join().expect("join"), (true, true));
        let msg = StoreError::Busy {
            path: tmp.path().join(LOCK_FILE),
        }
        .to_string();
        assert!(msg.contains("another fond is writing"), "{msg}");
    }
}
