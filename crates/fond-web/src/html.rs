//! HTML building: escaping, the page frame, the document's text.

use fond_model::{Block, BlockKind, Document, Inline, Note};

/// Escapes text for HTML content and attribute values (either quotes;
/// characters XML forbids become U+FFFD): the shared rule of `fond-text`.
pub use fond_text::escape_html as esc;

/// Percent-encodes an id for a URL path (ids contain `/`, kept as is).
pub fn url_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Percent-encodes an id as one path segment: `/` too, because the people
/// of other editions are keyed by authority URIs
/// (`http://d-nb.info/gnd/118554700`).
pub fn url_segment(id: &str) -> String {
    url_id(id).replace('/', "%2F")
}

/// The page frame: header with navigation, the content, no scripts.
pub fn page(site_title: &str, title: &str, body: &str) -> String {
    frame(site_title, title, body, "")
}

/// The page frame with the request's login state in the header (who is
/// logged in and a log-out button, or a link to log in).
pub fn page_for(scope: &crate::Scope, site_title: &str, title: &str, body: &str) -> String {
    frame(site_title, title, body, &crate::session::header(scope))
}

fn frame(site_title: &str, title: &str, body: &str, account: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} — {}</title><link rel=\"stylesheet\" href=\"/style.css\"></head>\
         <body><header><a class=\"brand\" href=\"/\">{}</a> <nav><a href=\"/browse\">Browse</a> <a href=\"/search\">Search</a> \
         <a href=\"/api/v1/openapi.json\">API</a></nav>{}</header><main>{}</main>\
         <footer>fond — the reading room</footer></body></html>\n",
        esc(title),
        esc(site_title),
        esc(site_title),
        account,
        body
    )
}

fn note_text(notes: &[Note], n: u32) -> Option<&Note> {
    notes.iter().find(|x| x.n == n)
}

/// A link from a byte span of the document's plain body text
/// (`Document::body_text`) to a page.
#[derive(Debug, Clone)]
pub struct SpanLink {
    pub start: usize,
    pub end: usize,
    pub href: String,
}

/// Escapes `text`, which stands at `offset` in the plain body text,
/// wrapping the parts that fall inside a link's span.
fn linked(text: &str, offset: usize, links: &[SpanLink]) -> String {
    let end = offset + text.len();
    let mut out = String::new();
    let mut pos = offset;
    for l in links.iter().filter(|l| l.start < end && l.end > offset) {
        let a = l.start.max(offset);
        let b = l.end.min(end);
        if a < pos || !text.is_char_boundary(a - offset) || !text.is_char_boundary(b - offset) {
            continue;
        }
        out.push_str(&esc(&text[pos - offset..a - offset]));
        out.push_str(&format!(
            "<a class=\"name\" href=\"{}\">{}</a>",
            esc(&l.href),
            esc(&text[a - offset..b - offset])
        ));
        pos = b;
    }
    out.push_str(&esc(&text[pos - offset..]));
    out
}

/// Inline runs: underlining drawn once or twice, the editors' insertions
/// marked, note calls that open their note in place.
#[cfg(test)]
pub fn inlines(inl: &[Inline], notes: &[Note]) -> String {
    inlines_linked(inl, notes, 0, &[])
}

/// As [`inlines`], the runs standing at `offset` in the plain body text,
/// names inside `links` made links.
pub fn inlines_linked(inl: &[Inline], notes: &[Note], offset: usize, links: &[SpanLink]) -> String {
    let mut s = String::new();
    let mut at = offset;
    for i in inl {
        match i {
            Inline::Text { text } => {
                s.push_str(&linked(text, at, links));
                at += text.len();
            }
            Inline::Emph { level, text } => {
                let class = if *level >= 2 { "u2" } else { "u1" };
                let title = if *level >= 2 {
                    "underlined twice"
                } else {
                    "underlined once"
                };
                s.push_str(&format!(
                    "<span class=\"{class}\" title=\"{title}\">{}</span>",
                    linked(text, at, links)
                ));
                at += text.len();
            }
            Inline::Supplied { text } => {
                s.push_str(&format!(
                    "<span class=\"supplied\" title=\"the editors' insertion\">[{}]</span>",
                    linked(text, at + 1, links)
                ));
                at += text.len() + 2;
            }
            Inline::NoteCall { n } => {
                s.push_str(&format!(
                    "<a class=\"call\" id=\"call-{n}\" href=\"#note-{n}\" aria-describedby=\"pop-{n}\"><sup>{n}</sup></a>"
                ));
                if let Some(note) = note_text(notes, *n) {
                    s.push_str(&format!(
                        "<span class=\"pop\" role=\"note\" id=\"pop-{n}\">{}</span>",
                        esc(&note.text.chars().take(600).collect::<String>())
                    ));
                }
            }
            Inline::LineBreak => {
                s.push_str("<br>");
                at += 1;
            }
            // The edition's reading, the print in its title (and a mark a
            // reader can see without hovering).
            Inline::Emended { sic, text, .. } => {
                s.push_str(&format!(
                    "<span class=\"emended\" title=\"the editors' reading; printed: {}\">{}</span><sup class=\"sic\" title=\"printed: {}\">*</sup>",
                    esc(sic),
                    linked(text, at, links),
                    esc(sic)
                ));
                at += text.len();
            }
        }
    }
    s
}

