//! Pattern packs: phrases kept as data under `policies/patterns/`, one TOML
//! file per language or theme, compiled once into Aho-Corasick automata.
//!
//! ```toml
//! language = "en"
//!
//! [[rule]]
//! id = "override-previous"
//! category = "instruction-override"
//! weight = 0.9
//! patterns = ["{ignore|disregard} {all |}{previous|prior} {instructions|rules}"]
//! ```
//!
//! `{a|b|}` expands to each alternative (the empty one included; not in
//! `raw` rules, which are literal), so one
//! line covers a family of paraphrases. Patterns are normalised like the
//! text they are matched against (see `normalize`) and match whole words;
//! a pattern that starts or ends with `*` may continue into a longer word
//! there (`ignor*` matches `ignoring`). `match = "raw"` rules match the
//! lowercased original instead, for markers made of punctuation such as
//! `<|im_start|>`.

use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::{Deserialize, Serialize};

use super::normalize::{is_filler, normalize, without_fillers};
use super::Category;

/// One pack file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    pub language: String,
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleSpec>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchOn {
    /// The normalised text, on word boundaries (and its squeezed form).
    #[default]
    Words,
    /// The lowercased original text, anywhere.
    Raw,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub category: Category,
    pub weight: f32,
    #[serde(default, rename = "match")]
    pub match_on: MatchOn,
    pub patterns: Vec<String>,
}

/// A rule as compiled: what a match of any of its patterns means.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub language: String,
    pub category: Category,
    pub weight: f32,
}

/// Expands `{a|b|}` groups into every combination.
pub fn expand(pattern: &str) -> Result<Vec<String>, String> {
    let Some(open) = pattern.find('{') else {
        if pattern.contains('}') || pattern.contains('|') {
            return Err(format!("unbalanced `}}` or stray `|` in `{pattern}`"));
        }
        return Ok(vec![pattern.to_owned()]);
    };
    let close = pattern[open..]
        .find('}')
        .map(|c| open + c)
        .ok_or_else(|| format!("unclosed `{{` in `{pattern}`"))?;
    let inner = &pattern[open + 1..close];
    if inner.contains('{') {
        return Err(format!("nested `{{` in `{pattern}`"));
    }
    let mut out = Vec::new();
    for tail in expand(&pattern[close + 1..])? {
        for alt in inner.split('|') {
            out.push(format!("{}{alt}{tail}", &pattern[..open]));
        }
    }
    Ok(out)
}

/// Phrases matched as a short head found by Aho-Corasick and a tail looked
/// up in place after it. The packs expand to ~3.6 × 10^5 phrases, but their
/// first two words take a few thousand values: an automaton of those heads
/// is a tenth of the size of one of whole phrases, and so is the memory to
/// build it. Every phrase is exactly `head + tail`, so what matches is what
/// a one-phrase-per-pattern automaton would match.
pub struct PhraseSet {
    heads: AhoCorasick,
    /// Head `h`'s (tail, rule) pairs are `tails[tail_start[h]..tail_start[h + 1]]`,
    /// in the order of the tails' text (tail numbers follow it), so the tails
    /// that complete a match are found by binary search, one per length in
    /// `lens[len_start[h]..len_start[h + 1]]`. Blocks, not a vector per head:
    /// thousands of small allocations would fragment the heap for good.
    tail_start: Vec<u32>,
    tails: Vec<(u32, u32)>,
    len_start: Vec<u32>,
    lens: Vec<u32>,
    /// Tail `t` is `tail_text[text_start[t]..text_start[t + 1]]`; `""`
    /// completes a head that is a whole phrase.
    tail_text: String,
    text_start: Vec<u32>,
}

/// Distinct strings, numbered in order of first appearance.
#[derive(Default)]
struct Interner {
    index: std::collections::HashMap<Box<str>, u32>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.index.get(s) {
            return id;
        }
        let id = self.index.len() as u32;
        self.index.insert(s.into(), id);
        id
    }

    /// The strings, by number.
    fn into_items(self) -> Vec<Box<str>> {
        let mut items: Vec<_> = self.index.into_iter().collect();
        items.sort_unstable_by_key(|(_, id)| *id);
        items.into_iter().map(|(s, _)| s).collect()
    }
}

