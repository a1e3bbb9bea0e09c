//! The reading room's accounts, sessions and login attempts.
//!
//! Passwords are kept as Argon2id PHC strings (the `argon2` crate's
//! defaults: 19 MiB, 2 passes, 1 lane, a 16-byte salt from the OS). A
//! session is a random 32-byte token the browser holds in a cookie; the
//! archive keeps only its SHA-256, so reading the archive file opens no
//! session. The role is read from `users` on every request, so a changed
//! role counts at once and a removed account's sessions end with it.
//!
//! The rate limit lives here too, one rule for every caller: after
//! [`LoginLimit::ACCOUNT_FAILURES`] failed logins of an account (or
//! [`LoginLimit::ADDRESS_FAILURES`] from one address) within
//! [`LoginLimit::WINDOW`] seconds, logins are refused — right password or
//! not — for a time that doubles with each further failure.

use crate::error::Fail;
use crate::StoreError;
use argon2::{PasswordHasher, PasswordVerifier};
use fond_model::visibility::Role;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use sha2::{Digest, Sha256};

/// An account as listed (never its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub role: Role,
    pub created_by: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// Sessions open now (not expired at the time asked).
    pub sessions: usize,
}

/// A session just opened: the token goes into the cookie and is not kept.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf: String,
    pub expires: i64,
}

/// The account behind a live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub name: String,
    pub role: Role,
    /// The secret every form of this session must carry.
    pub csrf: String,
    pub expires: i64,
}

/// The rate limit of logins.
pub struct LoginLimit;

impl LoginLimit {
    /// Failures of one account within the window before logins of it are
    /// refused.
    pub const ACCOUNT_FAILURES: i64 = 5;
    /// Failures from one address (any accounts) within the window before
    /// its logins are refused: higher, since a reading room's visitors may
    /// share an address.
    pub const ADDRESS_FAILURES: i64 = 20;
    /// Seconds a failure counts for.
    pub const WINDOW: i64 = 15 * 60;
    /// The first refusal lasts this long (seconds); each further failure
    /// doubles it, up to [`LoginLimit::LONGEST`].
    pub const FIRST_WAIT: i64 = 60;
    pub const LONGEST: i64 = 60 * 60;

    /// How long to refuse after `failures` failures, the limit being
    /// `limit`: nothing below it.
    fn wait(failures: i64, limit: i64) -> i64 {
        if failures < limit {
            return 0;
        }
        let doublings = (failures - limit).min(20) as u32;
        (Self::FIRST_WAIT << doublings).min(Self::LONGEST)
    }
}

/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 10;

fn bad(why: impl Into<String>) -> Fail {
    Fail::Store(StoreError::BadAccount(why.into()))
}

/// Account names: what a login form and a setting's readers can hold
/// without quoting.
fn check_name(name: &str) -> Result<(), Fail> {
    let ok = !name.is_empty()
        && name.chars().count() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if ok {
        Ok(())
    } else {
        Err(bad(format!(
            "\"{name}\" cannot name an account: use 1 to 64 letters, digits, '.', '_', '-' or '@'"
        )))
    }
}

fn check_password(name: &str, password: &str) -> Result<(), Fail> {
    if password.is_empty() {
        return Err(bad(
            "the password is empty; give one of at least 10 characters",
        ));
    }
    if password.chars().count() < MIN_PASSWORD {
        return Err(bad(format!(
            "the password is too short ({} characters); give one of at least {MIN_PASSWORD}",
            password.chars().count()
        )));
    }
    let first = password.chars().next();
    if password.eq_ignore_ascii_case(name) || password.chars().all(|c| Some(c) == first) {
        return Err(bad("the password is too easy to guess (the account's name, or one character repeated); choose another"));
    }
    Ok(())
}

/// `n` random bytes from the OS, as lower-case hex.
fn random_hex(n: usize) -> Result<String, Fail> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| {
        bad(format!(
            "the system's random source failed ({e}); try again"
        ))
    })?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the archive keeps of a session token.
fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hash_password(password: &str) -> Result<String, Fail> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| {
        bad(format!(
            "the system's random source failed ({e}); try again"
        ))
    })?;
    argon2::Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| bad(format!("cannot hash the password: {e}")))
}

/// A hash of no one's password (made once per process), verified against
/// when the account named does not exist, so that a login takes as long
/// for a missing account as for a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no account has this password").unwrap_or_default())
}

