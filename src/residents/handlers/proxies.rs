//! Linking a family member's account as proxy of a resident, with recorded consent.

use actix_web::{HttpResponse, delete, get, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{AuthUser, Role, store as users};
use crate::db::{self, DbConn, DbPool};
use crate::domain::{Email, Phone, ShortText};
use crate::error::{ApiError, Problem, Violations};
use crate::request_body::Json;
use crate::residents::input::optional;
use crate::residents::proxies::{self, NewProxy, ProxyView};
use crate::residents::store;
use crate::responses;

const STAFF: &[Role] = &[Role::Werkleider, Role::Finance];

/// Staff may manage any resident's proxies; a resident only their own. Others learn
/// nothing, not even whether the resident exists.
fn authorise(conn: &mut DbConn, user: &AuthUser, resident_id: i64) -> Result<(), ApiError> {
    let resident = store::find(conn, resident_id)?;
    if user.is_any(STAFF) {
        resident.map(|_| ()).ok_or(ApiError::NotFound)
    } else if resident.is_some_and(|r| r.user_id == Some(user.id)) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// Who may change or end a link: those who may manage the resident's proxies, and the
/// proxy themselves.
pub(super) fn authorise_link(
    conn: &mut DbConn,
    user: &AuthUser,
    resident_id: i64,
    proxy_id: i64,
) -> Result<(), ApiError> {
    let is_the_proxy = proxies::active_for_resident(conn, resident_id)?
        .iter()
        .any(|p| p.id == proxy_id && p.proxy_user_id == user.id);
    if is_the_proxy {
        Ok(())
    } else {
        authorise(conn, user, resident_id)
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProxyInput {
    /// The login address of the account that will act for the resident.
    #[schema(max_length = 254, format = Email)]
    pub proxy_email: String,
    /// E.g. `dochter`, `zoon`, `buurman`.
    #[schema(max_length = 100)]
    pub relationship: Option<String>,
    /// The number the family member phones from, so the desk finds the resident when they
    /// call. Cleared when the link ends.
    #[schema(max_length = 25, pattern = r"^\+?[0-9]([ -]?[0-9]){9,14}$", example = "06 12345678")]
    pub phone: Option<String>,
    #[schema(schema_with = consent)]
    pub consent: bool,
}

fn consent() -> utoipa::openapi::schema::Object {
    crate::schema_forms::must_be_true("Must be `true`: the resident has agreed that this person acts for them.")
}

/// Lets an account act for the resident (order jobs, see their jobs and cheques).
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Resident id")),
    request_body = ProxyInput,
    responses(
        (status = 201, description = "Linked", body = ProxyView, headers(("Location" = String, description = "The new link's address"))),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither staff nor this resident", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such resident", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already a proxy, or the resident's data was erased (resident_erased)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No consent, unknown account, or not a resident account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/proxies")]
pub async fn add_proxy(
    user: AuthUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let resident_id = id.into_inner();
    // Who may link proxies is settled before the body is read, so strangers learn nothing.
    db::run(&pool, move |conn| authorise(conn, &user, resident_id)).await?;
    let input: ProxyInput = crate::request_body::from_value(body.into_inner())?;
    let mut v = Violations::new();
    let email = Email::parse(&input.proxy_email);
    let relationship = optional(input.relationship.as_deref(), |s| {
        ShortText::parse(s, 100).map(ShortText::into_inner)
    });
    let phone = optional(input.phone.as_deref(), |s| Phone::parse(s).map(Phone::into_inner));
    v.note("proxy_email", &email);
    v.note("relationship", &relationship);
    v.note("phone", &phone);
    if !input.consent {
        v.push("consent", "consent_required", "the resident's consent is required");
    }
    v.into_result()?;
    let (email, relationship, phone) = (email?, relationship?, phone?);

    let view = db::run_tx(&pool, move |conn| {
        authorise(conn, &user, resident_id)?;
        proxies::lock(conn, resident_id)?;
        let proxy = users::find_user_by_email(conn, email.as_str())?
            .filter(|u| u.active && u.role() == Some(Role::Resident))
            .ok_or_else(|| {
                ApiError::validation(
                    "proxy_email",
                    "proxy_account_not_found",
                    "no resident account with this address; the family member registers first",
                )
            })?;
        store::hold(conn, resident_id)?;
        let existing = store::find(conn, resident_id)?
            .ok_or(ApiError::NotFound)?
            .still_recordable(None)?
            .user_id;
        if existing == Some(proxy.id) {
            return Err(ApiError::validation(
                "proxy_email",
                "proxy_is_resident",
                "a resident cannot be their own proxy",
            ));
        }
        if proxies::is_active_proxy(conn, proxy.id, resident_id)? {
            return Err(ApiError::conflict(
                "proxy_exists",
                "this account is already a proxy of the resident",
            ));
        }
        let new = NewProxy {
            resident_id,
            proxy_user_id: proxy.id,
            relationship: relationship.as_deref(),
            phone: phone.as_deref(),
            recorded_by: user.id,
        };
        let id = proxies::grant(conn, &new, db::now())?;
        proxies::active_for_resident(conn, resident_id)?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("granted proxy not found")))
    })
    .await?;
    Ok(responses::created_at(
        &format!("/api/v1/residents/{resident_id}/proxies"),
        view.id,
        &view,
    ))
}

/// The accounts that may act for the resident.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Resident id")),
    responses(
        (status = 200, description = "Active proxies", body = Vec<ProxyView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither staff nor this resident", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such resident", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/proxies")]
pub async fn list_proxies(
    user: AuthUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<ProxyView>>, ApiError> {
    let resident_id = id.into_inner();
    let views = db::run(&pool, move |conn| {
        authorise(conn, &user, resident_id)?;
        Ok(proxies::active_for_resident(conn, resident_id)?)
    })
    .await?;
    Ok(web::Json(views))
}

/// Ends a proxy's right to act for the resident. The proxy may also end it themselves.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Resident id"), ("proxy_id" = i64, Path, description = "Proxy link id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such active proxy", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/{id}/proxies/{proxy_id}")]
pub async fn revoke_proxy(
    user: AuthUser,
    pool: web::Data<DbPool>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (resident_id, proxy_id) = path.into_inner();
    db::run_tx(&pool, move |conn| {
        authorise_link(conn, &user, resident_id, proxy_id)?;
        if proxies::revoke(conn, resident_id, proxy_id, db::now())? {
            Ok(())
        } else {
            Err(ApiError::NotFound)
        }
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
