//! Duplicate JSON keys are refused everywhere.
//!
//! Typed serde structs already reject a repeated field, but anything parsed
//! as a map (payloads, filters' values) keeps the *last* value, so
//! `{"tenant_id": "acme", "tenant_id": "victim"}` means one thing to a
//! first-wins reader and another to Qdrant. One pass over the raw body
//! refuses any object with a repeated key before the body is interpreted.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// An object key, borrowed when it can be.
struct Key<'de>(Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// Walks any JSON value, failing on an object with a repeated key.
struct Unique;

impl<'de> DeserializeSeed<'de> for Unique {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Unique {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Keys borrowed from the body where they have no escapes; most
        // objects are small, so a list is searched until it grows.
        let mut seen: Vec<Cow<'de, str>> = Vec::new();
        let mut many: HashSet<Cow<'de, str>> = HashSet::new();
        while let Some(Key(key)) = map.next_key::<Key>()? {
            let repeated = if many.is_empty() && seen.len() < 16 {
                let found = seen.contains(&key);
                seen.push(key.clone());
                found
            } else {
                many.extend(seen.drain(..));
                !many.insert(key.clone())
            };
            if repeated {
                return Err(serde::de::Error::custom(format!("duplicate key `{key}`")));
            }
            map.next_value_seed(Unique)?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Unique)?.is_some() {}
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

/// Refuses a JSON document containing an object with a repeated key.
pub fn reject_duplicate_keys(bytes: &[u8]) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    Unique.deserialize(&mut de)?;
    de.end()
}

#[cfg(test)]
mod tests {
    use super::reject_duplicate_keys;

    #[test]
    fn table() {
        let rows: &[(&str, bool)] = &[
            (r#"{"a": 1, "b": 2}"#, true),
            (r#"{"a": 1, "a": 2}"#, false),
            (
                r#"{"p": {"tenant_id": "acme", "tenant_id": "victim"}}"#,
                false,
            ),
            (r#"[{"x": 1}, {"x": 2}]"#, true),
            (r#"[{"x": 1, "y": {"z": [1, {"q": 1, "q": 1}]}}]"#, false),
            (r#"{"a\u0062": 1, "ab": 2}"#, false),
            (r#"{"a": "\"a\""}"#, true),
            (r#"{"a": 1} trailing"#, false),
        ];
        for (json, ok) in rows {
            assert_eq!(
                reject_duplicate_keys(json.as_bytes()).is_ok(),
                *ok,
                "{json}"
            );
        }
    }
}
