use actix_web::{get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::RequireRole;
use crate::auth::extract::ResidentDesk;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::pagination::{PageInfo, PageQuery};
use crate::request_query::Query;
use crate::residents::duplicates_store::{self as pairs, DuplicateRow};
use crate::residents::model::{
    Audience, CallingProxy, DuplicateMark, PhoneMatch, ResidentHit, ResidentPage, ResidentRow, ResidentView,
};
use crate::residents::store::{self, Search};

#[derive(Debug, Deserialize, IntoParams)]
pub struct ResidentSearchQuery {
    /// Part of the name, any case.
    pub name: Option<String>,
    /// A postcode (`6711 AB`, `6711ab`) or its four-digit area (`6711`).
    pub postcode: Option<String>,
    /// The neighbourhood, exactly.
    pub wijk: Option<String>,
    /// A phone number as the phone shows it when they call (`0318 123456`, `+31 318
    /// 123456`), or its last digits (at least four): the residents whose number ends the
    /// same (in the last nine digits of a full number, so `0318…` finds `+31318…`), or
    /// whose family member acting for them (a proxy) phones from it.
    pub phone: Option<String>,
}

/// The digits a resident's stored number must end in to match the searched `raw`.
fn phone_ending(raw: &str) -> Result<String, ApiError> {
    let rest = raw.strip_prefix('+').unwrap_or(raw);
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')'))
    {
        return Err(ApiError::InvalidQuery(
            "phone: digits, spaces, '-', brackets and a leading '+' only".into(),
        ));
    }
    let digits: Vec<char> = rest.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return Err(ApiError::InvalidQuery("phone: at least four digits".into()));
    }
    Ok(digits[digits.len().saturating_sub(9)..].iter().collect())
}

fn normalise_postcode(raw: &str) -> String {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if compact.len() > 4 && compact.is_char_boundary(4) {
        format!("{} {}", &compact[..4], &compact[4..])
    } else {
        compact
    }
}

/// Finds residents by name, postcode, wijk or the phone they call from, a page at a
/// time, ordered by name.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(ResidentSearchQuery, PageQuery),
    responses(
        (status = 200, description = "A page of residents", body = ResidentPage),
        (status = 400, description = "Invalid query (a phone with letters or fewer than four digits, say)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn list_residents(
    _staff: RequireRole<ResidentDesk>,
    pool: web::Data<DbPool>,
    query: Query<ResidentSearchQuery>,
    page: Query<PageQuery>,
) -> Result<web::Json<ResidentPage>, ApiError> {
    let query = query.into_inner();
    let page = page.into_inner();
    let blank_to_none = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let search = Search {
        name: blank_to_none(query.name),
        postcode: blank_to_none(query.postcode).map(|p| normalise_postcode(&p)),
        wijk: blank_to_none(query.wijk),
        phone_ending: blank_to_none(query.phone).map(|p| phone_ending(&p)).transpose()?,
    };
    let (items, total) = db::run_snapshot(&pool, move |conn| {
        let (rows, total) = store::list(conn, &search, &page)?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let callers = match &search.phone_ending {
            Some(ending) => Some(store::proxies_calling_from(conn, &ids, ending)?),
            None => None,
        };
        let undecided = pairs::open_naming(conn, &ids)?;
        Ok((hits(rows, search.phone_ending.as_deref(), callers, &undecided), total))
    })
    .await?;
    Ok(web::Json(ResidentPage {
        items,
        page: PageInfo::new(&page, total),
    }))
}

/// The rows as staff see them; searched by a phone number ending in `ending`, each with
/// whose number it is (`callers`: the proxies of the rows who phone from it); each in an
/// `undecided` pair of possible duplicates marked with the other record.
fn hits(
    rows: Vec<ResidentRow>,
    ending: Option<&str>,
    callers: Option<Vec<(i64, CallingProxy)>>,
    undecided: &[DuplicateRow],
) -> Vec<ResidentHit> {
    let mut callers = callers.unwrap_or_default();
    rows.into_iter()
        .map(|row| {
            let phone_match = ending.map(|ending| PhoneMatch {
                own: row.phone.as_deref().is_some_and(|p| p.ends_with(ending)),
                proxies: callers
                    .extract_if(.., |(resident, _)| *resident == row.id)
                    .map(|(_, proxy)| proxy)
                    .collect(),
            });
            let possible_duplicate = undecided.iter().find_map(|pair| {
                let other = match row.id {
                    id if id == pair.registered_id => pair.known_id,
                    id if id == pair.known_id => pair.registered_id,
                    _ => return None,
                };
                Some(DuplicateMark {
                    pair_id: pair.id,
                    other_resident_id: other,
                })
            });
            ResidentHit {
                resident: ResidentView::of(row, Audience::Staff),
                phone_match,
                possible_duplicate,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{normalise_postcode, phone_ending};

    #[test]
    fn postcode_search_forms() {
        assert_eq!(normalise_postcode("6711ab"), "6711 AB");
        assert_eq!(normalise_postcode(" 6711 "), "6711");
        assert_eq!(normalise_postcode("67"), "67");
    }

    #[test]
    fn a_number_is_matched_on_its_last_nine_digits() {
        let ending = |raw: &str| phone_ending(raw).ok();
        assert_eq!(ending("0318 123456").as_deref(), Some("318123456"));
        assert_eq!(ending("+31 (0)318 - 12 34 56").as_deref(), Some("318123456"));
        assert_eq!(ending("0031318123456").as_deref(), Some("318123456"));
        assert_eq!(ending("06-12345678").as_deref(), Some("612345678"));
        assert_eq!(ending("3456").as_deref(), Some("3456"));
        assert_eq!(ending("123"), None, "too few digits to mean anyone");
        assert_eq!(ending("bakker"), None);
        assert_eq!(ending("0318+123456"), None);
    }
}
