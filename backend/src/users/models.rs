use chrono::NaiveDateTime;
use diesel::prelude::*;
use mes_api_types::{Lang, UserId, auth::Role, auth::User};

use crate::db::schema::users;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub language: String,
    pub badge_code: Option<String>,
    pub pin_hash: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub last_login_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUserRow {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub language: String,
    pub badge_code: Option<String>,
    pub pin_hash: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A partial update: `None` leaves a column alone; `Some(None)` clears a nullable one.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub password_hash: Option<String>,
    pub language: Option<String>,
    pub badge_code: Option<Option<String>>,
    pub pin_hash: Option<Option<String>>,
    pub active: Option<bool>,
    pub updated_at: Option<NaiveDateTime>,
    pub last_login_at: Option<Option<NaiveDateTime>>,
}

pub fn lang_from_db(s: &str) -> Lang {
    if s == Lang::En.tag() {
        Lang::En
    } else {
        Lang::ZhCn
    }
}

pub fn roles_from_db(names: &[String]) -> Vec<Role> {
    let mut roles: Vec<Role> = names.iter().filter_map(|n| Role::parse(n)).collect();
    roles.sort();
    roles
}

impl UserRow {
    pub fn to_api(&self, roles: Vec<Role>) -> User {
        User {
            id: UserId(self.id),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            roles,
            language: lang_from_db(&self.language),
            badge_code: self.badge_code.clone(),
            has_pin: self.pin_hash.is_some(),
            active: self.active,
            created_at: self.created_at.and_utc(),
            updated_at: self.updated_at.and_utc(),
            last_login_at: self.last_login_at.map(|t| t.and_utc()),
        }
    }
}
