//! Just enough HTML to press a button on a consent page: the page's `<form>`s, their fields and
//! their submit buttons, as a browser would submit them.
//!
//! A real HTML parser (html5ever) would triple this crate's build time for one page shape; consent
//! pages are plain server-rendered forms, so a tag scanner that understands attributes, entities,
//! comments and raw-text elements is enough. What it does not understand (`<select>`,
//! `<textarea>`, JavaScript) it skips; a page that needs those is not one an agent should click.

/// One `<form>` of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// The `action` attribute (relative or absolute), if any; none means "this page".
    pub action: Option<String>,
    /// `GET` or `POST` (upper case; `GET` when absent, as in browsers).
    pub method: String,
    /// Named fields a submission carries: hidden and text-like inputs, checked boxes.
    pub fields: Vec<(String, String)>,
    /// Submit buttons (`<button>` and `<input type="submit">`).
    pub buttons: Vec<Button>,
}

/// A submit button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    /// `name`: when present, the submission carries `name=value`.
    pub name: Option<String>,
    /// `value` (empty when absent).
    pub value: String,
    /// The visible text, whitespace collapsed (the `value` of an `<input type="submit">`).
    pub text: String,
}

impl Form {
    /// The button whose visible text is `text` (case-insensitive, whitespace collapsed).
    pub fn button(&self, text: &str) -> Option<&Button> {
        let wanted = collapse(text);
        self.buttons
            .iter()
            .find(|b| b.text.eq_ignore_ascii_case(&wanted))
    }

    /// The pairs a browser submits when `button` is pressed: the fields, then the button's own.
    pub fn submission(&self, button: &Button) -> Vec<(String, String)> {
        let mut pairs = self.fields.clone();
        if let Some(name) = &button.name {
            pairs.push((name.clone(), button.value.clone()));
        }
        pairs
    }
}

/// Every form of `html`, in document order.
pub fn parse_forms(html: &str) -> Vec<Form> {
    let mut forms = Vec::new();
    let mut form: Option<Form> = None;
    // The button being read: its attributes and the text seen so far.
    let mut button: Option<Button> = None;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        if let Some(b) = button.as_mut() {
            b.text.push_str(&decode_entities(&rest[..lt]));
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some((tag, after)) = read_tag(rest) else {
            // A stray `<` is text.
            if let Some(b) = button.as_mut() {
                b.text.push('<');
            }
            rest = &rest[1..];
            continue;
        };
        rest = after;
        match (tag.closing, tag.name.as_str()) {
            (false, "script" | "style" | "textarea" | "title") => {
                rest = skip_raw_text(rest, &tag.name);
            }
            (false, "form") => {
                if let Some(done) = form.take() {
                    forms.push(done);
                }
                form = Some(Form {
                    action: tag.attr("action").map(str::to_owned),
                    method: tag
                        .attr("method")
                        .map_or_else(|| "GET".to_owned(), str::to_ascii_uppercase),
                    fields: Vec::new(),
                    buttons: Vec::new(),
                });
            }
            (true, "form") => {
                if let Some(done) = form.take() {
                    forms.push(done);
                }
            }
            (false, "input") => {
                if let Some(f) = form.as_mut() {
                    add_input(f, &tag);
                }
            }
            (false, "button") => {
                let kind = tag.attr("type").unwrap_or("submit").to_ascii_lowercase();
                button = (kind == "submit" && !tag.has("disabled")).then(|| Button {
                    name: tag.attr("name").map(str::to_owned),
                    value: tag.attr("value").unwrap_or_default().to_owned(),
                    text: String::new(),
                });
            }
            (true, "button") => {
                if let (Some(mut b), Some(f)) = (button.take(), form.as_mut()) {
                    b.text = collapse(&b.text);
                    f.buttons.push(b);
                }
            }
            _ => {}
        }
    }
    if let Some(done) = form.take() {
        forms.push(done);
    }
    forms
}

fn add_input(form: &mut Form, tag: &Tag) {
    if tag.has("disabled") {
        return;
    }
    let kind = tag.attr("type").unwrap_or("text").to_ascii_lowercase();
    let name = tag.attr("name");
    let value = tag.attr("value").unwrap_or_default().to_owned();
    match kind.as_str() {
        "submit" => form.buttons.push(Button {
            name: name.map(str::to_owned),
            text: collapse(&value),
            value,
        }),
        "checkbox" | "radio" => {
            if let (Some(name), true) = (name, tag.has("checked")) {
                let value = if tag.attr("value").is_some() {
                    value
                } else {
                    "on".to_owned()
                };
                form.fields.push((name.to_owned(), value));
            }
        }
        // Not submitted without a user's choice (or at all).
        "image" | "reset" | "button" | "file" => {}
        _ => {
            if let Some(name) = name {
                form.fields.push((name.to_owned(), value));
            }
        }
    }
}

