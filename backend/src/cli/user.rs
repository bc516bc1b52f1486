use std::io::BufRead;

use clap::Subcommand;
use diesel::Connection;
use mes_api_types::auth::{NewUser, Role, UserUpdate};

use crate::{
    db::Db,
    http::extract::Actor,
    users::{queries, service},
};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user. Without --password the password is read from standard input.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: Option<String>,
        /// Role(s): admin, manager, planner, supervisor, quality, maintenance, operator. Repeatable.
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        #[arg(long)]
        display_name: Option<String>,
        /// Badge code for station sign-in.
        #[arg(long)]
        badge: Option<String>,
        /// 4–8 digit PIN for station sign-in.
        #[arg(long)]
        pin: Option<String>,
    },
    /// List users.
    List,
    /// Set a user's password. Without --password it is read from standard input.
    Passwd {
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: Option<String>,
    },
    /// Disable a user: they can no longer sign in, and their sessions end.
    Disable {
        #[arg(long)]
        username: String,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(&s.to_lowercase()).ok_or_else(|| {
        let all: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("unknown role `{s}`; choose from {}", all.join(", "))
    })
}

fn password_or_stdin(password: Option<String>) -> Result<String, String> {
    match password {
        Some(p) => Ok(p),
        None => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
            Ok(line.trim_end_matches(['\r', '\n']).to_owned())
        }
    }
}

/// An API error as one CLI line, with the field problems spelled out.
fn describe(e: crate::error::AppError) -> String {
    let body = e.body(mes_api_types::Lang::En);
    let mut out = body.message;
    for d in body.details {
        out.push_str(&format!("; {}: {}", d.field.unwrap_or_default(), d.message));
    }
    out
}

pub fn run(db: &Db, command: UserCommand) -> Result<(), String> {
    let actor = Actor::system("cli");
    let mut conn = db.get().map_err(describe)?;
    match command {
        UserCommand::Add {
            username,
            password,
            roles,
            display_name,
            badge,
            pin,
        } => {
            let password = password_or_stdin(password)?;
            let user = service::create_user(
                &mut conn,
                &actor,
                NewUser {
                    username,
                    display_name,
                    password,
                    roles,
                    language: None,
                    badge_code: badge,
                    pin,
                },
            )
            .map_err(describe)?;
            println!("created user {} (id {})", user.username, user.id);
        }
        UserCommand::List => {
            let (rows, _) = queries::list(&mut conn, &Default::default(), None, i64::MAX)
                .map_err(|e| e.to_string())?;
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let roles = queries::roles_of_many(&mut conn, &ids).map_err(|e| e.to_string())?;
            println!(
                "{:<6} {:<20} {:<20} {:<8} roles",
                "id", "username", "name", "active"
            );
            for r in rows {
                println!(
                    "{:<6} {:<20} {:<20} {:<8} {}",
                    r.id,
                    r.username,
                    r.display_name,
                    if r.active { "yes" } else { "no" },
                    roles.get(&r.id).map(|v| v.join(",")).unwrap_or_default()
                );
            }
        }
        UserCommand::Passwd { username, password } => {
            let password = password_or_stdin(password)?;
            let id = find_id(&mut conn, &username)?;
            service::update_user(
                &mut conn,
                &actor,
                id,
                UserUpdate {
                    password: Some(password),
                    ..UserUpdate::default()
                },
            )
            .map_err(describe)?;
            println!("password of {username} changed; their sessions have ended");
        }
        UserCommand::Disable { username } => {
            let id = find_id(&mut conn, &username)?;
            service::update_user(
                &mut conn,
                &actor,
                id,
                UserUpdate {
                    active: Some(false),
                    ..UserUpdate::default()
                },
            )
            .map_err(describe)?;
            println!("user {username} disabled");
        }
    }
    Ok(())
}

fn find_id(conn: &mut crate::db::DbConnection, username: &str) -> Result<i64, String> {
    conn.transaction(|conn| queries::find_by_username(conn, &username.trim().to_lowercase()))
        .map_err(|e| e.to_string())?
        .map(|u| u.id)
        .ok_or_else(|| format!("no user named `{username}`"))
}
