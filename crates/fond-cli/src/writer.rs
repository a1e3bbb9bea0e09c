//! Writing the archive: the write lock, and keeping the derived stages
//! (links, search index) in agreement with the edition.
//!
//! Every write holds the archive's OS lock ([`fond_store::WriteLock`]) from
//! before it reads the state it derives from to its last write, so two
//! `fond` processes never interleave their writes; a second writer waits,
//! saying so, or fails with `--no-wait`. Readers take no lock.
//!
//! Links and the index are derived and stamped. They are brought up to date
//! after every ingest and, should a crash have come between the edition and
//! them, by the next command that opens the archive
//! ([`open_for_reading`]). A failure of a derived stage never fails the
//! archive: it is reported, and the previous links and index stay in use.

use anyhow::Result;
use fond_store::{Archive, Wait, WriteLock};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// `--no-wait`: fail rather than wait for another writer.
static NO_WAIT: AtomicBool = AtomicBool::new(false);

pub fn set_no_wait(no_wait: bool) {
    NO_WAIT.store(no_wait, Ordering::Relaxed);
}

/// Takes the archive's write lock, waiting (with a message) unless
/// `--no-wait` was given.
pub fn lock(archive_dir: &Path) -> Result<WriteLock> {
    let wait = if NO_WAIT.load(Ordering::Relaxed) {
        Wait::NoWait
    } else {
        Wait::Block
    };
    Ok(WriteLock::acquire(archive_dir, wait, || {
        eprintln!(
            "fond: waiting for the archive: another fond is writing {}",
            crate::render::clean(&archive_dir.display().to_string())
        );
    })?)
}

/// What the derived stages did.
#[derive(Debug, Default)]
pub struct Derived {
    /// Authority records and mentions written (absent when current).
    pub linked: Option<(usize, usize)>,
    /// The search index, when it had to be rebuilt.
    pub indexed: Option<crate::search::IndexReport>,
    /// What went wrong, one message each; the previous links or index
    /// stay in use.
    pub problems: Vec<String>,
}

/// Brings links and index into agreement with the edition. The caller
/// holds the write lock. Never fails: a stage that fails leaves its
/// previous output and says why; the index is not rebuilt over links that
/// could not be made.
pub fn derive(archive_dir: &Path, archive: &mut Archive) -> Derived {
    let mut d = Derived::default();
    match crate::people::link_archive(archive) {
        Ok((linked, notes)) => {
            d.linked = linked;
            d.problems.extend(notes);
        }
        Err(e) => {
            d.problems.push(format!(
                "linking failed, the previous links stay in use: {e:#}"
            ));
            return d;
        }
    }
    match crate::search::ensure_index(archive_dir, archive) {
        Ok(r) => d.indexed = r,
        Err(e) => d.problems.push(format!(
            "the search index could not be rebuilt, the previous one stays in use: {e:#}"
        )),
    }
    d
}

/// Whether links or index lag behind the edition (a crash between the
/// edition's transaction and them, or an older engine).
fn stale(archive_dir: &Path, archive: &Archive) -> bool {
    !crate::people::links_current(archive).unwrap_or(false)
        || !crate::search::index_current(archive_dir, archive)
        || fond_search::SearchIndex::has_leftovers(&crate::search::index_dir(archive_dir))
}

/// Opens an existing archive for a reading command, first repairing what
/// a crash left behind: when links or index are stale and no other fond is
/// writing, they are rebuilt under the lock. When another fond is writing,
/// it will bring them up to date itself: the reader goes on with what is
/// there, except that when the links lag behind the edition (the writer is
/// between the two) it waits for the writer to finish, so that no command
/// sees an edition without its people. Problems are printed, never fatal.
pub fn open_for_reading(archive_dir: &Path) -> Result<Archive> {
    open_after(archive_dir, true)
}

/// [`open_for_reading`]; `may_wait`: whether it may still wait for a
/// writer (once: a writer killed between edition and links leaves the
/// repair to this reader).
fn open_after(archive_dir: &Path, may_wait: bool) -> Result<Archive> {
    let archive = Archive::open_existing(archive_dir)?;
    if !stale(archive_dir, &archive) {
        return Ok(archive);
    }
    drop(archive);
    match WriteLock::try_acquire(archive_dir) {
        Ok(Some(_lock)) => {
            let mut archive = Archive::open_existing(archive_dir)?;
            let mut d = derive(archive_dir, &mut archive);
            // A kill after the swap, before the old index was deleted.
            if let Err(e) =
                fond_search::SearchIndex::clear_leftovers(&crate::search::index_dir(archive_dir))
            {
                d.problems.push(format!(
                    "an interrupted index build could not be cleared: {e}"
                ));
            }
            for p in &d.problems {
                eprintln!("fond: {}", crate::render::clean(p));
            }
            Ok(archive)
        }
        Ok(None) => {
            // Another fond is writing. Between its edition and its links
            // the people would be missing: a command that reads them
            // waits for the writer to finish, rather than see that.
            let archive = Archive::open_existing(archive_dir)?;
            if !may_wait || crate::people::links_current(&archive).unwrap_or(true) {
                return Ok(archive);
            }
            drop(archive);
            WriteLock::wait_for_writers(archive_dir, || {
                eprintln!(
                    "fond: waiting for the archive: another fond is writing {}",
                    crate::render::clean(&archive_dir.display().to_string())
                );
            })?;
            open_after(archive_dir, false)
        }
        Err(e) => {
            eprintln!(
                "fond: links or search index are out of date and cannot be rebuilt now: {}",
                crate::render::clean(&e.to_string())
            );
            Ok(Archive::open_existing(archive_dir)?)
        }
    }
}
