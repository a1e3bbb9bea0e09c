//! TEI dates (`@when`, `@notBefore`/`@notAfter`, `@from`/`@to`, `@cert`)
//! into intervals.

use super::*;

/// A TEI date value (`1848`, `1848-05`, `1848-05-26`) as its first and
/// last day.
pub(super) fn date_value(v: &str) -> Option<(Day, Day, Precision)> {
    let v = v.trim();
    let parts: Vec<&str> = v.split('-').collect();
    let year: i32 = parts.first()?.parse().ok()?;
    if parts.first()?.len() != 4 {
        return None;
    }
    match parts.len() {
        1 => Some((
            Day::first_of_month(year, 1),
            Day::last_of_month(year, 12),
            Precision::Year,
        )),
        2 => {
            let m: u8 = parts[1].parse().ok()?;
            Day::new(year, m, 1)?;
            Some((
                Day::first_of_month(year, m),
                Day::last_of_month(year, m),
                Precision::Month,
            ))
        }
        3 => {
            let d = Day::new(year, parts[1].parse().ok()?, parts[2].parse().ok()?)?;
            Some((d, d, Precision::Day))
        }
        _ => None,
    }
}

/// A `date` element as a [`HistDate`]: `@when`, `@notBefore`/`@notAfter`
/// or `@from`/`@to` give the interval, `@cert="low"` makes it approximate.
/// `None` when no attribute gives a readable value.
pub(super) fn hist_date(n: Node<'_, '_>, text: &str) -> Result<Option<HistDate>, String> {
    let attr = |k: &str| n.attribute(k).map(str::trim).filter(|v| !v.is_empty());
    let read = |k: &str| -> Result<Option<(Day, Day, Precision)>, String> {
        match attr(k) {
            None => Ok(None),
            Some(v) => date_value(v).map(Some).ok_or_else(|| {
                format!("date @{k}=\"{v}\" is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
            }),
        }
    };
    let when = read("when")?;
    let lo = read("notBefore")?.or(read("from")?);
    let hi = read("notAfter")?.or(read("to")?);
    let approximate = attr("cert") == Some("low");
    let (earliest, latest, precision, qualifier, edtf) = if let Some((a, b, p)) = when {
        let v = attr("when").unwrap_or_default().to_string();
        (Some(a), Some(b), p, Qualifier::Exact, v)
    } else {
        match (lo, hi) {
            // Both bounds on the same day (month, year): the date is that
            // day, as precise as `@when` would make it.
            (Some(l), Some(h)) if l == h => {
                let v = attr("notBefore").or(attr("from")).unwrap_or_default();
                (Some(l.0), Some(l.1), l.2, Qualifier::Exact, v.to_string())
            }
            (Some((a, _, _)), Some((_, b, _))) => (
                Some(a),
                Some(b),
                Precision::Range,
                Qualifier::Exact,
                format!("{}/{}", a.iso(), b.iso()),
            ),
            (Some((a, _, _)), None) => (
                Some(a),
                None,
                Precision::OpenEnded,
                Qualifier::NotBefore,
                format!("{}/..", a.iso()),
            ),
            (None, Some((_, b, _))) => (
                None,
                Some(b),
                Precision::OpenEnded,
                Qualifier::NotAfter,
                format!("../{}", b.iso()),
            ),
            (None, None) => return Ok(None),
        }
    };
    if let (Some(a), Some(b)) = (earliest, latest) {
        if a > b {
            return Err(format!("date ends ({b}) before it begins ({a})"));
        }
    }
    let (qualifier, edtf) = if approximate {
        (Qualifier::Approximate, format!("{edtf}~"))
    } else {
        (qualifier, edtf)
    };
    let calendar = match attr("calendar") {
        Some(c) if c.contains("julian") => "julian",
        _ => "gregorian",
    };
    Ok(Some(HistDate {
        text: if text.is_empty() {
            edtf.clone()
        } else {
            text.to_string()
        },
        edtf,
        earliest,
        latest,
        precision,
        qualifier,
        calendar: calendar.into(),
    }))
}
