//! Placing an order: who it is for, whether the service may be ordered, the five-hour
//! rule and anti-splitting, then (when nothing needs a look) acceptance onto the waiting
//! list — all in one transaction, with the messages in the outbox.

use chrono::NaiveDateTime;
use serde_json::json;

use super::five_hour::{self, Split};
use super::input::{Channel, OrderInput};
use super::lifecycle::JobStatus;
use super::model::JobRow;
use super::settings::JobSettings;
use super::{access, messages, store, triage};
use crate::auth::{AuthUser, Role};
use crate::catalogue::store as catalogue;
use crate::db::{self, DbConn};
use crate::domain::Language;
use crate::error::ApiError;
use crate::notify::Template;
use crate::residents::input::ResidentInput;
use crate::residents::store as residents;

pub const SPLIT_SUSPECTED: &str = "split_suspected";

fn address_key(postcode: &str, house_number: &str) -> String {
    format!(
        "{}|{}",
        postcode.replace(' ', ""),
        house_number.to_lowercase().replace(' ', "")
    )
}

fn five_hour_message(language: Language, limit: i64) -> String {
    let hours = limit as f64 / 60.0;
    match language {
        Language::Nl => format!(
            "Dit werk duurt langer dan {hours} uur. Zo'n grote klus past niet bij het Servicepunt: vraag hiervoor een bedrijf in de buurt."
        ),
        Language::En => format!(
            "This work takes longer than {hours} hours. A job this size is not for the Servicepunt: please ask a local business."
        ),
    }
}

