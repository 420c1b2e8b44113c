//! Planning benchmarks, printed as a table:
//!
//! 1. ranking suggestions for one job among 500 participants (the pure rules and score);
//! 2. `GET /api/v1/jobs/{id}/suggestions` end to end over HTTP against SQLite with 500
//!    participants (target: p99 < 20 ms);
//! 3. the auto-planner on a week of 300 participants and 2,000 waitlisted jobs (target:
//!    < 2 s);
//! 4. the auto-planner's served minutes against an upper bound on small random instances
//!    (target: ≥ 95 %).
//!
//! Run: `cargo bench --bench planning`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use servicepunt::jobs::model::Dagdeel;
use servicepunt::participants::clearance::Clearance;
use servicepunt::planning::autoplan::{self, PlanJob};
use servicepunt::planning::rules::{JobFacts, ParticipantFacts, Slot};
use servicepunt::planning::suggest;

/// A small deterministic generator (xorshift), so runs are repeatable.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const MONDAY: &str = "2026-11-30";
const CATEGORIES: [&str; 4] = ["tuin", "huis", "gezelschap", "boodschappen"];
const SKILLS: [&str; 3] = ["tuinieren", "klussen", "koken"];

fn monday() -> NaiveDate {
    MONDAY.parse().unwrap()
}

fn participants(n: usize, rng: &mut Rng) -> Vec<ParticipantFacts> {
    (0..n)
        .map(|i| {
            let availability: HashSet<(u32, Dagdeel)> = (0..5)
                .flat_map(|d| [(d, Dagdeel::Morning), (d, Dagdeel::Afternoon)])
                .filter(|_| rng.below(10) < 8)
                .collect();
            ParticipantFacts {
                id: i as i64 + 1,
                ramp_up: Vec::new(),
                first_name: format!("P{i}"),
                clearance: Some(
                    [
                        Clearance::New,
                        Clearance::SoloKlus,
                        Clearance::SoloDienst,
                        Clearance::Onboarder,
                    ][rng.below(4) as usize],
                ),
                // As where no VOG is asked for (the default).
                vog_counts_until: None,
                skills: SKILLS
                    .iter()
                    .filter(|_| rng.below(2) == 0)
                    .map(|s| s.to_string())
                    .collect(),
                languages: ["nl".to_owned()].into(),
                interests: [CATEGORIES[rng.below(4) as usize].to_owned()].into(),
                aversions: HashSet::new(),
                wijk: Some(format!("wijk{}", rng.below(6))),
                postcode_area: Some(format!("67{:02}", rng.below(20))),
                contracted_minutes: [16, 24, 32, 40][rng.below(4) as usize] * 60,
                availability,
                absences: if rng.below(20) == 0 {
                    vec![(monday(), monday() + chrono::Duration::days(2))]
                } else {
                    vec![]
                },
                trajectories: vec![(
                    monday() - chrono::Duration::days(100),
                    monday() + chrono::Duration::days(200),
                )],
                busy: vec![],
                planned_minutes: HashMap::new(),
                do_not_pair: HashSet::new(),
                closed_days: vec![],
            }
        })
        .collect()
}

