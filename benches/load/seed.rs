//! The data generator: the demo catalogue and people, then volume through the same
//! rules the API uses — residents holding cheques, staff accounts, an open cash session,
//! and participants with a history of performed jobs waiting for the resident's
//! confirmation (each paid with cheques when confirmed).

use chrono::{Datelike, Duration, NaiveDate};
use servicepunt::auth::password::{self, NewPassword};
use servicepunt::auth::store::{self as users, NewUser};
use servicepunt::auth::{AuthUser, Role};
use servicepunt::catalogue::store as catalogue;
use servicepunt::cheques::sale::{self, CounterSale, Payment};
use servicepunt::cheques::store as cheques;
use servicepunt::cheques::tariff::Price;
use servicepunt::config::Settings;
use servicepunt::db::{self, DbConn, DbPool};
use servicepunt::domain::{Email, Language};
use servicepunt::hours::completion;
use servicepunt::hours::logging::{self, LogRequest, Span};
use servicepunt::jobs::input::OrderInput;
use servicepunt::jobs::model::Dagdeel;
use servicepunt::participants::clearance::Clearance;
use servicepunt::participants::input::Profile;
use servicepunt::participants::model::AvailabilitySlot;
use servicepunt::participants::trajectory::{self, TrajectoryKind};
use servicepunt::participants::{store as people, trajectory_store};
use servicepunt::planning::assign::{self, NewAssignment};
use servicepunt::planning::assignment_store;
use servicepunt::planning::rules::Slot;
use servicepunt::residents::input::ResidentInput;
use servicepunt::residents::store as residents;

pub const PASSWORD: &str = "bench-password-123";
pub const RESIDENTS: usize = 400;
const PARTICIPANTS: usize = 60;
/// Cheques each resident buys up front: enough for every confirmation the run makes.
const CHEQUES_EACH: i64 = 40;

pub struct World {
    pub werkleider: i64,
    pub finance: i64,
    pub residents: Vec<i64>,
    pub services: Vec<i64>,
    pub product: i64,
    pub session: i64,
    /// Performed jobs waiting for confirmation, oldest first.
    pub performed: Vec<i64>,
}

fn user(conn: &mut DbConn, email: &str, role: Role, hash: &str) -> i64 {
    let email = Email::parse(email).unwrap();
    let new = NewUser {
        email: &email,
        name: "Bench",
        role,
        password_hash: hash,
        language: Language::Nl,
    };
    users::insert_user(conn, &new, db::now()).unwrap()
}

fn last_weekdays(today: NaiveDate, n: usize) -> Vec<NaiveDate> {
    let mut days = Vec::new();
    let mut d = today - Duration::days(1);
    while days.len() < n {
        if d.weekday().num_days_from_monday() < 5 {
            days.push(d);
        }
        d -= Duration::days(1);
    }
    days
}

/// Fills the database at `settings.database_url()`; `performed_jobs` jobs are left
/// performed and unconfirmed.
pub fn fill(settings: &Settings, pool: &DbPool, performed_jobs: usize) -> World {
    servicepunt::demo::load(settings).unwrap();
    let conn = &mut pool.get().unwrap();
    let today = servicepunt::clock::today();
    let now = db::now();
    let hash = password::hash(&NewPassword::parse(PASSWORD).unwrap()).unwrap();
    let werkleider = user(conn, "werkleider@bench.example", Role::Werkleider, &hash);
    let finance = user(conn, "finance@bench.example", Role::Finance, &hash);
    user(conn, "coordinator@bench.example", Role::Coordinator, &hash);

    // (id, whether one participant can do it in two hours)
    let services: Vec<(i64, bool)> = catalogue::list(conn, false)
        .unwrap()
        .into_iter()
        .filter(|(s, _)| s.allowed)
        .map(|(s, _)| {
            (
                s.service_id,
                !s.bill_per_person && s.max_minutes >= 120 && s.min_crew == 1,
            )
        })
        .collect();
    let residents: Vec<i64> = db::write_tx(conn, |conn| {
        (0..RESIDENTS)
            .map(|i| {
                let wijk = ["Veldhuizen", "Ede-Zuid", "Ede-West"][i % 3];
                let input: ResidentInput = serde_json::from_value(serde_json::json!({
                    "name": format!("Bewoner {i}"), "phone": format!("0318 6{:05}", i),
                    "address": {"street": "Bankastraat", "house_number": (i + 1).to_string(),
                                "postcode": format!("67{:02} CD", 11 + i % 20), "city": "Ede"},
                    "wijk": wijk, "birth_date": "1975-03-01",
                }))
                .unwrap();
                let new = input
                    .parse(today, &servicepunt::domain::ServiceArea::default())
                    .unwrap();
                Ok::<_, diesel::result::Error>(residents::insert(conn, &new, None, now)?.id)
            })
            .collect()
    })
    .unwrap();

    let product = cheques::create_product(
        conn,
        &cheques::NewProduct {
            name: "Benchcheque 1 uur",
            face_minutes: 60,
            reduced_yearly_cap: Some(40),
            validity_months: None,
        },
        now,
    )
    .unwrap();
    let price = Price {
        valid_from: today - Duration::days(800),
        regular_cents: 1500,
        reduced_cents: 800,
    };
    cheques::set_price(conn, product.id, &price, Some(finance), now).unwrap();
    let session = servicepunt::cheques::cash_sessions::open_session(conn, finance, 5000, now).unwrap();
    let buy_on = today - Duration::days(200);
    db::write_tx(conn, |conn| {
        for r in &residents {
            let sale = CounterSale {
                cash_session_id: session.id,
                resident_id: *r,
                product_id: product.id,
                quantity: CHEQUES_EACH,
                payment: Payment::Pin,
            };
            sale::sell(conn, finance, &sale, &settings.jobs.subsidy, buy_on, now)?;
        }
        Ok::<_, servicepunt::error::ApiError>(())
    })
    .unwrap();

    let two_hours: Vec<i64> = services.iter().filter(|(_, solo)| *solo).map(|(id, _)| *id).collect();
    assert!(!two_hours.is_empty(), "a service of two hours");
    let crew = participants(conn, werkleider, today);
    let performed = performed_jobs_for(
        conn,
        settings,
        werkleider,
        &residents,
        &crew,
        &two_hours,
        today,
        performed_jobs,
    );
    World {
        werkleider,
        finance,
        residents,
        services: services.into_iter().map(|(id, _)| id).collect(),
        product: product.id,
        session: session.id,
        performed,
    }
}