/// Collects phrases for a [`PhraseSet`], each cut into head and tail.
#[derive(Default)]
struct PhraseSetBuilder {
    heads: Interner,
    tails: Interner,
    /// (head, tail, rule) of every phrase added.
    phrases: Vec<(u32, u32, u32)>,
}

impl PhraseSetBuilder {
    /// Adds `phrase` for `rule`, its head being `phrase[..cut]`.
    fn add(&mut self, phrase: &str, cut: usize, rule: u32) {
        let (head, tail) = phrase.split_at(cut);
        let h = self.heads.id(head);
        let t = self.tails.id(tail);
        self.phrases.push((h, t, rule));
    }

    fn build(self) -> Result<PhraseSet, String> {
        let heads = self.heads.into_items();
        // Renumber the tails in text order, so that sorting phrases by
        // number sorts each head's tails by text.
        let mut texts: Vec<(Box<str>, u32)> = self.tails.index.into_iter().collect();
        texts.sort_unstable();
        let mut rank = vec![0u32; texts.len()];
        for (r, (_, t)) in texts.iter().enumerate() {
            rank[*t as usize] = r as u32;
        }
        let mut phrases = self.phrases;
        for (_, t, _) in &mut phrases {
            *t = rank[*t as usize];
        }
        // Filler removal and overlapping families make many phrases equal.
        phrases.sort_unstable();
        phrases.dedup();

        let mut tail_text = String::new();
        let mut text_start = Vec::with_capacity(texts.len() + 1);
        for (text, _) in &texts {
            text_start.push(tail_text.len() as u32);
            tail_text.push_str(text);
        }
        text_start.push(tail_text.len() as u32);
        drop(texts);

        let mut tail_start = Vec::with_capacity(heads.len() + 1);
        let mut tails = Vec::with_capacity(phrases.len());
        let mut len_start = Vec::with_capacity(heads.len() + 1);
        let mut lens: Vec<u32> = Vec::new();
        let mut block_lens = Vec::new();
        // Every head was added with a phrase, so each has a block, in order.
        for block in phrases.chunk_by(|a, b| a.0 == b.0) {
            tail_start.push(tails.len() as u32);
            len_start.push(lens.len() as u32);
            block_lens.clear();
            for &(_, t, rule) in block {
                tails.push((t, rule));
                block_lens.push(text_start[t as usize + 1] - text_start[t as usize]);
            }
            block_lens.sort_unstable();
            block_lens.dedup();
            lens.extend_from_slice(&block_lens);
        }
        tail_start.push(tails.len() as u32);
        len_start.push(lens.len() as u32);
        debug_assert_eq!(tail_start.len(), heads.len() + 1);
        Ok(PhraseSet {
            heads: automaton(&heads)?,
            tail_start,
            tails,
            len_start,
            lens,
            tail_text,
            text_start,
        })
    }
}

impl PhraseSet {
    /// Every occurrence of every phrase in `text`, overlapping ones too:
    /// `hit(start, end, rule)` in byte offsets of `text`.
    pub fn find(&self, text: &str, mut hit: impl FnMut(usize, usize, u32)) {
        let bytes = text.as_bytes();
        for m in self.heads.find_overlapping_iter(text) {
            let rest = &bytes[m.end()..];
            let h = m.pattern().as_usize();
            let block = &self.tails[self.tail_start[h] as usize..self.tail_start[h + 1] as usize];
            for &len in &self.lens[self.len_start[h] as usize..self.len_start[h + 1] as usize] {
                let Some(key) = rest.get(..len as usize) else {
                    break;
                };
                let first = block.partition_point(|&(t, _)| self.tail(t) < key);
                for &(t, rule) in &block[first..] {
                    if self.tail(t) != key {
                        break;
                    }
                    hit(m.start(), m.end() + key.len(), rule);
                }
            }
        }
    }

    fn tail(&self, t: u32) -> &[u8] {
        let t = t as usize;
        &self.tail_text.as_bytes()[self.text_start[t] as usize..self.text_start[t + 1] as usize]
    }

    pub fn len(&self) -> usize {
        self.tails.len()
    }

