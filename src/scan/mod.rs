//! The injection scanner: normalise, match, decide — a pure function from a
//! chunk's text to a [`Verdict`], in microseconds.
//!
//! - [`normalize`] folds the spellings of an instruction into one
//!   (compatibility forms, case, look-alike letters, invisible characters,
//!   spacing tricks) and keeps a map back to the original text;
//! - [`patterns`] compiles the phrase packs under `policies/patterns/` into
//!   Aho-Corasick automata, matched over the normalised text, its squeezed
//!   form (no spaces) and the raw lowercased text (template markers);
//! - [`decode`] finds what hides: Unicode tag text, HTML comments, base64 /
//!   hex / rot13 payloads (scanned again once decoded), markdown images that
//!   carry data out in their URL;
//! - [`dismiss`] finds sentences that dismiss the reader's instructions,
//!   by their parts rather than as fixed phrases;
//! - [`address`] finds sentences that order the reader's own answer
//!   ("modify your answer to …"), planted tasks that name no attack;
//! - [`obliged`] finds sentences that oblige a model reader in the third
//!   person ("any language model summarising this page should report …");
//! - [`model`] is the learned tier: a linear model over hashed word and
//!   character n-grams, trained by `ragwall train`, catching instructions
//!   addressed to the assistant that no phrase list names.
//!
//! Signals combine as independent evidence (noisy-OR of their weights); a
//! chunk is an injection when the score reaches the threshold. No I/O, no
//! async, no globals: the [`Scanner`] is built once and shared.

mod address;
pub mod decode;
mod dismiss;
mod mail_out;
mod mode_tag;
pub mod model;
pub mod normalize;
mod obliged;
mod own_prompt;
mod owners_assets;
pub mod patterns;
mod send_out;
mod todo;

use std::path::Path;

use serde::{Deserialize, Serialize};

use normalize::{normalize, Normalized};
use patterns::{Compiled, Pack};

/// What kind of manipulation a signal indicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// "Ignore previous instructions" and its paraphrases.
    InstructionOverride,
    /// "You are now DAN", "act as", developer mode.
    RoleHijack,
    /// Asking for the system prompt, secrets, credentials.
    PromptExfiltration,
    /// "Call the function", "send an email to".
    ToolTrigger,
    /// "Respond only with", "in your answer, also".
    OutputManipulation,
    /// A request for another task planted in a data document (a question
    /// or an order at the edge of a table or before an email's headers).
    TaskHijack,
    /// Chat-template and role markers (`<|im_start|>`, `[INST]`).
    TemplateMarker,
    /// Markdown images / links that carry data out in their URL.
    LinkExfiltration,
    /// Invisible text: Unicode tags, zero-width runs, HTML comments.
    HiddenText,
    /// base64 / hex / rot13 text that decodes to an injection.
    EncodedPayload,
    /// The learned tier: text addressed to the assistant.
    Learned,
}

/// One piece of evidence, located in the original text (byte offsets).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub category: Category,
    /// The rule or detector that fired.
    pub rule: String,
    pub weight: f32,
    /// Found inside a quotation the text cites: a mention, which counts
    /// with the text's other mentions as one piece of evidence.
    #[serde(skip)]
    pub cited: bool,
}

/// The scanner's decision on one chunk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub score: f32,
    pub categories: Vec<Category>,
    pub spans: Vec<Span>,
}

impl Verdict {
    pub fn is_injection(&self, threshold: f32) -> bool {
        self.score >= threshold
    }
}

/// The pattern packs compiled into the binary.
const BUILTIN_PACKS: &[(&str, &str)] = &[
    (
        "concepts-intl.toml",
        include_str!("../../policies/patterns/concepts-intl.toml"),
    ),
    ("en.toml", include_str!("../../policies/patterns/en.toml")),
    (
        "es-pt-it.toml",
        include_str!("../../policies/patterns/es-pt-it.toml"),
    ),
    (
        "fr-de.toml",
        include_str!("../../policies/patterns/fr-de.toml"),
    ),
    (
        "markers.toml",
        include_str!("../../policies/patterns/markers.toml"),
    ),
    (
        "more.toml",
        include_str!("../../policies/patterns/more.toml"),
    ),
    ("ru.toml", include_str!("../../policies/patterns/ru.toml")),
    (
        "zh-ja.toml",
        include_str!("../../policies/patterns/zh-ja.toml"),
    ),
];

/// The learned tier's weights compiled into the binary.
const BUILTIN_MODEL: &[u8] = include_bytes!("../../policies/model.bin");