fn verify(password: &str, hash: &str) -> bool {
    argon2::Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

fn role_of(s: &str) -> Result<Role, Fail> {
    Role::parse(s).ok_or_else(|| Fail::Corrupt(format!("account role \"{s}\"")))
}

fn admins(conn: &Connection) -> Result<i64, Fail> {
    Ok(
        conn.query_row("SELECT COUNT(*) FROM users WHERE role = 'admin'", [], |r| {
            r.get(0)
        })?,
    )
}

fn role_now(conn: &Connection, name: &str) -> Result<Role, Fail> {
    let role: Option<String> = conn
        .query_row("SELECT role FROM users WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?;
    match role {
        Some(r) => role_of(&r),
        None => Err(Fail::Store(StoreError::UnknownUser {
            name: name.to_string(),
        })),
    }
}

pub(crate) fn add(
    conn: &mut Connection,
    name: &str,
    role: Role,
    password: &str,
    by: &str,
    when: &str,
) -> Result<(), Fail> {
    check_name(name)?;
    check_password(name, password)?;
    let hash = hash_password(password)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let exists: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE name = ?1)",
        [name],
        |r| r.get(0),
    )?;
    if exists {
        return Err(Fail::Store(StoreError::UserExists {
            name: name.to_string(),
        }));
    }
    tx.execute(
        "INSERT INTO users (name, role, hash, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, role.as_str(), hash, by, when],
    )?;
    tx.commit()?;
    Ok(())
}

/// A new password; the account's sessions end (whoever knew the old one
/// is logged out).
pub(crate) fn passwd(conn: &mut Connection, name: &str, password: &str) -> Result<(), Fail> {
    check_password(name, password)?;
    let hash = hash_password(password)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    role_now(&tx, name)?;
    tx.execute(
        "UPDATE users SET hash = ?2 WHERE name = ?1",
        params![name, hash],
    )?;
    tx.execute("DELETE FROM sessions WHERE user = ?1", [name])?;
    tx.commit()?;
    Ok(())
}

/// Changes a role; the last admin keeps theirs (someone must be able to
/// manage the accounts from the reading room).
pub(crate) fn set_role(conn: &mut Connection, name: &str, role: Role) -> Result<(), Fail> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let was = role_now(&tx, name)?;
    if was == Role::Admin && role != Role::Admin && admins(&tx)? <= 1 {
        return Err(Fail::Store(StoreError::LastAdmin {
            name: name.to_string(),
        }));
    }
    tx.execute(
        "UPDATE users SET role = ?2 WHERE name = ?1",
        params![name, role.as_str()],
    )?;
    tx.commit()?;
    Ok(())
}

/// Removes an account and ends its sessions; not the last admin.
pub(crate) fn remove(conn: &mut Connection, name: &str) -> Result<(), Fail> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let was = role_now(&tx, name)?;
    if was == Role::Admin && admins(&tx)? <= 1 {
        return Err(Fail::Store(StoreError::LastAdmin {
            name: name.to_string(),
        }));
    }
    tx.execute("DELETE FROM sessions WHERE user = ?1", [name])?;
    tx.execute("DELETE FROM users WHERE name = ?1", [name])?;
    tx.commit()?;
    Ok(())
}

pub(crate) fn list(conn: &Connection, now: i64) -> Result<Vec<User>, Fail> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, role, created_by, created_at,
                (SELECT COUNT(*) FROM sessions s WHERE s.user = u.name AND s.expires > ?1)
         FROM users u ORDER BY name",
    )?;
    let rows = stmt.query_map([now], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (name, role, created_by, created_at, sessions) = row?;
        out.push(User {
            name,
            role: role_of(&role)?,
            created_by,
            created_at,
            sessions: usize::try_from(sessions).unwrap_or(0),
        });
    }
    Ok(out)
}

/// The account if the password is theirs. A missing account costs the
/// same hashing as a wrong password.
pub(crate) fn check(conn: &Connection, name: &str, password: &str) -> Result<Option<Role>, Fail> {
    let row: Option<(String, String)> = conn
        .query_row(
            "SELECT role, hash FROM users WHERE name = ?1",
            [name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        Some((role, hash)) if verify(password, &hash) => Ok(Some(role_of(&role)?)),
        Some(_) => Ok(None),
        None => {
            let _ = verify(password, dummy_hash());
            Ok(None)
        }
    }
}

/// Opens a session of `name` for `ttl` seconds from `now` (and clears the
/// expired ones of every account).
pub(crate) fn open_session(
    conn: &mut Connection,
    name: &str,
    now: i64,
    ttl: i64,
) -> Result<NewSession, Fail> {
    let token = random_hex(32)?;
    let csrf = random_hex(32)?;
    let expires = now.saturating_add(ttl);
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    role_now(&tx, name)?;
    tx.execute("DELETE FROM sessions WHERE expires <= ?1", [now])?;
    tx.execute(
        "INSERT INTO sessions (token_hash, user, created, expires, csrf) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![token_hash(&token), name, now, expires, csrf],
    )?;
    tx.commit()?;
    Ok(NewSession {
        token,
        csrf,
        expires,
    })
}

/// The account of a live session; `None` for a token the archive does not
/// know, an expired session, or a removed account.
pub(crate) fn session(
    conn: &Connection,
    token: &str,
    now: i64,
) -> Result<Option<SessionUser>, Fail> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.name, u.role, s.csrf, s.expires FROM sessions s JOIN users u ON u.name = s.user
         WHERE s.token_hash = ?1 AND s.expires > ?2",
    )?;
    let row: Option<(String, String, String, i64)> = stmt
        .query_row(params![token_hash(token), now], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    match row {
        None => Ok(None),
        Some((name, role, csrf, expires)) => Ok(Some(SessionUser {
            name,
            role: role_of(&role)?,
            csrf,
            expires,
        })),
    }
}