fn participants(conn: &mut DbConn, by: i64, today: NaiveDate) -> Vec<i64> {
    let availability: Vec<AvailabilitySlot> = (0..5)
        .flat_map(|d| [(d, Dagdeel::Morning), (d, Dagdeel::Afternoon)])
        .map(|(weekday, dagdeel)| AvailabilitySlot { weekday, dagdeel })
        .collect();
    db::write_tx(conn, |conn| {
        (0..PARTICIPANTS)
            .map(|i| {
                let profile = Profile {
                    name: format!("Deelnemer {i}"),
                    wijk: Some("Veldhuizen".into()),
                    postcode: Some("6711 AB".into()),
                    languages: "nl".into(),
                    skills: "tuinieren,klussen,koken".into(),
                    interests: "tuin".into(),
                    contracted_minutes: 40 * 60,
                    availability: availability.clone(),
                    ..Profile::default()
                };
                let row = people::insert(conn, &profile, Clearance::Onboarder, None, None, db::now())?;
                people::set_clearance(conn, row.id, None, Clearance::Onboarder, by, "bench", db::now())?;
                // Begun long enough ago for the weeks of performed work (16,000 jobs for 60
                // participants go back about 27 weeks); a participatiebaan lasts a year.
                let period = trajectory::plan(&[], TrajectoryKind::Participatiebaan, today - Duration::days(300), None)
                    .expect("a trajectory");
                trajectory_store::insert(conn, row.id, &period, by, db::now())?;
                Ok::<_, diesel::result::Error>(row.id)
            })
            .collect()
    })
    .unwrap()
}

/// Each participant does two two-hour jobs a weekday (09–11 and 13–15) on the weekdays
/// before today, the recipients and services taken in turn. Each job is ordered, planned
/// and performed on its own day (its events carry that day's time), as it would have been.
#[allow(clippy::too_many_arguments)]
fn performed_jobs_for(
    conn: &mut DbConn,
    settings: &Settings,
    by: i64,
    residents: &[i64],
    crew: &[i64],
    services: &[i64],
    today: NaiveDate,
    n: usize,
) -> Vec<i64> {
    let werkleider = AuthUser {
        id: by,
        role: Role::Werkleider,
    };
    let days = last_weekdays(today, n.div_ceil(crew.len() * 2) + 1);
    let jobs = &settings.jobs;
    let mut out = Vec::with_capacity(n);
    for chunk in (0..n).collect::<Vec<_>>().chunks(250) {
        db::write_tx(conn, |conn| {
            for &k in chunk {
                let participant = crew[k % crew.len()];
                let round = k / crew.len();
                let day = days[round / 2];
                let hour = if round.is_multiple_of(2) { 9 } else { 13 };
                let service = services[k % services.len()];
                let order: OrderInput = serde_json::from_value(serde_json::json!({
                    "service_id": service, "recipient_id": residents[k % residents.len()],
                    "channel": "phone", "description": "Heg knippen", "otherwise_not_done": true,
                    "estimated_minutes": 120,
                }))
                .unwrap();
                let start = day.and_hms_opt(hour, 0, 0).unwrap();
                let slot = Slot::from_local(start, start + Duration::hours(2));
                let (morning, evening) = (slot.utc_start - Duration::hours(2), slot.utc_end + Duration::hours(2));
                let now = morning;
                let mut job =
                    servicepunt::jobs::order::place(conn, &werkleider, &order, "Heg knippen", jobs, day, now)?;
                if job.needs_review.is_some() {
                    // The anti-splitting rule asks a werkleider to look; these are separate jobs.
                    let reason = Some("losse klussen, geen opgeknipte grote klus");
                    job = servicepunt::jobs::triage::accept(conn, &job, Some(by), reason, jobs, day, now)?;
                }
                let new = NewAssignment {
                    job_id: job.id,
                    crew: vec![participant],
                    slot,
                    pinned: true,
                };
                let a = assign::create(conn, by, &new, jobs, now)?;
                assign::start(conn, &a, by, slot.utc_start)?;
                let a = assignment_store::find(conn, a.id)?.expect("the assignment");
                let request = LogRequest {
                    participant_ids: vec![participant],
                    assignment_id: Some(a.id),
                    activity: None,
                    span: Span {
                        start: slot.utc_start,
                        end: slot.utc_end,
                        break_minutes: 0,
                    },
                    note: None,
                };
                for log in logging::record(conn, &werkleider, &request, jobs, evening)? {
                    logging::approve(conn, log.id, by, evening)?;
                }
                let job = servicepunt::jobs::store::find(conn, job.id)?.expect("the job");
                completion::performed(conn, &job, by, jobs, evening)?;
                out.push(job.id);
            }
            Ok::<_, servicepunt::error::ApiError>(())
        })
        .unwrap();
    }
    out
}
