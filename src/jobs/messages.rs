//! What residents are told about their jobs, through the outbox (or the call sheet).
//! The recipient hears of every step; a family member who ordered as proxy too.

use serde_json::{Value, json};

use super::model::JobRow;
use crate::auth::{Role, store as users};
use crate::catalogue::model::Localized;
use crate::catalogue::store as catalogue;
use crate::clock;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::notify::{self, Template};
use crate::residents::model::ResidentRow;
use crate::residents::store as residents;

/// The refusal reason in plain words.
pub fn refusal_reason(code: &str) -> Localized {
    let (nl, en) = match code {
        "competition" => (
            "Dit werk kan een bedrijf in de buurt voor u doen. Het Servicepunt neemt geen werk aan dat anders een ondernemer zou doen.",
            "A local business can do this work for you. The Servicepunt does not take on work that a business would otherwise do.",
        ),
        "out_of_area" => (
            "Het adres ligt buiten het gebied waar het Servicepunt werkt.",
            "The address is outside the area the Servicepunt works in.",
        ),
        "not_allowed" => (
            "Dit soort werk staat niet op de lijst van werk dat het Servicepunt mag doen.",
            "This kind of work is not on the list of work the Servicepunt may do.",
        ),
        "capacity" => (
            "We hebben op dit moment niet genoeg mensen om dit werk te doen.",
            "We do not have enough people to do this work at the moment.",
        ),
        _ => (
            "Een werkleider neemt contact met u op om de reden uit te leggen.",
            "A werkleider will contact you to explain why.",
        ),
    };
    Localized {
        nl: nl.into(),
        en: en.into(),
    }
}

/// Sends `template` about `job`, with `extra` merged into the message data.
pub fn send(conn: &mut DbConn, job: &JobRow, template: Template, extra: Value) -> Result<(), ApiError> {
    let recipient = residents::find(conn, job.recipient_id)?.ok_or(ApiError::NotFound)?;
    let service = catalogue::version(conn, job.service_version_id)?.ok_or(ApiError::NotFound)?;
    let mut data = json!({"name": recipient.name, "job_id": job.id, "service": service.name()});
    if let (Some(map), Value::Object(more)) = (data.as_object_mut(), extra) {
        map.extend(more);
    }
    tell(conn, &recipient, job.requester_user_id, template, &data)
}

/// Sends `template` with `data` to the resident (on the call sheet when they have no
/// e-mail), and to the family member who ordered on their behalf (`requester`) as well.
pub fn tell(
    conn: &mut DbConn,
    recipient: &ResidentRow,
    requester: Option<i64>,
    template: Template,
    data: &Value,
) -> Result<(), ApiError> {
    notify::to_resident(conn, recipient, template, data, clock::today())?;
    if let Some(requester) = requester.filter(|id| Some(*id) != recipient.user_id)
        && let Some(user) = users::find_user(conn, requester)?.filter(|u| u.role() == Some(Role::Resident))
    {
        let mut for_proxy = data.clone();
        for_proxy["name"] = json!(user.name);
        notify::to_user(conn, &user, template, &for_proxy)?;
    }
    Ok(())
}