/// Places the order; returns the job as stored after any automatic acceptance.
pub fn place(
    conn: &mut DbConn,
    user: &AuthUser,
    input: &OrderInput,
    description: &str,
    settings: &JobSettings,
    today: chrono::NaiveDate,
    now: NaiveDateTime,
) -> Result<JobRow, ApiError> {
    // Who the work is for.
    let staff = access::is_staff(user);
    let recipient_id = match (input.recipient_id, staff) {
        (Some(id), _) => id,
        (None, true) => {
            return Err(ApiError::validation(
                "recipient_id",
                "required",
                "staff name the resident the work is for",
            ));
        }
        (None, false) => {
            residents::find_by_user(conn, user.id)?
                .ok_or_else(|| {
                    ApiError::validation(
                        "recipient_id",
                        "no_resident_record",
                        "this account has no resident record",
                    )
                })?
                .id
        }
    };
    residents::hold(conn, recipient_id)?;
    let mut recipient = residents::find(conn, recipient_id)?;
    if recipient.is_none() && input.recipient_id.is_none() {
        // The caller's own record was merged into the desk's record of them while the
        // order waited for it (`residents::merge`): the order is for the record kept.
        if let Some(kept) = residents::find_by_user(conn, user.id)? {
            residents::hold(conn, kept.id)?;
            recipient = residents::find(conn, kept.id)?;
        }
    }
    let recipient = match recipient {
        Some(r) if access::may_act_for(conn, user, r.id)? => r.still_recordable(Some("recipient_id"))?,
        Some(_) | None if !staff => return Err(ApiError::Forbidden),
        _ => {
            return Err(ApiError::validation(
                "recipient_id",
                "unknown_resident",
                "no such resident",
            ));
        }
    };
    let language = Language::from_stored(&recipient.language);
    let channel = match (staff, input.channel) {
        (true, Some(c)) => c,
        (true, None) => Channel::Phone,
        (false, None | Some(Channel::App)) => Channel::App,
        (false, Some(_)) => {
            return Err(ApiError::validation(
                "channel",
                "staff_only",
                "only staff record phone or counter orders",
            ));
        }
    };

    // Who pays: the resident with cheques, or an institution by invoice.
    let institution_id = match (input.institution_id, staff) {
        (None, _) => None,
        (Some(_), false) => {
            return Err(ApiError::validation(
                "institution_id",
                "staff_only",
                "only staff order on an institution's account",
            ));
        }
        (Some(id), true) => match crate::institutions::store::find(conn, id)? {
            Some(i) if i.active => Some(i.id),
            _ => {
                return Err(ApiError::validation(
                    "institution_id",
                    "unknown_institution",
                    "no such active institution",
                ));
            }
        },
    };

    // What is ordered.
    let (service, active) = catalogue::current(conn, input.service_id)?
        .ok_or_else(|| ApiError::validation("service_id", "unknown_service", "no such service"))?;
    if !active {
        return Err(ApiError::validation(
            "service_id",
            "service_unavailable",
            "this service cannot be ordered at the moment",
        ));
    }
    if !service.allowed {
        let reason = service
            .not_allowed_reason()
            .map(|r| r.get(language).to_owned())
            .unwrap_or_default();
        return Err(ApiError::validation("service_id", "service_not_allowed", reason));
    }
    let limit = settings.five_hour.for_category(&service.category);
    let estimate = input.estimated_minutes.unwrap_or(service.default_minutes);
    if five_hour::check_duration(service.around_home, estimate, &limit).is_err() {
        return Err(ApiError::validation(
            "estimated_minutes",
            "five_hour_rule",
            five_hour_message(language, limit.limit_minutes),
        ));
    }
    if !(15..=service.max_minutes).contains(&estimate) {
        return Err(ApiError::validation(
            "estimated_minutes",
            "estimate_out_of_range",
            format!("between 15 and {} minutes for this service", service.max_minutes),
        ));
    }

    // Where.
    let (street, house_number, postcode, city) = match &input.address {
        Some(raw) => {
            let probe = ResidentInput {
                name: recipient.name.clone(),
                email: None,
                phone: None,
                address: raw.clone(),
                wijk: None,
                birth_date: None,
                language: None,
                staff_notes: None,
            }
            .parse(today, &settings.service_area)?;
            let a = probe.address;
            (a.street, a.house_number, a.postcode.as_str().to_owned(), a.city)
        }
        None => (
            recipient.street.clone(),
            recipient.house_number.clone(),
            recipient.postcode.clone(),
            recipient.city.clone(),
        ),
    };
    let key = address_key(&postcode, &house_number);

    // Anti-splitting, race-free: orders for one address and category queue here.
    let needs_review = if service.around_home {
        db::lock(conn, &format!("job-address:{key}:{}", service.category))?;
        let prior = store::alive_orders(
            conn,
            &key,
            &service.category,
            now - chrono::Duration::days(limit.window_days),
        )?;
        match five_hour::split_check(&prior, now, estimate, &limit) {
            Split::Clear => None,
            Split::Suspected { .. } => Some(SPLIT_SUSPECTED),
        }
    } else {
        None
    };

    let job = store::insert(
        conn,
        &store::NewJob {
            service_id: service.service_id,
            service_version_id: service.id,
            category: &service.category,
            recipient_id: recipient.id,
            requester_user_id: Some(user.id),
            channel: channel.as_str(),
            description,
            street: &street,
            house_number: &house_number,
            postcode: &postcode,
            city: &city,
            wijk: recipient.wijk.as_deref(),
            address_key: &key,
            estimated_minutes: estimate,
            needs_review,
            institution_id,
        },
        now,
    )?;
    store::insert_windows(conn, job.id, &input.preferred_windows)?;
    store::add_event(
        conn,
        job.id,
        None,
        JobStatus::Requested,
        Some(user.id),
        needs_review,
        now,
    )?;

    match (needs_review.is_none() && settings.auto_accept, input.series_visit) {
        // Accepted by the system: the order broke no rule.
        (true, false) => triage::accept(conn, &job, None, None, settings, today, now),
        (true, true) => Ok(triage::accept_quietly(conn, &job, None, None, settings, today, now)?.0),
        (false, quiet) => {
            if !quiet {
                messages::send(conn, &job, Template::JobReceived, json!({}))?;
            }
            Ok(job)
        }
    }
}

/// Whether a role may order at all (participants and coaches do not).
pub fn may_order(user: &AuthUser) -> bool {
    user.is_any(&[Role::Resident, Role::Werkleider, Role::Finance])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_compare_without_spaces_or_case() {
        assert_eq!(address_key("6711 AB", "12 A"), address_key("6711AB", "12a"));
        assert_ne!(address_key("6711 AB", "12"), address_key("6711 AB", "14"));
    }

    #[test]
    fn the_refusal_message_names_the_limit_in_hours() {
        assert!(five_hour_message(Language::Nl, 300).contains("5 uur"));
        assert!(five_hour_message(Language::En, 300).contains("5 hours"));
    }
}
