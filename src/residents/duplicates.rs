//! Possible duplicate records. Someone the desk registered may register in the app as
//! well: the app makes a second record, without the desk's cheques, jobs and helpers.
//! The registrant is told nothing (that would show a stranger who is a client), and the
//! records are not linked by themselves (a stranger who knows a name and an address would
//! take over the record). The pair is noted for the desk instead, when the app's record
//! is the person the desk's is ([`super::same_person`]): at registration, and when the
//! resident changes their name or address in the app. The desk checks with the resident
//! and merges the app's record into its own ([`super::merge`]), or says they are two
//! people.

use chrono::NaiveDateTime;
use diesel::QueryResult;
use serde::Serialize;
use utoipa::ToSchema;

use super::duplicates_store::{self as pairs, DuplicateRow};
use super::model::{Audience, ResidentRow, ResidentView};
use super::same_person::Identity;
use super::store;
use crate::db::{self, DbConn};
use crate::error::ApiError;

/// What the desk decided about a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// One person: the app's record was merged into the desk's.
    Merged,
    /// Two people of one name at one address.
    DifferentPeople,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Merged => "merged",
            Outcome::DifferentPeople => "different_people",
        }
    }

    fn from_stored(s: &str) -> Self {
        if s == "merged" {
            Outcome::Merged
        } else {
            Outcome::DifferentPeople
        }
    }
}

/// Two records that look like one person, waiting for the desk.
#[derive(Debug, Serialize, ToSchema)]
pub struct PossibleDuplicate {
    pub id: i64,
    /// When the app's record came to look like the desk's.
    #[serde(serialize_with = "crate::clock::utc")]
    pub found_at: NaiveDateTime,
    /// The record made in the app (by registering, or changed there since).
    pub registered: ResidentView,
    /// The record of the same name and address made before.
    pub known: ResidentView,
}

/// The desk's decision about a pair.
#[derive(Debug, Serialize, ToSchema)]
pub struct DuplicateDecision {
    pub id: i64,
    pub outcome: Outcome,
    #[serde(serialize_with = "crate::clock::utc")]
    pub resolved_at: NaiveDateTime,
    /// The record made before, as it is now: after a merge it has the app's account and
    /// everything recorded on the app's record.
    pub known: ResidentView,
}

/// Notes `resident` (registered or changed in the app) for the desk when another record
/// is the same person. Nothing of it reaches the resident.
pub fn note(conn: &mut DbConn, resident: &ResidentRow, now: NaiveDateTime) -> QueryResult<()> {
    let who = Identity {
        name_key: &resident.name_key,
        house_number: &resident.house_number,
        birth_date: resident.birth_date,
    };
    match store::registered_already(conn, &resident.postcode, &who, Some(resident.id))? {
        Some(known) => pairs::note(conn, resident.id, known, now),
        None => Ok(()),
    }
}

/// The pairs waiting for the desk whose two records are still there and not erased.
pub fn open(conn: &mut DbConn) -> QueryResult<Vec<PossibleDuplicate>> {
    let mut found = Vec::new();
    for pair in pairs::open(conn)? {
        let registered = store::find(conn, pair.registered_id)?.filter(|r| r.erased_at.is_none());
        let known = store::find(conn, pair.known_id)?.filter(|r| r.erased_at.is_none());
        if let (Some(registered), Some(known)) = (registered, known) {
            found.push(PossibleDuplicate {
                id: pair.id,
                found_at: pair.found_at,
                registered: ResidentView::of(registered, Audience::Staff),
                known: ResidentView::of(known, Audience::Staff),
            });
        }
    }
    Ok(found)
}

/// Takes the pair `id` for a decision: one desk at a time decides it. 404 when there is
/// no such pair, 409 `already_decided` when it was decided before.
pub fn take_open(conn: &mut DbConn, id: i64) -> Result<DuplicateRow, ApiError> {
    db::lock(conn, &format!("resident-duplicate:{id}"))?;
    let pair = pairs::find(conn, id)?.ok_or(ApiError::NotFound)?;
    match pair.outcome.as_deref().map(Outcome::from_stored) {
        None => Ok(pair),
        Some(outcome) => Err(ApiError::conflict(
            "already_decided",
            match outcome {
                Outcome::Merged => "this pair was decided already: the records were merged",
                Outcome::DifferentPeople => "this pair was decided already: they are two people",
            },
        )),
    }
}

/// Closes `pair` with `outcome`, and answers with the desk's record as it is now.
pub fn decide(
    conn: &mut DbConn,
    pair: &DuplicateRow,
    outcome: Outcome,
    by: i64,
    now: NaiveDateTime,
) -> Result<DuplicateDecision, ApiError> {
    pairs::resolve(conn, pair.id, outcome.as_str(), by, now)?;
    let known = store::find(conn, pair.known_id)?.ok_or(ApiError::NotFound)?;
    Ok(DuplicateDecision {
        id: pair.id,
        outcome,
        resolved_at: now,
        known: ResidentView::of(known, Audience::Staff),
    })
}

/// The desk says the two are different people: the pair is closed and not noted again.
/// Answers with the decision and the two records' ids (for the audit log).
pub fn tell_apart(conn: &mut DbConn, id: i64, by: i64) -> Result<(DuplicateDecision, [i64; 2]), ApiError> {
    let pair = take_open(conn, id)?;
    let decision = decide(conn, &pair, Outcome::DifferentPeople, by, db::now())?;
    Ok((decision, [pair.registered_id, pair.known_id]))
}
