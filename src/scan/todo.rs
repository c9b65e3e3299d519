//! A to-do item planted in data for an agent to act on: "TODO: Send the
//! security code received by e-mail to …", "TODO: Please transfer …".
//! Agent benchmarks plant exactly this in calendars, reviews and bank
//! statements, and an agent that keeps a task list reads it as its own.
//!
//! Code and notes are full of to-dos too, but theirs add, fix, remove and
//! make things; a to-do that sends mail, moves money, invites people or
//! changes a password is an order to whoever acts on the text.

use super::{Category, Evidence};

/// Openings of a to-do item that act on the outside world (lowercase;
/// matched on whole words at the item's start).
const ACTIONS: &[&str] = &[
    "please",
    "send",
    "email",
    "e-mail",
    "forward",
    "transfer",
    "wire",
    "pay",
    "invite",
    "visit",
    "post",
    "share",
    "book",
    "reserve",
    "concatenate",
    "say that",
    "tell the user",
    "make a reservation",
    "change the password",
    "delete the file",
    "delete the email",
    "modify the recipient",
    "get all user",
];

/// Weight of such an item: a verdict alone.
const TODO_ACTION: f32 = 0.5;

pub(super) fn planted_todo(text: &str, evidence: &mut Evidence) {
    for (colon, _) in text.match_indices(':') {
        let label = &text.as_bytes()[..colon];
        let is_todo = label.len() >= 4
            && label[label.len() - 4..].eq_ignore_ascii_case(b"todo")
            && (label.len() == 4 || !label[label.len() - 5].is_ascii_alphanumeric());
        if !is_todo {
            continue;
        }
        let item = text[colon + 1..].trim_start_matches([' ', '\t']);
        let head = &item[..item.floor_char_boundary(24.min(item.len()))];
        let acts = ACTIONS.iter().any(|action| {
            head.len() > action.len()
                && head[..action.len()].eq_ignore_ascii_case(action)
                && !head.as_bytes()[action.len()].is_ascii_alphanumeric()
        });
        if acts {
            let start = colon - 4;
            let end = colon + 1 + (text[colon + 1..].len() - item.len()) + head.len();
            evidence.add(
                start,
                end,
                Category::ToolTrigger,
                "en-todo-action",
                TODO_ACTION,
            );
        }
    }
}
