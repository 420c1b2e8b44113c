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
/// is not JSON, 404 when a path parameter is not a number.
fn document_common_answers(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let problem = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build(),
        )
    };
    for (path, item) in api.paths.paths.iter_mut() {
        let ops = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for op in ops.into_iter().flatten() {
            let answers = &mut op.responses.responses;
            if op.request_body.is_some() && !answers.contains_key("415") {
                answers.insert("415".into(), problem("The body is not JSON"));
            }
            if path.contains('{') && !answers.contains_key("404") {
                answers.insert("404".into(), problem("Nothing at this address"));
            }
        }
    }
}

/// The contract as committed: pretty JSON with a final newline.
pub fn document_json() -> anyhow::Result<String> {
    json(&document())
}

/// `api` as committed and served.
pub fn json(api: &utoipa::openapi::OpenApi) -> anyhow::Result<String> {
    Ok(api.to_pretty_json()? + "\n")
}
