//! How large a file PolicyDesk reads may be. Every file read goes through [`read_capped`], so a
//! huge or endless file (a device, a runaway download) gives an error naming the file and the
//! limit instead of filling the memory.

use std::io::Read;
use std::path::Path;

/// A size limit, and what it is for (said in the error).
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub bytes: u64,
    pub what: &'static str,
}

/// A site or platform file: a portal with a thousand cookies in two languages is about 1 MiB.
pub const SITE_FILE: Limit = Limit {
    bytes: 16 << 20,
    what: "a site file",
};

/// One saved audit (`.audits/<site>/<time>.json`).
pub const AUDIT_FILE: Limit = Limit {
    bytes: 64 << 20,
    what: "an audit history file",
};

/// A bundle's `manifest.json`.
pub const MANIFEST: Limit = Limit {
    bytes: 64 << 20,
    what: "a bundle manifest",
};

/// A saved policy page or another tool's output read by `import`.
pub const POLICY_PAGE: Limit = Limit {
    bytes: 20 << 20,
    what: "a policy page",
};

/// A zip bundle being verified: 1,000 sites in two languages zip to about 20 MiB.
pub const ZIP_BUNDLE: Limit = Limit {
    bytes: 4 << 30,
    what: "a zip bundle",
};

/// Files (or zip entries) in a bundle being verified: 1,000 sites make about 12,000.
pub const BUNDLE_ENTRIES: usize = 1_000_000;

impl Limit {
    /// The error for a file over the limit.
    pub fn exceeded(self) -> std::io::Error {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "larger than {}, the most {} may hold",
                size_text(self.bytes),
                self.what
            ),
        )
    }
}

fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 30 && bytes.is_multiple_of(1 << 30) {
        format!("{} GiB", bytes >> 30)
    } else if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// The bytes of `path`, or an error when it holds more than `limit` (read up to one byte past
/// it, so a file that grows while read is caught too).
pub fn read_capped(path: &Path, limit: Limit) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit.bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit.bytes {
        return Err(limit.exceeded());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_file_over_the_limit_and_says_which_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        std::fs::write(&path, vec![b' '; 2048]).unwrap();
        let small = Limit {
            bytes: 1 << 10,
            what: "a test file",
        };
        let e = read_capped(&path, small).unwrap_err();
        assert_eq!(
            e.to_string(),
            "larger than 1024 bytes, the most a test file may hold"
        );
        assert_eq!(read_capped(&path, SITE_FILE).unwrap().len(), 2048);
    }
}