struct Tag {
    name: String,
    closing: bool,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn has(&self, name: &str) -> bool {
        self.attrs.iter().any(|(k, _)| k == name)
    }
}

/// Reads the tag at the start of `s` (which starts with `<`); returns it and the text after `>`.
fn read_tag(s: &str) -> Option<(Tag, &str)> {
    let mut rest = s.strip_prefix('<')?;
    let closing = rest.starts_with('/');
    if closing {
        rest = &rest[1..];
    }
    if rest.starts_with('!') || rest.starts_with('?') {
        // Doctype or processing instruction: skip it whole.
        let end = rest.find('>')?;
        return Some((
            Tag {
                name: String::new(),
                closing,
                attrs: Vec::new(),
            },
            &rest[end + 1..],
        ));
    }
    let name_len = rest
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(rest.len());
    if name_len == 0 || !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name = rest[..name_len].to_ascii_lowercase();
    rest = &rest[name_len..];
    let mut attrs = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if let Some(after) = rest.strip_prefix('>') {
            return Some((
                Tag {
                    name,
                    closing,
                    attrs,
                },
                after,
            ));
        }
        if rest.is_empty() {
            return None;
        }
        let key_len = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let key = rest[..key_len].to_ascii_lowercase();
        rest = rest[key_len..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (raw, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(q)?;
                    (&body[..end], &body[end + 1..])
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            rest = remaining;
            decode_entities(raw)
        } else {
            String::new()
        };
        if !key.is_empty() {
            attrs.push((key, value));
        }
    }
}

/// Skips the content of a raw-text element up to and including its closing tag.
fn skip_raw_text<'a>(s: &'a str, name: &str) -> &'a str {
    let lower = s.to_ascii_lowercase();
    let closing = format!("</{name}");
    match lower.find(&closing) {
        Some(start) => s[start..].find('>').map_or("", |end| &s[start + end + 1..]),
        None => "",
    }
}

/// Decodes the character references a server-rendered page uses.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|end| *end <= 10).and_then(|end| {
            let entity = &rest[1..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => entity.strip_prefix('#').and_then(|num| {
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => num.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_consent_form_with_two_named_buttons() {
        let html = r#"<!doctype html><html><head><title>Authorize <b></title>
            <script>if (a < b) { document.write("<form>"); }</script></head><body>
            <!-- <form action="/evil"><button>Allow</button></form> -->
            <form method="post" action="/_provider/oauth/authorize">
              <input type="hidden" name="state" value="a&amp;b">
              <input type=hidden name=scope value='read,write'>
              <input type="checkbox" name="remember">
              <input type="checkbox" name="consent" checked>
              <button type="submit" name="decision" value="allow" id="allow"> Allow </button>
              <button type="submit" name="decision" value="deny">Deny</button>
              <button type="button">Help</button>
            </form></body></html>"#;
        let forms = parse_forms(html);
        assert_eq!(forms.len(), 1);
        let form = &forms[0];
        assert_eq!(form.method, "POST");
        assert_eq!(form.action.as_deref(), Some("/_provider/oauth/authorize"));
        assert_eq!(form.buttons.len(), 2, "type=button is not a submit button");
        let allow = form.button("allow").unwrap();
        assert_eq!(
            form.submission(allow),
            vec![
                ("state".to_owned(), "a&b".to_owned()),
                ("scope".to_owned(), "read,write".to_owned()),
                ("consent".to_owned(), "on".to_owned()),
                ("decision".to_owned(), "allow".to_owned()),
            ]
        );
        assert_eq!(form.button("Deny").unwrap().value, "deny");
        assert!(form.button("Help").is_none());
    }

    #[test]
    fn input_submit_buttons_nested_markup_and_entities() {
        let html = "<form action=x><input type=submit name=go value=\"Allow &#38; continue\">\
                    <button name=b value=1><span>Deny</span>&#x21;</button></form>\
                    <form><button disabled>Allow</button></form>";
        let forms = parse_forms(html);
        assert_eq!(forms.len(), 2);
        assert_eq!(forms[0].method, "GET");
        assert_eq!(forms[0].buttons[0].text, "Allow & continue");
        assert_eq!(forms[0].buttons[1].text, "Deny!");
        assert!(
            forms[1].buttons.is_empty(),
            "disabled buttons cannot be pressed"
        );
    }

    #[test]
    fn broken_markup_does_not_panic() {
        for html in [
            "<",
            "<form",
            "<form action='x",
            "a < b <3 &",
            "<button>Allow",
            "&#xZZ;&;",
        ] {
            let _ = parse_forms(html);
        }
        assert_eq!(
            decode_entities("&#xZZ; &unknown; &lt;"),
            "&#xZZ; &unknown; <"
        );
    }
}
