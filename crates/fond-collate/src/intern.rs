//! Normalised forms as small integers, so that the aligner compares and
//! counts `u32`s instead of strings.

use crate::token::Token;
use std::collections::HashMap;

/// Gives each distinct normalised form an id, shared by all witnesses of a
/// collation.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    ids: HashMap<String, u32>,
    is_word: Vec<bool>,
}

impl Interner {
    /// The ids of `tokens`' normalised forms, new forms getting new ids.
    pub(crate) fn ids(&mut self, tokens: &[Token]) -> Vec<u32> {
        tokens
            .iter()
            .map(|t| match self.ids.get(t.norm.as_str()) {
                Some(&id) => id,
                None => {
                    // More than u32::MAX distinct forms cannot occur: a
                    // token takes at least one byte, and texts are held
                    // in memory; saturate rather than wrap regardless.
                    let id = u32::try_from(self.is_word.len()).unwrap_or(u32::MAX);
                    self.ids.insert(t.norm.clone(), id);
                    self.is_word.push(t.is_word());
                    id
                }
            })
            .collect()
    }

    /// Whether each id is a word (else punctuation), indexed by id.
    pub(crate) fn is_word(&self) -> &[bool] {
        &self.is_word
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::tokenize;

    #[test]
    fn equal_forms_share_ids_across_witnesses() {
        let mut int = Interner::default();
        let a = int.ids(&tokenize("The cat, the hat"));
        let b = int.ids(&tokenize("THE hat"));
        assert_eq!(a, vec![0, 1, 2, 0, 3]);
        assert_eq!(b, vec![0, 3]);
        assert_eq!(int.is_word(), &[true, true, false, true]);
    }
}
