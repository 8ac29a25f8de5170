//! A small writer of JavaScript values for the generated configurations: every string, number
//! and key is written by serde_json, so no text of a site file can end a literal early (nor a
//! `<script>` element the file is pasted into); only the generator's own code (`new RegExp(…)`,
//! an empty function) is written as is.

use serde_json::Value;

/// A JavaScript value as the configurations need them.
#[derive(Clone, Debug)]
pub enum Js {
    /// A JSON literal: string, number, boolean or null.
    Lit(Value),
    /// An object; keys are written as JSON strings, in this order.
    Obj(Vec<(String, Js)>),
    Arr(Vec<Js>),
    /// Code written by the generator itself, never from a site file's text.
    Code(String),
}

impl Js {
    pub fn str(text: impl Into<String>) -> Js {
        Js::Lit(Value::String(text.into()))
    }

    pub fn num(n: u64) -> Js {
        Js::Lit(Value::from(n))
    }

    pub fn bool(b: bool) -> Js {
        Js::Lit(Value::Bool(b))
    }

    /// `new RegExp("…")`: the pattern is a JSON string literal.
    pub fn regex(pattern: &str) -> Js {
        Js::Code(format!("new RegExp({})", Value::String(pattern.into())))
    }

    pub fn obj<K: Into<String>>(fields: impl IntoIterator<Item = (K, Js)>) -> Js {
        Js::Obj(fields.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// The value as JavaScript source, indented by four spaces a level from `level`.
    pub fn to_source(&self, level: usize) -> String {
        let mut out = String::new();
        self.write(&mut out, level);
        out
    }

    fn write(&self, out: &mut String, level: usize) {
        let pad = |out: &mut String, level: usize| out.extend(std::iter::repeat_n("    ", level));
        match self {
            // `</script>` and `<!--` inside a literal would end or change a `<script>` element
            // the file is pasted into; `\/` and `\u0021` read back as the same characters.
            Js::Lit(value) => out.push_str(
                &value
                    .to_string()
                    .replace("</", "<\\/")
                    .replace("<!--", "<\\u0021--"),
            ),
            Js::Code(code) => out.push_str(code),
            Js::Obj(fields) if fields.is_empty() => out.push_str("{}"),
            Js::Arr(items) if items.is_empty() => out.push_str("[]"),
            Js::Obj(fields) => {
                out.push_str("{\n");
                for (i, (key, value)) in fields.iter().enumerate() {
                    pad(out, level + 1);
                    out.push_str(&Value::String(key.clone()).to_string());
                    out.push_str(": ");
                    value.write(out, level + 1);
                    out.push_str(if i + 1 < fields.len() { ",\n" } else { "\n" });
                }
                pad(out, level);
                out.push('}');
            }
            Js::Arr(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    pad(out, level + 1);
                    item.write(out, level + 1);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                pad(out, level);
                out.push(']');
            }
        }
    }
}

/// A `//` comment block, each line of `text` prefixed; a line break in it cannot end the comment
/// early because every line gets its own `//`.
pub fn comment(text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                "//\n".to_string()
            } else {
                // U+2028 and U+2029 end a line in JavaScript; keep them out of comments.
                format!("// {}\n", line.replace(['\u{2028}', '\u{2029}'], " "))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_cannot_escape_their_literal() {
        let hostile = "\"; alert(1); //</script>\n\u{2028}";
        let js = Js::obj([("a", Js::str(hostile)), ("b", Js::regex(hostile))]).to_source(0);
        // Each literal reads back as exactly the text given.
        let lines: Vec<&str> = js.lines().collect();
        let a = lines[1]
            .trim()
            .trim_start_matches("\"a\": ")
            .trim_end_matches(',');
        assert_eq!(serde_json::from_str::<String>(a).unwrap(), hostile);
        let b = lines[2].trim().trim_start_matches("\"b\": new RegExp(");
        let b = b.trim_end_matches(')');
        assert_eq!(serde_json::from_str::<String>(b).unwrap(), hostile);
    }

    #[test]
    fn comments_stay_comments() {
        assert_eq!(
            comment("one\n\ntwo\u{2028}three"),
            "// one\n//\n// two three\n"
        );
    }
}
