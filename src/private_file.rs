//! Secrets at rest: files only their owner can read (mode 0600), replaced
//! atomically (temporary file, fsync, rename, fsync of the directory) so a
//! crash leaves the old content or the new, never a torn file.

use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `path` atomically with mode 0600.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("secret");
    let staging = dir.join(format!(".{name}.new"));
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut out = options.open(&staging)?;
        out.write_all(bytes)?;
        out.sync_all()?;
    }
    std::fs::rename(&staging, path)?;
    std::fs::File::open(dir)?.sync_all()
}
