//! The query language: a hand-written lexer and recursive-descent parser
//! from a query string to a [`ParsedQuery`].
//!
//! ```text
//! query    = or
//! or       = and { "OR" and }
//! and      = unary { ["AND"] unary }          (juxtaposition is AND)
//! unary    = ("NOT" | "-") unary | primary
//! primary  = "(" or ")" | field ":" value | term
//! term     = word | word "*" | word "~" [0-2] | phrase [ "~" slop ]
//! phrase   = a quoted text, in any kind of double quotes: "…" “…” „…“ «…»
//! field    = from | to | mentions | kind | year | date | in | ref
//!          | collection | number | id
//! ```
//!
//! Operators are upper case (`and`, `or`, `not` are ordinary words, as a
//! historian searching for "not" in a text would expect). Everything is
//! bounded: the length of the query, the number of terms, the depth of
//! parentheses, the fuzzy distance; a prefix needs two characters. Errors
//! carry the character position they concern and print with a caret.

use fond_model::{Day, DocKind};
use std::fmt;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Most terms (words, phrases, field values) in one query.
pub const MAX_TERMS: usize = 64;
/// Deepest nesting of parentheses and negations.
pub const MAX_DEPTH: usize = 32;
/// Largest edit distance for `word~N`: more matches most of the dictionary
/// and costs a large automaton.
pub const MAX_FUZZY_DISTANCE: u8 = 2;
/// Shortest prefix for `prefix*`, in characters: one letter expands to a
/// large share of the dictionary.
pub const MIN_PREFIX_CHARS: usize = 2;
/// Largest slop for `"phrase"~N`.
pub const MAX_SLOP: u32 = 20;

/// A query that could not be parsed: what is wrong and where (a character
/// offset into the query). `Display` prints the query with a caret under
/// the place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub message: String,
    /// 0-based character (not byte) offset into the query.
    pub position: usize,
    pub query: String,
}

impl QueryError {
    fn new(message: impl Into<String>, position: usize, query: &[char]) -> QueryError {
        QueryError {
            message: message.into(),
            position,
            query: query.iter().collect(),
        }
    }

    /// The query on one line and a caret under the position, as a
    /// terminal shows them. Tabs and newlines in the query are shown as
    /// spaces, so that the caret stays under its character.
    pub fn caret(&self) -> String {
        let line: String = self
            .query
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        let pad = " ".repeat(self.position.min(line.chars().count()));
        format!("  {line}\n  {pad}^")
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (at character {})\n{}",
            self.message,
            self.position + 1,
            self.caret()
        )
    }
}

impl std::error::Error for QueryError {}

/// A free-text term of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextTerm {
    Word(String),
    Phrase { text: String, slop: u32 },
    Prefix(String),
    Fuzzy { word: String, distance: u8 },
}

/// An inclusive interval of days; an open end is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    pub from: Option<Day>,
    pub to: Option<Day>,
}

/// A field restriction of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// A sender, by any spelling.
    From(String),
    /// An addressee, by any spelling.
    To(String),
    /// A person or body named in the names or the text, by any spelling.
    Mentions(String),
    Kind(DocKind),
    /// Documents whose date interval overlaps this range (`year:` and
    /// `date:` both end here).
    Date(DayRange),
    /// Archival references containing this sequence of parts, in the
    /// normalised form of [`crate::normalize_ref`].
    Ref(String),
    Collection(String),
    Number(u32),
    Id(String),
}

/// One node of the parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// A free-text term and its character position in the query.
    Text(TextTerm, usize),
    Filter(Filter, usize),
}

/// Which text fields the free-text terms search (`in:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// Title, body, notes, names and chapter.
    #[default]
    All,
    Body,
    Notes,
    Title,
    Names,
}

/// A parsed query: the tree and the scope of its free-text terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedQuery {
    pub root: Node,
    pub scope: Scope,
}

