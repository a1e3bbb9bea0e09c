//! Archival references as search keys.
//!
//! A reference is normalised to its parts, each written without spaces or
//! dots: `RTsKhIDNI f. 17, op. 3, d. 510, l. 5` → `rtskhidni f17 op3 d510
//! l5`. The index holds every suffix that starts at a part, and `ref:X`
//! matches a suffix equal to X or beginning with X and a space, so
//! `ref:"f. 17, op. 3"` finds the reference above but not `f. 17, op. 30`,
//! however the user spaced and punctuated it.

/// Labels of the parts of a reference (fond, opis', delo, list/listy).
const LABELS: &[&str] = &["f", "op", "d", "l", "ll"];

/// The normalised form of a reference or of part of one.
pub fn normalize_ref(s: &str) -> String {
    // Words of letters, digits and range dashes (all folded to `-`).
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if matches!(c, '-' | '–' | '—' | '‐' | '‑' | '−') && !cur.is_empty() {
            cur.push('-');
        } else if !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    // Glue each label to the value that follows it: `f 17` → `f17`.
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i].trim_end_matches('-');
        let is_label = LABELS.contains(&w);
        match words.get(i + 1) {
            Some(next) if is_label && next.starts_with(|c: char| c.is_ascii_digit()) => {
                parts.push(format!("{w}{}", next.trim_end_matches('-')));
                i += 2;
            }
            _ => {
                if !w.is_empty() {
                    parts.push(w.to_string());
                }
                i += 1;
            }
        }
    }
    parts.join(" ")
}

/// Every suffix of a normalised reference that starts at a part.
pub fn suffixes(norm: &str) -> Vec<String> {
    let mut out = vec![norm.to_string()];
    let mut rest = norm;
    while let Some(i) = rest.find(' ') {
        rest = &rest[i + 1..];
        if !rest.is_empty() {
            out.push(rest.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_parts() {
        assert_eq!(
            normalize_ref("RTsKhIDNI f. 17, op. 3, d. 510, l. 5"),
            "rtskhidni f17 op3 d510 l5"
        );
        assert_eq!(normalize_ref("f.17 op.3"), "f17 op3");
        assert_eq!(normalize_ref("f. 17, op. 3"), "f17 op3");
        assert_eq!(normalize_ref("ll. 8–23"), "ll8-23");
        assert_eq!(normalize_ref("ll. 8-23"), "ll8-23");
        assert_eq!(normalize_ref(",,,"), "");
    }

    #[test]
    fn suffixes_start_at_parts() {
        assert_eq!(
            suffixes("rtskhidni f17 op3"),
            vec!["rtskhidni f17 op3", "f17 op3", "op3"]
        );
    }
}
