//! Signed provenance: the canonical encoding of a chunk, the key ring, and
//! sign / verify.
//!
//! Pure functions over payloads: no I/O, no async, no globals. The format is
//! specified in `docs/provenance.md` precisely enough to verify a chunk in
//! another language; the tests below pin it with a known-answer vector.
//!
//! What is signed (version 1), as one BLAKE3 keyed hash:
//!
//! ```text
//! "ragwall-provenance-v1\0"
//! lp(collection) lp(tenant) lp(point id) lp(canonical JSON of the signed fields)
//! u64be(signed_at) lp(vector bytes, empty when vectors are not signed)
//! ```
//!
//! where `lp(x) = u64be(len(x)) || x`. A chunk copied to another collection,
//! tenant or id, or with one byte of a signed field changed, no longer
//! verifies.
//!
//! Version 2 also signs the scanner's verdict on the chunk's content at
//! ingest (`scan: {"by": scanner id, "score": permille}`), so a read by the
//! same scanner need not scan again:
//!
//! ```text
//! "ragwall-provenance-v2\0" …the version 1 fields… lp(scanner id) u16be(permille)
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use qdrant_edge::{VectorPersisted, VectorStructPersisted};

use crate::model::PointId;

/// Domain separation: no other BLAKE3 use of a ragwall key can collide.
const DOMAIN: &[u8] = b"ragwall-provenance-v1\0";
const DOMAIN_V2: &[u8] = b"ragwall-provenance-v2\0";
pub const VERSION: u32 = 1;
/// The version whose stamp carries the scanner's verdict.
pub const VERSION_SCANNED: u32 = 2;

/// The reserved payload field, stored as `{"v", "kid", "ts", "mac"}` plus,
/// in version 2, `"scan"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    pub v: u32,
    pub kid: String,
    pub ts: u64,
    pub mac: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan: Option<ScanClaim>,
}

/// The scanner's verdict on the chunk's content when it was signed: the
/// highest score over its content texts, in thousandths rounded up (so a
/// claim never reads as cleaner than the scan was).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanClaim {
    /// The scanner's id ([`crate::scan::Scanner::id`]).
    pub by: String,
    /// 0..=1000.
    pub score: u16,
}

impl ScanClaim {
    pub fn new(by: &str, score: f32) -> Self {
        ScanClaim {
            by: by.to_owned(),
            score: (score.clamp(0.0, 1.0) * 1000.0).ceil() as u16,
        }
    }

    /// Whether the claim, made by `scanner`, shows the chunk is below
    /// `threshold` (else the chunk must be scanned).
    pub fn clean_for(&self, scanner: &str, threshold: f32) -> bool {
        self.by == scanner && f32::from(self.score) / 1000.0 < threshold
    }
}

/// Why a chunk did not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rejection {
    /// No (well-formed) provenance field.
    Missing,
    /// Signed with a key id the ring does not have.
    UnknownKey,
    /// Signed with a key that has been retired.
    RetiredKey,
    /// The MAC does not match the chunk as it is now.
    Mismatch,
}

/// A signing key's lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum KeyState {
    /// Verifies; the ring's current key also signs.
    Active,
    /// No longer verifies anything.
    Retired,
}

#[derive(Clone)]
struct Key {
    secret: [u8; 32],
    state: KeyState,
}

/// Signing keys by id: several verify, one signs.
#[derive(Clone, Default)]
pub struct KeyRing {
    keys: BTreeMap<String, Key>,
    current: Option<String>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Key material is never printed.
        let states: BTreeMap<&str, KeyState> = self
            .keys
            .iter()
            .map(|(id, k)| (id.as_str(), k.state))
            .collect();
        f.debug_struct("KeyRing")
            .field("keys", &states)
            .field("current", &self.current)
            .finish()
    }
}

impl KeyRing {
    /// Adds an active key; the first one added signs until `rotate`.
    pub fn add(&mut self, id: &str, secret: [u8; 32]) -> Result<(), String> {
        if id.is_empty() || self.keys.contains_key(id) {
            return Err(format!("signing key id `{id}` is empty or already used"));
        }
        self.keys.insert(
            id.to_owned(),
            Key {
                secret,
                state: KeyState::Active,
            },
        );
        if self.current.is_none() {
            self.current = Some(id.to_owned());
        }
        Ok(())
    }