/// The default decision threshold.
pub const THRESHOLD: f32 = 0.5;

/// Pattern packs and the learned model, compiled once.
pub struct Scanner {
    compiled: Compiled,
    model: Option<model::Model>,
    /// What this scanner is: see [`Scanner::id`].
    id: String,
}

impl std::fmt::Debug for Scanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner")
            .field("rules", &self.compiled.rules.len())
            .field("patterns", &self.compiled.pattern_count())
            .field("matcher_bytes", &self.compiled.memory_usage())
            .field("model", &self.model.is_some())
            .field("id", &self.id)
            .finish()
    }
}

/// Evidence gathered while scanning, before it is scored.
#[derive(Default)]
struct Evidence {
    spans: Vec<Span>,
}

impl Evidence {
    fn add(&mut self, start: usize, end: usize, category: Category, rule: &str, weight: f32) {
        self.push(start, end, category, rule, weight, false);
    }

    fn push(
        &mut self,
        start: usize,
        end: usize,
        category: Category,
        rule: &str,
        weight: f32,
        cited: bool,
    ) {
        self.spans.push(Span {
            start,
            end,
            category,
            rule: rule.to_owned(),
            weight,
            cited,
        });
    }

    /// Noisy-OR over distinct rules: each counts once, at its strongest.
    fn verdict(mut self) -> Verdict {
        self.spans.sort_by_key(|s| (s.start, s.end));
        // One span per rule and category where matches overlap (a phrase
        // found in the spaced and the squeezed text, or by two patterns).
        let mut merged: Vec<Span> = Vec::with_capacity(self.spans.len());
        for span in self.spans.drain(..) {
            match merged
                .iter_mut()
                .rev()
                .find(|m| m.rule == span.rule && m.category == span.category && span.start <= m.end)
            {
                Some(m) => {
                    m.end = m.end.max(span.end);
                    if stronger(&span, m) {
                        m.cited = span.cited;
                    }
                    m.weight = m.weight.max(span.weight);
                }
                None => merged.push(span),
            }
        }
        self.spans = merged;
        let mut best: Vec<&Span> = Vec::new();
        for s in &self.spans {
            match best.iter_mut().find(|b| b.rule == s.rule) {
                Some(b) if stronger(s, b) => *b = s,
                Some(_) => {}
                None => best.push(s),
            }
        }
        // Rules that only matched inside cited quotations are one mention
        // of the attack quoted, however many of its phrases they name.
        let issued: f32 = best
            .iter()
            .filter(|b| !b.cited)
            .map(|b| 1.0 - b.weight)
            .product();
        let cited = best
            .iter()
            .filter(|b| b.cited)
            .map(|b| b.weight)
            .fold(0.0, f32::max);
        let clean = issued * (1.0 - cited);
        let mut categories: Vec<Category> = self.spans.iter().map(|s| s.category).collect();
        categories.sort();
        categories.dedup();
        Verdict {
            score: 1.0 - clean,
            categories,
            spans: self.spans,
        }
    }
}

/// Whether `a` is stronger evidence for its rule than `b` (at equal
/// weight, a phrase issued beats one cited).
fn stronger(a: &Span, b: &Span) -> bool {
    a.weight > b.weight || (a.weight == b.weight && b.cited && !a.cited)
}

impl Scanner {
    /// Compiles packs, with an optional learned model.
    pub fn new(packs: &[Pack], model: Option<model::Model>) -> Result<Self, String> {
        let id = identify(packs, model.as_ref());
        Ok(Scanner {
            compiled: Compiled::build(packs)?,
            model,
            id,
        })
    }

    /// 16 hex digits naming this scanner: ragwall's version, its packs and
    /// its model. Equal ids give equal verdicts on equal text, which is
    /// what lets a verdict signed at ingest stand in for a scan at read.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Loads `dir/patterns/*.toml` and, if present, `dir/model.bin`.
    pub fn load(dir: &Path) -> Result<Self, String> {
        let packs = patterns::load_dir(&dir.join("patterns"))?;
        let model_path = dir.join(model::FILE);
        let model = if model_path.exists() {
            Some(model::Model::load(&model_path)?)
        } else {
            None
        };
        Self::new(&packs, model)
    }

