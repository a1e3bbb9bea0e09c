//! `fond user add|passwd|remove|list`: the reading room's accounts.
//!
//! Accounts live in the archive (`fond_store::Archive::add_user`, schema
//! V6), so the reading room that serves it knows them; the archive keeps
//! an Argon2id hash of each password, never the password. A password is
//! read from standard input: one line with `--password-stdin` or when the
//! input is not a terminal (scripts), else asked for twice at the
//! terminal without echo (`stty -echo`, so no dependency for it).

use anyhow::{Context, Result};
use clap::Subcommand;
use fond_model::visibility::Role;
use serde_json::json;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add an account: reader (reads what a setting names them in),
    /// editor (reads everything, sets visibility) or admin (an editor who
    /// manages the accounts).
    Add {
        name: String,
        #[arg(long)]
        role: String,
        /// Read the password as one line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Who creates it (default: $FOND_EDITOR, else the login name).
        #[arg(long)]
        by: Option<String>,
    },
    /// Set an account's password (its sessions end).
    Passwd {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Remove an account (its sessions end).
    Remove { name: String },
    /// The accounts, with their role and open sessions.
    List {
        #[arg(long)]
        json: bool,
    },
}

/// Runs a `fond user` command.
pub fn run(dir: &Path, cmd: UserCommand, out: &mut impl Write) -> Result<ExitCode> {
    let mut archive = fond_store::Archive::open_existing(dir)?;
    match cmd {
        UserCommand::Add {
            name,
            role,
            password_stdin,
            by,
        } => {
            let role = Role::parse(&role).with_context(|| {
                format!(
                    "unknown role \"{role}\"; expected one of: {}",
                    Role::ALL.map(|r| r.as_str()).join(", ")
                )
            })?;
            let password = password(password_stdin, &format!("Password for {name}: "))?;
            let by = by
                .or_else(|| std::env::var("FOND_EDITOR").ok())
                .or_else(|| std::env::var("USER").ok())
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| "fond user add".into());
            archive.add_user(&name, role, &password, &by, &crate::restrict::now().0)?;
            writeln!(out, "{name}: added as {role}")?;
        }
        UserCommand::Passwd {
            name,
            password_stdin,
        } => {
            let password = password(password_stdin, &format!("New password for {name}: "))?;
            archive.set_password(&name, &password)?;
            writeln!(out, "{name}: password changed; their sessions have ended")?;
        }
        UserCommand::Remove { name } => {
            archive.remove_user(&name)?;
            writeln!(out, "{name}: removed; their sessions have ended")?;
        }
        UserCommand::List { json } => {
            let users = archive.users(now())?;
            for u in &users {
                if json {
                    serde_json::to_writer(
                        &mut *out,
                        &json!({"name": u.name, "role": u.role.as_str(), "created_by": u.created_by,
                                "created_at": u.created_at, "sessions": u.sessions}),
                    )?;
                    writeln!(out)?;
                } else {
                    writeln!(
                        out,
                        "{:<24} {:<7} {} session(s)  (added by {}, {})",
                        u.name,
                        u.role.as_str(),
                        u.sessions,
                        u.created_by,
                        u.created_at
                    )?;
                }
            }
            if users.is_empty() && !json {
                writeln!(
                    out,
                    "no accounts; add one with `fond user add NAME --role editor`"
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn now() -> i64 {
    fond_model::clock::unix_time()
}

/// One line of standard input, without its line end.
fn read_line() -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

/// The password: from standard input, or asked for twice at the terminal
/// with echo off.
fn password(from_stdin: bool, prompt: &str) -> Result<String> {
    if from_stdin || !std::io::stdin().is_terminal() {
        return read_line();
    }
    let first = ask(prompt)?;
    let again = ask("Again: ")?;
    anyhow::ensure!(
        first == again,
        "the two passwords differ; nothing was changed"
    );
    Ok(first)
}

fn ask(prompt: &str) -> Result<String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let echo = |on: bool| {
        std::process::Command::new("stty")
            .arg(if on { "echo" } else { "-echo" })
            .stdin(std::process::Stdio::inherit())
            .status()
            .is_ok_and(|s| s.success())
    };
    let hidden = echo(false);
    let line = read_line();
    if hidden {
        echo(true);
    }
    eprintln!();
    line
}
