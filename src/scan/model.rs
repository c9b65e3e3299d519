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

use std::collections::HashMap;
use std::path::Path;

use super::normalize::normalize;
use super::normalize::Normalized;

/// The weights file under the policy directory.
pub const FILE: &str = "model.bin";
/// Below this probability the model adds no evidence.
pub const SIGNAL: f32 = 0.5;

const MAGIC: &[u8; 8] = b"RWLM0001";
/// Hashed feature space: 2^18 buckets.
pub const BITS: u32 = 18;
/// Words per window, and the step between windows.
const WINDOW: usize = 28;
const STRIDE: usize = 14;

/// A trained model.
#[derive(Clone)]
pub struct Model {
    weights: Vec<f32>,
    bias: f32,
}

fn fnv(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed.wrapping_mul(0x100_0000_01b3);
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

/// The sparse, L2-normalised feature vector of one window of words.
pub fn features(words: &[&str]) -> Vec<(u32, f32)> {
    let mask = (1u64 << BITS) - 1;
    let mut counts: HashMap<u32, f32> = HashMap::with_capacity(words.len() * 8);
    let mut add = |h: u64| *counts.entry((h & mask) as u32).or_default() += 1.0;
    for (i, w) in words.iter().enumerate() {
        add(fnv(1, w.as_bytes()));
        if let Some(next) = words.get(i + 1) {
            let mut h = fnv(2, w.as_bytes());
            h = fnv(h, next.as_bytes());
            add(h);
        }
        // Character 4-grams of the word framed by spaces: morphology that
        // carries across languages and misspellings.
        let framed: Vec<char> = std::iter::once(' ')
            .chain(w.chars())
            .chain(std::iter::once(' '))
            .collect();
        for gram in framed.windows(4) {
            let mut buf = [0u8; 16];
            let mut n = 0;
            for c in gram {
                n += c.encode_utf8(&mut buf[n..]).len();
            }
            add(fnv(3, &buf[..n]));
        }
    }
    let norm = counts
        .values()
        .map(|c| (1.0 + c.ln()).powi(2))
        .sum::<f32>()
        .sqrt();
    let mut out: Vec<(u32, f32)> = counts
        .into_iter()
        .map(|(k, c)| (k, (1.0 + c.ln()) / norm.max(1e-6)))
        .collect();
    out.sort_unstable_by_key(|p| p.0);
    out
}

/// Overlapping windows of words of a normalised text.
pub fn windows(normalized: &str) -> Vec<Vec<&str>> {
    let words: Vec<&str> = normalized.split_whitespace().collect();
    if words.len() <= WINDOW {
        return vec![words];
    }
    let mut out = Vec::new();
    let mut start = 0;
    loop {
        let end = (start + WINDOW).min(words.len());
        out.push(words[start..end].to_vec());
        if end == words.len() {
            break;
        }
        start += STRIDE;
    }
    out
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

    /// The probability that the text holds an instruction to the model:
    /// the highest over its windows.
    pub fn probability(&self, _original: &str, normalized: &Normalized) -> f32 {
        windows(&normalized.text)
            .iter()
            .map(|w| sigmoid(self.logit(&features(w))))
            .fold(0.0, f32::max)
    }

    /// The probability of one window's features.
    pub fn probability_of_features(&self, x: &[(u32, f32)]) -> f32 {
        sigmoid(self.logit(x))
    }

    /// Convenience for tools: normalises first.
    pub fn probability_of(&self, text: &str) -> f32 {
        self.probability(text, &normalize(text))
    }

    /// Reads a weights file: magic, bits (u32 LE), bias (f32 LE), scale (f32
    /// LE), then one i8 per bucket (weight = i8 × scale).
    pub fn load(path: &Path) -> Result<Model, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("model {}: {e}", path.display()))?;
        Self::from_bytes(&bytes).map_err(|e| format!("model {}: {e}", path.display()))
    }

    /// Parses a weights file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        let bad = || "not a ragwall model file".to_string();
        if bytes.len() < 20 || &bytes[..8] != MAGIC {
            return Err(bad());
        }
        let word = |at: usize| <[u8; 4]>::try_from(&bytes[at..at + 4]).map_err(|_| bad());
        let bits = u32::from_le_bytes(word(8)?);
        let bias = f32::from_le_bytes(word(12)?);
        let scale = f32::from_le_bytes(word(16)?);
        if bits != BITS || bytes.len() != 20 + (1usize << BITS) {
            return Err(bad());
        }
        let weights = bytes[20..]
            .iter()
            .map(|b| f32::from(*b as i8) * scale)
            .collect();
        Ok(Model { weights, bias })
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
    pub epochs: usize,
    pub rate: f32,
    pub l2: f32,
    pub seed: u64,
}

impl Default for Training {
    fn default() -> Self {
        Training {
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
    let (wp, wn) = (
        examples.len() as f32 / (2.0 * positives),
        examples.len() as f32 / (2.0 * negatives),
    );
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
    Model { weights: w, bias }
}

/// Windows of a labelled text as training examples. A positive text's
/// windows are all positive: training texts are written so that the
/// instruction is the text (see `corpora/README.md`).
pub fn examples_of(text: &str, positive: bool) -> Vec<Example> {
    let normalized = normalize(text);
    windows(&normalized.text)
        .iter()
        .filter(|w| !w.is_empty())
        .map(|w| Example {
            x: features(w),
            positive,
        })
        .collect()
}
