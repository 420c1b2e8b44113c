//! The authorization matrix: every route of the OpenAPI contract, called as every role and
//! anonymously, must allow exactly the roles its row names (a 401 or 403 is a denial,
//! anything else passed the gate). A route without a row, or a row without a route,
//! fails the test — so every new endpoint gets a deliberate decision here.
//!
//! Ids in paths point at nothing: allowed roles then get 404 or a validation error,
//! which proves they passed authorization. Who may see *which* record (their own job,
//! their own caseload) is tested with real records elsewhere.

use reqwest::Method;
use serde_json::json;
use servicepunt::auth::Role;

use crate::helpers::spawn_app;

pub const ANON: &str = "anonymous";
const ALL: &[&str] = &[
    ANON,
    "resident",
    "participant",
    "werkleider",
    "trajectbegeleider",
    "finance",
    "coordinator",
];
const SIGNED_IN: &[&str] = &[
    "resident",
    "participant",
    "werkleider",
    "trajectbegeleider",
    "finance",
    "coordinator",
];
const COORDINATOR: &[&str] = &["coordinator"];
const TRIAGE: &[&str] = &["werkleider", "coordinator"];
const STAFF: &[&str] = &["werkleider", "trajectbegeleider", "finance", "coordinator"];
const DESK: &[&str] = &["werkleider", "finance", "coordinator"];
const READERS: &[&str] = &["werkleider", "trajectbegeleider", "coordinator"];
const COACHES: &[&str] = &["trajectbegeleider", "coordinator"];
const RESIDENTS: &[&str] = &["resident", "coordinator"];
const PARTICIPANTS: &[&str] = &["participant", "coordinator"];
const FINANCE: &[&str] = &["finance", "coordinator"];
const FEEDBACK: &[&str] = &["resident", "werkleider", "coordinator"];

