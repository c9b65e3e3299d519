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

/// The compiled packs.
pub struct Compiled {
    pub rules: Vec<Rule>,
    /// Over the normalised text; pattern index → rule index.
    pub words: AhoCorasick,
    pub words_rule: Vec<u32>,
    /// Long patterns without spaces, over the squeezed text.
    pub squeezed: AhoCorasick,
    pub squeezed_rule: Vec<u32>,
    /// Over the lowercased original.
    pub raw: AhoCorasick,
    pub raw_rule: Vec<u32>,
}

/// Squeezed patterns shorter than this would match inside ordinary words.
const MIN_SQUEEZED: usize = 14;

fn automaton(patterns: &[String]) -> Result<AhoCorasick, String> {
    // A contiguous NFA: compact for many patterns (a DFA over ~10^5
    // patterns costs tens of MB), and still one pass over the text.
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build(patterns)
        .map_err(|e| e.to_string())
}

impl Compiled {
    pub fn build(packs: &[Pack]) -> Result<Self, String> {
        let mut rules = Vec::new();
        let (mut words, mut words_rule) = (Vec::new(), Vec::new());
        let (mut squeezed, mut squeezed_rule) = (Vec::new(), Vec::new());
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
                    // Raw markers are literal: `|` is part of `<|im_start|>`.
                    let texts = match spec.match_on {
                        MatchOn::Raw => vec![pattern.clone()],
                        MatchOn::Words => {
                            expand(pattern).map_err(|e| format!("rule `{}`: {e}", spec.id))?
                        }
                    };
                    for text in texts {
                        match spec.match_on {
                            MatchOn::Raw => {
                                raw.push(text.to_lowercase());
                                raw_rule.push(index);
                            }
                            MatchOn::Words => {
                                let open_start = text.starts_with('*');
                                let open_end = text.ends_with('*');
                                let folded = normalize(text.trim_matches('*')).text;
                                // A filler at either end was part of the
                                // phrase's meaning ("act as a"); other
                                // alternatives of the group cover the rest.
                                let parts: Vec<&str> = folded.split_whitespace().collect();
                                let edge = |w: Option<&&str>| w.is_some_and(|w| is_filler(w));
                                if parts.len() > 1 && (edge(parts.first()) || edge(parts.last())) {
                                    continue;
                                }
                                let (lean, _) = without_fillers(&folded);
                                let core = lean.trim();
                                if core.is_empty() {
                                    continue;
                                }
                                let mut w = String::with_capacity(core.len() + 2);
                                if !open_start && bounded(core.chars().next()) {
                                    w.push(' ');
                                }
                                w.push_str(core);
                                if !open_end && bounded(core.chars().last()) {
                                    w.push(' ');
                                }
                                words.push(w);
                                words_rule.push(index);
                                let sq: String = core.chars().filter(|c| *c != ' ').collect();
                                if core.contains(' ') && sq.len() >= MIN_SQUEEZED {
                                    squeezed.push(sq);
                                    squeezed_rule.push(index);
                                }
                            }
                        }
                    }
                }
            }
        }
        // Filler removal makes many expansions identical.
        let (words, words_rule) = dedup(words, words_rule);
        let (squeezed, squeezed_rule) = dedup(squeezed, squeezed_rule);
        Ok(Compiled {
            rules,
            words: automaton(&words)?,
            words_rule,
            squeezed: automaton(&squeezed)?,
            squeezed_rule,
            raw: automaton(&raw)?,
            raw_rule,
        })
    }

    pub fn pattern_count(&self) -> usize {
        self.words_rule.len() + self.squeezed_rule.len() + self.raw_rule.len()
    }
}

/// Drops repeated (pattern, rule) pairs.
fn dedup(patterns: Vec<String>, rules: Vec<u32>) -> (Vec<String>, Vec<u32>) {
    let mut seen = std::collections::HashSet::new();
    patterns
        .into_iter()
        .zip(rules)
        .filter(|(p, r)| seen.insert((p.clone(), *r)))
        .unzip()
}

/// Words of scripts written with spaces get boundaries; CJK does not.
fn bounded(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() && (c as u32) < 0x2E80)
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
}
