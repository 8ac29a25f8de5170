//! A tokenizer for RON text that keeps what the `ron` crate throws away: where each comment
//! stands. It only needs to tell comments, strings and brackets apart, so every other run of
//! characters (names, numbers, `#!`) is one opaque word.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Open(u8),
    Close(u8),
    Comma,
    Colon,
    /// A string, raw string, byte string or character literal.
    Str,
    /// A name, a number, or any other run of characters.
    Word,
    /// `// …` up to (not including) the line break, or a (nested) `/* … */`.
    Comment,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    /// Byte offsets into the text.
    pub start: usize,
    pub end: usize,
}

/// Splits `text` into tokens; an error (with its byte offset) for an unterminated string or
/// comment. Linear in the length of the text.
pub fn tokens(text: &str) -> Result<Vec<Token>, (usize, &'static str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let b = bytes[i];
        let kind = match b {
            b'(' | b'[' | b'{' => {
                i += 1;
                Kind::Open(b)
            }
            b')' | b']' | b'}' => {
                i += 1;
                Kind::Close(b)
            }
            b',' => {
                i += 1;
                Kind::Comma
            }
            b':' => {
                i += 1;
                Kind::Colon
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = memchr_newline(bytes, i);
                Kind::Comment
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = block_comment_end(bytes, i).ok_or((start, "unterminated block comment"))?;
                Kind::Comment
            }
            b'"' | b'\'' => {
                i = quoted_end(bytes, i + 1, b).ok_or((start, "unterminated string"))?;
                Kind::Str
            }
            b'r' | b'b' if raw_or_byte_string(bytes, i).is_some() => {
                i = raw_or_byte_string(bytes, i)
                    .flatten()
                    .ok_or((start, "unterminated string"))?;
                Kind::Str
            }
            _ => {
                let c = text[i..].chars().next().unwrap_or(' ');
                if c.is_whitespace() {
                    i += c.len_utf8();
                    continue;
                }
                i = word_end(text, i);
                Kind::Word
            }
        };
        out.push(Token {
            kind,
            start,
            end: i,
        });
    }
    Ok(out)
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

/// The end of the block comment starting at `from`, nesting as `ron` does.
fn block_comment_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut level = 0usize;
    let mut i = from;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"/*") {
            level += 1;
            i += 2;
        } else if bytes[i..].starts_with(b"*/") {
            level -= 1;
            i += 2;
            if level == 0 {
                return Some(i);
            }
        } else {
            i += 1;
        }
    }
    None
}

/// The end (after the closing quote) of a string or character opened at `from - 1`.
fn quoted_end(bytes: &[u8], mut i: usize, quote: u8) -> Option<usize> {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// `Some(end)` when a raw string (`r"…"`, `r#"…"#`), byte string (`b"…"`) or raw byte string
/// starts at `i`; `Some(None)` when one starts but never ends; `None` when `i` starts a word.
fn raw_or_byte_string(bytes: &[u8], i: usize) -> Option<Option<usize>> {
    let mut j = i;
    if bytes[j] == b'b' {
        j += 1;
        if bytes.get(j) == Some(&b'"') {
            return Some(quoted_end(bytes, j + 1, b'"'));
        }
    }
    if bytes.get(j) != Some(&b'r') {
        return None;
    }
    j += 1;
    let hashes = bytes[j..].iter().take_while(|&&b| b == b'#').count();
    j += hashes;
    if bytes.get(j) != Some(&b'"') {
        // `r#name` is a raw identifier.
        return None;
    }
    // Each quote is followed by its own run of `#`, so this reads every byte at most twice.
    let mut k = j + 1;
    while let Some(p) = bytes[k..].iter().position(|&b| b == b'"') {
        let quote = k + p;
        let run = bytes[quote + 1..]
            .iter()
            .take(hashes)
            .take_while(|&&b| b == b'#')
            .count();
        if run == hashes {
            return Some(Some(quote + 1 + hashes));
        }
        k = quote + 1;
    }
    Some(None)
}

fn word_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if b"()[]{},:\"'".contains(&b)
            || (b == b'/' && matches!(bytes.get(i + 1), Some(b'/' | b'*')))
        {
            break;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            break;
        }
        i += c.len_utf8();
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        tokens(text)
            .unwrap()
            .into_iter()
            .map(|t| (t.kind, &text[t.start..t.end]))
            .collect()
    }

    #[test]
    fn tells_comments_from_strings() {
        assert_eq!(
            kinds("( a: \"x // y\", // z\n b: r#\"q\"/*\"#, /* c /* d */ e */ c: 'k')"),
            vec![
                (Kind::Open(b'('), "("),
                (Kind::Word, "a"),
                (Kind::Colon, ":"),
                (Kind::Str, "\"x // y\""),
                (Kind::Comma, ","),
                (Kind::Comment, "// z"),
                (Kind::Word, "b"),
                (Kind::Colon, ":"),
                (Kind::Str, "r#\"q\"/*\"#"),
                (Kind::Comma, ","),
                (Kind::Comment, "/* c /* d */ e */"),
                (Kind::Word, "c"),
                (Kind::Colon, ":"),
                (Kind::Str, "'k'"),
                (Kind::Close(b')'), ")"),
            ]
        );
        assert!(tokens("\"open").is_err());
        assert!(tokens("/* open").is_err());
    }
}