fn block(b: &Block, notes: &[Note], offset: usize, links: &[SpanLink]) -> String {
    let inner = inlines_linked(&b.inlines, notes, offset, links);
    match &b.kind {
        BlockKind::Heading => format!("<h3 class=\"form\">{inner}</h3>"),
        BlockKind::Dateline => format!("<p class=\"dateline\">{inner}</p>"),
        BlockKind::Address => format!("<p class=\"address\">{inner}</p>"),
        BlockKind::Salutation => format!("<p class=\"salute\">{inner}</p>"),
        BlockKind::Paragraph => format!("<p>{inner}</p>"),
        BlockKind::Point { label } => {
            format!("<p class=\"point\" data-n=\"{}\">{inner}</p>", esc(label))
        }
        BlockKind::Closing => format!("<p class=\"closing\">{inner}</p>"),
        BlockKind::Signature => format!("<p class=\"signed\">{inner}</p>"),
        BlockKind::Postscript => format!("<p class=\"ps\">{inner}</p>"),
        BlockKind::Addition => format!("<p class=\"addition\">{inner}</p>"),
        BlockKind::Comment { by } => format!(
            "<aside class=\"comment\"><span class=\"who\">{}</span>{inner}</aside>",
            esc(&by
                .as_deref()
                .map(|w| format!("Comment by {w}"))
                .unwrap_or_else(|| "Comment".into()))
        ),
    }
}

/// The document's text as the edition prints it, names linked.
pub fn text(doc: &Document, links: &[SpanLink]) -> String {
    let mut s = String::from("<div class=\"text\">");
    if doc.metadata_only {
        s.push_str("<p class=\"metadata-only\">This letter is known by its metadata only: its text is not in this archive.");
        // Only web addresses are links (a file could carry `javascript:`).
        if let Some(u) = doc
            .online
            .as_ref()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        {
            s.push_str(&format!(
                " <a href=\"{}\" rel=\"noopener\">Read it online</a>.",
                esc(u)
            ));
        }
        s.push_str("</p>");
    }
    // Offsets as `Document::body_text` counts them: blocks joined by a
    // blank line.
    let mut offset = 0;
    for b in &doc.body {
        s.push_str(&block(b, &doc.notes, offset, links));
        offset += b.plain_text().len() + 2;
    }
    s.push_str("</div>");
    s
}

/// The notes, with who wrote them and the references they cite.
pub fn notes(doc: &Document) -> String {
    if doc.notes.is_empty() {
        return String::new();
    }
    let mut s = String::from("<section class=\"notes\"><h2>Notes</h2><ol>");
    for n in &doc.notes {
        let refs: Vec<String> = n
            .archival_refs
            .iter()
            .map(|r| esc(&r.normalized()))
            .collect();
        s.push_str(&format!(
            "<li id=\"note-{}\" value=\"{}\"><p>{}</p><p class=\"meta\">{}{}{} <a href=\"#call-{}\">↩</a></p></li>",
            n.n,
            n.n,
            esc(&n.text).replace("\n\n", "</p><p>"),
            esc(&n.by.label()),
            if refs.is_empty() { String::new() } else { format!(" · {}", refs.join("; ")) },
            if n.special_file { " · Special File" } else { "" },
            n.n
        ));
    }
    s.push_str("</ol></section>");
    s
}

