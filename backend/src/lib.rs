//! The MES server as a library: [`configure`] mounts every route on an actix `ServiceConfig`, and
//! [`serve`] runs the HTTP server on a listener. Tests run the same app in process.

pub mod andon;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod events;
pub mod http;
pub mod plant;
pub mod products;
pub mod reports;
pub mod scheduling;
pub mod state;
pub mod station;
pub mod system;
pub mod telemetry;
pub mod transfer;
pub mod users;
pub mod validate;
pub mod work_orders;

use std::{net::TcpListener, time::Duration};

use actix_web::{
    App, HttpServer,
    dev::Server,
    middleware::{Compress, DefaultHeaders, from_fn},
    web,
};

use crate::{http::Api, state::AppState, system::handlers::ApiDocs};

/// Every API route of every domain, with its access rule.
pub fn api() -> Api {
    let mut api = Api::default();
    system::routes::routes(&mut api);
    auth::routes::routes(&mut api);
    users::routes::routes(&mut api);
    audit::routes::routes(&mut api);
    plant::routes::routes(&mut api);
    products::routes::routes(&mut api);
    work_orders::routes::routes(&mut api);
    station::routes::routes(&mut api);
    andon::routes::routes(&mut api);
    reports::routes::routes(&mut api);
    transfer::routes::routes(&mut api);
    scheduling::routes::routes(&mut api);
    api
}

/// Mounts the API, its documentation and the frontend (with the SPA fallback).
pub fn configure(
    cfg: &mut web::ServiceConfig,
    state: web::Data<AppState>,
    docs: web::Data<ApiDocs>,
) {
    cfg.app_data(state)
        .app_data(docs)
        .app_data(http::extract::path_config());
    api().register(cfg);
    cfg.default_service(web::to(http::frontend::serve));
}

pub fn api_docs() -> ApiDocs {
    let doc = api().openapi();
    ApiDocs {
        json: doc
            .to_pretty_json()
            .expect("the OpenAPI document serialises"),
        html: http::openapi::docs_page(&doc),
    }
}

/// Starts the HTTP server on `listener`. The returned server runs until stopped or signalled.
pub fn serve(state: AppState, listener: TcpListener) -> std::io::Result<Server> {
    let workers = state.config.workers;
    let state = web::Data::new(state);
    let docs = web::Data::new(api_docs());
    spawn_housekeeping(state.clone());
    start_scheduler(&state)?;
    let mut server = HttpServer::new(move || {
        App::new()
            .configure(|cfg| configure(cfg, state.clone(), docs.clone()))
            .wrap(from_fn(http::lang::localize_errors))
            .wrap(from_fn(http::metrics::record))
            .wrap(
                DefaultHeaders::new()
                    .add(("X-Content-Type-Options", "nosniff"))
                    .add(("Referrer-Policy", "same-origin"))
                    .add(("X-Frame-Options", "DENY")),
            )
            .wrap(Compress::default())
    })
    .listen(listener)?;
    if let Some(n) = workers {
        server = server.workers(n.max(1));
    }
    Ok(server.shutdown_timeout(10).run())
}

/// Fails runs a previous server left unfinished and subscribes the replanner to the event bus.
fn start_scheduler(state: &web::Data<AppState>) -> std::io::Result<()> {
    let tz = plant::calendar::parse_tz(&state.config.timezone).ok_or_else(|| {
        std::io::Error::other(format!(
            "configured timezone `{}` is not an IANA zone",
            state.config.timezone
        ))
    })?;
    let mut conn = state
        .db
        .get()
        .map_err(|e| std::io::Error::other(format!("{e}")))?;
    scheduling::queries::fail_abandoned_runs(&mut conn, db::now())
        .map_err(|e| std::io::Error::other(format!("{e}")))?;
    scheduling::replan::spawn(state.db.clone(), &state.events, tz);
    Ok(())
}

/// Periodic clean-up that needs no precise timing: forget idle rate-limit keys and stored
/// idempotent answers past their retention.
fn spawn_housekeeping(state: web::Data<AppState>) {
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            state.login_limiter.forget_idle();
            let purged = state
                .db
                .run(|conn| Ok(http::idempotency::purge_old(conn, db::now())?))
                .await;
            if let Err(e) = purged {
                tracing::warn!(error = %e, "purging old idempotency keys failed");
            }
        }
    });
}