impl ParsedQuery {
    /// The free-text terms anywhere in the tree outside a negation: what
    /// snippets and the concordance mark.
    pub fn positive_terms(&self) -> Vec<TextTerm> {
        fn walk(n: &Node, out: &mut Vec<TextTerm>) {
            match n {
                Node::And(v) | Node::Or(v) => v.iter().for_each(|c| walk(c, out)),
                Node::Not(_) | Node::Filter(..) => {}
                Node::Text(t, _) => out.push(t.clone()),
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &mut out);
        out
    }

    /// The `mentions:` names outside a negation (marked in snippets too).
    pub fn mentioned(&self) -> Vec<String> {
        fn walk(n: &Node, out: &mut Vec<String>) {
            match n {
                Node::And(v) | Node::Or(v) => v.iter().for_each(|c| walk(c, out)),
                Node::Filter(Filter::Mentions(m), _) => out.push(m.clone()),
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &mut out);
        out
    }
}

const FIELDS: &[&str] = &[
    "from",
    "to",
    "mentions",
    "kind",
    "year",
    "date",
    "in",
    "ref",
    "collection",
    "number",
    "id",
];

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '‟' | '＂' | '〝')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '»' | '‟' | '＂' | '〞' | '〟')
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    LParen,
    RParen,
    And,
    Or,
    Not,
    /// `-` glued to the next term.
    Minus,
    /// A bare word, with its `*` / `~N` suffix not yet interpreted.
    Word(String),
    /// A quoted phrase and its optional `~N` slop.
    Phrase(String, Option<u32>),
    /// `name:` — the value is the next token, which must be glued to it.
    Field(String),
}

#[derive(Debug, Clone)]
struct Lexed {
    tok: Tok,
    pos: usize,
    /// Character offset just past the token.
    end: usize,
}

