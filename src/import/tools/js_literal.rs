//! The one piece of JavaScript a Cookiebot declaration script holds that matters here: array
//! literals of strings and numbers (single or double quoted), read as JSON values. Anything
//! else (an identifier, a function) ends the read with an error; nothing is evaluated.

use serde_json::Value;

/// Nesting deeper than this is not a cookie table.
const MAX_DEPTH: usize = 16;

/// Reads the literal at the start of `text`; the value and the bytes read.
pub fn read(text: &str) -> Result<(Value, usize), String> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        at: 0,
    };
    let value = reader.value(0)?;
    Ok((value, reader.at))
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
}

impl Reader<'_> {
    fn skip_space(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err("arrays nested too deep".into());
        }
        self.skip_space();
        match self.bytes.get(self.at) {
            Some(b'[') => self.array(depth),
            Some(&q @ (b'\'' | b'"')) => self.string(q).map(Value::String),
            Some(b) if b.is_ascii_digit() || *b == b'-' => self.number(),
            _ => {
                let rest = &self.text[self.at..];
                for (word, value) in [
                    ("null", Value::Null),
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                ] {
                    if rest.starts_with(word) {
                        self.at += word.len();
                        return Ok(value);
                    }
                }
                Err(format!("unexpected text at byte {}", self.at))
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, String> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            match self.bytes.get(self.at) {
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                None => return Err("an array is not closed".into()),
                _ => {}
            }
            items.push(self.value(depth + 1)?);
            self.skip_space();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b']') => {}
                _ => return Err(format!("expected ',' or ']' at byte {}", self.at)),
            }
        }
    }

    fn string(&mut self, quote: u8) -> Result<String, String> {
        self.at += 1;
        let mut out = String::new();
        let mut chars = self.text[self.at..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, 'u')) => {
                        let hex: String = chars.by_ref().take(4).map(|(_, h)| h).collect();
                        let c = u32::from_str_radix(&hex, 16)
                            .ok()
                            .and_then(char::from_u32)
                            .unwrap_or('\u{fffd}');
                        out.push(c);
                    }
                    Some((_, other)) => out.push(other),
                    None => break,
                },
                c if c as u32 == u32::from(quote) => {
                    self.at += i + 1;
                    return Ok(out);
                }
                c => out.push(c),
            }
        }
        Err("a string is not closed".into())
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.at;
        while self
            .bytes
            .get(self.at)
            .is_some_and(|b| b.is_ascii_digit() || b"-+.eE".contains(b))
        {
            self.at += 1;
        }
        let text = &self.text[start..self.at];
        text.parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("{text:?} is not a number"))
    }
}

#[cfg(test)]
mod tests {
    use super::read;

    #[test]
    fn reads_nested_arrays_of_quoted_strings() {
        let (v, used) = read(r#"[['a\'b', "c", 1, ["x"]], []];rest"#).expect("reads");
        assert_eq!(v, serde_json::json!([["a'b", "c", 1.0, ["x"]], []]));
        assert_eq!(used, r#"[['a\'b', "c", 1, ["x"]], []]"#.len());
        assert!(read("[alert(1)]").is_err());
        assert!(read("['open").is_err());
        assert!(read(&"[".repeat(100)).is_err());
    }
}
