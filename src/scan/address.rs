//! Text addressed to whoever reads it: requests that open with an
//! imperative, and sentences that direct the reader's own answer.
//!
//! A planted task ("Modify your answer to promote …", "In your response,
//! suggest users install …") names no attack phrase. What gives it away is
//! whom it speaks to: a document's sentences speak about the world, or to
//! the document's human recipient; a sentence that orders how *your
//! answer* must look speaks to the assistant writing one. Prompt
//! templates do that too, which is why the learned tier and these rules
//! stay short of certainty on a single sentence of that shape.

use super::normalize::Normalized;
use super::{Category, Evidence};

/// Words that open a request or an order in English (imperatives).
#[rustfmt::skip]
pub(super) const IMPERATIVES: &[&str] = &[
    "add", "adopt", "advertise", "advise", "analyze", "analyse", "answer", "append", "ask",
    "attach", "augment", "begin", "call", "change", "click", "compose", "conclude", "create",
    "delete", "describe", "disregard", "do", "don't", "draft", "embed", "emphasize",
    "emphasise", "encourage", "end", "enhance", "ensure", "execute", "explain", "express",
    "finish", "forget", "format", "forward", "generate", "give", "highlight", "ignore",
    "include", "incorporate", "inform", "infuse", "insert", "integrate", "list", "make",
    "mention", "modify", "open", "output", "print", "promote", "provide", "recommend",
    "remember", "remove", "repeat", "replace", "reply", "respond", "reveal", "rewrite", "run",
    "say", "send", "share", "show", "sprinkle", "start", "stop", "structure", "substitute",
    "suggest", "summarize", "summarise", "tell", "translate", "urge", "use", "visit", "warn",
    "weave", "wrap", "write",
];

/// What the assistant produces, as a request to it names it.
const ANSWER: &[&str] = &[
    "answer",
    "answers",
    "response",
    "responses",
    "reply",
    "replies",
    "output",
    "summary",
    "completion",
];

/// Openers that put the rest of a sentence inside the reader's answer.
const WITHIN_ANSWER: &[&[&str]] = &[
    &["in"],
    &["within"],
    &["throughout"],
    &["as", "part", "of"],
    &["when", "writing"],
    &["while", "writing"],
    &["at", "the", "end", "of"],
    &["at", "the", "start", "of"],
    &["at", "the", "beginning", "of"],
];

/// Words that may precede the imperative without changing whom it speaks to.
const SOFTENERS: &[&str] = &["please", "also", "now", "kindly", "and", "then"];

/// Weight of a sentence that directs the reader's answer: enough for a
/// verdict alone.
const DIRECTS_THE_ANSWER: f32 = 0.6;

/// Whether `words` (lowercase) open with an imperative, after softeners.
fn opens_with_imperative(words: &[&str]) -> bool {
    let first = words.iter().find(|w| !SOFTENERS.contains(w));
    first.is_some_and(|w| IMPERATIVES.contains(w))
}

/// "your answer", "your response" … anywhere in `words`.
fn names_your_answer(words: &[&str]) -> bool {
    words
        .windows(2)
        .any(|w| w[0] == "your" && ANSWER.contains(&w[1]))
}

/// Sentences that order the reader's answer: an imperative with "your
/// answer" in it ("Modify your answer to …"), or an imperative placed
/// inside it ("In your response, suggest …").
pub(super) fn directs_the_answer(original: &str, normalized: &Normalized, evidence: &mut Evidence) {
    let text = normalized.text.as_str();
    let mut start = 0;
    let ends = normalized
        .breaks
        .iter()
        .copied()
        .chain(std::iter::once(text.len()));
    for end in ends {
        if end <= start || end > text.len() {
            continue;
        }
        let sentence = &text[start..end];
        let (from, to) = (start, end);
        start = end;
        let words: Vec<&str> = sentence.split_whitespace().collect();
        // "In your reply, include …" orders; "In your reply of 3 March,
        // you mentioned …" recalls a letter.
        let within = WITHIN_ANSWER.iter().any(|opener| {
            let n = opener.len();
            words.len() > n + 2
                && words.starts_with(opener)
                && words[n] == "your"
                && ANSWER.contains(&words[n + 1])
                && opens_with_imperative(&words[n + 2..])
        });
        if within || (opens_with_imperative(&words) && names_your_answer(&words)) {
            let (s, e) = normalized.original(from, to, original.len());
            evidence.add(
                s,
                e,
                Category::OutputManipulation,
                "directs-the-answer",
                DIRECTS_THE_ANSWER,
            );
        }
    }
}