// Long: one match over the grammar's tokens, in the order the grammar in
// the module docs lists them; split, the grammar would be in pieces.
fn lex(q: &[char]) -> Result<Vec<Lexed>, QueryError> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < q.len() {
        let c = q[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c == '(' || c == ')' {
            let tok = if c == '(' { Tok::LParen } else { Tok::RParen };
            out.push(Lexed {
                tok,
                pos: i,
                end: i + 1,
            });
            i += 1;
            continue;
        }
        if c == '-' || c == '+' {
            // A sign glued to what follows: `-` negates, `+` (required) is
            // what juxtaposition means anyway.
            match q.get(i + 1) {
                Some(n) if !n.is_whitespace() && *n != ')' => {
                    if c == '-' {
                        out.push(Lexed {
                            tok: Tok::Minus,
                            pos: i,
                            end: i + 1,
                        });
                    }
                    i += 1;
                    continue;
                }
                _ => {
                    return Err(QueryError::new(
                        format!("'{c}' must be followed directly by a term (as in {c}grain)"),
                        i,
                        q,
                    ))
                }
            }
        }
        if is_open_quote(c) {
            let mut j = i + 1;
            while j < q.len() && !is_close_quote(q[j]) {
                j += 1;
            }
            if j >= q.len() {
                return Err(QueryError::new("this quote is never closed", i, q));
            }
            let text: String = q[i + 1..j].iter().collect();
            j += 1;
            let mut slop = None;
            if q.get(j) == Some(&'~') {
                let digits_start = j + 1;
                let mut k = digits_start;
                while k < q.len() && q[k].is_ascii_digit() {
                    k += 1;
                }
                let digits: String = q[digits_start..k].iter().collect();
                let n: u32 = digits.parse().map_err(|_| {
                    QueryError::new(
                        format!("a phrase's '~' needs a number of words (0 to {MAX_SLOP}), as in \"grain crisis\"~3"),
                        j,
                        q,
                    )
                })?;
                if n > MAX_SLOP {
                    return Err(QueryError::new(
                        format!("phrase slop {n} is too large (at most {MAX_SLOP})"),
                        digits_start,
                        q,
                    ));
                }
                slop = Some(n);
                j = k;
            }
            out.push(Lexed {
                tok: Tok::Phrase(text, slop),
                pos: start,
                end: j,
            });
            i = j;
            continue;
        }
        // A word: up to whitespace, a parenthesis or a quote. A field name
        // is the ASCII letters before the first colon.
        let mut j = i;
        let mut field_end = None;
        while j < q.len()
            && !q[j].is_whitespace()
            && q[j] != '('
            && q[j] != ')'
            && !is_open_quote(q[j])
        {
            if q[j] == ':' && j > i && q[i..j].iter().all(|c| c.is_ascii_alphabetic()) {
                let name: String = q[i..j].iter().collect::<String>().to_ascii_lowercase();
                if !FIELDS.contains(&name.as_str()) {
                    return Err(QueryError::new(
                        format!(
                            "unknown field '{name}:' (fields are {})",
                            FIELDS
                                .iter()
                                .map(|f| format!("{f}:"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        i,
                        q,
                    ));
                }
                out.push(Lexed {
                    tok: Tok::Field(name),
                    pos: i,
                    end: j + 1,
                });
                field_end = Some(j + 1);
                break;
            }
            j += 1;
        }
        if let Some(end) = field_end {
            // The value is lexed as the next token; the parser checks that
            // it is glued to the colon.
            i = end;
            continue;
        }
        let word: String = q[i..j].iter().collect();
        let tok = match word.as_str() {
            "AND" | "&&" => Tok::And,
            "OR" | "||" => Tok::Or,
            "NOT" => Tok::Not,
            _ => Tok::Word(word),
        };
        out.push(Lexed {
            tok,
            pos: start,
            end: j,
        });
        i = j;
    }
    Ok(out)
}

struct Parser<'a> {
    q: &'a [char],
    toks: Vec<Lexed>,
    at: usize,
    terms: usize,
    scope: Option<(Scope, usize)>,
}

/// Parses a query. Never panics; every failure is a [`QueryError`] that
/// points at the problem.
pub fn parse(query: &str) -> Result<ParsedQuery, QueryError> {
    let q: Vec<char> = query.chars().collect();
    if q.len() > MAX_QUERY_CHARS {
        return Err(QueryError::new(
            format!(
                "the query is {} characters long; the limit is {MAX_QUERY_CHARS}",
                q.len()
            ),
            MAX_QUERY_CHARS,
            &q,
        ));
    }
    let toks = lex(&q)?;
    if toks.is_empty() {
        return Err(QueryError::new("the query is empty", 0, &q));
    }
    let mut p = Parser {
        q: &q,
        toks,
        at: 0,
        terms: 0,
        scope: None,
    };
    let root = p.or(0)?;
    if let Some(t) = p.toks.get(p.at) {
        let msg = if t.tok == Tok::RParen {
            "this ')' closes nothing"
        } else {
            "unexpected text here"
        };
        return Err(QueryError::new(msg, t.pos, &q));
    }
    let root = match root {
        Some(r) => r,
        None => {
            return Err(QueryError::new(
                "the query has nothing to search for (in: only chooses the fields)",
                0,
                &q,
            ))
        }
    };
    Ok(ParsedQuery {
        root,
        scope: p.scope.map(|s| s.0).unwrap_or_default(),
    })
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at).map(|t| &t.tok)
    }

    fn err_here(&self, msg: impl Into<String>) -> QueryError {
        let pos = self.toks.get(self.at).map_or(self.q.len(), |t| t.pos);
        QueryError::new(msg, pos, self.q)
    }

    fn check_depth(&self, depth: usize) -> Result<(), QueryError> {
        if depth > MAX_DEPTH {
            return Err(self.err_here(format!(
                "the query nests too deeply (at most {MAX_DEPTH} levels of parentheses and negations)"
            )));
        }
        Ok(())
    }

    fn or(&mut self, depth: usize) -> Result<Option<Node>, QueryError> {
        self.check_depth(depth)?;
        let mut parts = Vec::new();
        if let Some(n) = self.and(depth)? {
            parts.push(n);
        }
        while self.peek() == Some(&Tok::Or) {
            let or_pos = self.toks[self.at].pos;
            self.at += 1;
            if matches!(self.peek(), None | Some(Tok::RParen) | Some(Tok::Or)) || parts.is_empty() {
                return Err(QueryError::new(
                    "OR needs a term on both sides",
                    or_pos,
                    self.q,
                ));
            }
            if let Some(n) = self.and(depth)? {
                parts.push(n);
            }
        }
        Ok(match parts.len() {
            0 => None,
            1 => parts.pop(),
            _ => Some(Node::Or(parts)),
        })
    }

    fn and(&mut self, depth: usize) -> Result<Option<Node>, QueryError> {
        let mut parts = Vec::new();
        let mut seen_any = false;
        loop {
            match self.peek() {
                None | Some(Tok::RParen) | Some(Tok::Or) => break,
                Some(Tok::And) => {
                    let and_pos = self.toks[self.at].pos;
                    self.at += 1;
                    if !seen_any
                        || matches!(
                            self.peek(),
                            None | Some(Tok::RParen) | Some(Tok::Or) | Some(Tok::And)
                        )
                    {
                        return Err(QueryError::new(
                            "AND needs a term on both sides",
                            and_pos,
                            self.q,
                        ));
                    }
                }
                _ => {}
            }
            seen_any = true;
            if let Some(n) = self.unary(depth)? {
                parts.push(n);
            }
        }
        Ok(match parts.len() {
            0 => None,
            1 => parts.pop(),
            _ => Some(Node::And(parts)),
        })
    }

    fn unary(&mut self, depth: usize) -> Result<Option<Node>, QueryError> {
        self.check_depth(depth)?;
        match self.peek() {
            Some(Tok::Not) | Some(Tok::Minus) => {
                let pos = self.toks[self.at].pos;
                let word = if self.peek() == Some(&Tok::Not) {
                    "NOT"
                } else {
                    "-"
                };
                self.at += 1;
                if matches!(
                    self.peek(),
                    None | Some(Tok::RParen) | Some(Tok::Or) | Some(Tok::And)
                ) {
                    return Err(QueryError::new(
                        format!("{word} needs a term after it"),
                        pos,
                        self.q,
                    ));
                }
                let inner_pos = self.toks.get(self.at).map_or(pos, |t| t.pos);
                match self.unary(depth + 1)? {
                    Some(n) => Ok(Some(Node::Not(Box::new(n)))),
                    None => Err(QueryError::new(
                        "in: cannot be negated; it chooses the fields the words are searched in",
                        inner_pos,
                        self.q,
                    )),
                }
            }
            _ => self.primary(depth),
        }
    }

    fn primary(&mut self, depth: usize) -> Result<Option<Node>, QueryError> {
        let Some(lexed) = self.toks.get(self.at).cloned() else {
            return Err(self.err_here("the query ends where a term was expected"));
        };
        self.at += 1;
        match lexed.tok {
            Tok::LParen => {
                let inner = self.or(depth + 1)?;
                match self.peek() {
                    Some(Tok::RParen) => {
                        self.at += 1;
                    }
                    _ => {
                        return Err(QueryError::new(
                            "this '(' is never closed",
                            lexed.pos,
                            self.q,
                        ))
                    }
                }
                match inner {
                    Some(n) => Ok(Some(n)),
                    None => Err(QueryError::new("empty parentheses", lexed.pos, self.q)),
                }
            }
            Tok::RParen => Err(QueryError::new(
                "this ')' closes nothing",
                lexed.pos,
                self.q,
            )),
            Tok::Word(w) => {
                self.count_term(lexed.pos)?;
                Ok(Some(Node::Text(self.word_term(&w, lexed.pos)?, lexed.pos)))
            }
            Tok::Phrase(text, slop) => {
                self.count_term(lexed.pos)?;
                if text.trim().is_empty() {
                    return Err(QueryError::new("empty phrase", lexed.pos, self.q));
                }
                Ok(Some(Node::Text(
                    TextTerm::Phrase {
                        text,
                        slop: slop.unwrap_or(0),
                    },
                    lexed.pos,
                )))
            }
            Tok::Field(ref name) => {
                self.count_term(lexed.pos)?;
                self.field(name, &lexed)
            }
            Tok::And | Tok::Or | Tok::Not | Tok::Minus => Err(QueryError::new(
                "an operator cannot stand here",
                lexed.pos,
                self.q,
            )),
        }
    }

    fn count_term(&mut self, pos: usize) -> Result<(), QueryError> {
        self.terms += 1;
        if self.terms > MAX_TERMS {
            return Err(QueryError::new(
                format!("too many terms (at most {MAX_TERMS})"),
                pos,
                self.q,
            ));
        }
        Ok(())
    }

    /// A bare word with its optional `*` or `~N` suffix.
    fn word_term(&self, w: &str, pos: usize) -> Result<TextTerm, QueryError> {
        let chars: Vec<char> = w.chars().collect();
        if let Some(star) = chars.iter().position(|c| *c == '*' || *c == '?') {
            if star + 1 != chars.len() || chars[star] == '?' {
                return Err(QueryError::new(
                    "wildcards are allowed only as '*' at the end of a word (as in collectiv*)",
                    pos + star,
                    self.q,
                ));
            }
            let prefix: String = chars[..star].iter().collect();
            let letters = prefix.chars().filter(|c| c.is_alphanumeric()).count();
            if letters < MIN_PREFIX_CHARS {
                return Err(QueryError::new(
                    format!("a prefix needs at least {MIN_PREFIX_CHARS} letters before '*'"),
                    pos,
                    self.q,
                ));
            }
            return Ok(TextTerm::Prefix(prefix));
        }
        if let Some(tilde) = chars.iter().position(|c| *c == '~') {
            let word: String = chars[..tilde].iter().collect();
            let rest: String = chars[tilde + 1..].iter().collect();
            let distance = if rest.is_empty() {
                1
            } else {
                match rest.parse::<u8>() {
                    Ok(d) if d <= MAX_FUZZY_DISTANCE => d,
                    _ => {
                        return Err(QueryError::new(
                            format!(
                                "the fuzzy distance after '~' must be 0, 1 or {MAX_FUZZY_DISTANCE}"
                            ),
                            pos + tilde + 1,
                            self.q,
                        ))
                    }
                }
            };
            let letters = word.chars().filter(|c| c.is_alphanumeric()).count();
            if letters < 3 {
                return Err(QueryError::new(
                    "a fuzzy word needs at least 3 letters before '~'",
                    pos,
                    self.q,
                ));
            }
            return Ok(TextTerm::Fuzzy { word, distance });
        }
        Ok(TextTerm::Word(w.to_string()))
    }

    /// The value glued to `name:`: a word or a phrase.
    fn field(&mut self, name: &str, lexed: &Lexed) -> Result<Option<Node>, QueryError> {
        let value_pos = lexed.end;
        let value = match self.toks.get(self.at) {
            Some(Lexed {
                tok: Tok::Word(w),
                pos,
                ..
            }) if *pos == value_pos => Some(w.clone()),
            Some(Lexed {
                tok: Tok::Phrase(p, None),
                pos,
                ..
            }) if *pos == value_pos => Some(p.clone()),
            _ => None,
        };
        let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
            return Err(QueryError::new(
                format!(
                    "'{name}:' needs a value right after the colon (as in {})",
                    example(name)
                ),
                value_pos,
                self.q,
            ));
        };
        self.at += 1;
        let filter = match name {
            "from" => Filter::From(value),
            "to" => Filter::To(value),
            "mentions" => Filter::Mentions(value),
            "collection" => Filter::Collection(value),
            "id" => Filter::Id(value),
            "ref" => {
                let norm = crate::normalize_ref(&value);
                if norm.is_empty() {
                    return Err(QueryError::new(
                        "'ref:' needs an archival reference (as in ref:\"f. 17, op. 3\")",
                        value_pos,
                        self.q,
                    ));
                }
                Filter::Ref(norm)
            }
            "number" => match value.parse::<u32>() {
                Ok(n) => Filter::Number(n),
                Err(_) => {
                    return Err(QueryError::new(
                        "'number:' needs a whole number (as in number:57)",
                        value_pos,
                        self.q,
                    ))
                }
            },
            "kind" => {
                let k = value.to_ascii_lowercase();
                let kind = match k.as_str() {
                    "telegram" | "cipher-telegram" | "coded-telegram" => {
                        Some(DocKind::CodedTelegram)
                    }
                    "editorial" | "editorial-text" => Some(DocKind::EditorialText),
                    other => DocKind::parse(other),
                };
                match kind {
                    Some(k) => Filter::Kind(k),
                    None => {
                        return Err(QueryError::new(
                            format!(
                                "unknown kind '{value}' (kinds are {})",
                                DocKind::ALL.map(|k| k.as_str()).join(", ")
                            ),
                            value_pos,
                            self.q,
                        ))
                    }
                }
            }
            "year" => Filter::Date(self.range(&value, value_pos, true)?),
            "date" => Filter::Date(self.range(&value, value_pos, false)?),
            "in" => {
                let scope = match value.to_ascii_lowercase().as_str() {
                    "body" | "text" => Scope::Body,
                    "notes" | "note" => Scope::Notes,
                    "title" => Scope::Title,
                    "names" => Scope::Names,
                    "all" => Scope::All,
                    _ => {
                        return Err(QueryError::new(
                            format!("unknown place 'in:{value}' (in:body, in:notes, in:title, in:names, in:all)"),
                            value_pos,
                            self.q,
                        ))
                    }
                };
                if let Some((prev, prev_pos)) = self.scope {
                    if prev != scope {
                        return Err(QueryError::new(
                            format!(
                                "a second, different in: (the first is at character {})",
                                prev_pos + 1
                            ),
                            lexed.pos,
                            self.q,
                        ));
                    }
                }
                self.scope = Some((scope, lexed.pos));
                return Ok(None);
            }
            _ => {
                return Err(QueryError::new(
                    format!("unknown field '{name}:'"),
                    lexed.pos,
                    self.q,
                ))
            }
        };
        Ok(Some(Node::Filter(filter, lexed.pos)))
    }

    /// `1929`, `1929-06`, `1929-06-15`, and ranges of them with `..`
    /// (either end may be left open). `year:` takes years only.
    fn range(&self, value: &str, pos: usize, years_only: bool) -> Result<DayRange, QueryError> {
        let (left, right, right_off) = match value.find("..") {
            Some(i) => (
                &value[..i],
                Some(&value[i + 2..]),
                value[..i + 2].chars().count(),
            ),
            None => (value, None, 0),
        };
        let parse_side = |s: &str, off: usize, start: bool| -> Result<Option<Day>, QueryError> {
            if s.is_empty() {
                return Ok(None);
            }
            let (lo, hi) = parse_partial_date(s, years_only)
                .map_err(|e| QueryError::new(e, pos + off, self.q))?;
            Ok(Some(if start { lo } else { hi }))
        };
        match right {
            None => {
                let (lo, hi) = parse_partial_date(left, years_only)
                    .map_err(|e| QueryError::new(e, pos, self.q))?;
                Ok(DayRange {
                    from: Some(lo),
                    to: Some(hi),
                })
            }
            Some(r) => {
                if left.is_empty() && r.is_empty() {
                    return Err(QueryError::new(
                        "a range needs at least one end (as in 1929-06..1929-09 or ..1930)",
                        pos,
                        self.q,
                    ));
                }
                let from = parse_side(left, 0, true)?;
                let to = parse_side(r, right_off, false)?;
                if let (Some(a), Some(b)) = (from, to) {
                    if a > b {
                        return Err(QueryError::new(
                            "this range ends before it starts",
                            pos + right_off,
                            self.q,
                        ));
                    }
                }
                Ok(DayRange { from, to })
            }
        }
    }
}