    /// Makes `id` the signing key; the previous one keeps verifying.
    pub fn rotate(&mut self, id: &str) -> Result<(), String> {
        match self.keys.get(id) {
            Some(k) if k.state == KeyState::Active => {
                self.current = Some(id.to_owned());
                Ok(())
            }
            _ => Err(format!("signing key `{id}` is not an active key")),
        }
    }

    /// Retires `id`: nothing signed with it verifies any more.
    pub fn retire(&mut self, id: &str) -> Result<(), String> {
        if self.current.as_deref() == Some(id) {
            return Err(format!("rotate to another key before retiring `{id}`"));
        }
        let key = self
            .keys
            .get_mut(id)
            .ok_or_else(|| format!("no signing key `{id}`"))?;
        key.state = KeyState::Retired;
        Ok(())
    }

    pub fn current(&self) -> Option<&str> {
        self.current.as_deref()
    }

    /// Rebuilds a ring from stored entries (the key file).
    pub fn restore(
        entries: impl IntoIterator<Item = (String, [u8; 32], KeyState)>,
        current: &str,
    ) -> Result<Self, String> {
        let mut ring = KeyRing::default();
        for (id, secret, state) in entries {
            ring.add(&id, secret)?;
            ring.keys.get_mut(&id).expect("just added").state = state;
        }
        ring.rotate(current)?;
        Ok(ring)
    }

    /// Every key with its state, for persisting the ring. The only way key
    /// material leaves this type: the key file writer.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &[u8; 32], KeyState)> {
        self.keys
            .iter()
            .map(|(id, k)| (id.as_str(), &k.secret, k.state))
    }

    /// Key ids and states, safe to show.
    pub fn states(&self) -> BTreeMap<String, KeyState> {
        self.keys
            .iter()
            .map(|(id, k)| (id.clone(), k.state))
            .collect()
    }
}

/// A 32-byte key from 64 hex digits.
pub fn parse_secret(hex: &str) -> Option<[u8; 32]> {
    let hex = hex.trim();
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// A fresh random 32-byte key.
pub fn new_secret() -> [u8; 32] {
    use rand::RngCore;
    let mut out = [0u8; 32];
    rand::rng().fill_bytes(&mut out);
    out
}

/// The canonical bytes of a point's vectors, for collections that sign them.
///
/// Vectors are taken by name (the unnamed default vector is named `""`), in
/// name order; each is `lp(name)`, a kind byte and its data: `d` dense
/// `lp(f32 LE…)`; `s` sparse, pairs sorted by index, `lp((u32 LE index,
/// f32 LE value)…)`; `m` multi-dense, `u64be(rows)` then `lp(f32 LE…)` per row.
pub fn vector_bytes(vectors: &VectorStructPersisted) -> Vec<u8> {
    let mut named: Vec<(&str, &VectorPersisted)> = Vec::new();
    let single;
    match vectors {
        VectorStructPersisted::Single(v) => {
            single = VectorPersisted::Dense(v.clone());
            named.push(("", &single));
        }
        VectorStructPersisted::MultiDense(m) => {
            single = VectorPersisted::MultiDense(m.clone());
            named.push(("", &single));
        }
        VectorStructPersisted::Named(map) => {
            named.extend(map.iter().map(|(k, v)| (k.as_str(), v)));
        }
    }
    named.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let floats =
        |values: &[f32]| -> Vec<u8> { values.iter().flat_map(|x| x.to_le_bytes()).collect() };
    let mut out = Vec::new();
    for (name, vector) in named {
        push_lp(&mut out, name.as_bytes());
        match vector {
            VectorPersisted::Dense(v) => {
                out.push(b'd');
                push_lp(&mut out, &floats(v));
            }
            VectorPersisted::Sparse(s) => {
                out.push(b's');
                let mut pairs: Vec<(u32, f32)> = s
                    .indices
                    .iter()
                    .copied()
                    .zip(s.values.iter().copied())
                    .collect();
                pairs.sort_by_key(|p| p.0);
                let data: Vec<u8> = pairs
                    .iter()
                    .flat_map(|(i, v)| i.to_le_bytes().into_iter().chain(v.to_le_bytes()))
                    .collect();
                push_lp(&mut out, &data);
            }
            VectorPersisted::MultiDense(rows) => {
                out.push(b'm');
                out.extend_from_slice(&(rows.len() as u64).to_be_bytes());
                for row in rows {
                    push_lp(&mut out, &floats(row));
                }
            }
        }
    }
    out
}

/// Scales a dense vector to unit length the way Qdrant stores vectors of a
/// cosine space, so that the engine keeps exactly the signed values (it
/// leaves vectors within 1e-6 of unit length as they are). The length is
/// summed in f64 so the result is as close to unit length as f32 allows.
pub fn normalize(v: &mut [f32]) {
    let length = v
        .iter()
        .map(|x| f64::from(*x) * f64::from(*x))
        .sum::<f64>()
        .sqrt();
    if length < f64::from(f32::EPSILON) || (length - 1.0).abs() <= 1e-7 {
        return;
    }
    for x in v.iter_mut() {
        *x = (f64::from(*x) / length) as f32;
    }
}

/// Where a chunk lives: part of what is signed.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub collection: &'a str,
    pub tenant: &'a str,
    pub id: PointId,
}