fn job(id: i64, rng: &mut Rng) -> JobFacts {
    let category = CATEGORIES[rng.below(4) as usize];
    let is_dienst = category == "gezelschap" || category == "boodschappen";
    JobFacts {
        id,
        is_dienst,
        needs_solo_clearance: is_dienst,
        required_skill: if is_dienst {
            None
        } else {
            Some(SKILLS[rng.below(2) as usize].to_owned())
        },
        around_home: !is_dienst,
        min_crew: if rng.below(10) == 0 { 2 } else { 1 },
        limit_minutes: 300,
        category: category.to_owned(),
        language: "nl".into(),
        wijk: Some(format!("wijk{}", rng.below(6))),
        postcode_area: format!("67{:02}", rng.below(20)),
        previous_participants: (0..3).map(|_| rng.below(500) as i64 + 1).collect(),
        preferred_participants: HashSet::new(),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn bench_rank() -> (Duration, Duration) {
    let mut rng = Rng(42);
    let people = participants(500, &mut rng);
    let local = monday().and_hms_opt(9, 0, 0).unwrap();
    let slot = Slot::from_local(local, local + chrono::Duration::minutes(120));
    let mut times = Vec::new();
    for i in 0..2000 {
        let j = job(i, &mut rng);
        let t = Instant::now();
        let s = suggest::rank(&people, &j, &slot);
        times.push(t.elapsed());
        assert!(s.ranked.len() + s.excluded.len() == 500);
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.99))
}

/// The start of the first day: the whole period lies ahead of the planner.
fn start_of(days: &[NaiveDate]) -> chrono::NaiveDateTime {
    days[0].and_hms_opt(0, 0, 0).unwrap_or_default()
}

fn bench_autoplan(day_count: i64) -> (Duration, i64, usize, i64) {
    let mut rng = Rng(7);
    let people = participants(300, &mut rng);
    let jobs: Vec<PlanJob> = (0..2000)
        .map(|i| PlanJob {
            facts: job(i, &mut rng),
            minutes: [60, 90, 120, 180, 240][rng.below(5) as usize],
            weight: rng.below(30) as i64,
        })
        .collect();
    let days: Vec<NaiveDate> = (0..day_count).map(|d| monday() + chrono::Duration::days(d)).collect();
    let t = Instant::now();
    let plan = autoplan::plan(people.clone(), &jobs, &days, start_of(&days));
    let elapsed = t.elapsed();
    let bound = autoplan::upper_bound(&people, &jobs, &days);
    (elapsed, plan.served_minutes, plan.lines.len(), bound)
}

/// The exact optimum of served minutes for a small instance where everyone may do every
/// job alone: contiguous blocks of available dagdelen per participant and day are bins,
/// each participant's contracted minutes a further cap; branch and bound over the jobs.
fn exact_optimum(people: &[ParticipantFacts], jobs: &[PlanJob], days: &[NaiveDate]) -> i64 {
    use servicepunt::planning::rules::dagdeel_bounds;
    let mut bins: Vec<(usize, i64)> = Vec::new(); // (participant index, block minutes)
    for (pi, p) in people.iter().enumerate() {
        for d in days {
            if p.absences.iter().any(|(f, t)| f <= d && d <= t) {
                continue;
            }
            let wd = d.weekday().num_days_from_monday();
            let mut block = 0;
            for dd in [Dagdeel::Morning, Dagdeel::Afternoon, Dagdeel::Evening] {
                if p.availability.contains(&(wd, dd)) {
                    let (s, e) = dagdeel_bounds(dd);
                    block += (e - s).num_minutes();
                } else if block > 0 {
                    bins.push((pi, block));
                    block = 0;
                }
            }
            if block > 0 {
                bins.push((pi, block));
            }
        }
    }
    let mut sizes: Vec<i64> = jobs.iter().map(|j| j.minutes).collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    let caps: Vec<i64> = people.iter().map(|p| p.contracted_minutes).collect();
    let mut suffix = vec![0; sizes.len() + 1];
    for i in (0..sizes.len()).rev() {
        suffix[i] = suffix[i + 1] + sizes[i];
    }
    fn go(
        i: usize,
        served: i64,
        sizes: &[i64],
        suffix: &[i64],
        bins: &mut Vec<(usize, i64)>,
        caps: &mut Vec<i64>,
        best: &mut i64,
    ) {
        if served > *best {
            *best = served;
        }
        if i == sizes.len() || served + suffix[i] <= *best {
            return;
        }
        let mut tried: Vec<(i64, i64)> = Vec::new();
        for b in 0..bins.len() {
            let (p, room) = bins[b];
            let key = (room, caps[p]);
            if room < sizes[i] || caps[p] < sizes[i] || tried.contains(&key) {
                continue;
            }
            tried.push(key);
            bins[b].1 -= sizes[i];
            caps[p] -= sizes[i];
            go(i + 1, served + sizes[i], sizes, suffix, bins, caps, best);
            bins[b].1 += sizes[i];
            caps[p] += sizes[i];
        }
        go(i + 1, served, sizes, suffix, bins, caps, best);
    }
    let mut best = 0;
    go(0, 0, &sizes, &suffix, &mut bins, &mut caps.clone(), &mut best);
    best
}

/// Served minutes of the planner against the exact optimum on small random instances:
/// once with equal weights (pure served minutes), once with random waiting-time weights
/// (the planner then rightly prefers long waiters over packing).
fn bench_quality() -> (f64, f64, f64, f64, usize) {
    let runs = 40;
    let (mut worst_equal, mut sum_equal, mut worst_weighted, mut sum_weighted) = (1.0_f64, 0.0, 1.0_f64, 0.0);
    for seed in 1..=runs {
        let mut rng = Rng(1000 + seed as u64);
        let mut people = participants(3, &mut rng);
        for p in &mut people {
            p.clearance = Some(Clearance::Onboarder);
            p.skills = SKILLS.iter().map(|s| s.to_string()).collect();
        }
        let days = [monday()];
        let mut jobs: Vec<PlanJob> = (0..12)
            .map(|i| {
                let mut facts = job(i, &mut rng);
                facts.min_crew = 1;
                PlanJob {
                    facts,
                    minutes: [60, 90, 120, 180][rng.below(4) as usize],
                    weight: rng.below(10) as i64,
                }
            })
            .collect();
        let optimum = exact_optimum(&people, &jobs, &days).max(1);
        let weighted =
            autoplan::plan(people.clone(), &jobs, &days, start_of(&days)).served_minutes as f64 / optimum as f64;
        for j in &mut jobs {
            j.weight = 0;
        }
        let equal_plan = autoplan::plan(people.clone(), &jobs, &days, start_of(&days));
        let equal = equal_plan.served_minutes as f64 / optimum as f64;
        if std::env::var("BENCH_VERBOSE").is_ok() && equal < 0.95 {
            let sizes: Vec<i64> = jobs.iter().map(|j| j.minutes).collect();
            let blocks: Vec<(i64, Vec<(u32, Dagdeel)>)> = people
                .iter()
                .map(|p| {
                    (
                        p.contracted_minutes,
                        p.availability.iter().copied().filter(|(d, _)| *d == 0).collect(),
                    )
                })
                .collect();
            eprintln!(
                "seed {seed}: served {} of {optimum}; jobs {sizes:?}; people {blocks:?}; unplaced {:?}",
                equal_plan.served_minutes, equal_plan.unplaced
            );
        }
        worst_equal = worst_equal.min(equal);
        sum_equal += equal;
        worst_weighted = worst_weighted.min(weighted);
        sum_weighted += weighted;
    }
    (
        worst_equal,
        sum_equal / runs as f64,
        worst_weighted,
        sum_weighted / runs as f64,
        runs,
    )
}

async fn bench_http() -> (Duration, Duration) {
    use servicepunt::app::Application;
    use servicepunt::config::{RawSettings, Settings};
    let dir = tempfile::tempdir().unwrap();
    let raw = RawSettings {
        database_url: Some(dir.path().join("bench.db").to_string_lossy().into_owned()),
        bind: "127.0.0.1:0".into(),
        jwt_secret: Some("bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz".into()),
        data_dir: dir.path().to_path_buf(),
        outbox_worker: false,
        login_max_failures_per_client: 1000,
        ..RawSettings::default()
    };
    let app = Application::build(Settings::from_raw(raw).unwrap()).await.unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    let pool = app.pool();
    actix_web::rt::spawn(app.run_until_stopped());

    // A coordinator, created as `servicepunt user create` does.
    {
        let pool = pool.clone();
        actix_web::web::block(move || {
            use servicepunt::auth::{Role, password, store};
            let hash = password::hash(&password::NewPassword::parse("bench-password-123").unwrap()).unwrap();
            let email = servicepunt::domain::Email::parse("bench@servicepunt.example").unwrap();
            let new = store::NewUser {
                email: &email,
                name: "Bench",
                role: Role::Coordinator,
                password_hash: &hash,
                language: servicepunt::domain::Language::Nl,
            };
            store::insert_user(&mut pool.get().unwrap(), &new, servicepunt::db::now()).unwrap();
        })
        .await
        .unwrap();
    }
    let client = reqwest::Client::new();
    let login: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": "bench@servicepunt.example", "password": "bench-password-123"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap().to_owned();
    let post = |path: &str, body: serde_json::Value| {
        client
            .post(format!("{base}{path}"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let service: serde_json::Value = post(
        "/api/v1/services",
        serde_json::json!({"kind": "klus", "category": "tuin",
        "name": {"nl": "Heg", "en": "Hedge"}, "description": {"nl": "x", "en": "x"}, "around_home": true,
        "required_skill": "tuinieren", "default_minutes": 60, "max_minutes": 300}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let mut rng = Rng(99);
    let today = servicepunt::clock::today();
    for i in 0..500 {
        let availability: Vec<serde_json::Value> = (0..7)
            .flat_map(|d| ["morning", "afternoon"].map(move |p| serde_json::json!({"weekday": d, "dagdeel": p})))
            .collect();
        let p: serde_json::Value = post(
            "/api/v1/participants",
            serde_json::json!({"name": format!("Deelnemer {i}"),
            "skills": if rng.below(3) > 0 { vec!["tuinieren"] } else { vec![] }, "clearance": "solo_klus",
            "contracted_hours_per_week": 32, "availability": availability, "wijk": format!("wijk{}", rng.below(6))}),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        post(
            &format!("/api/v1/participants/{}/trajectories", p["id"]),
            serde_json::json!({"kind": "participatiebaan", "starts_on": today - chrono::Duration::days(30)}),
        )
        .await
        .unwrap();
    }
    let resident: serde_json::Value = post(
        "/api/v1/residents",
        serde_json::json!({"name": "Bench Bewoner",
        "address": {"street": "Dorpsstraat", "house_number": "1", "postcode": "6711 AB", "city": "Ede"}}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let job: serde_json::Value = post(
        "/api/v1/jobs",
        serde_json::json!({"service_id": service["id"], "recipient_id": resident["id"],
        "description": "Heg", "estimated_minutes": 120, "otherwise_not_done": true}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let day = today + chrono::Duration::days(7 - i64::from(today.weekday().num_days_from_monday()));
    let slot = Slot::from_local(day.and_hms_opt(9, 0, 0).unwrap(), day.and_hms_opt(11, 0, 0).unwrap());
    let url = format!(
        "{base}/api/v1/jobs/{}/suggestions?starts_at={}&ends_at={}",
        job["id"],
        slot.utc_start.and_utc().to_rfc3339().replace('+', "%2B"),
        slot.utc_end.and_utc().to_rfc3339().replace('+', "%2B")
    );
    let mut times = Vec::new();
    for i in 0..320 {
        let t = Instant::now();
        let r = client.get(&url).bearer_auth(&token).send().await.unwrap();
        assert!(r.status().is_success());
        let body: serde_json::Value = r.json().await.unwrap();
        if i >= 20 {
            times.push(t.elapsed());
        }
        assert_eq!(
            body["ranked"].as_array().unwrap().len() + body["excluded"].as_array().unwrap().len(),
            500
        );
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.99))
}

fn main() {
    if std::env::var("BENCH_VERBOSE").is_ok() {
        bench_quality();
        return;
    }
    let (rank_p50, rank_p99) = bench_rank();
    let (plan_time, served, lines, bound) = bench_autoplan(5);
    let (short_time, short_served, short_lines, short_bound) = bench_autoplan(1);
    let (worst_equal, mean_equal, worst_weighted, mean_weighted, runs) = bench_quality();
    let (http_p50, http_p99) = actix_web::rt::System::new().block_on(bench_http());
    println!();
    println!("| benchmark | figure | target |");
    println!("|---|---|---|");
    println!(
        "| rank 500 participants (pure) | p50 {} · p99 {} | |",
        ms(rank_p50),
        ms(rank_p99)
    );
    println!(
        "| GET suggestions, 500 participants, SQLite, HTTP | p50 {} · p99 {} | p99 < 20 ms |",
        ms(http_p50),
        ms(http_p99)
    );
    println!(
        "| auto-planner, 300 participants × 2,000 jobs, 5 days | {} · {lines} jobs placed · {served} of ≤ {bound} minutes ({:.1} %) | < 2 s |",
        ms(plan_time),
        100.0 * served as f64 / bound.max(1) as f64
    );
    println!(
        "| auto-planner, the same 2,000 jobs in 1 day (capacity short) | {} · {short_lines} jobs placed · {short_served} of ≤ {short_bound} minutes ({:.1} %) | |",
        ms(short_time),
        100.0 * short_served as f64 / short_bound.max(1) as f64
    );
    println!(
        "| auto-planner served minutes vs exact optimum, {runs} instances of 3 participants × 12 jobs × 1 day, equal weights | worst {:.1} % · mean {:.1} % | ≥ 95 % |",
        worst_equal * 100.0,
        mean_equal * 100.0
    );
    println!(
        "| the same with waiting-time weights (long waiters first) | worst {:.1} % · mean {:.1} % | |",
        worst_weighted * 100.0,
        mean_weighted * 100.0
    );
}
