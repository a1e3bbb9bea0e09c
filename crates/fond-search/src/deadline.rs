//! A collector wrapper that stops collecting at a deadline.
//!
//! tantivy has no query timeout of its own. Every query this crate builds
//! is bounded in its parts (prefix expansions, fuzzy distance, number of
//! terms), but a broad query over a million documents still visits many of
//! them: this wrapper drives the scorer itself and checks the clock every
//! few thousand documents, so a search returns what it has at the
//! deadline, marked as partial, instead of running on.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::Weight;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, TERMINATED};

/// Documents scored between two looks at the clock.
const CHECK_EVERY: u32 = 4096;

pub struct Deadline<C> {
    inner: C,
    at: Instant,
    expired: AtomicBool,
}

impl<C> Deadline<C> {
    pub fn new(inner: C, at: Instant) -> Deadline<C> {
        Deadline {
            inner,
            at,
            expired: AtomicBool::new(false),
        }
    }

    /// Whether collection stopped early.
    pub fn expired(&self) -> bool {
        self.expired.load(Ordering::Relaxed)
    }

    fn check(&self) -> bool {
        if Instant::now() >= self.at {
            self.expired.store(true, Ordering::Relaxed);
            true
        } else {
            false
        }
    }
}

impl<C: Collector> Collector for Deadline<C> {
    type Fruit = C::Fruit;
    type Child = C::Child;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        self.inner.for_segment(ord, segment)
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<<Self::Child as SegmentCollector>::Fruit>,
    ) -> tantivy::Result<Self::Fruit> {
        self.inner.merge_fruits(fruits)
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<<Self::Child as SegmentCollector>::Fruit> {
        let mut child = self.inner.for_segment(ord, reader)?;
        if self.expired() || self.check() {
            return Ok(child.harvest());
        }
        let scoring = self.requires_scoring();
        let mut scorer = weight.scorer(reader, 1.0)?;
        let alive = reader.alive_bitset();
        let mut doc: DocId = scorer.doc();
        let mut seen = 0u32;
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                let score: Score = if scoring { scorer.score() } else { 0.0 };
                child.collect(doc, score);
            }
            seen += 1;
            if seen.is_multiple_of(CHECK_EVERY) && self.check() {
                break;
            }
            doc = scorer.advance();
        }
        Ok(child.harvest())
    }
}
