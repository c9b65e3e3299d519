//! The signing key ring at rest: a JSON key file (mode 0600), created with
//! one fresh key at first start, plus an optional key from the environment.
//!
//! Key material lives only here and in [`KeyRing`]; it is never logged and no
//! API returns it. Writes are atomic (temporary file, fsync, rename, fsync of
//! the directory), so a crash leaves the old ring or the new one.

use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::provenance::{new_secret, parse_secret, KeyRing, KeyState};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    current: String,
    keys: Vec<KeyEntry>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyEntry {
    id: String,
    /// 64 hex digits.
    secret: String,
    state: KeyState,
}

fn invalid(path: &Path, message: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("signing key file {}: {message}", path.display()),
    )
}

/// Reads the key file; refuses one that others may read.
pub fn load(path: &Path) -> io::Result<KeyRing> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(invalid(
                path,
                format!(
                    "permissions {:o} are too open; it must be 0600",
                    mode & 0o777
                ),
            ));
        }
    }
    let text = std::fs::read_to_string(path)?;
    let file: KeyFile = serde_json::from_str(&text).map_err(|e| invalid(path, e))?;
    let mut entries = Vec::with_capacity(file.keys.len());
    for key in file.keys {
        let secret = parse_secret(&key.secret)
            .ok_or_else(|| invalid(path, format!("key `{}` is not 64 hex digits", key.id)))?;
        entries.push((key.id, secret, key.state));
    }
    KeyRing::restore(entries, &file.current).map_err(|e| invalid(path, e))
}

/// Writes the ring atomically with mode 0600.
pub fn save(path: &Path, ring: &KeyRing) -> io::Result<()> {
    let file = KeyFile {
        current: ring.current().unwrap_or_default().to_owned(),
        keys: ring
            .entries()
            .map(|(id, secret, state)| KeyEntry {
                id: id.to_owned(),
                secret: secret.iter().map(|b| format!("{b:02x}")).collect(),
                state,
            })
            .collect(),
    };
    let text = serde_json::to_string_pretty(&file).map_err(io::Error::other)?;
    crate::private_file::write(path, text.as_bytes())
}

/// The ring a server starts with: the key file (created with one key named
/// `k1` if absent and `create`), plus `provenance.key` as the signing key if
/// configured.
pub fn ring_for(config: &Config, create: bool) -> io::Result<KeyRing> {
    let path = config.provenance.keys_path(&config.data_dir);
    let mut ring = if path.exists() {
        load(&path)?
    } else if !create || config.provenance.key.is_some() {
        if config.provenance.key.is_none() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("no signing key file at {}", path.display()),
            ));
        }
        KeyRing::default()
    } else {
        let mut ring = KeyRing::default();
        ring.add("k1", new_secret()).map_err(io::Error::other)?;
        save(&path, &ring)?;
        tracing::warn!(path = %path.display(), "generated a signing key ring");
        ring
    };
    if let Some(key) = &config.provenance.key {
        let secret = parse_secret(key.expose())
            .ok_or_else(|| invalid(&path, "provenance.key is not 64 hex digits"))?;
        let id = &config.provenance.key_id;
        ring.add(id, secret)
            .and_then(|()| ring.rotate(id))
            .map_err(|e| invalid(&path, format!("provenance.key: {e}")))?;
    }
    Ok(ring)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        let mut ring = KeyRing::default();
        ring.add("a", [1; 32]).unwrap();
        ring.add("b", [2; 32]).unwrap();
        ring.rotate("b").unwrap();
        ring.retire("a").unwrap();
        save(&path, &ring).unwrap();
        let back = load(&path).unwrap();
        assert_eq!(back.current(), Some("b"));
        assert_eq!(back.states(), ring.states());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let err = load(&path).unwrap_err().to_string();
            assert!(err.contains("too open"), "{err}");
        }
    }
}