pub const MATRIX: &[(&str, &str, &[&str])] = &[
    ("GET", "/health", ALL),
    ("GET", "/ready", ALL),
    ("GET", "/metrics", ALL),
    ("POST", "/api/v1/auth/login", ALL),
    ("POST", "/api/v1/auth/logout", ALL),
    ("POST", "/api/v1/auth/refresh", ALL),
    ("POST", "/api/v1/auth/register", ALL),
    ("POST", "/api/v1/auth/register/confirm", ALL),
    ("POST", "/api/v1/auth/verify-email", ALL),
    ("POST", "/api/v1/auth/password-reset", ALL),
    ("POST", "/api/v1/auth/password-reset/confirm", ALL),
    ("POST", "/api/v1/auth/verify-email/resend", SIGNED_IN),
    ("GET", "/api/v1/me", SIGNED_IN),
    ("POST", "/api/v1/me/password", SIGNED_IN),
    ("GET", "/api/v1/me/resident", RESIDENTS),
    ("PATCH", "/api/v1/me/resident", RESIDENTS),
    ("GET", "/api/v1/me/principals", RESIDENTS),
    ("GET", "/api/v1/me/keys", RESIDENTS),
    ("GET", "/api/v1/me/resident/export", RESIDENTS),
    ("GET", "/api/v1/me/participant/export", PARTICIPANTS),
    ("GET", "/api/v1/me/participant", PARTICIPANTS),
    ("GET", "/api/v1/me/plan", PARTICIPANTS),
    ("POST", "/api/v1/me/plan/sign", PARTICIPANTS),
    ("GET", "/api/v1/me/reviews", PARTICIPANTS),
    ("GET", "/api/v1/me/buddies", PARTICIPANTS),
    ("GET", "/api/v1/me/schedule", PARTICIPANTS),
    ("GET", "/api/v1/me/compliments", PARTICIPANTS),
    ("GET", "/api/v1/admin/outbox", COORDINATOR),
    ("POST", "/api/v1/admin/outbox/{id}/retry", COORDINATOR),
    ("GET", "/api/v1/admin/users", COORDINATOR),
    ("POST", "/api/v1/admin/users", COORDINATOR),
    ("PATCH", "/api/v1/admin/users/{id}", COORDINATOR),
    ("POST", "/api/v1/admin/users/{id}/disable", COORDINATOR),
    ("POST", "/api/v1/admin/users/{id}/enable", COORDINATOR),
    ("POST", "/api/v1/admin/users/{id}/caseload-handover", COORDINATOR),
    ("GET", "/api/v1/callsheet", TRIAGE),
    ("POST", "/api/v1/callsheet/done", TRIAGE),
    ("POST", "/api/v1/callsheet/{id}/done", TRIAGE),
    ("GET", "/api/v1/residents", DESK),
    ("POST", "/api/v1/residents", DESK),
    ("GET", "/api/v1/residents/{id}", DESK),
    ("PATCH", "/api/v1/residents/{id}", DESK),
    ("GET", "/api/v1/residents/{id}/eligibility", DESK),
    ("POST", "/api/v1/residents/{id}/eligibility", DESK),
    // A resident manages the proxies of their own record only (tested with records).
    ("GET", "/api/v1/residents/{id}/proxies", DESK),
    ("POST", "/api/v1/residents/{id}/proxies", DESK),
    ("DELETE", "/api/v1/residents/{id}/proxies/{proxy_id}", DESK),
    ("PATCH", "/api/v1/residents/{id}/proxies/{proxy_id}", DESK),
    ("POST", "/api/v1/residents/{id}/keys", DESK),
    // A resident sees only their own and their principals' (tested with records).
    (
        "GET",
        "/api/v1/residents/{id}/keys",
        &["resident", "werkleider", "finance", "coordinator"],
    ),
    ("POST", "/api/v1/residents/{id}/keys/{key_id}/return", DESK),
    // A resident their own and their principals' (tested with records).
    ("GET", "/api/v1/residents/{id}/preferred-helpers", FEEDBACK),
    ("DELETE", "/api/v1/residents/{id}/preferred-helpers/{wish_id}", FEEDBACK),
    ("GET", "/api/v1/keys", DESK),
    ("GET", "/api/v1/services", ALL),
    ("GET", "/api/v1/services/{id}", ALL),
    ("POST", "/api/v1/services", COORDINATOR),
    ("PATCH", "/api/v1/services/{id}", COORDINATOR),
    (
        "GET",
        "/api/v1/jobs",
        &["resident", "werkleider", "finance", "coordinator"],
    ),
    (
        "POST",
        "/api/v1/jobs",
        &["resident", "werkleider", "finance", "coordinator"],
    ),
    // Per job, access is by record (own jobs, a proxy's principals, staff): 404 otherwise.
    ("GET", "/api/v1/jobs/{id}", SIGNED_IN),
    ("PATCH", "/api/v1/jobs/{id}", SIGNED_IN),
    ("GET", "/api/v1/jobs/{id}/events", SIGNED_IN),
    ("POST", "/api/v1/jobs/{id}/cancel", SIGNED_IN),
    ("POST", "/api/v1/jobs/{id}/accept", TRIAGE),
    ("POST", "/api/v1/jobs/{id}/refuse", TRIAGE),
    ("GET", "/api/v1/jobs/{id}/suggestions", TRIAGE),
    ("POST", "/api/v1/jobs/{id}/ask-again", FEEDBACK),
    // Per series, access is by record as for jobs: 404 for another resident's.
    (
        "POST",
        "/api/v1/job-series",
        &["resident", "werkleider", "finance", "coordinator"],
    ),
    (
        "GET",
        "/api/v1/job-series",
        &["resident", "werkleider", "finance", "coordinator"],
    ),
    (
        "GET",
        "/api/v1/job-series/{id}",
        &["resident", "werkleider", "finance", "coordinator"],
    ),
    (
        "PATCH",
        "/api/v1/job-series/{id}",
        &["resident", "werkleider", "finance", "coordinator"],
    ),
    (
        "POST",
        "/api/v1/job-series/{id}/stop",
        &["resident", "werkleider", "finance", "coordinator"],
    ),
    ("GET", "/api/v1/waitlist", TRIAGE),
    ("GET", "/api/v1/reports/competition", TRIAGE),
    ("GET", "/api/v1/participants", READERS),
    ("POST", "/api/v1/participants", TRIAGE),
    ("GET", "/api/v1/participants/{id}", READERS),
    ("PATCH", "/api/v1/participants/{id}", TRIAGE),
    ("POST", "/api/v1/participants/{id}/absences", TRIAGE),
    ("PATCH", "/api/v1/participants/{id}/absences/{absence_id}", TRIAGE),
    ("DELETE", "/api/v1/participants/{id}/absences/{absence_id}", TRIAGE),
    ("POST", "/api/v1/participants/{id}/do-not-pair", READERS),
    (
        "DELETE",
        "/api/v1/participants/{id}/do-not-pair/{other_participant_id}",
        READERS,
    ),
    ("GET", "/api/v1/participants/{id}/ramp-up", READERS),
    ("POST", "/api/v1/participants/{id}/buddies", COACHES),
    ("GET", "/api/v1/participants/{id}/buddies", COACHES),
    ("POST", "/api/v1/participants/{id}/buddies/{pairing_id}/end", COACHES),
    ("PUT", "/api/v1/participants/{id}/buddy-volunteer", COACHES),
    ("DELETE", "/api/v1/participants/{id}/buddy-volunteer", COACHES),
    ("GET", "/api/v1/buddy-volunteers", COACHES),
    ("PUT", "/api/v1/participants/{id}/ramp-up", READERS),
    ("DELETE", "/api/v1/participants/{id}/ramp-up", READERS),
    ("GET", "/api/v1/participants/{id}/attendance", COACHES),
    ("GET", "/api/v1/participants/{id}/trajectories", COACHES),
    ("POST", "/api/v1/participants/{id}/trajectories", COACHES),
    ("GET", "/api/v1/trajectories/ending", COACHES),
    ("GET", "/api/v1/trajectories/approvals-open", COACHES),
    ("GET", "/api/v1/intake-slots", COACHES),
    ("POST", "/api/v1/intake-slots", COACHES),
    ("DELETE", "/api/v1/intake-slots/{id}", COACHES),
    ("POST", "/api/v1/intake-slots/{id}/booking", COACHES),
    ("DELETE", "/api/v1/intake-slots/{id}/booking", COACHES),
    ("POST", "/api/v1/intake-slots/{id}/outcome", COACHES),
    ("POST", "/api/v1/trajectories/{id}/approvals", COACHES),
    ("GET", "/api/v1/trajectories/{id}/approvals", COACHES),
    (
        "POST",
        "/api/v1/trajectories/{id}/approvals/{approval_id}/answer",
        COACHES,
    ),
    (
        "POST",
        "/api/v1/trajectories/{id}/approvals/{approval_id}/withdraw",
        COACHES,
    ),
    ("POST", "/api/v1/trajectories/{id}/extend", COACHES),
    ("POST", "/api/v1/trajectories/{id}/end", COACHES),
    ("PUT", "/api/v1/trajectories/{id}/plan", COACHES),
    ("GET", "/api/v1/trajectories/{id}/plan", COACHES),
    ("GET", "/api/v1/trajectories/reviews-due", COACHES),
    ("POST", "/api/v1/trajectories/{id}/reviews", COACHES),
    ("GET", "/api/v1/trajectories/{id}/reviews", COACHES),
    ("PUT", "/api/v1/trajectories/{id}/reviews/{review_id}", COACHES),
    ("POST", "/api/v1/assignments", TRIAGE),
    ("PATCH", "/api/v1/assignments/{id}", TRIAGE),
    ("DELETE", "/api/v1/assignments/{id}", TRIAGE),
    // Check-in is by record (a member of the crew, or the werkleider): 404 otherwise.
    ("POST", "/api/v1/assignments/{id}/start", SIGNED_IN),
    ("POST", "/api/v1/attendance", TRIAGE),
    ("GET", "/api/v1/planning", TRIAGE),
    ("GET", "/api/v1/planning/broken-work", TRIAGE),
    ("GET", "/api/v1/planning/handovers", TRIAGE),
    ("GET", "/api/v1/planning/closed-days", TRIAGE),
    ("GET", "/api/v1/planning/public-holidays", TRIAGE),
    ("PUT", "/api/v1/planning/closed-days/{date}", TRIAGE),
    ("DELETE", "/api/v1/planning/closed-days/{date}", TRIAGE),
    ("POST", "/api/v1/planning/closed-days/{date}/release", TRIAGE),
    ("GET", "/api/v1/planning/on-call", READERS),
    ("PUT", "/api/v1/planning/on-call/{date}", TRIAGE),
    ("POST", "/api/v1/planning/on-call", TRIAGE),
    ("DELETE", "/api/v1/planning/on-call/{date}", TRIAGE),
    ("POST", "/api/v1/planning/proposals", TRIAGE),
    ("POST", "/api/v1/planning/proposals/{id}/apply", TRIAGE),
    // Participants log their own time, werkleiders anyone's.
    ("GET", "/api/v1/worklogs", READERS),
    (
        "POST",
        "/api/v1/worklogs",
        &["participant", "werkleider", "coordinator"],
    ),
    ("POST", "/api/v1/worklogs/approve", TRIAGE),
    ("POST", "/api/v1/worklogs/reject", TRIAGE),
    ("POST", "/api/v1/worklogs/{id}/approve", TRIAGE),
    ("POST", "/api/v1/worklogs/{id}/reject", TRIAGE),
    ("POST", "/api/v1/worklogs/{id}/correct", TRIAGE),
    ("GET", "/api/v1/worklogs/{id}/history", SIGNED_IN),
    ("POST", "/api/v1/jobs/{id}/performed", TRIAGE),
    ("POST", "/api/v1/jobs/{id}/confirm", SIGNED_IN),
    ("POST", "/api/v1/jobs/{id}/dispute", SIGNED_IN),
    ("POST", "/api/v1/jobs/{id}/resolve", TRIAGE),
    // Feedback: the resident (their own jobs, 404 otherwise) and the werkleiders, who take
    // it by phone; complaints are for the werkleiders, so finance and coaches are refused.
    ("POST", "/api/v1/jobs/{id}/feedback", FEEDBACK),
    ("GET", "/api/v1/jobs/{id}/feedback", FEEDBACK),
    ("GET", "/api/v1/feedback", TRIAGE),
    ("POST", "/api/v1/feedback/{id}/handled", TRIAGE),
    ("GET", "/api/v1/me/hours", PARTICIPANTS),
    ("GET", "/api/v1/participants/{id}/hours", READERS),
    ("GET", "/api/v1/bonus-rates", FINANCE),
    ("POST", "/api/v1/bonus-rates", COORDINATOR),
    ("GET", "/api/v1/bonus-statements", FINANCE),
    ("GET", "/api/v1/me/bonus-statements/{year}", PARTICIPANTS),
    ("POST", "/api/v1/bonus-statements/{year}/issue", FINANCE),
    (
        "GET",
        "/api/v1/bonus-statements/{year}/{participant_id}/printable",
        FINANCE,
    ),
    ("GET", "/api/v1/cheque-products", ALL),
    ("POST", "/api/v1/cheque-products", COORDINATOR),
    ("POST", "/api/v1/cheque-products/{id}/prices", COORDINATOR),
    ("GET", "/api/v1/cash-sessions", FINANCE),
    ("POST", "/api/v1/cash-sessions", FINANCE),
    ("GET", "/api/v1/cash-sessions/{id}", FINANCE),
    ("POST", "/api/v1/cash-sessions/{id}/close", FINANCE),
    ("POST", "/api/v1/cheque-sales", FINANCE),
    // A resident gets only the receipts of their own and their principals' cheques.
    (
        "GET",
        "/api/v1/cheque-sales/{id}/receipt",
        &["resident", "finance", "coordinator"],
    ),
    ("GET", "/api/v1/me/cheques", RESIDENTS),
    // A resident sees only their own and their principals' (tested with records).
    (
        "GET",
        "/api/v1/residents/{id}/cheques",
        &["resident", "finance", "coordinator"],
    ),
    // By record: finance, or the owner and their proxy; 404 otherwise.
    ("GET", "/api/v1/cheques/{serial}", SIGNED_IN),
    ("POST", "/api/v1/jobs/{id}/redeem", FINANCE),
    ("GET", "/api/v1/finance/unpaid-jobs", FINANCE),
    ("GET", "/api/v1/finance/trial-balance", FINANCE),
    ("POST", "/api/v1/cheques/{serial}/extend", FINANCE),
    ("POST", "/api/v1/cheques/{serial}/refund", FINANCE),
    ("POST", "/api/v1/cheques/{serial}/void", FINANCE),
    ("GET", "/api/v1/finance/subsidy-claims", FINANCE),
    ("POST", "/api/v1/checkout-sessions", RESIDENTS),
    ("POST", "/api/v1/webhooks/stripe", ALL),
    ("GET", "/api/v1/finance/periods", FINANCE),
    ("POST", "/api/v1/finance/periods/{month}/close", FINANCE),
    ("POST", "/api/v1/finance/periods/{month}/reopen", COORDINATOR),
    ("GET", "/api/v1/finance/reconciliation", FINANCE),
    ("GET", "/api/v1/finance/stripe-reconciliation", FINANCE),
    ("GET", "/api/v1/finance/journal", FINANCE),
    ("POST", "/api/v1/finance/stripe-refunds/{charge}/settle", FINANCE),
    ("GET", "/api/v1/reports/monthly", COORDINATOR),
    ("GET", "/api/v1/reports/trajectories", COORDINATOR),
    ("GET", "/api/v1/reports/ladder", COORDINATOR),
    ("GET", "/api/v1/reports/institutions", COORDINATOR),
    ("GET", "/api/v1/targets/{month}", COORDINATOR),
    ("PUT", "/api/v1/targets/{month}", COORDINATOR),
    ("GET", "/api/v1/admin/audit", COORDINATOR),
    ("GET", "/api/v1/staff", STAFF),
    ("GET", "/api/v1/residents/{id}/export", COORDINATOR),
    ("POST", "/api/v1/residents/{id}/erase", COORDINATOR),
    ("POST", "/api/v1/residents/{id}/account", DESK),
    ("GET", "/api/v1/residents/{id}/account", DESK),
    ("GET", "/api/v1/resident-duplicates", DESK),
    ("POST", "/api/v1/resident-duplicates/{id}/merge", DESK),
    ("POST", "/api/v1/resident-duplicates/{id}/different-people", DESK),
    ("POST", "/api/v1/residents/{id}/account/disable", COORDINATOR),
    ("POST", "/api/v1/residents/{id}/account/enable", COORDINATOR),
    ("GET", "/api/v1/participants/{id}/export", COORDINATOR),
    ("POST", "/api/v1/participants/{id}/erase", COORDINATOR),
    ("GET", "/api/v1/participants/{id}/account", COORDINATOR),
    ("POST", "/api/v1/participants/{id}/account/disable", COORDINATOR),
    ("POST", "/api/v1/participants/{id}/account/enable", COORDINATOR),
    ("GET", "/api/v1/institutions", DESK),
    ("POST", "/api/v1/institutions", COORDINATOR),
    ("PATCH", "/api/v1/institutions/{id}", COORDINATOR),
    ("GET", "/api/v1/finance/institution-statements", FINANCE),
];

