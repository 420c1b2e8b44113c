//! Building and running the HTTP server. `Application::build` binds the listener first, so
//! tests can ask for port 0 and learn the real port.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::error::{PathError, QueryPayloadError};
use actix_web::http::header;
use actix_web::middleware::{Compress, DefaultHeaders, from_fn};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use anyhow::Context;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::allowed_methods::AllowedMethods;
use crate::auth::AuthState;
use crate::auth::revocations::Revocations;
use crate::config::Settings;
use crate::db::{self, DbPool};
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::notify::Renderer;
use crate::notify::mailer::Mailer;
use crate::notify::worker::Worker;
use crate::payments::Payments;
use crate::{observe, openapi, request_body, routes};

pub struct Application {
    port: u16,
    server: Server,
    pool: DbPool,
}

impl Application {
    /// Connects to the database, applies pending migrations and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let url = settings.database_url().to_owned();
        let pool_options = settings.pool.clone();
        let pool = web::block(move || -> anyhow::Result<DbPool> {
            let pool = db::build_pool(&url, &pool_options)?;
            let mut conn = pool.get().context("no database connection")?;
            db::run_migrations(&mut conn)?;
            if !db::errors_in_english(&mut conn)? {
                tracing::warn!(
                    "PostgreSQL writes its messages in another language than English: a deadlock it \
                     breaks will answer 500 instead of 409; set lc_messages = 'C' for this database \
                     (see the README)"
                );
            }
            Ok(pool)
        })
        .await??;
        let listener =
            TcpListener::bind(&settings.bind).with_context(|| format!("cannot listen on {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let metrics = web::Data::new(Metrics::new());
        let renderer = web::Data::new(Renderer::with_phone(settings.mail.phone.clone())?);
        if settings.outbox.worker_enabled {
            let worker = outbox_worker(
                &settings,
                pool.clone(),
                renderer.clone().into_inner(),
                Some(metrics.clone()),
            )?;
            actix_web::rt::spawn(worker.run());
        }
        if settings.timers {
            actix_web::rt::spawn(crate::timers::run_forever(
                pool.clone(),
                std::time::Duration::from_secs(60),
                crate::timers::Retention::of(&settings),
                crate::planning::reminders::RoundSettings::of(&settings),
            ));
        }
        let revocations = Arc::new(Revocations::new(settings.jwt.access_ttl));
        revocations.reload_now(&pool).await;
        actix_web::rt::spawn(
            revocations
                .clone()
                .reload_forever(pool.clone(), std::time::Duration::from_secs(1)),
        );
        let server = serve(listener, pool.clone(), &settings, metrics, renderer, revocations)?;
        Ok(Self { port, server, pool })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The pool the server uses (tests inspect the database through it).
    pub fn pool(&self) -> DbPool {
        self.pool.clone()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// For a `web::Query`, should one be used; this crate's handlers take
/// [`request_query::Query`](crate::request_query::Query), which also names the parameter.
fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    // serde's own words ("missing field `year`"), without actix's "Query deserialize error".
    let reason = match err {
        QueryPayloadError::Deserialize(err) => err.to_string(),
        other => other.to_string(),
    };
    ApiError::InvalidQuery(reason).into()
}

fn path_error(_err: PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::NotFound.into()
}

/// No route took the request: 405 if its address exists with other methods, else 404.
async fn no_route(req: HttpRequest, routes: web::Data<AllowedMethods>) -> Result<HttpResponse, ApiError> {
    match routes.allowed(crate::routed_path::of(&req)) {
        Some(allow) => Err(ApiError::MethodNotAllowed {
            method: crate::head_requests::method_sent(&req).to_string(),
            allow,
        }),
        None => Err(ApiError::NotFound),
    }
}

async fn openapi_json(spec: web::Data<Arc<String>>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(spec.as_str().to_owned())
}

/// The outbox worker as `serve` and `servicepunt worker` run it.
pub fn outbox_worker(
    settings: &Settings,
    pool: DbPool,
    renderer: Arc<Renderer>,
    metrics: Option<web::Data<Metrics>>,
) -> anyhow::Result<Worker> {
    let mailer = Mailer::from_settings(&settings.mail)?;
    if matches!(mailer, Mailer::Files { .. }) {
        tracing::warn!(folder = %settings.mail.file_dir.display(), "no SMTP_URL: mail is written to files");
    }
    Ok(Worker {
        pool,
        mailer: Arc::new(mailer),
        renderer,
        settings: settings.outbox.clone(),
        metrics,
    })
}

fn serve(
    listener: TcpListener,
    pool: DbPool,
    settings: &Settings,
    metrics: web::Data<Metrics>,
    renderer: web::Data<Renderer>,
    revocations: Arc<Revocations>,
) -> anyhow::Result<Server> {
    let pool = web::Data::new(pool);
    let auth = web::Data::new(AuthState {
        jwt: settings.jwt.clone(),
        revocations,
        verified: Default::default(),
        throttle: settings.login_throttle,
        public_url: settings.public_url.clone(),
        answer_floor: settings.account_answer_floor,
    });
    let document = openapi::document();
    let allowed_methods = web::Data::new(AllowedMethods::from_document(&document));
    let query_names = web::Data::new(crate::query_names::QueryNames::from_document(&document));
    let spec = web::Data::new(Arc::new(openapi::json(&document)?));
    let max_body = settings.max_body_bytes;
    let jobs = web::Data::new(settings.jobs.clone());
    let read_cache = web::Data::new(crate::read_cache::ReadCache::default());
    let payments = web::Data::new(Payments::from_settings(&settings.stripe)?);
    let public_limit = web::Data::new(crate::ratelimit::PublicLimit::new(settings.public_requests_per_minute));
    let origins = web::Data::new(crate::cors::AllowedOrigins(Arc::new(settings.cors_origins.clone())));
    let metrics_access = web::Data::new(settings.metrics.clone());
    let trusted_proxies = web::Data::new(settings.trusted_proxies.clone());
    let body_timeout = web::Data::new(crate::body_deadline::BodyTimeout(settings.body_timeout));
    // Browsers remember to use HTTPS only when the service runs in production behind TLS.
    let hsts = if settings.environment == crate::config::Environment::Production {
        "max-age=31536000"
    } else {
        "max-age=0"
    };

    // Each worker has its own blocking threads; together as many as there are connections.
    let workers = settings
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let blocking_threads = usize::try_from(settings.pool.max_size)
        .unwrap_or(1)
        .div_ceil(workers.max(1))
        .max(2);
    let mut server = HttpServer::new(move || {
        App::new()
            // A HEAD request reads the parameters of its GET.
            .wrap(from_fn(crate::query_names::middleware))
            // Before routing, which is all that needs to see it as GET.
            .wrap(from_fn(crate::head_requests::middleware))
            // Innermost, so its 408 gets the headers, the audit entry and the log line.
            .wrap(from_fn(crate::body_deadline::middleware))
            .wrap(Compress::default())
            // Outside Compress, which would refuse an Accept-Encoding with no coding it
            // has with a bare 406; inside the headers, so its refusals are problem
            // documents with the security headers.
            .wrap(from_fn(crate::request_head::middleware))
            .wrap(
                DefaultHeaders::new()
                    .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                    .add((header::X_FRAME_OPTIONS, "DENY"))
                    .add((header::REFERRER_POLICY, "no-referrer"))
                    .add((header::CACHE_CONTROL, "no-store"))
                    // Only receipts are HTML, with inline styles and nothing else.
                    .add((
                        header::CONTENT_SECURITY_POLICY,
                        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
                    ))
                    .add((header::STRICT_TRANSPORT_SECURITY, hsts)),
            )
            .wrap(from_fn(crate::privacy::audit_trail::middleware))
            .wrap(from_fn(crate::ratelimit::middleware))
            .wrap(from_fn(crate::cors::middleware))
            .wrap(from_fn(observe::observe))
            .app_data(
                web::JsonConfig::default()
                    .limit(max_body)
                    .error_handler(request_body::json_error),
            )
            .app_data(request_body::BodyLimit(max_body))
            .app_data(web::PayloadConfig::new(max_body))
            .app_data(web::QueryConfig::default().error_handler(query_error))
            .app_data(web::PathConfig::default().error_handler(path_error))
            .app_data(pool.clone())
            .app_data(auth.clone())
            .app_data(metrics.clone())
            .app_data(metrics_access.clone())
            .app_data(trusted_proxies.clone())
            .app_data(body_timeout.clone())
            .app_data(renderer.clone())
            .app_data(jobs.clone())
            .app_data(read_cache.clone())
            .app_data(payments.clone())
            .app_data(public_limit.clone())
            .app_data(origins.clone())
            .app_data(spec.clone())
            .app_data(allowed_methods.clone())
            .app_data(query_names.clone())
            .configure(|cfg| routes::configure(&mut ServiceConfig::new(cfg)))
            .route("/openapi.json", web::get().to(openapi_json))
            .default_service(web::to(no_route))
    })
    // Slow clients cannot hold a connection open with a trickle of headers.
    .client_request_timeout(std::time::Duration::from_secs(10))
    .client_disconnect_timeout(std::time::Duration::from_secs(5))
    // Database work runs on the workers' blocking threads, and no more of it can run at
    // once than there are connections: the default (512 / workers each) only adds threads
    // that wait for a connection, each with its own allocator arena (resident memory).
    .worker_max_blocking_threads(blocking_threads)
    .listen(listener)?;
    if let Some(workers) = settings.workers {
        server = server.workers(workers);
    }
    Ok(server.run())
}