fn example(field: &str) -> &'static str {
    match field {
        "from" => "from:Stalin",
        "to" => "to:Molotov",
        "mentions" => "mentions:Bukharin",
        "kind" => "kind:letter",
        "year" => "year:1929",
        "date" => "date:1929-06..1929-09",
        "in" => "in:notes",
        "ref" => "ref:\"f. 17, op. 3\"",
        "collection" => "collection:letters-to-molotov",
        "number" => "number:57",
        _ => "id:letters-to-molotov/57",
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as the first and last day it covers.
fn parse_partial_date(s: &str, years_only: bool) -> Result<(Day, Day), String> {
    let what = if years_only {
        "a year (as in 1929) or a range of years (1929..1931)"
    } else {
        "a date as YYYY, YYYY-MM or YYYY-MM-DD, or a range of them with '..'"
    };
    let parts: Vec<&str> = s.split('-').collect();
    if parts.is_empty()
        || parts.len() > 3
        || (years_only && parts.len() > 1)
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!("'{s}' is not {what}"));
    }
    let year: i32 = match parts[0].parse() {
        Ok(y) if parts[0].len() == 4 => y,
        _ => return Err(format!("'{}' is not a four-digit year", parts[0])),
    };
    let month = match parts.get(1) {
        None => None,
        Some(m) => match m.parse::<u8>() {
            Ok(m) if (1..=12).contains(&m) => Some(m),
            _ => return Err(format!("'{m}' is not a month (01 to 12)")),
        },
    };
    match (month, parts.get(2)) {
        (None, _) => Ok((Day::first_of_month(year, 1), Day::last_of_month(year, 12))),
        (Some(m), None) => Ok((Day::first_of_month(year, m), Day::last_of_month(year, m))),
        (Some(m), Some(d)) => {
            let day = d
                .parse::<u8>()
                .ok()
                .and_then(|d| Day::new(year, m, d))
                .ok_or_else(|| format!("{year}-{m:02} has no day '{d}'"))?;
            Ok((day, day))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(q: &str) -> ParsedQuery {
        match parse(q) {
            Ok(p) => p,
            Err(e) => panic!("{q}: {e}"),
        }
    }
    fn err(q: &str) -> QueryError {
        match parse(q) {
            Ok(p) => panic!("{q} parsed: {p:?}"),
            Err(e) => e,
        }
    }
    fn word(w: &str, pos: usize) -> Node {
        Node::Text(TextTerm::Word(w.into()), pos)
    }

    #[test]
    fn juxtaposition_is_and_and_or_binds_looser() {
        let p = ok("grain Bukharin OR Rykov");
        assert_eq!(
            p.root,
            Node::Or(vec![
                Node::And(vec![word("grain", 0), word("Bukharin", 6)]),
                word("Rykov", 18)
            ])
        );
        assert_eq!(
            ok("grain AND Bukharin").root,
            Node::And(vec![word("grain", 0), word("Bukharin", 10)])
        );
    }

    #[test]
    fn negation_parentheses_and_minus() {
        let p = ok("(grain OR bread) -Trotsky NOT Zinoviev");
        let Node::And(parts) = p.root else {
            panic!("not an and")
        };
        assert_eq!(parts.len(), 3);
        assert!(matches!(parts[0], Node::Or(_)));
        assert_eq!(parts[1], Node::Not(Box::new(word("Trotsky", 18))));
        assert_eq!(parts[2], Node::Not(Box::new(word("Zinoviev", 30))));
    }

    #[test]
    fn lower_case_operators_are_words() {
        let p = ok("to be or not");
        assert_eq!(
            p.root,
            Node::And(vec![
                word("to", 0),
                word("be", 3),
                word("or", 6),
                word("not", 9)
            ])
        );
    }

    #[test]
    fn phrases_in_every_kind_of_quotes() {
        for q in [
            "\"grain crisis\"",
            "“grain crisis”",
            "„grain crisis“",
            "«grain crisis»",
        ] {
            assert_eq!(
                ok(q).root,
                Node::Text(
                    TextTerm::Phrase {
                        text: "grain crisis".into(),
                        slop: 0
                    },
                    0
                ),
                "{q}"
            );
        }
        assert_eq!(
            ok("\"grain crisis\"~3").root,
            Node::Text(
                TextTerm::Phrase {
                    text: "grain crisis".into(),
                    slop: 3
                },
                0
            )
        );
    }

    #[test]
    fn prefix_and_fuzzy() {
        assert_eq!(
            ok("collectiv*").root,
            Node::Text(TextTerm::Prefix("collectiv".into()), 0)
        );
        assert_eq!(
            ok("Bukharine~").root,
            Node::Text(
                TextTerm::Fuzzy {
                    word: "Bukharine".into(),
                    distance: 1
                },
                0
            )
        );
        assert_eq!(
            ok("Zinovev~2").root,
            Node::Text(
                TextTerm::Fuzzy {
                    word: "Zinovev".into(),
                    distance: 2
                },
                0
            )
        );
    }

    #[test]
    fn fields() {
        let p = ok("from:Stalin to:\"Molotov\" kind:telegram year:1929 in:notes");
        assert_eq!(p.scope, Scope::Notes);
        let Node::And(parts) = p.root else {
            panic!("not an and")
        };
        assert_eq!(parts[0], Node::Filter(Filter::From("Stalin".into()), 0));
        assert_eq!(parts[1], Node::Filter(Filter::To("Molotov".into()), 12));
        assert_eq!(
            parts[2],
            Node::Filter(Filter::Kind(DocKind::CodedTelegram), 25)
        );
        let Node::Filter(Filter::Date(r), _) = &parts[3] else {
            panic!("no date")
        };
        assert_eq!(r.from, Day::new(1929, 1, 1));
        assert_eq!(r.to, Day::new(1929, 12, 31));
    }

    #[test]
    fn date_forms() {
        let range = |q: &str| match ok(q).root {
            Node::Filter(Filter::Date(r), _) => r,
            other => panic!("{other:?}"),
        };
        let r = range("date:1929-06..1929-09");
        assert_eq!(
            (r.from, r.to),
            (Day::new(1929, 6, 1), Day::new(1929, 9, 30))
        );
        let r = range("date:1930-08");
        assert_eq!(
            (r.from, r.to),
            (Day::new(1930, 8, 1), Day::new(1930, 8, 31))
        );
        let r = range("date:1932-02");
        assert_eq!(r.to, Day::new(1932, 2, 29));
        let r = range("date:..1926-06-15");
        assert_eq!((r.from, r.to), (None, Day::new(1926, 6, 15)));
        let r = range("date:1935..");
        assert_eq!((r.from, r.to), (Day::new(1935, 1, 1), None));
        let r = range("year:1929..1930");
        assert_eq!(
            (r.from, r.to),
            (Day::new(1929, 1, 1), Day::new(1930, 12, 31))
        );
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = err("(grain OR bread");
        assert_eq!(e.position, 0);
        assert!(e.message.contains("never closed"), "{e}");

        let e = err("grain OR bread)");
        assert_eq!(e.position, 14);
        assert!(e.message.contains("closes nothing"), "{e}");

        let e = err("grain from: Stalin");
        assert_eq!(e.position, 11);
        assert!(e.message.contains("needs a value"), "{e}");

        let e = err("grain date:1929-13");
        assert_eq!(e.position, 11);
        assert!(e.message.contains("not a month"), "{e}");

        let e = err("date:1929-06..1929-02-30");
        assert_eq!(e.position, 14);
        assert!(e.message.contains("no day"), "{e}");

        let e = err("date:1930..1929");
        assert_eq!(e.position, 11);
        assert!(e.message.contains("ends before"), "{e}");

        let e = err("Bukharin~3");
        assert_eq!(e.position, 9);

        let e = err("grain b*");
        assert_eq!(e.position, 6);
        assert!(e.message.contains("at least 2"), "{e}");

        let e = err("colour:red");
        assert_eq!(e.position, 0);
        assert!(e.message.contains("unknown field"), "{e}");

        let e = err("grain \"crisis");
        assert_eq!(e.position, 6);

        let e = err("grain OR");
        assert_eq!(e.position, 6);

        let e = err("kind:poem");
        assert_eq!(e.position, 5);
        assert!(e.message.contains("letter"), "{e}");

        let long = "grain ".repeat(200);
        let e = err(&long);
        assert!(e.message.contains("limit"), "{e}");
        assert_eq!(e.position, MAX_QUERY_CHARS);

        let many = (0..70)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let e = err(&many);
        assert!(e.message.contains("too many terms"), "{e}");

        let deep = format!("{}grain{}", "(".repeat(40), ")".repeat(40));
        let e = err(&deep);
        assert!(e.message.contains("nests too deeply"), "{e}");

        assert!(err("").message.contains("empty"));
        assert!(err("   ").message.contains("empty"));
        assert!(err("in:notes").message.contains("nothing to search"));
        assert_eq!(err("gr*ain").position, 2);
        assert_eq!(err("grain - bread").position, 6);
        assert_eq!(err("()").position, 0);
    }

    #[test]
    fn caret_display_points_under_the_character() {
        let e = err("grain date:1929-13");
        let shown = e.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[1], "  grain date:1929-13");
        assert_eq!(lines[2], "             ^");
        // Positions are characters, not bytes: Cyrillic before the error.
        let e = err("Бухарин (хлеб");
        assert_eq!(e.position, 8);
        assert!(e.to_string().ends_with("          ^"));
    }

    #[test]
    fn never_panics_on_odd_input() {
        let samples = [
            "((((",
            "))))",
            "\"",
            "“",
            "-",
            "--grain",
            "NOT",
            "NOT NOT grain",
            "AND",
            "OR OR",
            "a AND AND b",
            ":",
            "from:",
            "from::",
            "date:..",
            "date:.....",
            "year:19x9",
            "~",
            "*",
            "a~",
            "a*",
            "**",
            "\u{0}",
            "ref:",
            "ref:,,,",
            "number:-1",
            "in:",
            "in:notes in:body grain",
            "-(a)",
            "+a",
            "+",
            "date:2024-02-29",
            "date:1900-02-29",
            "x:y",
            "日本語*",
            "«",
            "»",
        ];
        for s in samples {
            let _ = parse(s);
        }
        // Every prefix of a realistic query.
        let q = "from:Stalin (grain OR \"procurement crisis\"~2) -Trotsky date:1929-06..1929-09 ref:\"f. 17, op. 3\" Bukh* Zinovev~2";
        let chars: Vec<char> = q.chars().collect();
        for i in 0..=chars.len() {
            let s: String = chars[..i].iter().collect();
            let _ = parse(&s);
        }
    }

    #[test]
    fn in_scope_may_not_conflict_or_be_negated() {
        assert!(err("in:notes in:body grain").message.contains("second"));
        assert_eq!(ok("in:notes grain in:notes").scope, Scope::Notes);
        assert!(err("-in:notes grain").message.contains("cannot be negated"));
    }
}
