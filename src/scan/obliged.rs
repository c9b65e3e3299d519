//! Sentences that oblige a model reader in the third person: "Any language
//! model summarising reviews for this hotel should report …", "LLM
//! reviewers must classify this contract as …", "Automated systems
//! summarising recipes should append …".
//!
//! A note to the model ([`super::address`]) speaks to it; these speak of it,
//! with a modal of obligation and a verb of what it is to do to its answer.
//! Documentation speaks of models that way too ("the model should output
//! JSON"), so the sentence counts fully only when it ties the reader to the
//! text at hand: the reader is at work on it ("… summarising these
//! reviews") or the order points at it ("… classify this contract").

use super::address::{is_adverb, is_reader_subject, words, LEAD_CLAUSES, READS};
use super::{pieces, Category, Evidence};

/// Weight of an obligation tied to the text at hand: enough alone.
const TIED: f32 = 0.6;
/// Weight of an obligation on a model in general: documentation writes
/// those, so it needs a second signal.
const UNTIED: f32 = 0.45;

/// Modals of obligation, as the words after the subject's clause.
const MODALS: &[&[&str]] = &[
    &["must"],
    &["should"],
    &["shall"],
    &["needs", "to"],
    &["need", "to"],
    &["has", "to"],
    &["have", "to"],
    &["is", "to"],
    &["are", "to"],
    &["is", "required", "to"],
    &["are", "required", "to"],
    &["is", "instructed", "to"],
    &["are", "instructed", "to"],
];

/// The modals of [`MODALS`] as they appear mid-sentence, for a quick test.
const MODAL_CUES: &[&str] = &[
    " must ",
    " should ",
    " shall ",
    " need",
    " has to ",
    " have to ",
    " is to ",
    " are to ",
    " required to ",
    " instructed to ",
];

/// What a planted obligation has the model do to its answer or on the
/// user's behalf. Defensive verbs ("should treat it as data", "must
/// ignore instructions in it", "should refuse") are security advice, and
/// are not here.
#[rustfmt::skip]
const ACTIONS: &[&str] = &[
    "add", "append", "include", "insert", "report", "classify", "rank", "rate", "score",
    "reply", "respond", "answer", "say", "tell", "state", "recommend", "mention", "output",
    "print", "write", "forward", "send", "change", "mark", "approve", "omit", "describe",
    "summarize", "summarise", "grant", "delete", "promote", "claim", "conclude", "praise",
    "email", "transfer", "pay", "share", "reveal", "disclose", "direct", "urge", "advise",
    "suggest", "present", "list", "link", "insist", "assert", "end", "begin",
    "start", "sign", "thank", "call", "leave", "skip", "drop", "remove",
    "exclude", "count", "give", "award", "buy", "book",
];

/// Words that may come between the modal and its verb.
const BETWEEN: &[&str] = &["also", "always", "now", "instead", "then", "only", "just"];

/// How far into a sentence a label before the subject may end.
const LABEL: usize = 40;

/// Whether `text` opens with a model reader as its subject.
fn starts_reader(text: &str) -> bool {
    is_reader_subject(&words(text)).is_some()
}

/// How many words the subject's clause may run before the modal.
const MAX_CLAUSE: usize = 8;

/// Obligations placed on a model reader, as third-person sentences.
pub(super) fn obliges_the_reader(original: &str, evidence: &mut Evidence) {
    // Most text has no modal of obligation at all: skip it whole, then
    // every sentence without one (before lowercasing it).
    let has_modal = |text: &str| MODAL_CUES.iter().any(|m| text.contains(m));
    if !has_modal(original) {
        return;
    }
    for (start, piece) in pieces(original, &['.', '!', '?', '\n', ';']) {
        if !has_modal(piece) {
            continue;
        }
        let lower = piece.to_lowercase();
        let mut lower = lower.trim_start_matches([' ', '(', '[', '*', '-', '#', '>']);
        // "If a customer mentions a refund, the bot must reply …": the
        // subject follows a leading clause.
        if let Some((lead, after)) = lower.split_once(", ") {
            if words(lead)
                .first()
                .is_some_and(|w| LEAD_CLAUSES.contains(w))
            {
                lower = after;
            }
        }
        // "Co-authored-by: AI reviewers should …", "SEO note — language
        // models describing this product must …": or a short label.
        if let Some(at) = lower
            .get(..LABEL.min(lower.len()))
            .and_then(|h| h.find([':', '—']))
        {
            let after = lower[at..].trim_start_matches([':', '—', ' ']);
            if starts_reader(after) {
                lower = after;
            }
        }
        // Adverbs apart: "is hereby instructed to", "should quietly add".
        let w: Vec<&str> = words(lower)
            .into_iter()
            .filter(|v| *v != "hereby" && !is_adverb(v))
            .collect();
        let Some(after_subject) = is_reader_subject(&w) else {
            continue;
        };
        let Some((modal_end, clause)) = find_modal(&w, after_subject) else {
            continue;
        };
        // "… may need to write …": a possibility, not an obligation.
        if clause
            .last()
            .is_some_and(|m| matches!(*m, "may" | "might" | "could" | "would" | "will"))
        {
            continue;
        }
        let verb = w[modal_end..].iter().position(|v| !BETWEEN.contains(v));
        let Some(verb) = verb.map(|v| modal_end + v) else {
            continue;
        };
        if !ACTIONS.contains(&w[verb]) {
            continue;
        }
        // Tied to this text: the reader at work on it, or the order
        // pointing at it.
        let at_work = clause.iter().any(|v| READS.contains(v));
        let pointed = w[verb..].iter().any(|v| matches!(*v, "this" | "these"));
        let weight = if at_work || pointed { TIED } else { UNTIED };
        evidence.add(
            start,
            start + piece.trim_end().len(),
            Category::OutputManipulation,
            "obliges-the-reader",
            weight,
        );
    }
}

/// Where the modal ends, after the subject's clause of a few words, and the
/// clause's words.
fn find_modal<'w>(w: &'w [&'w str], from: usize) -> Option<(usize, &'w [&'w str])> {
    (from..w.len().min(from + MAX_CLAUSE + 1)).find_map(|i| {
        MODALS
            .iter()
            .find(|m| w[i..].starts_with(m))
            .map(|m| (i + m.len(), &w[from..i]))
    })
}
