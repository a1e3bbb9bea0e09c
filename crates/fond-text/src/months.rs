//! The English month names, in order: the one table the prose-date readers
//! (editorial dates, the glossary's offices) look months up in.

/// `january` … `december`, lower case.
pub const ENGLISH_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The number (1–12) of an English month's full name, any case.
pub fn english_month(name: &str) -> Option<u8> {
    let l = name.to_lowercase();
    ENGLISH_MONTHS
        .iter()
        .position(|m| *m == l)
        .and_then(|i| u8::try_from(i + 1).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_by_full_name() {
        assert_eq!(english_month("July"), Some(7));
        assert_eq!(english_month("DECEMBER"), Some(12));
        assert_eq!(english_month("Sept"), None);
    }
}
