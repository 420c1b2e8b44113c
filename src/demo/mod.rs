//! `servicepunt demo`: fills a database with demonstration data — a realistic catalogue,
//! a demo werkleider, participants across trajectories and clearances, residents with
//! jobs on the waiting list (one of them weekly), next week planned by the auto-planner,
//! and cheques sold at the counter (some expired, some paying for a job done last working
//! day), and the servicepunt closed on this year's and next year's public holidays still
//! to come.
//! Running it again adds nothing twice.

mod cheques;
mod redemption;

use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;

use crate::auth::Role;
use crate::auth::password::{self, NewPassword};
use crate::auth::store::{self as users, NewUser};
use crate::catalogue::{demo, store as catalogue};
use crate::clock;
use crate::config::Settings;
use crate::db::schema::{participants, service_versions};
use crate::db::{self, DbConn};
use crate::domain::{Email, Language};
use crate::jobs::input::OrderInput;
use crate::jobs::model::Dagdeel;
use crate::participants::clearance::Clearance;
use crate::participants::input::Profile;
use crate::participants::model::AvailabilitySlot;
use crate::participants::trajectory::{self, TrajectoryKind};
use crate::participants::{store as people, trajectory_store};
use crate::planning::{closed_days, holidays, proposals};
use crate::residents::input::ResidentInput;
use crate::residents::store as residents;

const DEMO_WERKLEIDER: &str = "werkleider@demo.servicepunt";

fn catalogue(conn: &mut DbConn, settings: &Settings) -> anyhow::Result<usize> {
    let mut added = 0;
    for terms in demo::catalogue() {
        let terms = terms
            .validate(|c| settings.jobs.five_hour.for_category(c).limit_minutes)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let exists: bool = diesel::select(diesel::dsl::exists(
            service_versions::table.filter(service_versions::name_nl.eq(&terms.name.nl)),
        ))
        .get_result(conn)?;
        if !exists {
            catalogue::create(conn, &terms, true, None, db::now())?;
            added += 1;
        }
    }
    Ok(added)
}

/// The demo werkleider, with a fresh random password when first made.
fn werkleider(conn: &mut DbConn) -> anyhow::Result<(i64, Option<String>)> {
    if let Some(u) = users::find_user_by_email(conn, DEMO_WERKLEIDER)? {
        return Ok((u.id, None));
    }
    let secret = crate::auth::tokens::random_token()[..20].to_owned();
    let hash = password::hash(&NewPassword::parse(&secret).map_err(|p| anyhow::anyhow!(p.message))?)?;
    let email = Email::parse(DEMO_WERKLEIDER).map_err(|p| anyhow::anyhow!(p.message))?;
    let id = users::insert_user(
        conn,
        &NewUser {
            email: &email,
            name: "Demo Werkleider",
            role: Role::Werkleider,
            password_hash: &hash,
            language: Language::Nl,
        },
        db::now(),
    )?;
    Ok((id, Some(secret)))
}

/// Name, clearance, skills (words the demo catalogue's services require), hours, trajectory.
const PARTICIPANTS: [(&str, Clearance, &str, i64, TrajectoryKind); 10] = [
    (
        "Ahmed Yilmaz",
        Clearance::Onboarder,
        "tuinieren,klussen",
        32,
        TrajectoryKind::Participatiebaan,
    ),
    (
        "Sanne de Wit",
        Clearance::SoloDienst,
        "",
        24,
        TrajectoryKind::Participatiebaan,
    ),
    (
        "Priya Ramdin",
        Clearance::SoloKlus,
        "tuinieren",
        32,
        TrajectoryKind::Participatiebaan,
    ),
    (
        "Karel Kok",
        Clearance::SoloDienst,
        "klussen",
        16,
        TrajectoryKind::Detachering,
    ),
    (
        "Fatima el Idrissi",
        Clearance::SoloDienst,
        "",
        24,
        TrajectoryKind::Participatiebaan,
    ),
    (
        "Joost Veenstra",
        Clearance::New,
        "tuinieren",
        32,
        TrajectoryKind::Orientation,
    ),
    ("Lotte Brouwer", Clearance::New, "", 24, TrajectoryKind::Orientation),
    (
        "Mo Bakker",
        Clearance::SoloKlus,
        "tuinieren,klussen",
        40,
        TrajectoryKind::Participatiebaan,
    ),
    (
        "Ilse Hendriks",
        Clearance::Onboarder,
        "tuinieren",
        32,
        TrajectoryKind::Detachering,
    ),
    (
        "Daan Visser",
        Clearance::SoloKlus,
        "klussen",
        24,
        TrajectoryKind::Participatiebaan,
    ),
];