    /// The packs and model under `policies/`, built into the binary so a
    /// server runs from any directory.
    pub fn builtin() -> Result<Self, String> {
        let packs = BUILTIN_PACKS
            .iter()
            .map(|(name, text)| toml::from_str(text).map_err(|e| format!("{name}: {e}")))
            .collect::<Result<Vec<Pack>, String>>()?;
        let model =
            model::Model::from_bytes(BUILTIN_MODEL).map_err(|e| format!("model.bin: {e}"))?;
        Self::new(&packs, Some(model))
    }

    /// Scans one chunk.
    pub fn scan(&self, text: &str) -> Verdict {
        let mut evidence = Evidence::default();
        let normalized = normalize(text);
        self.match_phrases(text, &normalized, &normalized.text, &mut evidence, true);
        decode::hidden_and_encoded(self, text, &normalized, &mut evidence);
        address::directs_the_answer(text, &normalized, &mut evidence);
        dismiss::dismisses_instructions(text, &normalized, &mut evidence);
        address::planted_request(text, &mut evidence);
        address::offers_code(text, &mut evidence);
        // Notes to the model and obligations on it both name it: most
        // text names none and skips both.
        let names_model = address::names_a_model(text, &normalized);
        address::order_under_role_label(text, names_model, &mut evidence);
        if names_model {
            obliged::obliges_the_reader(text, &mut evidence);
        }
        address::spliced_request(text, &mut evidence);
        address::off_topic_request(text, &mut evidence);
        send_out::sends_secrets_out(text, &mut evidence);
        mode_tag::announces_mode(text, &mut evidence);
        own_prompt::asks_for_own_prompt(text, &mut evidence);
        todo::planted_todo(text, &mut evidence);
        owners_assets::acts_on_owners_assets(text, &mut evidence);
        mail_out::mails_for_machine(text, &mut evidence);
        if let Some(model) = &self.model {
            // The text the tier reads: without web addresses, if it had any.
            let p = match model::prose(text) {
                std::borrow::Cow::Borrowed(_) => model.probability(&normalized),
                std::borrow::Cow::Owned(prose) => model.probability(&normalize(&prose)),
            };
            if p >= model.threshold {
                evidence.add(0, text.len(), Category::Learned, "learned", 0.9);
            }
        }
        evidence.verdict()
    }

    /// The learned tier's probability that `text` instructs the model (0
    /// without a model).
    fn learned_probability(&self, text: &str) -> f32 {
        self.model.as_ref().map_or(0.0, |m| m.probability_of(text))
    }

    /// Phrase matches over `folded` (normalised `original`, or a same-length
    /// transform of it whose offsets are `normalized`'s); `raw` also matches
    /// the markers over the original (once per text, not per transform).
    fn match_phrases(
        &self,
        original: &str,
        normalized: &Normalized,
        folded: &str,
        evidence: &mut Evidence,
        raw: bool,
    ) {
        let c = &self.compiled;
        // A phrase in a quotation its sentence cites is named, not issued
        // (raw markers have their own test, `marker_named`).
        let mut hit = |start: usize, end: usize, rule: u32, scale: f32, cite: bool| {
            let rule = &c.rules[rule as usize];
            let cited = cite && quotes_an_example(original, start);
            let scale = if cited { scale.min(MENTION) } else { scale };
            let weight = rule.weight * scale;
            evidence.push(start, end, rule.category, &rule.id, weight, cited);
        };
        let len = original.len();
        self.match_words(folded, None, folded, &mut |a, b, rule, scale| {
            let (s, e) = normalized.original(a, b, len);
            hit(s, e, rule, scale, true);
        });
        // Phrases that end on a filler, over the text with its fillers.
        c.articled.find(folded, |a, b, rule| {
            let (a, b) = without_framing(folded, a, b);
            let scale = if mentioned(&folded[..a]) {
                MENTION
            } else {
                1.0
            };
            let (s, e) = normalized.original(a, b, len);
            hit(s, e, rule, scale, true);
        });
        // Only where words were split up (`i g n o r e`, `ig-no-re`): a
        // second pass over every text would double the cost.
        if normalize::split_words(folded) {
            // Letter-spaced words put back together, matched as words
            // (fillers and all: "i g n o r e   t h e   p r e v i o u s").
            let (joined, map) = normalize::rejoin(folded, normalized, original);
            if joined.len() < folded.len() {
                self.match_words(&joined, Some(&map), folded, &mut |a, b, rule, scale| {
                    let (s, e) = normalized.original(a, b, len);
                    hit(s, e, rule, scale, true);
                });
            }
            // Long phrases with every space removed (`ig-no-re pre-vious`).
            let (squeezed, map) = normalize::squeeze(folded);
            c.squeezed.find(&squeezed, |a, b, rule| {
                let (ns, ne) = Normalized::unsqueeze(&map, a, b);
                let (s, e) = normalized.original(ns, ne, len);
                hit(s, e, rule, 1.0, true);
            });
            // Again without fillers, which evenly spaced letters hide
            // (`ignoreallprevious…`).
            if let Some((lean, map)) = normalize::without_squeezed_fillers(&squeezed, &map) {
                c.squeezed.find(&lean, |a, b, rule| {
                    let (ns, ne) = Normalized::unsqueeze(&map, a, b);
                    let (s, e) = normalized.original(ns, ne, len);
                    hit(s, e, rule, 1.0, true);
                });
            }
        }
        if raw && !c.raw_rule.is_empty() {
            let mut first_turn = None;
            for m in c.raw.find_overlapping_iter(original) {
                let rule = c.raw_rule[m.pattern().as_usize()];
                let marker = c.rules[rule as usize].category == Category::TemplateMarker;
                let named = marker_named(original, m.start(), m.end(), marker);
                let scale = if named { MENTION } else { 1.0 };
                hit(m.start(), m.end(), rule, scale, false);
                if !named && first_turn.is_none() && opens_a_turn(&original[m.start()..m.end()]) {
                    first_turn = Some((m.start(), m.end()));
                }
            }
            // Only the text's first turn: once a conversation is under way,
            // formats such as Llama 3's open the next turn on the line of
            // the last one's text.
            if let Some((start, end)) = first_turn.filter(|&(s, _)| after_a_sentence(original, s)) {
                let rule = "turn-opened-in-prose";
                evidence.add(start, end, Category::TemplateMarker, rule, 0.55);
            }
        }
    }