pub const STYLE: &str = "body{font:17px/1.55 Georgia,serif;max-width:52rem;margin:0 auto;padding:0 1rem;color:#222}\
header{display:flex;gap:1.5rem;align-items:baseline;border-bottom:1px solid #ccc;padding:.6rem 0}\
header .brand{font-weight:bold;text-decoration:none;color:#222}nav a{margin-right:1rem}\
header .account{margin-left:auto}form.logout{display:inline;margin-left:.5rem}\
.desk{border:1px solid #ccc;padding:.3rem .8rem;margin-top:1.5rem}\
.queue .finding{margin:.6rem 0}.queue .kind{font-weight:bold}.queue .where,.queue .key{color:#888;font-size:.8rem}\
form.decide{display:inline-block;margin-right:1rem}.decision{color:#555;font-size:.9rem}\
footer{color:#888;font-size:.8rem;border-top:1px solid #ccc;margin-top:3rem;padding:.5rem 0}\
.u1{text-decoration:underline}.u2{text-decoration:underline double}\
.supplied{color:#555}.dateline,.signed,.closing{text-align:right}\
.point{margin-left:1.2rem}.comment{border-left:3px solid #b85;padding-left:.8rem;color:#433;margin:1rem 0}\
.comment .who{display:block;font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:#b85}\
.addition{border-left:3px solid #58b;padding-left:.8rem}.form{font-size:1rem;letter-spacing:.05em}\
.call{text-decoration:none;position:relative}.pop{display:none;position:absolute;max-width:28rem;background:#fffef4;\
border:1px solid #bbb;padding:.5rem;font-size:.85rem;z-index:2;box-shadow:0 2px 6px #0003}\
.call:hover+.pop,.call:focus+.pop,.pop:hover{display:block}\
.notes .meta{font-size:.8rem;color:#666}dl.head dt{float:left;clear:left;width:9rem;color:#666}dl.head dd{margin-left:9rem}\
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:.25rem .4rem;text-align:left;vertical-align:top}\
.cite{background:#f6f6f6;padding:.6rem;font-size:.85rem;white-space:pre-wrap}\
.pager{display:flex;justify-content:space-between;margin:2rem 0}svg text{font:10px sans-serif}\
form.search input{font-size:1rem;padding:.3rem;max-width:100%}.syntax{font-size:.85rem;margin:.5rem 0}\
.results{display:flex;gap:2rem;align-items:flex-start}.hits{flex:1;padding-left:1.5rem}.hit{margin-bottom:1rem}\
.hit .meta{color:#666;font-size:.85rem}.snippet{margin:.2rem 0}mark{background:#fde68a;padding:0 .1em}\
.facets{width:14rem;font-size:.85rem}.facets ul{list-style:none;padding:0;margin:0 0 1rem}.facets .n{color:#888}\
.facets h3{font-size:.9rem;margin:.6rem 0 .2rem}.pages{margin:1.5rem 0}.pages a,.pages strong{margin-right:.6rem}\
table.sbs td{width:50%;font-size:.92rem}table.sbs th .meta{display:block;font-weight:normal;font-size:.75rem;color:#666}\
.var.sub{background:#fde2e2}.var.triv{background:#eef}.var sup{font-size:.65rem;color:#933;margin-right:.1em}\
.error{background:#fee;padding:.6rem;white-space:pre-wrap}@media(max-width:40rem){.results{display:block}.facets{width:auto}}\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_the_corpus_is_text_not_html() {
        assert_eq!(
            esc("<sup>1</sup> & \"x\""),
            "&lt;sup&gt;1&lt;/sup&gt; &amp; &quot;x&quot;"
        );
        let html = inlines(
            &[Inline::Text {
                text: "<script>alert(1)</script>".into(),
            }],
            &[],
        );
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn underlining_levels_are_distinct() {
        let html = inlines(
            &[
                Inline::Emph {
                    level: 1,
                    text: "abroad".into(),
                },
                Inline::Emph {
                    level: 2,
                    text: "now".into(),
                },
            ],
            &[],
        );
        assert!(html.contains("class=\"u1\""));
        assert!(html.contains("class=\"u2\""));
    }

    #[test]
    fn names_become_links_at_their_spans() {
        let runs = [
            Inline::Text {
                text: "Ask ".into(),
            },
            Inline::Emph {
                level: 1,
                text: "Bukharin".into(),
            },
            Inline::Text {
                text: " <now>".into(),
            },
        ];
        let links = [SpanLink {
            start: 4,
            end: 12,
            href: "/person/bukharin-n-i".into(),
        }];
        let html = inlines_linked(&runs, &[], 0, &links);
        assert!(
            html.contains("<a class=\"name\" href=\"/person/bukharin-n-i\">Bukharin</a>"),
            "{html}"
        );
        assert!(html.contains("&lt;now&gt;"));
    }

    #[test]
    fn ids_keep_slashes_and_encode_the_rest() {
        assert_eq!(url_id("letters-to-molotov/31"), "letters-to-molotov/31");
        assert_eq!(url_id("a b\"<"), "a%20b%22%3C");
        assert_eq!(
            url_segment("http://d-nb.info/gnd/118554700"),
            "http%3A%2F%2Fd-nb.info%2Fgnd%2F118554700"
        );
    }
}
