//! Recognising AI assistance: assistant identities, trailer values, and the PR-body section.

use regex::Regex;

/// Known assistant identities, matched case-insensitively as whole words.
pub struct Identities {
    names: Vec<String>,
    re: Option<Regex>,
}

impl Identities {
    pub fn new(names: &[String]) -> Result<Identities, regex::Error> {
        let mut names: Vec<String> = names.iter().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()).collect();
        // Longest first, so `GitHub Copilot` wins over `Copilot` at the same position.
        names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        names.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        let re = if names.is_empty() {
            None
        } else {
            let alts: Vec<String> = names.iter().map(|n| regex::escape(n)).collect();
            Some(Regex::new(&format!(r"(?i)(?:^|[^\p{{L}}\p{{N}}_])({})(?:$|[^\p{{L}}\p{{N}}_])", alts.join("|")))?)
        };
        Ok(Identities { names, re })
    }

    /// The identity named in `text` (a trailer value, a commit author), as the list spells it.
    pub fn find(&self, text: &str) -> Option<String> {
        let m = self.re.as_ref()?.captures(text)?.get(1)?;
        self.names.iter().find(|n| n.eq_ignore_ascii_case(m.as_str())).cloned()
    }

    /// Whether a forge login is an assistant account (`Copilot`, `devin-ai-integration[bot]`).
    pub fn is_login(&self, login: &str) -> bool {
        let login = login.trim();
        let plain = login.strip_suffix("[bot]").unwrap_or(login);
        self.names.iter().any(|n| n.eq_ignore_ascii_case(plain)) || (plain != login && self.find(plain).is_some())
    }
}

/// What an AI trailer value says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Declared {
    pub assistant: Option<String>,
    pub model: Option<String>,
    /// Tools named after the model (`Assisted-by: Claude:claude-3-opus coccinelle`).
    pub tools: Vec<String>,
}

/// Parses `Agent:model tool...` (the Linux kernel convention), `name (model) <email>` (aider),
/// or a bare name (`GitHub Copilot`, `Claude <noreply@anthropic.com>`).
pub fn parse_value(value: &str) -> Declared {
    let no_email = match (value.find('<'), value.rfind('>')) {
        (Some(s), Some(e)) if e > s => format!("{}{}", &value[..s], &value[e + 1..]),
        _ => value.to_string(),
    };
    let v = no_email.trim();
    let mut tokens = v.split_whitespace();
    if let Some(first) = tokens.next() {
        if let Some((agent, model)) = first.split_once(':') {
            if !agent.is_empty() && !model.is_empty() && !model.starts_with("//") {
                return Declared {
                    assistant: Some(agent.to_string()),
                    model: Some(model.to_string()),
                    tools: tokens.map(str::to_string).collect(),
                };
            }
        }
    }
    if let (Some(s), Some(e)) = (v.find('('), v.rfind(')')) {
        if e > s {
            let model = v[s + 1..e].trim();
            let name = v[..s].trim();
            return Declared {
                assistant: (!name.is_empty()).then(|| name.to_string()),
                model: meaningful(model),
                tools: Vec::new(),
            };
        }
    }
    Declared { assistant: meaningful(v), model: None, tools: Vec::new() }
}

/// `None` for empty values and template placeholders (`n/a`, `none`, `<model>`, `TBD`).
pub fn meaningful(v: &str) -> Option<String> {
    let v = v.trim().trim_matches(|c| c == '*' || c == '_' || c == '`').trim();
    let lower = v.to_ascii_lowercase();
    let placeholder = v.is_empty()
        || ["n/a", "na", "none", "-", "--", "tbd", "todo", "?", "no", "unknown"].contains(&lower.as_str())
        || (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with('[') && v.ends_with(']'));
    (!placeholder).then(|| v.to_string())
}

/// The PR-body section declaring AI assistance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodySection {
    /// The section says AI was used (it is not empty, `None` or an unfilled template).
    pub declared: bool,
    pub assistant: Option<String>,
    pub model: Option<String>,
    pub reviewer: Option<String>,
    pub inputs: Option<String>,
}

