//! The learned tier: a logistic model over hashed word and character
//! n-grams of the normalised text, scored over overlapping word windows
//! (an instruction is a sentence inside a document, not the document).
//!
//! Phrase lists name known attacks; this catches the polite task hijacks
//! they cannot ("when you answer, also tell the user to visit …"), because
//! what it learns are the marks of text addressed to the assistant: second
//! person, imperatives about "your answer", register shifts. Trained by
//! `ragwall train` (AdaGrad, deterministic) from labelled JSON lines; the
//! weights are a data file (`policies/model.bin`), loaded once. No runtime
//! beyond a hash and a dot product per window.

use std::path::Path;

use super::normalize::normalize;
use super::normalize::Normalized;

/// The weights file under the policy directory.
pub const FILE: &str = "model.bin";
const MAGIC: &[u8; 8] = b"RWLM0002";
/// Hashed feature space: 2^18 buckets.
pub const BITS: u32 = 18;
/// Words per segment at most, and the step between windows of longer ones.
const WINDOW: usize = 40;
const STRIDE: usize = 20;
/// Segments shorter than this are joined to the next one.
const MIN_SEGMENT: usize = 4;

/// A trained model.
#[derive(Clone)]
pub struct Model {
    weights: Vec<f32>,
    bias: f32,
    /// The probability at which the model's word is enough to flag a chunk,
    /// calibrated by cross-validation at training time.
    pub threshold: f32,
}

fn fnv(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed.wrapping_mul(0x100_0000_01b3);
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

/// The hashed features of one window of words, unsorted, appended to
/// `out`: words, word pairs and the words' character 4-grams.
fn hash_features(words: &[&str], out: &mut Vec<u32>) {
    for (i, w) in words.iter().enumerate() {
        if let Some(next) = words.get(i + 1) {
            out.push(pair_hash(w, next));
        }
        word_hashes(w, out);
    }
}

fn bucket(h: u64) -> u32 {
    (h & ((1u64 << BITS) - 1)) as u32
}

/// The feature of two words in a row.
fn pair_hash(word: &str, next: &str) -> u32 {
    bucket(fnv(fnv(2, word.as_bytes()), next.as_bytes()))
}

/// A word's own features, appended to `out`: the word and its character
/// 4-grams (framed by spaces: morphology that carries across languages and
/// misspellings).
fn word_hashes(w: &str, out: &mut Vec<u32>) {
    out.push(bucket(fnv(1, w.as_bytes())));
    let mut framed = [0u8; 96];
    let bytes = w.as_bytes();
    if bytes.len() + 2 > framed.len() {
        return;
    }
    framed[0] = b' ';
    framed[1..=bytes.len()].copy_from_slice(bytes);
    framed[bytes.len() + 1] = b' ';
    let framed = &framed[..bytes.len() + 2];
    if bytes.is_ascii() {
        // Every byte starts a character: no table of starts needed.
        for window in framed.windows(4) {
            out.push(bucket(fnv(3, window)));
        }
        return;
    }
    let mut starts = [0usize; 96];
    let mut n = 0;
    for (k, b) in framed.iter().enumerate() {
        if (b & 0xC0) != 0x80 {
            starts[n] = k;
            n += 1;
        }
    }
    for k in 0..n.saturating_sub(3) {
        let end = if k + 4 < n {
            starts[k + 4]
        } else {
            framed.len()
        };
        out.push(bucket(fnv(3, &framed[starts[k]..end])));
    }
}

/// A text's features hashed once: long sentences are cut into windows
/// that overlap (a word is in two of them), so words are hashed per text,
/// not per window.
struct Hashed {
    /// Every word's own features, word after word.
    own: Vec<u32>,
    /// Where each word's features start in `own` (one more: the end).
    starts: Vec<u32>,
    /// The pair each word starts with the next one.
    pairs: Vec<u32>,
}

impl Hashed {
    fn new(words: &[&str]) -> Hashed {
        let mut own = Vec::with_capacity(words.len() * 8);
        let mut starts = Vec::with_capacity(words.len() + 1);
        for w in words {
            starts.push(own.len() as u32);
            word_hashes(w, &mut own);
        }
        starts.push(own.len() as u32);
        let pairs = words.windows(2).map(|p| pair_hash(p[0], p[1])).collect();
        Hashed { own, starts, pairs }
    }

    /// The features of the window `words[a..b]`, appended to `out`: what
    /// [`hash_features`] gives for it, in another order.
    fn window(&self, a: usize, b: usize, out: &mut Vec<u32>) {
        out.extend_from_slice(&self.own[self.starts[a] as usize..self.starts[b] as usize]);
        out.extend_from_slice(&self.pairs[a..b.saturating_sub(1).max(a)]);
    }
}

/// A feature's value from its count in the window (sublinear).
fn count_value(count: u32) -> f32 {
    const TABLE: [f32; 8] = [
        0.0,
        1.0,
        1.693_147_2,
        2.098_612_3,
        2.386_294_4,
        2.609_438,
        2.791_759_5,
        2.945_910_1,
    ];
    match TABLE.get(count as usize) {
        Some(v) => *v,
        None => 1.0 + (count as f32).ln(),
    }
}

/// Runs of equal hashes in a sorted slice: (hash, count). Counted by
/// sorting (no hash map): the same bits on every run.
fn runs(sorted: &[u32]) -> impl Iterator<Item = (u32, u32)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let h = *sorted.get(at)?;
        let start = at;
        while sorted.get(at) == Some(&h) {
            at += 1;
        }
        Some((h, (at - start) as u32))
    })
}

