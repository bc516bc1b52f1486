//! `mes demo`: a realistic demo plant to try every screen with. Safe to run twice: what exists
//! already is left as it is. Each domain fills its own part (users here; the plant model and
//! products, then work orders, in their modules), in that order.

pub mod orders;
pub mod plant;

use mes_api_types::{
    Lang,
    auth::{NewUser, Role},
};

use crate::{
    db::Db,
    error::AppResult,
    http::extract::Actor,
    users::{queries as users, service as user_service},
};

pub struct DemoLogin {
    pub username: String,
    pub password: String,
    pub badge: Option<String>,
    pub roles: String,
}

struct DemoUser {
    username: &'static str,
    display_name: &'static str,
    password: &'static str,
    roles: &'static [Role],
    badge: Option<(&'static str, &'static str)>,
    language: Lang,
}

const USERS: &[DemoUser] = &[
    DemoUser {
        username: "admin",
        display_name: "系统管理员",
        password: "admin123",
        roles: &[Role::Admin],
        badge: None,
        language: Lang::ZhCn,
    },
    DemoUser {
        username: "manager",
        display_name: "王厂长",
        password: "manager123",
        roles: &[Role::Manager],
        badge: None,
        language: Lang::ZhCn,
    },
    DemoUser {
        username: "planner",
        display_name: "李计划",
        password: "planner123",
        roles: &[Role::Planner],
        badge: None,
        language: Lang::ZhCn,
    },
    DemoUser {
        username: "supervisor",
        display_name: "张班长",
        password: "supervisor123",
        roles: &[Role::Supervisor],
        badge: Some(("SV-0001", "4321")),
        language: Lang::ZhCn,
    },
    DemoUser {
        username: "quality",
        display_name: "赵质检",
        password: "quality123",
        roles: &[Role::Quality],
        badge: Some(("QC-0001", "2468")),
        language: Lang::ZhCn,
    },
    DemoUser {
        username: "maintenance",
        display_name: "孙维修",
        password: "maintenance123",
        roles: &[Role::Maintenance],
        badge: Some(("MT-0001", "1357")),
        language: Lang::ZhCn,
    },
    DemoUser {
        username: "op01",
        display_name: "刘操作",
        password: "operator123",
        roles: &[Role::Operator],
        badge: Some(("OP-0001", "1234")),
        language: Lang::ZhCn,
    },
    DemoUser {
        username: "op02",
        display_name: "陈操作",
        password: "operator123",
        roles: &[Role::Operator],
        badge: Some(("OP-0002", "1234")),
        language: Lang::ZhCn,
    },
    DemoUser {
        username: "op03",
        display_name: "Maria Lopez",
        password: "operator123",
        roles: &[Role::Operator],
        badge: Some(("OP-0003", "1234")),
        language: Lang::En,
    },
];

pub fn fill(db: &Db) -> AppResult<Vec<DemoLogin>> {
    let actor = Actor::system("demo");
    let mut conn = db.get()?;
    let mut logins = Vec::new();
    for u in USERS {
        if users::find_by_username(&mut conn, u.username)?.is_none() {
            user_service::create_user(
                &mut conn,
                &actor,
                NewUser {
                    username: u.username.into(),
                    display_name: Some(u.display_name.into()),
                    password: u.password.into(),
                    roles: u.roles.to_vec(),
                    language: Some(u.language),
                    badge_code: u.badge.map(|(b, _)| b.into()),
                    pin: u.badge.map(|(_, p)| p.into()),
                },
            )?;
        }
        logins.push(DemoLogin {
            username: u.username.into(),
            password: u.password.into(),
            badge: u.badge.map(|(b, p)| format!("{b} / {p}")),
            roles: u
                .roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(","),
        });
    }
    plant::fill_plant(&mut conn, &actor)?;
    orders::fill_orders(&mut conn, &actor, crate::db::now())?;
    Ok(logins)
}

/// Search time of the demo's first plan: enough for a good plan, short enough for `mes demo`.
const DEMO_PLAN_TIME_LIMIT_MS: u64 = 1_000;

/// Publishes a first schedule of the demo orders so every planning screen has data; leaves an
/// existing published plan alone.
pub fn fill_schedule(db: &Db, tz: chrono_tz::Tz) -> AppResult<()> {
    use crate::scheduling::{queries, service};
    let actor = Actor::system("demo");
    let mut conn = db.get()?;
    if queries::published_plan(&mut conn)?.is_some() {
        return Ok(());
    }
    let plan = service::begin_run(&mut conn, &actor, Some(DEMO_PLAN_TIME_LIMIT_MS), "demo")?;
    service::execute_run(db, &service::Runs::new(), tz, plan.id);
    service::publish(&mut conn, &actor, plan.id)?;
    Ok(())
}
