//! The OpenAPI 3.1 contract, generated from the handlers' annotations. It is committed at
//! `openapi/openapi.json`; a test fails when the code and the file differ.

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::error::{FieldError, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "servicepunt",
        description = "Neighbourhood jobs service: residents order klussen and diensten, participants do the work, werkleiders plan it, finance reconciles the cheques.",
        license(name = "EUPL-1.2"),
    ),
    components(schemas(Problem, FieldError)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Accounts, login and sessions"),
        (name = "residents", description = "Residents, their reduced-rate entitlement and proxies"),
        (name = "catalogue", description = "What residents can order: klussen and diensten"),
        (name = "jobs", description = "Orders, triage, the waiting list and the five-hour rule"),
        (name = "participants", description = "Participants' work profiles"),
        (name = "trajectories", description = "Re-integration trajectories (welfare data: coaches only)"),
        (name = "planning", description = "Assignments, suggestions, the planning board and the auto-planner"),
        (name = "feedback", description = "Compliments for the crew and complaints for the werkleiders"),
        (name = "hours", description = "Worked hours, job completion and confirmation"),
        (name = "bonus", description = "The participatiebaan bonus: rates and year-end statements"),
        (name = "cheques", description = "Cheques: products and prices, counter sales, wallets, paying jobs"),
        (name = "finance", description = "The books: the double-entry journal and its trial balance"),
        (name = "reports", description = "Reports for the municipality and the entrepreneurs' association"),
        (name = "notifications", description = "The call sheet for residents without email"),
        (name = "operations", description = "Health, readiness, metrics and the outbox"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.bearer_format = Some("JWT".into());
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// The whole contract, collected from the route table.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::routes::configure)
        .split_for_parts();
    let mut api = api;
    document_common_answers(&mut api);
    api
}

/// Answers every operation of a kind can give, whatever its handler says: 415 when a body
/// is not JSON, 404 when a path parameter is not a number, the answers of the layers in
/// front of every handler (`request_head`, `request_body`, `body_deadline`, `ratelimit`,
/// the database pool) and a write's race the database caught, each of these described
/// once under `components.responses`.
fn document_common_answers(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let problem = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build()
    };
    let components = api.components.get_or_insert_with(Default::default);
    for layer in LAYERS {
        components
            .responses
            .insert(layer.name.into(), RefOr::T(problem(layer.description)));
    }
    for (path, item) in api.paths.paths.iter_mut() {
        let ops = [
            (false, &mut item.get),
            (true, &mut item.post),
            (true, &mut item.put),
            (true, &mut item.patch),
            (true, &mut item.delete),
        ];
        for (writes, op) in ops {
            let Some(op) = op else { continue };
            let has_body = op.request_body.is_some();
            let reach = Reach { path, writes, has_body };
            let answers = &mut op.responses.responses;
            if has_body && !answers.contains_key("415") {
                answers.insert("415".into(), RefOr::T(problem("The body is not JSON")));
            }
            if path.contains('{') && !answers.contains_key("404") {
                answers.insert("404".into(), RefOr::T(problem("Nothing at this address")));
            }
            for layer in LAYERS {
                if (layer.applies)(&reach) && !answers.contains_key(layer.status) {
                    let at = format!("#/components/responses/{}", layer.name);
                    answers.insert(layer.status.into(), RefOr::Ref(Ref::new(at)));
                }
            }
        }
    }
}

/// An answer given whatever the handler says, and the operations that can get it.
struct Layer {
    name: &'static str,
    status: &'static str,
    description: &'static str,
    applies: fn(&Reach) -> bool,
}

/// What decides whether an operation can get a [`Layer`]'s answer.
struct Reach<'a> {
    path: &'a str,
    /// Not a GET: a write, which may race another.
    writes: bool,
    has_body: bool,
}

const LAYERS: [Layer; 9] = [
    Layer {
        name: "BadRequestHead",
        status: "400",
        description: "A header that names one thing (Authorization, Content-Type, Idempotency-Key) sent more than once, a NUL character (%00) in the address, or a query parameter the operation does not read (`invalid_query`, naming it and those it reads)",
        applies: |_| true,
    },
    Layer {
        name: "NotAcceptable",
        status: "406",
        description: "No answer suits the Accept-Encoding: answers come uncompressed, gzip or deflate",
        applies: |_| true,
    },
    Layer {
        name: "BodyTooSlow",
        status: "408",
        description: "The body did not arrive in time",
        applies: |op| op.has_body,
    },
    Layer {
        name: "BodyTooLarge",
        status: "413",
        description: "The body is larger than this operation takes",
        applies: |op| op.has_body,
    },
    Layer {
        name: "AddressTooLong",
        status: "414",
        description: "The address (path and query) is longer than 8 KiB",
        applies: |_| true,
    },
    Layer {
        name: "ChangedConcurrently",
        status: "409",
        description: "Another request changed the same thing at the same moment, each of the three times the server tried this one (`changed_concurrently`); nothing was written, and asking again gives the answer this request would have had after the others",
        applies: |op| op.writes,
    },
    Layer {
        name: "TooManyRequests",
        status: "429",
        description: "Too many requests from this client address in the last minute; see Retry-After",
        applies: |op| crate::ratelimit::LIMITED.contains(&op.path),
    },
    Layer {
        name: "HeadersTooLarge",
        status: "431",
        description: "The headers add up to more than 16 KiB (over 128 KiB, or more than 96 headers, the connection is closed with a bare 431)",
        applies: |_| true,
    },
    Layer {
        name: "Unavailable",
        status: "503",
        description: "The database cannot be reached at the moment; nothing was changed, try again shortly",
        applies: |op| op.path != "/health",
    },
];

/// The contract as committed: pretty JSON with a final newline.
pub fn document_json() -> anyhow::Result<String> {
    json(&document())
}

/// `api` as committed and served.
pub fn json(api: &utoipa::openapi::OpenApi) -> anyhow::Result<String> {
    Ok(api.to_pretty_json()? + "\n")
}
