//! What a gate adds to the summary, as data: lines of text and tables. Gates build these;
//! `report::{human,markdown,json,sarif}` render them, so no gate writes Markdown.

use serde::{Deserialize, Serialize};

/// One piece of inline text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Span {
    Plain(String),
    /// Emphasised (a verdict, a headline figure).
    Strong(String),
    /// A name from code or the repository: path, rule, benchmark, identifier.
    Code(String),
}

/// Inline text: a sequence of spans. Empty text is shown as a dash in a table cell.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text(pub Vec<Span>);

impl Text {
    pub fn new() -> Self {
        Text(Vec::new())
    }

    pub fn plain(s: impl Into<String>) -> Self {
        Text::new().and(s)
    }

    pub fn strong(s: impl Into<String>) -> Self {
        Text::new().and_strong(s)
    }

    pub fn code(s: impl Into<String>) -> Self {
        Text::new().and_code(s)
    }

    /// Names joined by `, `, each as code (`a`, `b`); empty when there are none.
    pub fn codes<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Self {
        let mut t = Text::new();
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                t = t.and(", ");
            }
            t = t.and_code(item.as_ref());
        }
        t
    }

    /// `s` when there is a value, else empty (a dash in a table).
    pub fn opt(s: Option<impl Into<String>>) -> Self {
        s.map(Text::plain).unwrap_or_default()
    }

    pub fn and(mut self, s: impl Into<String>) -> Self {
        let s = s.into();
        if !s.is_empty() {
            self.0.push(Span::Plain(s));
        }
        self
    }

    pub fn and_strong(mut self, s: impl Into<String>) -> Self {
        self.0.push(Span::Strong(s.into()));
        self
    }

    pub fn and_code(mut self, s: impl Into<String>) -> Self {
        self.0.push(Span::Code(s.into()));
        self
    }

    /// This text followed by `other`.
    pub fn append(mut self, other: Text) -> Self {
        self.0.extend(other.0);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|s| match s {
            Span::Plain(t) | Span::Strong(t) | Span::Code(t) => t.is_empty(),
        })
    }

    /// The text without markup.
    pub fn to_plain(&self) -> String {
        self.0
            .iter()
            .map(|s| match s {
                Span::Plain(t) | Span::Strong(t) | Span::Code(t) => t.as_str(),
            })
            .collect()
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::plain(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::plain(s)
    }
}

/// A column of a table; numeric columns are right-aligned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub numeric: bool,
}

/// A table: an optional title, columns, rows of cells, and notes shown under it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    #[serde(skip_serializing_if = "Text::is_empty", default)]
    pub title: Text,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Text>>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub notes: Vec<Text>,
}

impl Table {
    /// A table with these text columns.
    pub fn new(columns: &[&str]) -> Self {
        Table {
            columns: columns.iter().map(|c| Column { name: c.to_string(), numeric: false }).collect(),
            ..Default::default()
        }
    }

    pub fn titled(mut self, title: impl Into<Text>) -> Self {
        self.title = title.into();
        self
    }

    /// Marks the named columns numeric (right-aligned).
    pub fn numeric(mut self, names: &[&str]) -> Self {
        for c in &mut self.columns {
            c.numeric |= names.contains(&c.name.as_str());
        }
        self
    }

    pub fn row(&mut self, cells: Vec<Text>) {
        self.rows.push(cells);
    }

    pub fn note(&mut self, note: impl Into<Text>) {
        self.notes.push(note.into());
    }
}

/// One block of a gate's summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Block {
    /// A line of text (a headline figure, a status).
    Text(Text),
    Table(Table),
}

impl From<Table> for Block {
    fn from(t: Table) -> Self {
        Block::Table(t)
    }
}

impl From<Text> for Block {
    fn from(t: Text) -> Self {
        Block::Text(t)
    }
}
