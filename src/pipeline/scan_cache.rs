//! Verdicts remembered per chunk text: a chunk is retrieved many times and
//! its verdict depends only on its text and the scanner, so each distinct
//! text is scanned once per scanner.
//!
//! Keyed by the BLAKE3 hash of the text. Bounded with two generations: new
//! verdicts go into the young map; when it is full it becomes the old one
//! (the previous old one is dropped), and a hit in the old map is moved
//! back to the young. A reloaded scanner empties the cache (the cache holds
//! the scanner it was filled by, so an address cannot be reused under it).

use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;

use crate::scan::{Scanner, Verdict};

/// Texts remembered per generation; two generations at most.
const GENERATION: usize = 8192;

struct Generations {
    scanner: Option<Arc<Scanner>>,
    young: HashMap<[u8; 32], Arc<Verdict>>,
    old: HashMap<[u8; 32], Arc<Verdict>>,
}

pub struct ScanCache {
    inner: Mutex<Generations>,
}

impl Default for ScanCache {
    fn default() -> Self {
        ScanCache {
            inner: Mutex::new(Generations {
                scanner: None,
                young: HashMap::new(),
                old: HashMap::new(),
            }),
        }
    }
}

impl ScanCache {
    /// The verdict of `scanner` on `text`, scanned at most once.
    pub fn verdict(&self, scanner: &Arc<Scanner>, text: &str) -> Arc<Verdict> {
        let key = *blake3::hash(text.as_bytes()).as_bytes();
        {
            let mut g = self.inner.lock();
            if !g.scanner.as_ref().is_some_and(|s| Arc::ptr_eq(s, scanner)) {
                g.scanner = Some(scanner.clone());
                g.young.clear();
                g.old.clear();
            }
            if let Some(v) = g.young.get(&key) {
                return v.clone();
            }
            if let Some(v) = g.old.remove(&key) {
                g.young.insert(key, v.clone());
                return v;
            }
        }
        // Scanned outside the lock: other requests are not held up.
        let verdict = Arc::new(scanner.scan(text));
        let mut g = self.inner.lock();
        if g.scanner.as_ref().is_some_and(|s| Arc::ptr_eq(s, scanner)) {
            if g.young.len() >= GENERATION {
                g.old = std::mem::take(&mut g.young);
            }
            g.young.insert(key, verdict.clone());
        }
        verdict
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_per_scanner_and_stays_bounded() {
        let scanner = Arc::new(Scanner::new(&[], None).unwrap());
        let cache = ScanCache::default();
        let a = cache.verdict(&scanner, "hello");
        assert!(Arc::ptr_eq(&a, &cache.verdict(&scanner, "hello")));
        // Another scanner (a reload) starts afresh.
        let other = Arc::new(Scanner::new(&[], None).unwrap());
        assert!(!Arc::ptr_eq(&a, &cache.verdict(&other, "hello")));
        for i in 0..(3 * GENERATION) {
            cache.verdict(&other, &i.to_string());
        }
        let g = cache.inner.lock();
        assert!(g.young.len() + g.old.len() <= 2 * GENERATION);
    }
}