/// Finds `## <heading>` (any level, case-insensitive) in `body` and reads its `Key: value` fields
/// up to the next heading. HTML comments are ignored.
pub fn body_section(body: &str, heading: &str) -> Option<BodySection> {
    let body = crate::text::strip_html_comments(body);
    let mut lines = body.lines();
    lines.by_ref().find(|l| {
        let t = l.trim();
        t.starts_with('#')
            && t.trim_start_matches('#').trim().trim_end_matches('#').trim().eq_ignore_ascii_case(heading)
    })?;
    let mut s = BodySection::default();
    for line in lines {
        let t = line.trim();
        if t.starts_with('#') {
            break;
        }
        let t = t.trim_start_matches(['-', '*', '+', '>', ' ']).trim();
        if t.is_empty() {
            continue;
        }
        let field = t.replace("**", "");
        match field.split_once(':') {
            Some((k, v)) if is_field(k) => {
                let value = meaningful(v);
                let slot = match k.trim().to_ascii_lowercase().as_str() {
                    "model" | "ai model" | "models" => &mut s.model,
                    "reviewed-by" | "reviewed by" | "reviewer" | "human reviewer" => &mut s.reviewer,
                    "inputs" | "input" | "prompt" | "prompts" | "context" => &mut s.inputs,
                    _ => &mut s.assistant,
                };
                if value.is_some() {
                    s.declared = true;
                    *slot = value;
                }
            }
            _ => {
                if meaningful(t).is_some() {
                    s.declared = true;
                }
            }
        }
    }
    Some(s)
}

fn is_field(k: &str) -> bool {
    matches!(
        k.trim().to_ascii_lowercase().as_str(),
        "model"
            | "ai model"
            | "models"
            | "reviewed-by"
            | "reviewed by"
            | "reviewer"
            | "human reviewer"
            | "inputs"
            | "input"
            | "prompt"
            | "prompts"
            | "context"
            | "assistant"
            | "tool"
            | "tools"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> Identities {
        let list: Vec<String> = include_str!("../../../gates/ai-assistants.txt")
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        Identities::new(&list).unwrap()
    }

    #[test]
    fn identities_match_whole_words() {
        let ids = ids();
        assert_eq!(ids.find("Claude <noreply@anthropic.com>").as_deref(), Some("Claude"));
        assert_eq!(ids.find("Copilot <175728472+Copilot@users.noreply.github.com>").as_deref(), Some("Copilot"));
        assert_eq!(ids.find("GitHub Copilot").as_deref(), Some("GitHub Copilot"));
        assert_eq!(ids.find("aider (openai/gpt-4o) <noreply@aider.chat>").as_deref(), Some("aider"));
        assert_eq!(ids.find("devin-ai-integration[bot] <x@users.noreply.github.com>").as_deref(), Some("Devin"));
        assert_eq!(ids.find("Jane Doe <jane@example.com>"), None);
        assert_eq!(ids.find("Claudette Smith <c@example.com>"), None);
        assert!(ids.is_login("Copilot"));
        assert!(ids.is_login("devin-ai-integration[bot]"));
        assert!(!ids.is_login("claude-fan"));
        assert!(!ids.is_login("alice"));
    }

    #[test]
    fn trailer_values() {
        assert_eq!(
            parse_value("Claude:claude-3-opus coccinelle sparse"),
            Declared {
                assistant: Some("Claude".into()),
                model: Some("claude-3-opus".into()),
                tools: vec!["coccinelle".into(), "sparse".into()]
            }
        );
        assert_eq!(
            parse_value("aider (openai/gpt-4o) <noreply@aider.chat>"),
            Declared { assistant: Some("aider".into()), model: Some("openai/gpt-4o".into()), tools: vec![] }
        );
        assert_eq!(
            parse_value("Claude <noreply@anthropic.com>"),
            Declared { assistant: Some("Claude".into()), model: None, tools: vec![] }
        );
        assert_eq!(parse_value("see https://example.com").model, None);
    }

    #[test]
    fn body_sections() {
        let body = "Fixes #3\n\n## AI assistance\n<!-- fill in -->\n- **Model:** gpt-5\n- Reviewed-by: Alice <alice@example.com>\n- Inputs: issue #3, src/parser.rs\n\n## Testing\nModel: not this\n";
        let s = body_section(body, "AI assistance").unwrap();
        assert!(s.declared);
        assert_eq!(s.model.as_deref(), Some("gpt-5"));
        assert_eq!(s.reviewer.as_deref(), Some("Alice <alice@example.com>"));
        assert_eq!(s.inputs.as_deref(), Some("issue #3, src/parser.rs"));
        let template = "### AI Assistance\n<!-- say which model -->\nModel: <model>\nReviewed-by:\n";
        assert!(!body_section(template, "ai assistance").unwrap().declared);
        assert!(!body_section("## AI assistance\nNone\n", "AI assistance").unwrap().declared);
        assert!(body_section("## AI assistance\nCopilot wrote the tests.\n", "AI assistance").unwrap().declared);
        assert_eq!(body_section("no section", "AI assistance"), None);
    }
}