fn role_of(name: &str) -> Option<Role> {
    name.parse().ok()
}

#[actix_web::test]
async fn every_route_allows_exactly_the_roles_in_its_row() {
    let doc: serde_json::Value = serde_json::from_str(&crate::helpers::committed_contract()).unwrap();
    let mut routes: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            routes.push((method.to_uppercase(), path.clone()));
        }
    }
    for (method, path) in &routes {
        assert!(
            MATRIX.iter().any(|(m, p, _)| m == method && p == path),
            "no row for {method} {path}: decide who may call it"
        );
    }
    for (m, p, _) in MATRIX {
        assert!(
            routes.iter().any(|(method, path)| method == m && path == p),
            "a row for {m} {p}, which the contract lacks"
        );
    }

    let app = spawn_app().await;
    let mut tokens = std::collections::HashMap::new();
    for name in &ALL[1..] {
        tokens.insert(*name, app.token_for(role_of(name).unwrap()).await);
    }
    let mut wrong = Vec::new();
    for (method, path, allowed) in MATRIX {
        let concrete = path
            .replace("{id}", "999999")
            .replace("{proxy_id}", "999999")
            .replace("{absence_id}", "999999")
            .replace("{review_id}", "999999")
            .replace("{approval_id}", "999999")
            .replace("{key_id}", "999999")
            .replace("{wish_id}", "999999")
            .replace("{participant_id}", "999999")
            .replace("{other_participant_id}", "999998")
            .replace("{year}", "2025")
            .replace("{date}", "2099-01-01")
            .replace("{month}", "2099-01")
            .replace("{serial}", "SVW-0000-0000-0")
            .replace("{charge}", "ch_unknown");
        for who in ALL {
            let token = tokens.get(who).map(String::as_str);
            let body = matches!(*method, "POST" | "PATCH").then(|| json!({}));
            let reply = app
                .call(Method::from_bytes(method.as_bytes()).unwrap(), &concrete, token, body)
                .await;
            let denied = reply.status == 401 || reply.status == 403;
            let should_allow = allowed.contains(who);
            if denied == should_allow {
                wrong.push(format!(
                    "{method} {path} as {who}: {} (expected {})",
                    reply.status,
                    if should_allow { "allowed" } else { "denied" }
                ));
            }
            assert!(reply.status != 500, "{method} {path} as {who}: 500 {}", reply.text);
        }
    }
    assert!(
        wrong.is_empty(),
        "authorization differs from the matrix:\n{}",
        wrong.join("\n")
    );
}
