//! People: the record types are the model's (`fond_model::authority`), so
//! every crate shares one shape; this crate reads them from a book.

pub use fond_model::authority::{
    Alias, AliasKind, Fate, LifeYear, Office, OfficeSource, Origin, Person, PersonId, Point,
};