    /// Word-phrase matches over `text` (`folded`, or a text whose `map`
    /// leads back to `folded`), without filler words ("ignore all of your
    /// previous" reads "ignore previous"): `hit(start, end, rule, scale)` in
    /// offsets of `folded`.
    fn match_words(
        &self,
        text: &str,
        map: Option<&[u32]>,
        folded: &str,
        hit: &mut dyn FnMut(usize, usize, u32, f32),
    ) {
        let (lean, lean_map) = normalize::without_fillers(text);
        self.compiled.words.find(&lean, |a, b, rule| {
            let (a, b) = without_framing(&lean, a, b);
            let (mut a, mut b) = Normalized::unsqueeze(&lean_map, a, b);
            if let Some(map) = map {
                (a, b) = Normalized::unsqueeze(map, a, b);
            }
            let format_only = self.compiled.rules[rule as usize].category
                == Category::OutputManipulation
                && names_a_format(&folded[b..]);
            let scale = if format_only || mentioned(&folded[..a]) {
                MENTION
            } else {
                1.0
            };
            hit(a, b, rule, scale);
        });
    }

    /// The scanner without its learned tier, and the tier: for training.
    pub fn split(self) -> (Scanner, Option<model::Model>) {
        let id = identify_parts(&self.id, None);
        (
            Scanner {
                compiled: self.compiled,
                model: None,
                id,
            },
            self.model,
        )
    }

    /// The strongest phrase evidence in a decoded text, for decoders.
    fn phrase_score(&self, decoded: &str) -> (f32, Vec<Category>) {
        let mut evidence = Evidence::default();
        let normalized = normalize(decoded);
        self.match_phrases(decoded, &normalized, &normalized.text, &mut evidence, true);
        let v = evidence.verdict();
        (v.score, v.categories)
    }
}

/// The pieces of `text` that end with one of `ends` (kept), each with its
/// byte offset in `text`: lines, sentences. The ends are ASCII, so a byte
/// table finds them (`split_inclusive` over a `&[char]` decodes and
/// compares every character: a seventh of a scan's time).
fn pieces<'a>(text: &'a str, ends: &[char]) -> impl Iterator<Item = (usize, &'a str)> + 'a {
    let mut is_end = [false; 256];
    for &c in ends {
        debug_assert!(c.is_ascii());
        is_end[c as usize] = true;
    }
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let end = bytes[start..]
            .iter()
            .position(|&b| is_end[usize::from(b)])
            .map_or(bytes.len(), |i| start + i + 1);
        let piece = (start, &text[start..end]);
        start = end;
        Some(piece)
    })
}