pub(crate) fn close_session(conn: &Connection, token: &str) -> Result<(), Fail> {
    conn.execute(
        "DELETE FROM sessions WHERE token_hash = ?1",
        [token_hash(token)],
    )?;
    Ok(())
}

/// Records a login attempt that was checked (a refused one is not: it
/// tested no password).
pub(crate) fn record_attempt(
    conn: &Connection,
    account: &str,
    address: &str,
    ok: bool,
    now: i64,
) -> Result<(), Fail> {
    conn.execute(
        "DELETE FROM login_attempts WHERE at < ?1",
        [now - LoginLimit::WINDOW],
    )?;
    conn.execute(
        "INSERT INTO login_attempts (account, address, at, ok) VALUES (?1, ?2, ?3, ?4)",
        params![account, address, now, ok],
    )?;
    Ok(())
}

/// Failures and the last one, of `column` = `key`, within the window and
/// since its last success.
fn failures(conn: &Connection, column: &str, key: &str, now: i64) -> Result<(i64, i64), Fail> {
    let sql = format!(
        "SELECT COUNT(*), COALESCE(MAX(at), 0) FROM login_attempts
         WHERE {column} = ?1 AND ok = 0 AND at > ?2
           AND at >= (SELECT COALESCE(MAX(at), 0) FROM login_attempts WHERE {column} = ?1 AND ok = 1)"
    );
    Ok(
        conn.query_row(&sql, params![key, now - LoginLimit::WINDOW], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?,
    )
}

/// Seconds until a login of `account` from `address` will be checked
/// again; `None`: it may be tried now.
pub(crate) fn login_wait(
    conn: &Connection,
    account: &str,
    address: &str,
    now: i64,
) -> Result<Option<i64>, Fail> {
    let (a, a_last) = failures(conn, "account", account, now)?;
    let (b, b_last) = failures(conn, "address", address, now)?;
    let until = (a_last + LoginLimit::wait(a, LoginLimit::ACCOUNT_FAILURES))
        .max(b_last + LoginLimit::wait(b, LoginLimit::ADDRESS_FAILURES));
    let waiting =
        (a >= LoginLimit::ACCOUNT_FAILURES || b >= LoginLimit::ADDRESS_FAILURES) && until > now;
    Ok(waiting.then_some(until - now))
}

#[cfg(test)]
mod tests {
    use super::LoginLimit;
    use crate::{Archive, StoreError};
    use fond_model::visibility::Role;

    const NOW: i64 = 1_800_000_000;

    fn archive() -> (tempfile::TempDir, Archive) {
        let tmp = tempfile::tempdir().expect("tmp");
        let a = Archive::open(tmp.path()).expect("archive");
        (tmp, a)
    }

    #[test]
    fn accounts_are_checked_hashed_and_listed() {
        let (_tmp, mut a) = archive();
        let add = |a: &mut Archive, name: &str, role, pw: &str| {
            a.add_user(name, role, pw, "tester", "2026-12-06T09:00:00Z")
        };
        add(&mut a, "ada", Role::Admin, "correct horse battery").expect("ada");
        let again = add(&mut a, "ada", Role::Reader, "another long password");
        assert!(
            matches!(again, Err(StoreError::UserExists { .. })),
            "{again:?}"
        );
        for (name, pw, says) in [
            ("bob", "", "empty"),
            ("bob", "short", "too short"),
            ("bobbobbobbob", "bobbobbobbob", "guess"),
            ("bob smith", "a long enough one", "cannot name"),
        ] {
            let e = add(&mut a, name, Role::Reader, pw).expect_err(name);
            assert!(e.to_string().contains(says), "{e}");
        }
        add(&mut a, "bob", Role::Reader, "a long enough one").expect("bob");
        assert_eq!(
            a.check_password("ada", "correct horse battery")
                .expect("check"),
            Some(Role::Admin)
        );
        assert_eq!(
            a.check_password("ada", "wrong horse battery")
                .expect("check"),
            None
        );
        assert_eq!(
            a.check_password("nobody", "correct horse battery")
                .expect("check"),
            None
        );
        let hash: String = a
            .conn
            .query_row("SELECT hash FROM users WHERE name = 'ada'", [], |r| {
                r.get(0)
            })
            .expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        assert!(!hash.contains("horse"));
        let users = a.users(NOW).expect("users");
        assert_eq!(
            users.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
            ["ada", "bob"]
        );
        // The only admin stays one.
        assert!(matches!(
            a.set_role("ada", Role::Editor),
            Err(StoreError::LastAdmin { .. })
        ));
        assert!(matches!(
            a.remove_user("ada"),
            Err(StoreError::LastAdmin { .. })
        ));
        assert!(matches!(
            a.remove_user("eve"),
            Err(StoreError::UnknownUser { .. })
        ));
    }

    #[test]
    fn sessions_are_kept_as_hashes_and_end_with_their_account() {
        let (_tmp, mut a) = archive();
        a.add_user("bob", Role::Editor, "a long enough one", "t", "now")
            .expect("bob");
        let s = a.open_session("bob", NOW, 3600).expect("session");
        let t = a.open_session("bob", NOW, 3600).expect("session");
        assert_ne!(s.token, t.token, "a new token every login");
        let held: i64 = a
            .conn
            .query_row(
                "SELECT COUNT(*) FROM sessions WHERE token_hash = ?1 OR csrf = ?1",
                [&s.token],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(held, 0, "the token itself is not kept");
        let user = a.session(&s.token, NOW + 10).expect("read").expect("live");
        assert_eq!((user.name.as_str(), user.role), ("bob", Role::Editor));
        assert_eq!(user.csrf, s.csrf);
        assert!(
            a.session(&s.token, NOW + 3600).expect("read").is_none(),
            "expired"
        );
        assert!(a.session("made-up", NOW).expect("read").is_none());
        a.close_session(&s.token).expect("close");
        assert!(
            a.session(&s.token, NOW + 10).expect("read").is_none(),
            "logged out"
        );
        a.set_role("bob", Role::Reader).expect("role");
        assert_eq!(
            a.session(&t.token, NOW).expect("read").map(|u| u.role),
            Some(Role::Reader)
        );
        a.remove_user("bob").expect("remove");
        assert!(
            a.session(&t.token, NOW).expect("read").is_none(),
            "removed: its sessions end"
        );
    }

    #[test]
    fn failed_logins_are_refused_for_a_growing_time() {
        let (_tmp, a) = archive();
        let wait = |now| a.login_wait("bob", "10.0.0.1", now).expect("wait");
        for i in 0..4 {
            a.record_login("bob", "10.0.0.1", false, NOW + i)
                .expect("record");
            assert_eq!(wait(NOW + i), None);
        }
        a.record_login("bob", "10.0.0.1", false, NOW + 4)
            .expect("record");
        assert_eq!(wait(NOW + 5), Some(59));
        assert_eq!(wait(NOW + 64), None, "after a minute, one more try");
        a.record_login("bob", "10.0.0.1", false, NOW + 64)
            .expect("record");
        assert_eq!(wait(NOW + 64), Some(120), "then twice as long");
        // Another account from another address is not held up.
        assert_eq!(
            a.login_wait("ada", "10.0.0.2", NOW + 64).expect("wait"),
            None
        );
        // Failures leave the count after the window; a success clears it.
        assert_eq!(wait(NOW + 64 + LoginLimit::WINDOW), None);
        a.record_login("bob", "10.0.0.1", true, NOW + 200)
            .expect("record");
        assert_eq!(wait(NOW + 200), None);
        // Many accounts from one address: the address is refused.
        for i in 0..LoginLimit::ADDRESS_FAILURES {
            a.record_login(&format!("u{i}"), "10.0.0.9", false, NOW + 300)
                .expect("record");
        }
        assert!(a
            .login_wait("anyone", "10.0.0.9", NOW + 301)
            .expect("wait")
            .is_some());
    }

    #[test]
    fn the_wait_doubles_from_the_limit_and_is_capped() {
        assert_eq!(LoginLimit::wait(4, 5), 0);
        assert_eq!(LoginLimit::wait(5, 5), 60);
        assert_eq!(LoginLimit::wait(6, 5), 120);
        assert_eq!(LoginLimit::wait(60, 5), LoginLimit::LONGEST);
    }
}