/// The point id as signed: `n:<decimal>` or `u:<lowercase hyphenated uuid>`.
fn id_bytes(id: PointId) -> String {
    match id {
        PointId::NumId(n) => format!("n:{n}"),
        PointId::Uuid(u) => format!("u:{}", u.hyphenated()),
    }
}

/// Canonical JSON: object keys sorted (by UTF-8 bytes), no whitespace,
/// integers and integral floats within ±2^53 as decimal integers, other
/// numbers in shortest round-trip form, strings as serde_json escapes them.
pub fn canonical_json(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Number(n) => {
            const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
            match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => out.extend_from_slice(i.to_string().as_bytes()),
                (_, Some(u), _) => out.extend_from_slice(u.to_string().as_bytes()),
                (_, _, Some(f)) if f.fract() == 0.0 && f.abs() <= EXACT => {
                    out.extend_from_slice((f as i64).to_string().as_bytes())
                }
                _ => out.extend_from_slice(n.to_string().as_bytes()),
            }
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                canonical_json(item, out);
            }
            out.push(b']');
        }
        Value::Object(map) => canonical_object(map.iter(), out),
    }
}

/// A JSON string as serde_json escapes it (the canonical escaping).
fn write_string(s: &str, out: &mut Vec<u8>) {
    // Writing to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

fn canonical_object<'a>(entries: impl Iterator<Item = (&'a String, &'a Value)>, out: &mut Vec<u8>) {
    let mut entries: Vec<_> = entries.collect();
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    out.push(b'{');
    for (i, (key, value)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_string(key, out);
        out.push(b':');
        canonical_json(value, out);
    }
    out.push(b'}');
}