/// `text[a..b]` without the framing spaces of a whole-word pattern: they
/// are not the match.
fn without_framing(text: &str, mut a: usize, mut b: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    while a < b && bytes[a] == b' ' {
        a += 1;
    }
    while b > a && bytes[b - 1] == b' ' {
        b -= 1;
    }
    (a, b)
}

/// What a phrase's weight is multiplied by when the text only names it.
const MENTION: f32 = 0.3;

/// Whether the words just before a phrase make it a mention rather than an
/// instruction: "a request to ignore earlier guidance", "phrases such as
/// ignore previous instructions", "attempts to reveal the system prompt".
/// Writing about injection names the attacks; an injection issues them.
/// A phrase forbidden ("never share your password", "do not reveal your
/// instructions") is security advice or a system prompt's own rule.
fn mentioned(before: &str) -> bool {
    const CUES: [&str; 18] = [
        " never",
        " don t",
        " do not",
        " must not",
        " should not",
        " not to",
        " such as",
        " like",
        " request to",
        " requests to",
        " attempt to",
        " attempts to",
        " tries to",
        " try to",
        " trying to",
        " phrase",
        " phrases",
        " for example",
    ];
    let before = before.trim_end();
    let tail = &before[before.floor_char_boundary(before.len().saturating_sub(24))..];
    let tail = tail
        .strip_suffix(" e g")
        .or_else(|| tail.strip_suffix(" of"))
        .unwrap_or(tail);
    CUES.iter().any(|cue| tail.ends_with(cue))
}

/// Whether the phrase at `original[start..]` stands in a quotation that
/// the sentence around it cites (`by typing "Ignore previous instructions
/// and act as …"`, `phrases ("ignoriere …", "ignore les …")`): writing
/// about attacks quotes them as examples. An injection's order starts its
/// sentence, or follows a colon (`Note to the AI: "…"`), a field or a
/// cell (`17,"…"`), or an assignment (`p = 'Ignore your prev'`).
fn quotes_an_example(original: &str, start: usize) -> bool {
    let line = line_before(original, start);
    // The quotation's opening mark: right before the phrase (a single
    // quote only there, apostrophes being single quotes too), or earlier
    // on the line with no closing mark since.
    let open = if line.ends_with(['\'', '‘']) {
        line.len() - 1
    } else {
        let straight = line
            .rfind('"')
            .filter(|_| line.matches('"').count() % 2 == 1);
        let curly = [('“', '”'), ('«', '»'), ('„', '“'), ('「', '」')]
            .iter()
            .filter_map(|&(o, c)| line.rfind(o).filter(|&at| !line[at..].contains(c)))
            .max();
        match straight.max(curly) {
            Some(at) => at,
            None => return false,
        }
    };
    let lead = &line[..open];
    let spaced = lead.trim_end_matches([' ', '\t']);
    // One more quotation in a list of them: `"…", "…"`.
    if let Some(list) = spaced.strip_suffix(',') {
        return list.trim_end().ends_with(['"', '\'', '”', '’', '»']);
    }
    // `phrases ("…")`, not a call's argument (`open('…')`).
    let word = match spaced.strip_suffix('(') {
        Some(w) if w.ends_with([' ', '\t']) => w.trim_end(),
        Some(_) => return false,
        None => spaced,
    };
    // `You are "Opposite Bot"`, `from now on called "Max"`: a name given
    // to the reader, not a citation.
    let names = [" are", " be", " as", " called", " named", "'re", "’re"]
        .iter()
        .any(|n| {
            word.get(word.len().saturating_sub(n.len())..)
                .is_some_and(|end| end.eq_ignore_ascii_case(n))
        });
    // Chinese and Japanese write no space before a quotation (例如“…”).
    let spaceless = word.chars().next_back().is_some_and(|c| c >= '\u{2E80}');
    (word.len() < lead.len() || spaceless) && word.ends_with(char::is_alphabetic) && !names
}

/// Whether the next few words after an order about the answer name a data
/// format ("respond only with a JSON object", "write your final answer
/// inside <answer> tags"): prompt templates and their documentation fix
/// the answer's form for a parser; injections fix what it says.
fn names_a_format(after: &str) -> bool {
    const FORMATS: [&str; 5] = ["json", "xml", "yaml", "csv", "tags"];
    after
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(5)
        .any(|w| FORMATS.contains(&w))
}