    /// Heap bytes held.
    pub fn memory_usage(&self) -> usize {
        self.heads.memory_usage()
            + 4 * (self.tail_start.capacity()
                + self.len_start.capacity()
                + self.lens.capacity()
                + self.text_start.capacity())
            + 8 * self.tails.capacity()
            + self.tail_text.capacity()
    }

    pub fn is_empty(&self) -> bool {
        self.tails.is_empty()
    }
}

/// The compiled packs.
pub struct Compiled {
    pub rules: Vec<Rule>,
    /// Over the normalised text, fillers removed.
    pub words: PhraseSet,
    /// Phrases that end on a filler ("you are now a"), over the normalised
    /// text with its fillers.
    pub articled: PhraseSet,
    /// Long phrases with their spaces removed, over the squeezed text.
    pub squeezed: PhraseSet,
    /// Over the lowercased original; pattern index → rule index.
    pub raw: AhoCorasick,
    pub raw_rule: Vec<u32>,
}

/// Squeezed patterns shorter than this would match inside ordinary words.
const MIN_SQUEEZED: usize = 14;

fn automaton<P: AsRef<str>>(patterns: &[P]) -> Result<AhoCorasick, String> {
    // A contiguous NFA: compact, and still one pass over the text.
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build(patterns.iter().map(|p| p.as_ref()))
        .map_err(|e| e.to_string())
}

/// The raw markers: few, so a DFA (fastest to run) stays small; ASCII case
/// is folded by the automaton instead of in a lowercased copy of the text.
fn markers(patterns: &[String]) -> Result<AhoCorasick, String> {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(patterns)
        .map_err(|e| e.to_string())
}

impl Compiled {
    pub fn build(packs: &[Pack]) -> Result<Self, String> {
        let mut rules = Vec::new();
        let mut words = PhraseSetBuilder::default();
        let mut articled = PhraseSetBuilder::default();
        let mut squeezed = PhraseSetBuilder::default();
        let (mut raw, mut raw_rule) = (Vec::new(), Vec::new());
        for pack in packs {
            for spec in &pack.rules {
                if !(0.0..=1.0).contains(&spec.weight) {
                    return Err(format!("rule `{}`: weight must be in 0..=1", spec.id));
                }
                let index = rules.len() as u32;
                rules.push(Rule {
                    id: spec.id.clone(),
                    language: pack.language.clone(),
                    category: spec.category,
                    weight: spec.weight,
                });
                for pattern in &spec.patterns {
                    if spec.match_on == MatchOn::Raw {
                        // Raw markers are literal: `|` is part of `<|im_start|>`.
                        raw.push(pattern.to_lowercase());
                        raw_rule.push(index);
                        continue;
                    }
                    let texts = expand(pattern).map_err(|e| format!("rule `{}`: {e}", spec.id))?;
                    let mut added = false;
                    for text in texts {
                        added |= add_phrase(&text, index, &mut words, &mut articled, &mut squeezed);
                    }
                    // A pattern every expansion of which is fillers, or one
                    // word after a filler, would match nothing or anything:
                    // say so at load time.
                    if !added {
                        return Err(format!(
                            "rule `{}`: pattern `{pattern}` matches nothing (it is filler \
                             words such as `a`, `the`, `all`, or one word after one)",
                            spec.id
                        ));
                    }
                }
            }
        }
        Ok(Compiled {
            rules,
            words: words.build()?,
            articled: articled.build()?,
            squeezed: squeezed.build()?,
            raw: markers(&raw)?,
            raw_rule,
        })
    }

    /// Heap bytes held by the automata and their tables.
    pub fn memory_usage(&self) -> usize {
        self.words.memory_usage()
            + self.articled.memory_usage()
            + self.squeezed.memory_usage()
            + self.raw.memory_usage()
            + 4 * self.raw_rule.capacity()
    }

    pub fn pattern_count(&self) -> usize {
        self.words.len() + self.articled.len() + self.squeezed.len() + self.raw_rule.len()
    }
}

