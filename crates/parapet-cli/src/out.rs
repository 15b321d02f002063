//! Writing to stdout and stderr without panicking: a closed pipe (`parapet check | head -1`)
//! silently stops output, any other write error is reported once at the end.

use std::io::{self, BufWriter, Stdout, Write};

/// Buffered standard output that remembers a failed write instead of panicking.
pub struct Out {
    writer: BufWriter<Stdout>,
    closed: bool,
    error: Option<io::Error>,
}

impl Out {
    pub fn stdout() -> Self {
        Self {
            writer: BufWriter::new(io::stdout()),
            closed: false,
            error: None,
        }
    }

    pub fn write(&mut self, text: &str) {
        if self.closed {
            return;
        }
        if let Err(e) = self.writer.write_all(text.as_bytes()) {
            self.fail(e);
        }
    }

    pub fn flush(&mut self) {
        if self.closed {
            return;
        }
        if let Err(e) = self.writer.flush() {
            self.fail(e);
        }
    }

    fn fail(&mut self, e: io::Error) {
        self.closed = true;
        if e.kind() != io::ErrorKind::BrokenPipe {
            self.error = Some(e);
        }
    }

    /// Flushes; `Err` for a write error other than a closed pipe.
    pub fn finish(mut self) -> io::Result<()> {
        self.flush();
        match self.error.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// Writes one line to stderr, ignoring failure (there is nowhere left to report it).
pub fn eprint_line(text: &str) {
    let mut err = io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.write_all(b"\n");
}

/// `parapet: error: ...` on stderr.
pub fn error(message: &str) {
    eprint_line(&format!("parapet: error: {message}"));
}

/// `parapet: warning: ...` on stderr.
pub fn warning(message: &str) {
    eprint_line(&format!("parapet: warning: {message}"));
}
