//! HTTP plumbing shared by every domain: the route table with its access rules, request
//! extractors with good error messages, the response-language middleware, metrics, the OpenAPI
//! document and the embedded frontend.

pub mod extract;
pub mod frontend;
pub mod idempotency;
pub mod lang;
pub mod metrics;
pub mod openapi;
pub mod paging;

use std::{collections::HashMap, sync::Arc};

use actix_web::{
    Error, FromRequest, Handler, HttpMessage, HttpResponse, Responder,
    body::{EitherBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::Method,
    middleware::{Next, from_fn},
    web,
};
use mes_api_types::auth::Role;
use utoipa::openapi::{RefOr, path::Operation, schema::Schema};

use crate::{auth::session, error::AppError, state::AppState};

/// Who may call a route. Every route states one; there is no default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (sign-in itself, health).
    Public,
    /// Any signed-in user, whatever their roles (their own profile).
    Authenticated,
    /// Signed in with at least one of these roles.
    Roles(&'static [Role]),
}

impl Access {
    pub fn allows(self, roles: &[Role]) -> bool {
        match self {
            Access::Public | Access::Authenticated => true,
            Access::Roles(allowed) => roles.iter().any(|r| allowed.contains(r)),
        }
    }

    pub fn describe(self) -> String {
        match self {
            Access::Public => "public".into(),
            Access::Authenticated => "any signed-in user".into(),
            Access::Roles(roles) => roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// A route as the table knows it: enough for the access test and the OpenAPI document.
#[derive(Debug, Clone)]
pub struct RouteInfo {
    pub method: Method,
    /// actix/OpenAPI pattern, e.g. `/api/v1/users/{id}`.
    pub path: String,
    pub access: Access,
}

struct ApiRoute {
    info: RouteInfo,
    route: actix_web::Route,
    tags: Vec<String>,
    operation: Operation,
    schemas: Vec<(String, RefOr<Schema>)>,
}

/// The API's route table. Domains add their handlers with [`Api::add`]; the method and path come
/// from the handler's `#[utoipa::path]`, so the documentation and the routing cannot disagree,
/// and an undocumented handler cannot be routed at all.
#[derive(Default)]
pub struct Api {
    routes: Vec<ApiRoute>,
}

impl Api {
    /// Adds `handler`, documented by `P` (the `__path_<handler>` type `#[utoipa::path]` makes).
    pub fn add<P, F, Args>(&mut self, access: Access, handler: F) -> &mut Self
    where
        P: utoipa::Path + utoipa::__dev::SchemaReferences + for<'t> utoipa::__dev::Tags<'t>,
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        let methods = P::methods();
        assert_eq!(methods.len(), 1, "{}: one method per handler", P::path());
        let method = to_actix_method(&methods[0]);
        let mut schemas = Vec::new();
        P::schemas(&mut schemas);
        self.routes.push(ApiRoute {
            info: RouteInfo {
                method: method.clone(),
                path: P::path(),
                access,
            },
            route: web::method(method).to(handler),
            tags: P::tags().into_iter().map(str::to_owned).collect(),
            operation: P::operation(),
            schemas,
        });
        self
    }

    pub fn table(&self) -> Vec<RouteInfo> {
        self.routes.iter().map(|r| r.info.clone()).collect()
    }

    /// The OpenAPI document of every route in the table, with each route's roles.
    pub fn openapi(&self) -> utoipa::openapi::OpenApi {
        openapi::document(self.routes.iter().map(|r| {
            (
                &r.info,
                r.tags.as_slice(),
                r.operation.clone(),
                r.schemas.as_slice(),
            )
        }))
    }

    /// Registers one actix resource per path (all its methods together, so a wrong method is a
    /// 405, not a 404), each guarded by the access rules of its methods.
    pub fn register(self, cfg: &mut web::ServiceConfig) {
        let mut by_path: Vec<(String, Vec<ApiRoute>)> = Vec::new();
        for route in self.routes {
            match by_path.iter_mut().find(|(p, _)| *p == route.info.path) {
                Some((_, routes)) => routes.push(route),
                None => by_path.push((route.info.path.clone(), vec![route])),
            }
        }
        // Literal segments before parameters, so `/users/me` is not taken for `/users/{id}`.
        by_path.sort_by(|(a, _), (b, _)| route_order(a).cmp(&route_order(b)));
        for (path, routes) in by_path {
            let rules: Arc<HashMap<Method, Access>> = Arc::new(
                routes
                    .iter()
                    .map(|r| (r.info.method.clone(), r.info.access))
                    .collect(),
            );
            let mut resource = web::resource(path.as_str());
            for route in routes {
                resource = resource.route(route.route);
            }
            cfg.service(
                resource
                    .default_service(web::to(|| async {
                        Err::<HttpResponse, _>(AppError::MethodNotAllowed)
                    }))
                    .wrap(from_fn(move |req, next| {
                        check_access(req, next, rules.clone())
                    })),
            );
        }
    }
}

fn route_order(path: &str) -> Vec<(u8, &str)> {
    path.split('/')
        .map(|seg| {
            if seg.starts_with('{') {
                (1, "")
            } else {
                (0, seg)
            }
        })
        .collect()
}

fn to_actix_method(m: &utoipa::openapi::path::HttpMethod) -> Method {
    use utoipa::openapi::path::HttpMethod as H;
    match m {
        H::Get => Method::GET,
        H::Post => Method::POST,
        H::Put => Method::PUT,
        H::Delete => Method::DELETE,
        H::Options => Method::OPTIONS,
        H::Head => Method::HEAD,
        H::Patch => Method::PATCH,
        H::Trace => Method::TRACE,
    }
}

/// Deny by default: a request reaches the handler only if its route's rule admits the caller.
/// A refusal is answered here as a response (not an `Err`), so outer middleware sees it whole.
async fn check_access(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
    rules: Arc<HashMap<Method, Access>>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    // A method the resource does not serve falls through to its 405 default service.
    let access = rules.get(req.method()).copied();
    if let Some(access) = access.filter(|a| *a != Access::Public) {
        let state = req
            .app_data::<web::Data<AppState>>()
            .expect("AppState is registered")
            .clone();
        let verdict = match session::authenticate(&state, req.request()).await {
            Ok(user) if access.allows(&user.roles) => Ok(user),
            Ok(_) => Err(AppError::Forbidden),
            Err(e) => Err(e),
        };
        match verdict {
            Ok(user) => {
                req.extensions_mut().insert(user);
            }
            Err(e) => {
                let response = actix_web::ResponseError::error_response(&e);
                return Ok(req.into_response(response).map_into_right_body());
            }
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}