fn push_lp(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// The exact bytes that are MACed (version 1, or 2 with a scan claim).
pub fn message(
    origin: Origin,
    payload: &Map<String, Value>,
    fields: &[String],
    signed_at: u64,
    vector: Option<&[u8]>,
    scan: Option<&ScanClaim>,
) -> Vec<u8> {
    let mut signed = Vec::with_capacity(256);
    canonical_object(
        payload
            .iter()
            .filter(|(k, _)| fields.iter().any(|f| f == *k)),
        &mut signed,
    );
    let mut out = Vec::with_capacity(DOMAIN.len() + signed.len() + 128);
    out.extend_from_slice(if scan.is_some() { DOMAIN_V2 } else { DOMAIN });
    push_lp(&mut out, origin.collection.as_bytes());
    push_lp(&mut out, origin.tenant.as_bytes());
    push_lp(&mut out, id_bytes(origin.id).as_bytes());
    push_lp(&mut out, &signed);
    out.extend_from_slice(&signed_at.to_be_bytes());
    push_lp(&mut out, vector.unwrap_or_default());
    if let Some(scan) = scan {
        push_lp(&mut out, scan.by.as_bytes());
        out.extend_from_slice(&scan.score.to_be_bytes());
    }
    out
}

/// Signs a chunk with the ring's current key (with the scanner's verdict
/// on it, if given: version 2).
pub fn sign(
    ring: &KeyRing,
    origin: Origin,
    payload: &Map<String, Value>,
    fields: &[String],
    signed_at: u64,
    vector: Option<&[u8]>,
    scan: Option<ScanClaim>,
) -> Result<Provenance, String> {
    let kid = ring.current().ok_or("no signing key is configured")?;
    let key = &ring.keys[kid];
    let mac = blake3::keyed_hash(
        &key.secret,
        &message(origin, payload, fields, signed_at, vector, scan.as_ref()),
    );
    Ok(Provenance {
        v: if scan.is_some() {
            VERSION_SCANNED
        } else {
            VERSION
        },
        kid: kid.to_owned(),
        ts: signed_at,
        mac: mac.to_hex().to_string(),
        scan,
    })
}

/// Verifies a chunk's provenance (`None`: the field is absent or malformed).
pub fn verify(
    ring: &KeyRing,
    origin: Origin,
    payload: &Map<String, Value>,
    fields: &[String],
    provenance: Option<&Provenance>,
    vector: Option<&[u8]>,
) -> Result<(), Rejection> {
    // A version and its fields go together: a claim cannot be added to a
    // version 1 stamp or stripped from a version 2 one.
    let p = provenance
        .filter(|p| match p.v {
            VERSION => p.scan.is_none(),
            VERSION_SCANNED => p.scan.is_some(),
            _ => false,
        })
        .ok_or(Rejection::Missing)?;
    let key = ring.keys.get(&p.kid).ok_or(Rejection::UnknownKey)?;
    if key.state == KeyState::Retired {
        return Err(Rejection::RetiredKey);
    }
    // Exactly the canonical form: 64 lowercase hex digits (`from_hex` would
    // also take uppercase, and a stamp has one spelling).
    let canonical = p.mac.len() == 64
        && p.mac
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !canonical {
        return Err(Rejection::Mismatch);
    }
    let claimed = blake3::Hash::from_hex(&p.mac).map_err(|_| Rejection::Mismatch)?;
    let message = message(origin, payload, fields, p.ts, vector, p.scan.as_ref());
    let actual = blake3::keyed_hash(&key.secret, &message);
    // `blake3::Hash` compares in constant time.
    if actual == claimed {
        Ok(())
    } else {
        Err(Rejection::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn ring() -> KeyRing {
        let mut r = KeyRing::default();
        r.add("k1", [7u8; 32]).unwrap();
        r
    }

    fn payload(text: &str) -> Map<String, Value> {
        json!({"text": text, "source": "wiki", "unsigned": 1})
            .as_object()
            .unwrap()
            .clone()
    }

    fn fields() -> Vec<String> {
        vec!["text".into(), "source".into()]
    }

    const ORIGIN: Origin = Origin {
        collection: "docs",
        tenant: "acme",
        id: PointId::NumId(42),
    };

    #[test]
    fn known_answer() {
        // The encoding, written out by hand: a verifier in another language
        // must produce exactly these bytes and this MAC.
        let mut expected = b"ragwall-provenance-v1\0".to_vec();
        for part in [
            &b"docs"[..],
            b"acme",
            b"n:42",
            br#"{"source":"wiki","text":"hello"}"#,
        ] {
            expected.extend_from_slice(&(part.len() as u64).to_be_bytes());
            expected.extend_from_slice(part);
        }
        expected.extend_from_slice(&1_700_000_000u64.to_be_bytes());
        expected.extend_from_slice(&0u64.to_be_bytes());
        assert_eq!(
            message(
                ORIGIN,
                &payload("hello"),
                &fields(),
                1_700_000_000,
                None,
                None
            ),
            expected
        );
        let p = sign(
            &ring(),
            ORIGIN,
            &payload("hello"),
            &fields(),
            1_700_000_000,
            None,
            None,
        )
        .unwrap();
        assert_eq!(p.mac, KNOWN_MAC);
        assert_eq!((p.v, p.kid.as_str(), p.ts), (1, "k1", 1_700_000_000));
    }

    #[test]
    fn a_scan_claim_is_signed_with_the_chunk() {
        let r = ring();
        let pl = payload("hello");
        let claim = ScanClaim::new("0123456789abcdef", 0.1234);
        assert_eq!(claim.score, 124, "rounded up, never cleaner");
        let p = sign(&r, ORIGIN, &pl, &fields(), 5, None, Some(claim.clone())).unwrap();
        assert_eq!(p.v, VERSION_SCANNED);
        assert_eq!(verify(&r, ORIGIN, &pl, &fields(), Some(&p), None), Ok(()));
        // Its message is version 1's under its own domain, then the claim.
        let v1 = message(ORIGIN, &pl, &fields(), 5, None, None);
        let v2 = message(ORIGIN, &pl, &fields(), 5, None, Some(&claim));
        assert_eq!(&v2[..DOMAIN_V2.len()], DOMAIN_V2);
        assert_eq!(&v2[DOMAIN_V2.len()..v1.len()], &v1[DOMAIN.len()..]);
        let mut tail = 16u64.to_be_bytes().to_vec();
        tail.extend_from_slice(b"0123456789abcdef");
        tail.extend_from_slice(&124u16.to_be_bytes());
        assert_eq!(&v2[v1.len()..], &tail[..]);

        // A cleaner score, another scanner, a stripped or an added claim:
        // none verifies.
        let mut cleaner = p.clone();
        cleaner.scan.as_mut().unwrap().score = 0;
        let mut other = p.clone();
        other.scan.as_mut().unwrap().by = "fedcba9876543210".into();
        let mut stripped = p.clone();
        stripped.scan = None;
        let mut downgraded = stripped.clone();
        downgraded.v = VERSION;
        let plain = sign(&r, ORIGIN, &pl, &fields(), 5, None, None).unwrap();
        let mut added = plain.clone();
        added.scan = Some(claim);
        for (forged, why) in [
            (&cleaner, Rejection::Mismatch),
            (&other, Rejection::Mismatch),
            (&stripped, Rejection::Missing),
            (&downgraded, Rejection::Mismatch),
            (&added, Rejection::Missing),
        ] {
            assert_eq!(
                verify(&r, ORIGIN, &pl, &fields(), Some(forged), None),
                Err(why),
                "{forged:?}"
            );
        }
    }

    #[test]
    fn a_claim_is_clean_only_for_its_scanner_below_the_threshold() {
        let claim = ScanClaim::new("aaaa", 0.2);
        assert!(claim.clean_for("aaaa", 0.5));
        assert!(!claim.clean_for("bbbb", 0.5));
        assert!(!claim.clean_for("aaaa", 0.2));
        assert!(!ScanClaim::new("aaaa", 0.4996).clean_for("aaaa", 0.5));
    }

    /// BLAKE3 keyed hash, key = 32 bytes of 0x07, of the message above.
    const KNOWN_MAC: &str = "69059aa576a28e977c7c979a618ef12a0a3b44606b95b80340bb5bbd4d3a7600";

    #[test]
    fn copies_edits_and_keys() {
        let r = ring();
        let pl = payload("hello");
        let p = sign(&r, ORIGIN, &pl, &fields(), 5, None, None).unwrap();
        assert_eq!(verify(&r, ORIGIN, &pl, &fields(), Some(&p), None), Ok(()));
        // Unsigned fields may change.
        let mut other = pl.clone();
        other.insert("unsigned".into(), json!(2));
        assert_eq!(
            verify(&r, ORIGIN, &other, &fields(), Some(&p), None),
            Ok(())
        );
        // Copies to another tenant, collection or id fail.
        for moved in [
            Origin {
                tenant: "victim",
                ..ORIGIN
            },
            Origin {
                collection: "other",
                ..ORIGIN
            },
            Origin {
                id: PointId::NumId(43),
                ..ORIGIN
            },
        ] {
            assert_eq!(
                verify(&r, moved, &pl, &fields(), Some(&p), None),
                Err(Rejection::Mismatch)
            );
        }
        // The MAC has one spelling: uppercase hex is not it (found by the
        // mutation property: flipping bit 0x20 of a hex letter).
        let upper = Provenance {
            mac: p.mac.to_uppercase(),
            ..p.clone()
        };
        assert_eq!(
            verify(&r, ORIGIN, &pl, &fields(), Some(&upper), None),
            Err(Rejection::Mismatch)
        );
        // Removing a signed field fails.
        let mut cut = pl.clone();
        cut.remove("source");
        assert_eq!(
            verify(&r, ORIGIN, &cut, &fields(), Some(&p), None),
            Err(Rejection::Mismatch)
        );
        assert_eq!(
            verify(&r, ORIGIN, &pl, &fields(), None, None),
            Err(Rejection::Missing)
        );
        // Vectors, when signed.
        let v = p.clone();
        let pv = sign(&r, ORIGIN, &pl, &fields(), 5, Some(&[1, 2, 3]), None).unwrap();
        assert_ne!(pv.mac, v.mac);
        assert_eq!(
            verify(&r, ORIGIN, &pl, &fields(), Some(&pv), Some(&[1, 2, 4])),
            Err(Rejection::Mismatch)
        );
    }

    #[test]
    fn rotation_and_retirement() {
        let mut r = ring();
        let pl = payload("x");
        let old = sign(&r, ORIGIN, &pl, &fields(), 1, None, None).unwrap();
        r.add("k2", [9u8; 32]).unwrap();
        r.rotate("k2").unwrap();
        let new = sign(&r, ORIGIN, &pl, &fields(), 1, None, None).unwrap();
        assert_eq!(new.kid, "k2");
        assert_eq!(verify(&r, ORIGIN, &pl, &fields(), Some(&old), None), Ok(()));
        assert!(r.retire("k2").is_err(), "the signing key cannot be retired");
        r.retire("k1").unwrap();
        assert_eq!(
            verify(&r, ORIGIN, &pl, &fields(), Some(&old), None),
            Err(Rejection::RetiredKey)
        );
        assert_eq!(verify(&r, ORIGIN, &pl, &fields(), Some(&new), None), Ok(()));
        let unknown = Provenance {
            kid: "k9".into(),
            ..new
        };
        assert_eq!(
            verify(&r, ORIGIN, &pl, &fields(), Some(&unknown), None),
            Err(Rejection::UnknownKey)
        );
        assert!(!format!("{r:?}").contains("9, 9"), "key material printed");
    }

    #[test]
    fn canonical_numbers_and_order() {
        let mut a = Vec::new();
        canonical_json(
            &json!({"b": 1.0, "a": [1, 2.5, -0.0, 1e300], "é": "\u{1}"}),
            &mut a,
        );
        assert_eq!(
            String::from_utf8(a).unwrap(),
            r#"{"a":[1,2.5,0,1e+300],"b":1,"é":"\u0001"}"#
        );
    }

    proptest! {
        /// Any single-byte change to any signed field or to the MAC fails.
        #[test]
        fn any_one_byte_mutation_fails(
            text in "[ -~]{1,64}",
            source in "[a-z]{1,16}",
            which in 0usize..3,
            at in any::<prop::sample::Index>(),
            byte in 1u8..=255,
        ) {
            let r = ring();
            let pl = json!({"text": text, "source": source}).as_object().unwrap().clone();
            let p = sign(&r, ORIGIN, &pl, &fields(), 77, None, None).unwrap();
            let (mut pl2, mut p2) = (pl.clone(), p.clone());
            let mutate = |s: &str| -> String {
                let mut b = s.as_bytes().to_vec();
                let i = at.index(b.len());
                b[i] ^= byte;
                String::from_utf8_lossy(&b).into_owned()
            };
            match which {
                0 => { pl2.insert("text".into(), Value::String(mutate(&text))); }
                1 => { pl2.insert("source".into(), Value::String(mutate(&source))); }
                _ => { p2.mac = mutate(&p.mac); }
            }
            prop_assume!(pl2 != pl || p2 != p);
            prop_assert!(verify(&r, ORIGIN, &pl2, &fields(), Some(&p2), None).is_err());
        }
    }
}
