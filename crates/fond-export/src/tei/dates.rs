//! Dates as TEI attributes.
//!
//! A [`HistDate`] is an interval of days with a precision and a
//! qualifier. TEI says the same with `@when` (one day, or a whole month or
//! year at that precision) or `@notBefore`/`@notAfter` (an interval, open
//! on one side for "No earlier than 6 August 1930"). `@cert` and
//! `@evidence` record that the editors, not the author, dated a document.

use fond_model::{DocDate, HistDate, Precision, Qualifier};

/// `@when`, or `@notBefore` and `@notAfter`, for an interval; nothing for
/// an undetermined date.
pub fn interval_attrs(d: &HistDate) -> Vec<(&'static str, String)> {
    match (d.earliest, d.latest) {
        (Some(a), Some(b)) if a == b => vec![("when", a.iso())],
        (Some(a), Some(b)) => {
            let whole_month = a.day == 1
                && a.year == b.year
                && a.month == b.month
                && b.day == fond_model::Day::days_in_month(b.year, b.month);
            let whole_year =
                a.year == b.year && (a.month, a.day) == (1, 1) && (b.month, b.day) == (12, 31);
            // Only a date printed as a month ("July 1925") or a year is one
            // value; "Early July" is an interval even if it were the whole
            // month.
            if whole_month && d.precision == Precision::Month {
                vec![("when", format!("{:04}-{:02}", a.year, a.month))]
            } else if whole_year && d.precision == Precision::Year {
                vec![("when", format!("{:04}", a.year))]
            } else {
                vec![("notBefore", a.iso()), ("notAfter", b.iso())]
            }
        }
        (Some(a), None) => vec![("notBefore", a.iso())],
        (None, Some(b)) => vec![("notAfter", b.iso())],
        (None, None) => Vec::new(),
    }
}

/// Did the editors date (or re-date) the document, rather than print the
/// author's own date? True when they gave a date and the author's dateline
/// is missing, unreadable as a date, or not the same interval.
pub fn editors_dated(date: &DocDate) -> bool {
    let Some(i) = &date.interval else {
        return false;
    };
    if date.editorial.is_none() {
        return false;
    }
    match &date.written_interval {
        Some(w) => date.disagreement || w.earliest != i.earliest || w.latest != i.latest,
        None => true,
    }
}

/// `@cert` and `@evidence` for a date the editors gave.
///
/// The editors state no degree of certainty, so `@cert` is derived from
/// how they phrased the date: a day, month or year as such is `high`; a
/// part of a month, a season, a range or a bound ("No earlier than") is
/// `medium`; an approximation is `low`. `@evidence` is `external`: the
/// editors date from other documents (minutes, telegrams) and discuss
/// each correction in the notes.
pub fn editorial_cert(d: &HistDate) -> Option<[(&'static str, String); 2]> {
    let cert = match (d.qualifier, d.precision) {
        (_, Precision::Undetermined) => return None,
        (Qualifier::Approximate, _) => "low",
        (Qualifier::NotBefore | Qualifier::NotAfter, _) => "medium",
        (Qualifier::Exact, Precision::Day | Precision::Month | Precision::Year) => "high",
        (Qualifier::Exact, _) => "medium",
    };
    Some([("cert", cert.into()), ("evidence", "external".into())])
}

#[cfg(test)]
mod tests {
    use super::*;
    use fond_model::Day;

    fn hd(
        earliest: Option<(i32, u8, u8)>,
        latest: Option<(i32, u8, u8)>,
        precision: Precision,
        qualifier: Qualifier,
    ) -> HistDate {
        let day = |t: Option<(i32, u8, u8)>| t.and_then(|(y, m, d)| Day::new(y, m, d));
        HistDate {
            text: String::new(),
            edtf: String::new(),
            earliest: day(earliest),
            latest: day(latest),
            precision,
            qualifier,
            calendar: "gregorian".into(),
        }
    }

    fn attrs(d: &HistDate) -> Vec<(&'static str, String)> {
        interval_attrs(d)
    }

    #[test]
    fn intervals_become_when_or_bounds() {
        let day = hd(
            Some((1925, 7, 12)),
            Some((1925, 7, 12)),
            Precision::Day,
            Qualifier::Exact,
        );
        assert_eq!(attrs(&day), vec![("when", "1925-07-12".to_string())]);
        let month = hd(
            Some((1925, 7, 1)),
            Some((1925, 7, 31)),
            Precision::Month,
            Qualifier::Exact,
        );
        assert_eq!(attrs(&month), vec![("when", "1925-07".to_string())]);
        let early = hd(
            Some((1927, 7, 1)),
            Some((1927, 7, 10)),
            Precision::PartOfMonth,
            Qualifier::Exact,
        );
        assert_eq!(
            attrs(&early),
            vec![
                ("notBefore", "1927-07-01".to_string()),
                ("notAfter", "1927-07-10".to_string())
            ]
        );
        // Letter 57: "No earlier than 6 August 1930".
        let open = hd(
            Some((1930, 8, 6)),
            None,
            Precision::OpenEnded,
            Qualifier::NotBefore,
        );
        assert_eq!(attrs(&open), vec![("notBefore", "1930-08-06".to_string())]);
        let none = hd(None, None, Precision::Undetermined, Qualifier::Exact);
        assert!(attrs(&none).is_empty());
        assert!(editorial_cert(&none).is_none());
        assert_eq!(
            editorial_cert(&open).map(|a| a[0].1.clone()),
            Some("medium".into())
        );
    }

    #[test]
    fn only_dates_the_editors_gave_count_as_theirs() {
        let i = hd(
            Some((1925, 7, 12)),
            Some((1925, 7, 12)),
            Precision::Day,
            Qualifier::Exact,
        );
        let mut d = DocDate {
            written: Some("Rostov 7/12".into()),
            editorial: Some("12 July 1925".into()),
            interval: Some(i.clone()),
            written_interval: Some(i.clone()),
            disagreement: false,
        };
        assert!(!editors_dated(&d));
        d.written_interval = None;
        assert!(editors_dated(&d));
        d.editorial = None;
        assert!(!editors_dated(&d));
    }
}
