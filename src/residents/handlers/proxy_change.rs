//! Changing a proxy link: the family member's relationship to the resident, or the number
//! they call from (a new mobile), without ending the link and asking consent again.

use actix_web::{patch, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::proxies::authorise_link;
use crate::auth::AuthUser;
use crate::db::{self, DbPool};
use crate::domain::{Phone, ShortText};
use crate::error::{ApiError, Problem, Violations};
use crate::request_body::Json;
use crate::residents::input::patch_field;
use crate::residents::proxies::{self, ProxyChanges, ProxyView};

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProxyPatch {
    /// E.g. `dochter`; `null` clears it.
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    #[schema(max_length = 100)]
    pub relationship: Option<Option<String>>,
    /// The number the family member phones from; `null` clears it.
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    #[schema(max_length = 25, pattern = r"^\+?[0-9]([ -]?[0-9]){9,14}$", example = "06 12345678")]
    pub phone: Option<Option<String>>,
}

impl ProxyPatch {
    fn parse(self) -> Result<ProxyChanges, ApiError> {
        let mut v = Violations::new();
        let relationship = patch_field(self.relationship, |s| {
            ShortText::parse(s, 100).map(ShortText::into_inner)
        });
        let phone = patch_field(self.phone, |s| Phone::parse(s).map(Phone::into_inner));
        v.note("relationship", &relationship);
        v.note("phone", &phone);
        v.into_result()?;
        Ok(ProxyChanges {
            relationship: relationship?,
            phone: phone?,
        })
    }
}

/// Changes a proxy link. Absent fields stay; `null` clears one. Staff, the resident, and
/// the family member themselves (it is their number) may.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Resident id"), ("proxy_id" = i64, Path, description = "Proxy link id")),
    request_body = ProxyPatch,
    responses(
        (status = 200, description = "The changed link", body = ProxyView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither staff, this resident nor this proxy", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such active proxy", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`invalid_phone`, say)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/{id}/proxies/{proxy_id}")]
pub async fn update_proxy(
    user: AuthUser,
    pool: web::Data<DbPool>,
    path: web::Path<(i64, i64)>,
    body: Json<serde_json::Value>,
) -> Result<web::Json<ProxyView>, ApiError> {
    let (resident_id, proxy_id) = path.into_inner();
    // Who may is settled before the body is read, so strangers learn nothing.
    db::run(&pool, move |conn| authorise_link(conn, &user, resident_id, proxy_id)).await?;
    let body = body.into_inner();
    // Every field may be left out, so serde would read a list (`[]`) as no change.
    if !body.is_object() {
        return Err(ApiError::InvalidBody(
            "the body is an object of the fields to change".into(),
        ));
    }
    let changes = crate::request_body::from_value::<ProxyPatch>(body)?.parse()?;
    let view = db::run_tx(&pool, move |conn| {
        authorise_link(conn, &user, resident_id, proxy_id)?;
        proxies::lock(conn, resident_id)?;
        if !proxies::update(conn, resident_id, proxy_id, &changes)? {
            return Err(ApiError::NotFound);
        }
        let links = proxies::active_for_resident(conn, resident_id)?;
        links.into_iter().find(|p| p.id == proxy_id).ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(web::Json(view))
}