/// One expansion of a words pattern, as matched: normalised, fillers
/// removed, framed by the spaces of its word boundaries, and squeezed.
/// False if the expansion is left out (it opens or ends on a filler).
fn add_phrase(
    text: &str,
    rule: u32,
    words: &mut PhraseSetBuilder,
    articled: &mut PhraseSetBuilder,
    squeezed: &mut PhraseSetBuilder,
) -> bool {
    let open_start = text.starts_with('*');
    let open_end = text.ends_with('*');
    let folded = normalize(text.trim_matches('*')).text;
    let parts: Vec<&str> = folded.split_whitespace().collect();
    // A filler at the end is part of the phrase's meaning: "you are now a"
    // is not "you are now" ("… now ready"). Such phrases are matched as
    // written, fillers and all, over the text with its fillers; the filler
    // is a whole word even under `*` ("a*" is not "able").
    if parts.len() > 1 && parts.last().is_some_and(|w| is_filler(w)) {
        add_words(articled, folded.trim(), open_start, false, rule);
        return true;
    }
    // One at the start is dropped as in the text ("the user must" is
    // matched as "user must"), unless a single word would be left.
    let (lean, _) = without_fillers(&folded);
    let core = lean.trim();
    if core.is_empty() || (parts.len() > 1 && is_filler(parts[0]) && !core.contains(' ')) {
        return false;
    }
    add_words(words, core, open_start, open_end, rule);
    if core.contains(' ') {
        let sq: String = core.chars().filter(|c| *c != ' ').collect();
        if sq.len() >= MIN_SQUEEZED {
            // The head is the first words that make up half the minimum
            // (the squeezed pass only runs over text whose words were split
            // up, so its heads may be short), the tail the rest.
            let mut cut = 0;
            for word in core.split(' ') {
                cut += word.len();
                if cut >= MIN_SQUEEZED / 2 {
                    break;
                }
            }
            squeezed.add(&sq, cut, rule);
        }
    }
    true
}

/// Adds the words `core` to `set`, framed by the spaces of its word
/// boundaries unless open at that end.
fn add_words(set: &mut PhraseSetBuilder, core: &str, open_start: bool, open_end: bool, rule: u32) {
    let mut w = String::with_capacity(core.len() + 2);
    if !open_start && bounded(core.chars().next()) {
        w.push(' ');
    }
    w.push_str(core);
    if !open_end && bounded(core.chars().last()) {
        w.push(' ');
    }
    // The head is the first two words (rare enough in ordinary text that
    // few lookups follow), the tail the rest.
    let lead = usize::from(w.starts_with(' '));
    let cut = match core.match_indices(' ').nth(1) {
        Some((i, _)) => lead + i + 1,
        None => w.len(),
    };
    set.add(&w, cut, rule);
}

/// Words of scripts written with spaces get boundaries; scripts written
/// without them (Thai, Lao, Tibetan, Myanmar, Khmer, CJK) do not, nor does
/// Korean, whose particles attach to the word (normalisation decomposes
/// its syllables into jamo): a phrase there is found inside the run of
/// letters around it.
fn bounded(c: Option<char>) -> bool {
    c.is_some_and(|c| {
        let unspaced = matches!(c as u32, 0x0E00..=0x0FFF | 0x1000..=0x11FF | 0x1780..=0x17FF)
            || c as u32 >= 0x2E80;
        c.is_alphanumeric() && !unspaced
    })
}

