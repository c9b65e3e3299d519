//! A mode announced in a bracketed tag, in any language: `<SYSTEM MODE>`,
//! `[GOD MODE]`, `<MODUS TUHAN>`, `<СИСТЕМНЫЙ РЕЖИМ>`, `<系统模式>`. Such a
//! tag reads like a template marker, and machine-translated injection sets
//! translate it into every language; listing each translation of each
//! mode does not end. What is kept constant is the shape: a short tag,
//! written in capitals where the script has them, that names a mode.
//!
//! Markup has tags of this shape too, but in lower case (`<mode>`), with
//! attributes (`<mode name="x">`), or closing (`</mode>`); documentation
//! names keys (`<Esc>`) and modes in prose, not in a capitalised tag.

use super::{Category, Evidence};

/// The word for "mode" in the languages injection sets are translated
/// into. Scripts written without spaces or without case match inside the
/// tag; the others match as a word.
const MODE_WORDS: &[&str] = &[
    "MODE",
    "MODUS",
    "MODO",
    "MODALITÀ",
    "MODALITA",
    "MODU",
    "MODUNA",
    "REŽIM",
    "РЕЖИМ",
    "CHẾ ĐỘ",
];
const MODE_WORDS_UNCASED: &[&str] = &["模式", "モード", "मोड", "모드", "โหมด", "وضع", "মোড"];

/// Longest tag read, in characters: a mode's name is a few words.
const MAX_TAG: usize = 40;

/// Weight of such a tag: the same as a listed mode marker, a verdict alone.
const MODE_TAG: f32 = 0.5;

pub(super) fn announces_mode(text: &str, evidence: &mut Evidence) {
    // Most text has no bracket at all.
    if !text.contains(['<', '[']) {
        return;
    }
    let bytes = text.as_bytes();
    for (open, &b) in bytes.iter().enumerate() {
        let close = match b {
            b'<' => '>',
            b'[' => ']',
            _ => continue,
        };
        // The close looked for nearby only: a `<` in prose ("a < b") must
        // not send every search to the end of the text.
        let rest = &text[open + 1..];
        let rest = &rest[..rest.floor_char_boundary(4 * MAX_TAG)];
        let Some(len) = rest.find(close) else {
            continue;
        };
        let inner = &rest[..len];
        if is_mode_tag(inner) {
            evidence.add(
                open,
                open + len + 2,
                Category::TemplateMarker,
                "mode-tag",
                MODE_TAG,
            );
        }
    }
}

/// Whether the inside of a bracket is a mode's name: two to five words, no
/// markup (`=`, `/`, quotes), every cased letter a capital, and a word for
/// "mode" in it alongside another word.
fn is_mode_tag(inner: &str) -> bool {
    let inner = inner.trim();
    if inner.is_empty()
        || inner.chars().count() > MAX_TAG
        || inner.contains(['=', '/', '"', '\'', '<', '[', '\n'])
    {
        return false;
    }
    if inner.chars().any(char::is_lowercase) {
        return false;
    }
    let words: Vec<&str> = inner.split_whitespace().collect();
    if words.len() > 5 {
        return false;
    }
    let spaced = MODE_WORDS
        .iter()
        .any(|m| words.len() >= 2 && (words.contains(m) || m.contains(' ') && inner.contains(m)));
    let uncased = MODE_WORDS_UNCASED.iter().any(|m| {
        inner.contains(m) && inner.chars().filter(|c| c.is_alphabetic()).count() > m.chars().count()
    });
    spaced || uncased
}

#[cfg(test)]
mod tests {
    use super::is_mode_tag;

    #[test]
    fn mode_tags() {
        for tag in [
            "SYSTEM MODE",
            "MODUS TUHAN",
            "СИСТЕМНЫЙ РЕЖИМ",
            "系统模式",
            "NOW ENTERING SECURITY OVERRIDE MODE",
            "MODO DIOS",
        ] {
            assert!(is_mode_tag(tag), "{tag}");
        }
        for not in [
            "mode",
            "MODE",
            "模式",
            "Insert mode",
            "mode name=\"x\"",
            "MODE NAME=\"DEBUG\"",
            "系统模式 settings",
            "/MODE",
            "SYSTEM MODE IS A SETTING THAT NOBODY SHOULD EVER CHANGE",
        ] {
            assert!(!is_mode_tag(not), "{not}");
        }
    }
}
