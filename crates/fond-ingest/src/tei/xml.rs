//! Walking the XML: element tests, the reading text of a node (`choice` by
//! its regular reading, `lb`/`space`, skipped elements), the names with a
//! `@ref` it passes.

use super::*;

pub(super) fn is(n: Node<'_, '_>, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(TEI_NS)
}

pub(super) fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is(*c, name))
}

pub(super) fn children<'a, 'i>(
    n: Node<'a, 'i>,
    name: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    n.children().filter(move |c| is(*c, name))
}

pub(super) fn path<'a, 'i>(n: Node<'a, 'i>, names: &[&str]) -> Option<Node<'a, 'i>> {
    let mut cur = n;
    for name in names {
        cur = child(cur, name)?;
    }
    Some(cur)
}

/// `text/back/div[@type='collation']/ab[@type='collation']`, the collation
/// fond's export writes for a document with several witnesses.
pub(super) fn collation_ab<'a, 'i>(root: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    children(path(root, &["text", "back"])?, "div")
        .find(|d| d.attribute("type") == Some("collation"))
        .and_then(|d| children(d, "ab").find(|a| a.attribute("type") == Some("collation")))
}

/// One witness's text in a parallel segmentation: the shared text, and in
/// each `app` the `rdg` whose `@wit` names the witness (none: it lacks the
/// passage).
pub(super) fn witness_reading(ab: Node<'_, '_>, id: &str) -> String {
    let target = format!("#{id}");
    let mut out = String::new();
    for c in ab.children() {
        if c.is_text() {
            out.push_str(c.text().unwrap_or(""));
        } else if is(c, "app") {
            if let Some(r) = children(c, "rdg").find(|r| {
                r.attribute("wit")
                    .is_some_and(|w| w.split_whitespace().any(|x| x == target))
            }) {
                out.push_str(&raw_text(r));
            }
        } else if c.is_element() {
            out.push_str(&raw_text(c));
        }
    }
    out
}

/// Text with every run of white space as one space, trimmed.
pub(super) fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of an element as a reader sees it: `choice` by its regular
/// reading, deletions, forme work and figures left out.
pub(super) fn reading_text(n: Node<'_, '_>) -> String {
    let mut s = String::new();
    collect_text(n, &mut s);
    squash(&s)
}

/// The reading text of an element with its white space as it stands.
pub(super) fn raw_text(n: Node<'_, '_>) -> String {
    let mut s = String::new();
    collect_text(n, &mut s);
    s
}

pub(super) fn collect_text(n: Node<'_, '_>, out: &mut String) {
    collect(n, out, &mut None);
}

/// Where [`collect`] notes the names with a `@ref` it passes: the list,
/// and the field their spans are in.
pub(super) type NameSink<'s> = Option<(&'s mut Vec<NameRef>, MentionField)>;

/// Appends the reading text of `n` to `out`: `choice` by its regular
/// reading (an archival reference by its printed form), `lb` as a space,
/// skipped elements left out; with a sink, the byte span of each name
/// with a `@ref` too.
pub(super) fn collect(n: Node<'_, '_>, out: &mut String, names: &mut NameSink<'_>) {
    let mut joining = false;
    for c in n.children() {
        match c.node_type() {
            NodeType::Text => {
                let t = c.text().unwrap_or("");
                // After a line break inside a word, the layout's white
                // space is not a space of the text.
                let t = if joining { t.trim_start() } else { t };
                if !t.is_empty() {
                    joining = false;
                }
                out.push_str(t);
            }
            NodeType::Element => {
                if skipped(c) {
                    continue;
                }
                if is(c, "choice") {
                    // An archival reference keeps its printed form
                    // (`ibid., l. 12`) in the text; the resolved one is
                    // read into the note's references.
                    let printed = n.attribute("type") == Some("archival") && is(n, "bibl");
                    let pick = if printed {
                        child(c, "orig").or_else(|| choice_pick(c))
                    } else {
                        choice_pick(c)
                    };
                    if let Some(pick) = pick {
                        collect(pick, out, names);
                    }
                    continue;
                }
                if is(c, "lb") {
                    // A line break inside a word (`break="no"`) joins it.
                    if c.attribute("break") == Some("no") {
                        joining = true;
                    } else {
                        out.push(' ');
                    }
                    continue;
                }
                if is(c, "space") {
                    out.push(' ');
                    continue;
                }
                // A pointer with no text of its own (a diary entry a note
                // cites) shows its type and target.
                if is(c, "ref") && c.text().is_none() && !c.has_children() {
                    if let Some(target) = c.attribute("target") {
                        match c.attribute("type") {
                            Some(t) => out.push_str(&format!("{t}: {target}")),
                            None => out.push_str(&format!("→ {target}")),
                        }
                        continue;
                    }
                }
                let start = out.len();
                collect(c, out, names);
                if let (Some((names, field)), Some(target)) = (names.as_mut(), name_ref(c)) {
                    names.push(NameRef {
                        field: *field,
                        start,
                        end: out.len(),
                        refs: uris(target),
                        surface: out[start..].to_string(),
                        certain: c.attribute("cert") != Some("low"),
                        element: name_element(c),
                    });
                }
            }
            _ => {}
        }
    }
}

pub(super) fn ends_with_space(out: &[Inline]) -> bool {
    match out.last() {
        None | Some(Inline::LineBreak) => true,
        Some(Inline::Text { text }) | Some(Inline::Emph { text, .. }) => {
            text.ends_with(char::is_whitespace)
        }
        _ => false,
    }
}

/// Elements whose content is not part of the reading text.
pub(super) fn skipped(n: Node<'_, '_>) -> bool {
    let name = n.tag_name().name();
    n.tag_name().namespace() == Some(TEI_NS)
        && matches!(
            name,
            "del" | "fw" | "figure" | "pb" | "cb" | "milestone" | "gap" | "metamark"
        )
}

/// The reading of a `choice`: the regularised, expanded or corrected one.
pub(super) fn choice_pick<'a, 'i>(n: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    ["reg", "expan", "corr"]
        .iter()
        .find_map(|name| child(n, name))
        .or_else(|| n.children().find(|c| c.is_element()))
}