/// The sparse, L2-normalised feature vector of one window of words (for
/// training; scoring computes the same dot product without building it).
pub fn features(words: &[&str]) -> Vec<(u32, f32)> {
    let mut hashes: Vec<u32> = Vec::with_capacity(words.len() * 8);
    hash_features(words, &mut hashes);
    hashes.sort_unstable();
    let mut out: Vec<(u32, f32)> = runs(&hashes).map(|(h, c)| (h, count_value(c))).collect();
    let norm = out.iter().map(|(_, v)| v * v).sum::<f32>().sqrt().max(1e-6);
    for (_, v) in &mut out {
        *v /= norm;
    }
    out
}

/// `text` as the learned tier reads it: web addresses blanked out. Their
/// words are paths, not language ("…/instruction-sets/intrinsics/…" in
/// every page of an API reference), and the phrase tier still reads them.
pub fn prose(text: &str) -> std::borrow::Cow<'_, str> {
    const STARTS: [&str; 3] = ["http://", "https://", "www."];
    if !STARTS.iter().any(|s| text.contains(s)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = STARTS.iter().filter_map(|s| rest.find(s)).min() {
        out.push_str(&rest[..at]);
        let len = rest[at..]
            .find(|c: char| c.is_whitespace() || "\"'<>()[]".contains(c))
            .unwrap_or(rest.len() - at);
        out.push(' ');
        rest = &rest[at + len..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// The segments a normalised text is scored by: its sentences and lines
/// (an instruction is a sentence inside a document, not the document),
/// short ones joined to the next, long ones cut into overlapping windows.
pub fn segments(normalized: &Normalized) -> Segments<'_> {
    let text = normalized.text.as_str();
    let mut out = Segments {
        words: Vec::with_capacity(text.len() / 4),
        windows: Vec::new(),
    };
    // Words from here on are not in a segment yet.
    let mut pending = 0;
    let mut start = 0;
    let ends = normalized
        .breaks
        .iter()
        .copied()
        .chain(std::iter::once(text.len()));
    for end in ends {
        if end <= start {
            continue;
        }
        let sentence = &text[start..end];
        out.words
            .extend(super::normalize::words(sentence).map(|(a, b)| &sentence[a..b]));
        start = end;
        if out.words.len() - pending >= MIN_SEGMENT {
            out.push_windows(pending);
            pending = out.words.len();
        }
    }
    if pending < out.words.len() {
        let end = out.words.len();
        match out.windows.last_mut() {
            // The last window always ends where the pending words begin.
            Some(last) if end - last.0 <= WINDOW => last.1 = end,
            _ => out.push_windows(pending),
        }
    }
    out
}

/// A text's words and the windows of them that are scored, as ranges
/// (one allocation for all windows).
pub struct Segments<'a> {
    words: Vec<&'a str>,
    windows: Vec<(usize, usize)>,
}

impl<'a> Segments<'a> {
    /// The windows' words, in order.
    pub fn iter(&self) -> impl Iterator<Item = &[&'a str]> + '_ {
        self.windows.iter().map(|&(a, b)| &self.words[a..b])
    }

    /// Windows over `words[from..]`: one if it fits, else overlapping ones.
    fn push_windows(&mut self, from: usize) {
        let to = self.words.len();
        let mut start = from;
        loop {
            let end = (start + WINDOW).min(to);
            self.windows.push((start, end));
            if end == to {
                break;
            }
            start += STRIDE;
        }
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl Model {
    fn logit(&self, x: &[(u32, f32)]) -> f32 {
        self.bias
            + x.iter()
                .map(|(i, v)| self.weights[*i as usize] * v)
                .sum::<f32>()
    }

    /// The logit of one window's hashes (sorted here): the dot product of
    /// [`features`] with the weights, computed in place.
    fn window_logit(&self, hashes: &mut [u32]) -> f32 {
        hashes.sort_unstable();
        let (mut dot, mut squares) = (0f32, 0f32);
        for (h, count) in runs(hashes) {
            let v = count_value(count);
            dot += self.weights[h as usize] * v;
            squares += v * v;
        }
        self.bias + dot / squares.sqrt().max(1e-6)
    }

    /// The probability that the text holds an instruction to the model:
    /// the highest over its windows.
    pub fn probability(&self, normalized: &Normalized) -> f32 {
        let segments = segments(normalized);
        let hashed = Hashed::new(&segments.words);
        // Reused across windows: no allocation per window.
        let mut scratch = Vec::with_capacity(512);
        let best = segments
            .windows
            .iter()
            .map(|&(a, b)| {
                scratch.clear();
                hashed.window(a, b, &mut scratch);
                self.window_logit(&mut scratch)
            })
            .fold(f32::NEG_INFINITY, f32::max);
        if best == f32::NEG_INFINITY {
            return 0.0;
        }
        sigmoid(best)
    }

    /// The probability of each segment, in order.
    pub fn segment_probabilities(&self, normalized: &Normalized) -> Vec<f32> {
        segments(normalized)
            .iter()
            .map(|w| sigmoid(self.logit(&features(w))))
            .collect()
    }

    /// The probability of one window's features.
    pub fn probability_of_features(&self, x: &[(u32, f32)]) -> f32 {
        sigmoid(self.logit(x))
    }

    /// Convenience for tools: normalises first.
    pub fn probability_of(&self, text: &str) -> f32 {
        self.probability(&normalize(&prose(text)))
    }

    /// Feeds the weights, bias and threshold to a hasher (the scanner's id).
    pub fn hash_into(&self, h: &mut blake3::Hasher) {
        for w in &self.weights {
            h.update(&w.to_le_bytes());
        }
        h.update(&self.bias.to_le_bytes());
        h.update(&self.threshold.to_le_bytes());
    }

    /// Reads a weights file: magic, bits (u32 LE), bias, scale, threshold
    /// (f32 LE each), then one i8 per bucket (weight = i8 × scale).
    pub fn load(path: &Path) -> Result<Model, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("model {}: {e}", path.display()))?;
        Self::from_bytes(&bytes).map_err(|e| format!("model {}: {e}", path.display()))
    }

    /// Parses a weights file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        const HEADER: usize = 24;
        let bad = || "not a ragwall model file (or another version)".to_string();
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err(bad());
        }
        let word = |at: usize| <[u8; 4]>::try_from(&bytes[at..at + 4]).map_err(|_| bad());
        let bits = u32::from_le_bytes(word(8)?);
        let bias = f32::from_le_bytes(word(12)?);
        let scale = f32::from_le_bytes(word(16)?);
        let threshold = f32::from_le_bytes(word(20)?);
        if bits != BITS || bytes.len() != HEADER + (1usize << BITS) {
            return Err(bad());
        }
        let weights = bytes[HEADER..]
            .iter()
            .map(|b| f32::from(*b as i8) * scale)
            .collect();
        Ok(Model {
            weights,
            bias,
            threshold,
        })
    }

    /// Writes the weights, quantised to i8.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let max = self.weights.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        let mut out = Vec::with_capacity(20 + self.weights.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&BITS.to_le_bytes());
        out.extend_from_slice(&self.bias.to_le_bytes());
        out.extend_from_slice(&scale.to_le_bytes());
        out.extend_from_slice(&self.threshold.to_le_bytes());
        out.extend(self.weights.iter().map(|w| (w / scale).round() as i8 as u8));
        std::fs::write(path, out)
    }
}