fn participants(conn: &mut DbConn, by: i64, today: NaiveDate) -> anyhow::Result<usize> {
    let existing: i64 = participants::table.count().get_result(conn)?;
    if existing > 0 {
        return Ok(0);
    }
    for (i, (name, clearance, skills, hours, kind)) in PARTICIPANTS.into_iter().enumerate() {
        let availability = (0..5)
            .flat_map(|d| [(d, Dagdeel::Morning), (d, Dagdeel::Afternoon)])
            .filter(|(d, _)| !(*d as usize + i).is_multiple_of(5) || hours >= 32)
            .map(|(weekday, dagdeel)| AvailabilitySlot { weekday, dagdeel })
            .collect();
        let profile = Profile {
            name: name.to_owned(),
            wijk: Some(["Veldhuizen", "Ede-Zuid", "Ede-West"][i % 3].to_owned()),
            postcode: Some(format!("67{:02} AB", 11 + i % 4)),
            languages: if i % 4 == 0 { "nl,ar".into() } else { "nl".into() },
            skills: skills.to_owned(),
            interests: ["tuin", "gezelschap", "huis", "boodschappen"][i % 4].to_owned(),
            contracted_minutes: hours * 60,
            availability,
            ..Profile::default()
        };
        let row = people::insert(conn, &profile, clearance, None, None, db::now())?;
        people::set_clearance(conn, row.id, None, clearance, by, "demo", db::now())?;
        // A year of history for those past orientation, so statements show real numbers.
        let start = today - Duration::days(if kind == TrajectoryKind::Orientation { 14 } else { 300 });
        let period = trajectory::plan(&[], kind, start, None).map_err(|b| anyhow::anyhow!(b.message))?;
        trajectory_store::insert(conn, row.id, &period, by, db::now())?;
    }
    Ok(PARTICIPANTS.len())
}

/// Approved office hours on the weekdays since each participant's trajectory began, so
/// hours views and bonus statements show real numbers.
fn worked_hours(conn: &mut DbConn, by: i64, today: NaiveDate) -> anyhow::Result<usize> {
    use crate::hours::store::{self as logs, APPROVED, NewLog};
    let mut n = 0;
    let everyone = people::list(conn, None, Some(true))?;
    let trajectories = trajectory_store::of_participants(conn, &everyone.iter().map(|p| p.id).collect::<Vec<_>>())?;
    for p in &everyone {
        let Some(start) = trajectories
            .iter()
            .filter(|t| t.participant_id == p.id)
            .map(|t| t.starts_on)
            .min()
        else {
            continue;
        };
        let mut day = start;
        while day < today {
            if day.weekday().num_days_from_monday() < 5 {
                let local = day.and_hms_opt(9, 0, 0).unwrap_or_default();
                let slot = crate::planning::rules::Slot::from_local(local, local + Duration::hours(4));
                logs::insert(
                    conn,
                    &NewLog {
                        participant_id: p.id,
                        assignment_id: None,
                        job_id: None,
                        activity: "office",
                        started_at: slot.utc_start,
                        ended_at: slot.utc_end,
                        break_minutes: 15,
                        minutes: 225,
                        note: None,
                        status: APPROVED,
                        entered_by: by,
                        decided_by: Some(by),
                        supersedes_id: None,
                        correction_reason: None,
                    },
                    db::now(),
                )?;
                n += 1;
            }
            day = day.succ_opt().unwrap_or(today);
        }
    }
    Ok(n)
}

const RESIDENTS: [(&str, &str, &str, Option<&str>); 6] = [
    ("Mevrouw Bakker", "Kerkstraat", "3", Some("1941-05-12")),
    ("Meneer de Jong", "Molenweg", "17", Some("1948-11-02")),
    ("Anna Verhoeven", "Beukenlaan", "8", None),
    ("Henk Janssen", "Zandlaan", "42", Some("1952-02-29")),
    ("Truus van Dam", "Lindestraat", "5", Some("1939-07-30")),
    ("Yusuf Demir", "Parkweg", "21", None),
];

fn residents_and_jobs(conn: &mut DbConn, by: i64, settings: &Settings, today: NaiveDate) -> anyhow::Result<usize> {
    let existing: i64 = crate::db::schema::residents::table.count().get_result(conn)?;
    if existing > 0 {
        return Ok(0);
    }
    let services: Vec<(i64, String)> = catalogue::list(conn, false)?
        .into_iter()
        .filter(|(s, _)| s.allowed)
        .map(|(s, _)| (s.service_id, s.category))
        .collect();
    let user = crate::auth::AuthUser {
        id: by,
        role: Role::Werkleider,
    };
    let mut ordered = 0;
    for (i, (name, street, number, birth)) in RESIDENTS.into_iter().enumerate() {
        let wijk = ["Veldhuizen", "Ede-Zuid", "Ede-West"][i % 3];
        let input: ResidentInput = serde_json::from_value(serde_json::json!({
            "name": name, "phone": format!("0318 5{:05}", i * 1111),
            "address": {"street": street, "house_number": number, "postcode": format!("67{:02} CD", 11 + i % 4), "city": "Ede"},
            "wijk": wijk, "birth_date": birth,
        }))?;
        let resident = residents::insert(
            conn,
            &input
                .parse(today, &crate::domain::ServiceArea::default())
                .map_err(|e| anyhow::anyhow!("{e}"))?,
            None,
            db::now(),
        )?;
        for (service, _) in services.iter().skip(i % 3).step_by(3).take(3) {
            let order: OrderInput = serde_json::from_value(serde_json::json!({
                "service_id": service, "recipient_id": resident.id, "channel": "phone",
                "description": "Aangevraagd via de telefoon (demo)", "otherwise_not_done": true,
            }))?;
            crate::jobs::order::place(
                conn,
                &user,
                &order,
                &order.description,
                &settings.jobs,
                today,
                db::now(),
            )
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            ordered += 1;
        }
    }
    Ok(ordered)
}

