//! Writing a report that was built one site at a time: to a file, all at once (a temporary file
//! renamed over it), or to stdout.

use std::io::{self, Write};
use std::path::Path;

/// Calls `write` with the destination: `out` (replaced atomically) or stdout.
pub fn emit_with(
    out: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), String> {
    match out {
        Some(path) => crate::store::save::write_atomically_with(path, write)
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => {
            let mut stdout = io::BufWriter::new(io::stdout().lock());
            write(&mut stdout)
                .and_then(|_| stdout.flush())
                .or_else(|e| match e.kind() {
                    io::ErrorKind::BrokenPipe => Ok(()),
                    _ => Err(e),
                })
                .map_err(|e| format!("cannot write to stdout: {e}"))
        }
    }
}