/// One training example: a window's features and its label.
pub struct Example {
    pub x: Vec<(u32, f32)>,
    pub positive: bool,
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct Training {
    /// Weigh the classes equally (else by their frequency).
    pub balance: bool,
    pub epochs: usize,
    pub rate: f32,
    pub l2: f32,
    pub seed: u64,
}

impl Default for Training {
    fn default() -> Self {
        Training {
            balance: true,
            epochs: 12,
            rate: 0.2,
            l2: 1e-6,
            seed: 7,
        }
    }
}

/// Logistic regression by AdaGrad, classes balanced, deterministic order.
pub fn train(examples: &[&Example], t: Training) -> Model {
    let dims = 1usize << BITS;
    let mut w = vec![0f32; dims];
    let mut g2 = vec![1e-6f32; dims];
    let (mut bias, mut bias_g2) = (0f32, 1e-6f32);
    let positives = examples.iter().filter(|e| e.positive).count().max(1) as f32;
    let negatives = (examples.len() as f32 - positives).max(1.0);
    let (wp, wn) = if t.balance {
        (
            examples.len() as f32 / (2.0 * positives),
            examples.len() as f32 / (2.0 * negatives),
        )
    } else {
        (1.0, 1.0)
    };
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut state = t.seed | 1;
    for _ in 0..t.epochs {
        // Fisher-Yates with xorshift: the same order on every machine.
        for i in (1..order.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            order.swap(i, (state % (i as u64 + 1)) as usize);
        }
        for &k in &order {
            let e = &examples[k];
            let z = bias + e.x.iter().map(|(i, v)| w[*i as usize] * v).sum::<f32>();
            let y = if e.positive { 1.0 } else { 0.0 };
            let class = if e.positive { wp } else { wn };
            let err = (sigmoid(z) - y) * class;
            for (i, v) in &e.x {
                let i = *i as usize;
                let g = err * v + t.l2 * w[i];
                g2[i] += g * g;
                w[i] -= t.rate * g / g2[i].sqrt();
            }
            bias_g2 += err * err;
            bias -= t.rate * err / bias_g2.sqrt();
        }
    }
    Model {
        weights: w,
        bias,
        threshold: 0.5,
    }
}

/// The segments of a text as training examples, each with its normalised
/// words joined (to recognise the same segment in other documents).
pub fn examples_of(text: &str, positive: bool) -> Vec<(String, Example)> {
    let normalized = normalize(&prose(text));
    segments(&normalized)
        .iter()
        .filter(|w| !w.is_empty())
        .map(|w| {
            (
                w.join(" "),
                Example {
                    x: features(w),
                    positive,
                },
            )
        })
        .collect()
}
