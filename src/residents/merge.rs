//! Merging the app's record of a resident into the desk's (see `residents::duplicates`).
//! Everything recorded on the app's record (jobs, series, cheques and their sales, online
//! payments, eligibility, family members, keys, preferred helpers, calls to make) comes
//! onto the desk's, the app's account logs in to it, the details the desk's record lacks
//! are taken over, and the app's record goes. Cheques and sales keep their amounts and
//! their place in the books: only whose they are changes, and it was one person all along.

use chrono::NaiveDate;

use super::duplicates::{self, DuplicateDecision, Outcome};
use super::duplicates_store as pairs;
use super::merge_store;
use super::model::ResidentRow;
use super::store;
use crate::auth::store as users;
use crate::db::{self, DbConn};
use crate::error::ApiError;

/// The details the kept record takes from the merged one (pure): those it lacks. The
/// name, address and language the desk recorded stay; notes of both are kept.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Gaps {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub wijk: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub staff_notes: Option<String>,
}

pub fn gaps(kept: &ResidentRow, merged: &ResidentRow) -> Gaps {
    fn lacking<T: Clone>(kept: &Option<T>, merged: &Option<T>) -> Option<T> {
        if kept.is_none() { merged.clone() } else { None }
    }
    Gaps {
        email: lacking(&kept.email, &merged.email),
        phone: lacking(&kept.phone, &merged.phone),
        wijk: lacking(&kept.wijk, &merged.wijk),
        birth_date: lacking(&kept.birth_date, &merged.birth_date),
        staff_notes: match (&kept.staff_notes, &merged.staff_notes) {
            (Some(kept), Some(merged)) => Some(format!("{kept}\n\n{merged}")),
            (None, merged) => merged.clone(),
            (Some(_), None) => None,
        },
    }
}

fn both_have_accounts() -> ApiError {
    ApiError::conflict(
        "both_have_accounts",
        "both records have an account for the app, and records with two accounts are not merged: if they are two people, say so",
    )
}

/// Merges the app's record of pair `id` into the desk's. 404 for an unknown pair; 409
/// `already_decided`, `resident_erased` (either record) or `both_have_accounts`.
/// Answers with the decision and the two records' ids (for the audit log).
pub fn merge(conn: &mut DbConn, id: i64, by: i64) -> Result<(DuplicateDecision, [i64; 2]), ApiError> {
    let pair = duplicates::take_open(conn, id)?;
    let ids = [pair.registered_id, pair.known_id];
    // Whatever is being recorded on either record finishes first, and nothing new starts
    // until the merge is done; the lower id first, so two merges cannot wait on each other.
    for resident in [ids[0].min(ids[1]), ids[0].max(ids[1])] {
        store::lock_for_erasure(conn, resident)?;
    }
    // And the desk does not give the kept record an account meanwhile.
    db::lock(conn, &format!("resident-account:{}", pair.known_id))?;
    let found = |conn: &mut DbConn, id| -> Result<ResidentRow, ApiError> {
        store::find(conn, id)?.ok_or(ApiError::NotFound)?.still_recordable(None)
    };
    let merged = found(conn, pair.registered_id)?;
    let kept = found(conn, pair.known_id)?;
    if merged.user_id.is_some() && kept.user_id.is_some() {
        return Err(both_have_accounts());
    }
    let now = db::now();
    merge_store::drop_repeats(conn, merged.id, kept.id)?;
    merge_store::move_references(conn, merged.id, kept.id)?;
    pairs::forget_pairs_of(conn, merged.id, pair.id)?;
    merge_store::remove(conn, merged.id)?;
    merge_store::fill(conn, kept.id, &gaps(&kept, &merged), now)?;
    if let Some(user_id) = merged.user_id {
        let user = users::find_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
        if !store::set_account(conn, kept.id, user.id, &user.email, now)? {
            return Err(both_have_accounts());
        }
    }
    let decision = duplicates::decide(conn, &pair, Outcome::Merged, by, now)?;
    Ok((decision, ids))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(email: Option<&str>, phone: Option<&str>, born: Option<&str>, notes: Option<&str>) -> ResidentRow {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        ResidentRow {
            id: 1,
            user_id: None,
            name: "Anna de Vries".into(),
            name_key: "anna de vries".into(),
            email: email.map(Into::into),
            phone: phone.map(Into::into),
            street: "Molenstraat".into(),
            house_number: "12".into(),
            postcode: "6711 AB".into(),
            city: "Ede".into(),
            wijk: None,
            birth_date: born.map(|b| b.parse().unwrap()),
            language: "nl".into(),
            staff_notes: notes.map(Into::into),
            created_at: at,
            updated_at: at,
            erased_at: None,
        }
    }

    #[test]
    fn the_kept_record_takes_only_what_it_lacks() {
        let desk = record(None, Some("0318 123456"), Some("1941-03-02"), None);
        let app = record(Some("anna@example.nl"), Some("06 12345678"), None, None);
        assert_eq!(
            gaps(&desk, &app),
            Gaps {
                email: Some("anna@example.nl".into()),
                ..Gaps::default()
            },
            "the desk's phone and birth date stay"
        );
        let bare = record(None, None, None, None);
        let known = record(Some("a@b.nl"), Some("0318 1"), Some("1941-03-02"), None);
        assert_eq!(gaps(&bare, &known).phone.as_deref(), Some("0318 1"));
        assert_eq!(gaps(&bare, &known).birth_date, known.birth_date);
    }

    #[test]
    fn notes_of_both_are_kept() {
        let desk = record(None, None, None, Some("Hond in de tuin"));
        let app = record(None, None, None, Some("Belt liever na 10 uur"));
        assert_eq!(
            gaps(&desk, &app).staff_notes.as_deref(),
            Some("Hond in de tuin\n\nBelt liever na 10 uur")
        );
        assert_eq!(gaps(&desk, &record(None, None, None, None)).staff_notes, None);
        assert_eq!(
            gaps(&record(None, None, None, None), &app).staff_notes.as_deref(),
            Some("Belt liever na 10 uur")
        );
    }
}