/// Whether the raw match at `original[start..end]` (a chat `marker` or
/// another raw pattern) is named rather than used: quoted as code, or a
/// marker quoted as a string (`` `<|im_start|>` ``,
/// `stop=["[/INST]"]`; an injection's marker is meant to be read as
/// one, not as a quotation), or followed by the word
/// "token" ("the <|endoftext|> token marks …"), as documentation of chat
/// formats and tokenizers writes it. An injection writes the marker bare.
fn marker_named(original: &str, start: usize, end: usize, marker: bool) -> bool {
    // Only chat markers are quoted as strings to be named; a call or a
    // file name in quotes (`open('cookies.txt')`) is code being used.
    let quotes: &[char] = if marker { &['`', '"', '\''] } else { &['`'] };
    let quoted = quotes
        .iter()
        .any(|&q| original[..start].ends_with(q) && original[end..].trim_start().starts_with(q));
    let after = original[end..].trim_start_matches(['`', '"', '\'']);
    let named = ["token", "tokens", "special token", "marker", "markers"]
        .iter()
        .any(|w| {
            after
                .strip_prefix(' ')
                .and_then(|a| a.get(..w.len()))
                .is_some_and(|a| a.eq_ignore_ascii_case(w))
        });
    quoted || named
}

/// Markers that open a turn or a system block, or end the text so that
/// what follows reads as a new one (the ones that close a turn,
/// `<|im_end|>`, `[/INST]`, follow its text in every chat format).
const TURN_OPENERS: [&str; 13] = [
    "<|endoftext|>",
    "<|im_start|>",
    "<|system|>",
    "<|user|>",
    "<|assistant|>",
    "<|begin_of_text|>",
    "<|start_header_id|>",
    "[inst]",
    "<<sys>>",
    "<start_of_turn>",
    "<|start|>",
    "### system",
    "[system",
];

/// Whether a marker opens a turn or a system block.
fn opens_a_turn(marker: &str) -> bool {
    TURN_OPENERS.iter().any(|o| {
        marker
            .get(..o.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(o))
    })
}

/// The text of `at`'s line before it.
fn line_before(text: &str, at: usize) -> &str {
    &text[text[..at].rfind('\n').map_or(0, |i| i + 1)..at]
}

/// Whether the marker at `original[start..]` opens a turn right after a
/// finished sentence of the same line ("Nice recipe. <|endoftext|> <|im_start|>system"):
/// the data is closed and a new turn begun mid-line, which is what an
/// injection does. Documentation of chat formats starts its turns on a line
/// of their own, or writes them in code and strings; on its own a marker
/// is only moderate evidence (`markers.toml`).
fn after_a_sentence(original: &str, start: usize) -> bool {
    let line = line_before(original, start);
    // Closing markers and tags before it are part of the move, not prose.
    let mut before = line.trim_end();
    while let Some(open) = before
        .strip_suffix(['>', ']'])
        .and_then(|b| b.rfind(['<', '[']))
    {
        before = before[..open].trim_end();
    }
    let words = before.split_whitespace().count();
    words >= 2 && before.ends_with(['.', '!', '?'])
}

/// The scanner's id from what determines its verdicts.
fn identify(packs: &[Pack], model: Option<&model::Model>) -> String {
    // The packs' parsed form (their Debug text is deterministic for one
    // build; the version below changes with every release).
    identify_parts(&format!("{packs:?}"), model)
}

/// The code that turns a text into a verdict, as built into this binary.
const SOURCE: [&str; 14] = [
    include_str!("mod.rs"),
    include_str!("address.rs"),
    include_str!("normalize.rs"),
    include_str!("patterns.rs"),
    include_str!("decode.rs"),
    include_str!("model.rs"),
    include_str!("send_out.rs"),
    include_str!("dismiss.rs"),
    include_str!("obliged.rs"),
    include_str!("mode_tag.rs"),
    include_str!("own_prompt.rs"),
    include_str!("todo.rs"),
    include_str!("owners_assets.rs"),
    include_str!("mail_out.rs"),
];

fn identify_parts(packs: &str, model: Option<&model::Model>) -> String {
    let mut h = blake3::Hasher::new();
    h.update(b"ragwall-scanner\0");
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(b"\0");
    // The scanner's own source: two builds of one version whose scoring
    // differs must not vouch for each other's signed verdicts.
    for source in SOURCE {
        h.update(source.as_bytes());
    }
    h.update(b"\0");
    h.update(packs.as_bytes());
    if let Some(model) = model {
        h.update(b"\0model\0");
        model.hash_into(&mut h);
    }
    h.finalize().to_hex()[..16].to_owned()
}

#[cfg(test)]
mod tests;