/// A weekly visit for the first demo resident (Mevrouw Bakker), of the first service not around the
/// home, from tomorrow: its first two visits go on the waiting list.
fn recurring_visit(conn: &mut DbConn, by: i64, settings: &Settings, today: NaiveDate) -> anyhow::Result<usize> {
    let Some(service) = catalogue::list(conn, false)?
        .into_iter()
        .find(|(s, _)| s.allowed && !s.around_home)
        .map(|(s, _)| s.service_id)
    else {
        return Ok(0);
    };
    use crate::db::schema::residents::dsl as r;
    let Some(resident): Option<i64> = r::residents.select(r::id).order(r::id).first(conn).optional()? else {
        return Ok(0);
    };
    let tomorrow = today + Duration::days(1);
    let input: crate::jobs::series_model::SeriesInput = serde_json::from_value(serde_json::json!({
        "service_id": service, "recipient_id": resident, "channel": "phone",
        "description": "Elke week, aangevraagd via de telefoon (demo)", "otherwise_not_done": true,
        "weekday": tomorrow.weekday().num_days_from_monday(), "dagdeel": "morning", "starts_on": tomorrow,
    }))?;
    let user = crate::auth::AuthUser {
        id: by,
        role: Role::Werkleider,
    };
    let series = crate::jobs::series::create(conn, &user, &input, &input.description, &settings.jobs, db::now())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(series.visits.len())
}

/// The public holidays from today to the end of next year on which the servicepunt
/// closes (not Goede Vrijdag and Bevrijdingsdag, on which it opens as most shops do).
fn close_holidays(conn: &mut DbConn, by: i64, today: NaiveDate) -> anyhow::Result<usize> {
    let mut added = 0;
    for year in [today.year(), today.year() + 1] {
        for (day, name) in holidays::of_year(year) {
            if day < today || name == "Goede Vrijdag" || name == "Bevrijdingsdag" {
                continue;
            }
            if closed_days::changeable(day, today).is_ok() && closed_days::between(conn, day, day)?.is_empty() {
                closed_days::close(conn, day, &name, by, db::now())?;
                added += 1;
            }
        }
    }
    Ok(added)
}

pub fn load(settings: &Settings) -> anyhow::Result<String> {
    let mut conn = db::connect(settings.database_url())?;
    db::run_migrations(&mut conn)?;
    let today = clock::today();
    db::write_tx(&mut conn, |conn| -> anyhow::Result<String> {
        let services = catalogue(conn, settings)?;
        let (by, secret) = werkleider(conn)?;
        let closed = close_holidays(conn, by, today)?;
        let added_people = participants(conn, by, today)?;
        let logs = if added_people > 0 {
            worked_hours(conn, by, today)?
        } else {
            0
        };
        let mut jobs = residents_and_jobs(conn, by, settings, today)?;
        if jobs > 0 {
            jobs += recurring_visit(conn, by, settings, today)?;
        }
        let mut planned = 0;
        if jobs > 0 {
            let monday = today + Duration::days(7 - i64::from(today.weekday().num_days_from_monday()));
            let proposal = proposals::propose(conn, by, monday, monday + Duration::days(4), &settings.jobs, db::now())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            planned = proposal.lines.len();
            proposals::apply(conn, by, proposal.id, None, &settings.jobs, db::now())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        let (sold, expired, owner) = cheques::load(conn, by, settings, today)?;
        let redeemed = match owner {
            Some(owner) => redemption::load(conn, by, owner, settings, today)?,
            None => 0,
        };
        let mut report = format!(
            "catalogue: {services} service(s) added\nclosed days: {closed} public holidays\nparticipants: {added_people} added, {logs} approved work logs\njobs: {jobs} ordered, {planned} planned next week\ncheques: {sold} sold, {expired} expired, {redeemed} redeemed"
        );
        if let Some(secret) = secret {
            report.push_str(&format!("\nlog in as {DEMO_WERKLEIDER} with password {secret}"));
        }
        Ok(report)
    })
}