/// Reads every `*.toml` pack in `dir`, in name order.
pub fn load_dir(dir: &Path) -> Result<Vec<Pack>, String> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("pattern packs {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut packs = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("pattern pack {}: {e}", path.display()))?;
        packs.push(
            toml::from_str(&text).map_err(|e| format!("pattern pack {}: {e}", path.display()))?,
        );
    }
    Ok(packs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansion() {
        let mut got = expand("{ignore|forget} {all |}rules").unwrap();
        got.sort();
        assert_eq!(
            got,
            [
                "forget all rules",
                "forget rules",
                "ignore all rules",
                "ignore rules"
            ]
        );
        assert!(expand("a {b").is_err());
        assert!(expand("a b}").is_err());
    }

    fn pack(patterns: &[&str]) -> Pack {
        Pack {
            language: "en".into(),
            rules: vec![RuleSpec {
                id: "r".into(),
                category: Category::RoleHijack,
                weight: 0.8,
                match_on: MatchOn::Words,
                patterns: patterns.iter().map(|p| p.to_string()).collect(),
            }],
        }
    }

    /// The shipped packs expand to ~3.6 × 10^5 phrases; matched as short
    /// heads and looked-up tails they take a few MB (as whole phrases in
    /// automata, 16 MB live and as much again left fragmented by the build:
    /// most of the proxy's idle memory).
    #[test]
    fn shipped_packs_compile_small() {
        let packs =
            load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/patterns")).unwrap();
        let compiled = Compiled::build(&packs).unwrap();
        assert!(
            compiled.pattern_count() > 300_000,
            "{}",
            compiled.pattern_count()
        );
        let bytes = compiled.memory_usage();
        // 12 MiB: the packs of session 16 (own-prompt, latent-injection
        // and multilingual rules) took it from ~9.9 to ~10.7 MB, session
        // 18's (benchmark families absent from the development set) to
        // ~11.9 MB; idle RSS is measured in docs/PERFORMANCE.md against
        // the 50 MB target.
        assert!(bytes < 12 << 20, "matcher holds {bytes} bytes");
    }

    /// A pattern that can match nothing is an error when the pack loads,
    /// not a rule silently gone; a filler that opens a phrase is dropped
    /// as it is in the text.
    #[test]
    fn fillers_at_the_edges() {
        for nothing in ["{a|the}", "the user"] {
            let Err(err) = Compiled::build(&[pack(&[nothing])]) else {
                panic!("a pattern that matches nothing was accepted: {nothing}");
            };
            assert!(err.contains("matches nothing"), "{err}");
        }
        let scanner = crate::scan::Scanner::new(
            &[pack(&[
                "do anything now",
                "the user must {visit|call}",
                "you are now {a|the}*",
            ])],
            None,
        )
        .unwrap();
        for text in [
            "You can do anything now.",
            "The user must visit example.com.",
            // A filler at the end is matched as written, a whole word.
            "You are now a pirate.",
            "you are now the captain",
        ] {
            assert!(scanner.scan(text).score > 0.5, "{text}");
        }
        for text in ["You are now ready.", "You are now able to log in."] {
            assert_eq!(scanner.scan(text).score, 0.0, "{text}");
        }
    }

    /// Every occurrence of `phrases` in `text`, overlapping ones too.
    fn naive(phrases: &[(&str, u32)], text: &str) -> Vec<(usize, usize, u32)> {
        let mut out = Vec::new();
        for &(p, rule) in phrases {
            for start in 0..text.len() {
                if text[start..].starts_with(p) {
                    out.push((start, start + p.len(), rule));
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    proptest::proptest! {
        /// Cutting phrases into head and tail finds exactly what matching
        /// each whole phrase would, wherever the cut falls: heads shared by
        /// several phrases, tails of several lengths and open ends after one
        /// head, a head that is itself a phrase, one phrase under two rules.
        #[test]
        fn phrase_set_matches_every_phrase(
            words in proptest::collection::vec(0usize..6, 0..40),
            cuts in proptest::collection::vec(0usize..40, 9),
        ) {
            const VOCAB: [&str; 6] = ["ignore", "previous", "all", "rules", "instructions", "now"];
            let phrases = [
                (" ignore previous rules ", 0),
                (" ignore previous instructions ", 0),
                (" ignore previous instructions ", 1),
                (" ignore previous ", 2),
                (" ignore previous rules now ", 2),
                (" ignore previous rul", 3),
                (" previous rules now ", 1),
                ("rules now", 3),
                ("now", 4),
            ];
            let mut builder = PhraseSetBuilder::default();
            for ((p, rule), cut) in phrases.into_iter().zip(cuts) {
                builder.add(p, 1 + cut % p.len(), rule);
            }
            let set = builder.build().unwrap();
            let text = format!(" {} ", words.iter().map(|&w| VOCAB[w]).collect::<Vec<_>>().join(" "));
            let mut got = Vec::new();
            set.find(&text, |a, b, rule| got.push((a, b, rule)));
            got.sort();
            proptest::prop_assert_eq!(got, naive(&phrases, &text));
        }
    }
}
