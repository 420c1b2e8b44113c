//! The scale part (PostgreSQL): a million cheques and ten million journal lines over two
//! years, a thousand participants with a participatiebaan and a year of approved hours,
//! generated in SQL (what the use cases would have written, in bulk), then the finance
//! reports timed over HTTP (target: each answers in under a second), and two of the
//! counter's lookups among those cheques.

use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use diesel::RunQueryDsl;

use crate::scenarios::Context;
use crate::server::Server;

const SALES: i64 = 250_000;
const CHEQUES_PER_SALE: i64 = 4;
/// Redemption entries have four lines, sales two: 250,000 × 2 + 2,375,000 × 4 = 10 M.
const REDEMPTION_ENTRIES: i64 = 2_375_000;
const PARTICIPANTS: i64 = 1_000;

#[derive(diesel::QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn count(conn: &mut servicepunt::db::DbConn, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<N>(conn).unwrap().n
}

/// Everything is generated in date order, as it would have been written: a month's
/// journal lines lie together, as they do in a live database.
fn generate(cx: &Context) {
    let conn = &mut cx.pool.get().unwrap();
    let (w, session, product) = (cx.world.werkleider, cx.world.session, cx.world.product);
    let residents = cx.world.residents.len() as i64;
    let first_resident = cx.world.residents[0];
    let last_sale = count(
        conn,
        "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS n FROM cheque_sales",
    );
    let last_entry = count(
        conn,
        "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS n FROM journal_entries",
    );
    let statements = [
        format!(
            "INSERT INTO cheque_sales (channel, cash_session_id, resident_id, sold_by, product_id, quantity, tariff, \
             unit_price_cents, total_cents, created_at) \
             SELECT 'pin', {session}, {first_resident} + i % {residents}, {w}, {product}, {CHEQUES_PER_SALE}, \
             'regular', 1500, {}, now() - make_interval(days => (729 - (i - 1) * 730 / {SALES})::int) \
             FROM generate_series(1, {SALES}) i",
            1500 * CHEQUES_PER_SALE
        ),
        format!(
            "INSERT INTO cheques (serial, sale_id, product_id, owner_resident_id, face_minutes, tariff, price_cents, \
             subsidy_cents, status, valid_until, redeemed_job_id, status_changed_at, created_at) \
             SELECT 'SCALE-' || s.id || '-' || k, s.id, s.product_id, s.resident_id, 60, 'regular', 1500, 0, \
             CASE WHEN k = 1 THEN 'sold' ELSE 'redeemed' END, (s.created_at + interval '2 years')::date, NULL, \
             s.created_at, s.created_at \
             FROM cheque_sales s CROSS JOIN generate_series(1, {CHEQUES_PER_SALE}) k WHERE s.id > {last_sale} \
             ORDER BY s.id, k"
        ),
        format!(
            "INSERT INTO journal_entries (entry_date, kind, reference, created_by, created_at) \
             SELECT d, kind, reference, {w}, at FROM ( \
             SELECT s.created_at::date AS d, 'cheque_sale' AS kind, 'sale ' || s.id AS reference, s.created_at AS at \
             FROM cheque_sales s WHERE s.id > {last_sale} \
             UNION ALL \
             SELECT CURRENT_DATE - (729 - (i - 1) * 730 / {REDEMPTION_ENTRIES})::int, 'cheque_redemption', \
             'scale job ' || i, now() FROM generate_series(1, {REDEMPTION_ENTRIES}) i \
             ) x ORDER BY d"
        ),
        format!(
            "INSERT INTO journal_lines (entry_id, account, dimension, amount_cents, entry_date, kind) \
             SELECT e.id, a.account, a.dimension, a.cents, e.entry_date, e.kind FROM journal_entries e JOIN (VALUES \
             ('cheque_sale', 'pin_clearing', NULL, 6000), ('cheque_sale', 'cheque_liability', NULL, -6000), \
             ('cheque_redemption', 'cheque_liability', NULL, 3000), ('cheque_redemption', 'service_revenue', NULL, -3000), \
             ('cheque_redemption', 'subsidy_receivable', 'Ede', 1400), ('cheque_redemption', 'service_revenue', NULL, -1400) \
             ) a(kind, account, dimension, cents) ON a.kind = e.kind \
             WHERE e.id > {last_entry} ORDER BY e.id"
        ),
        format!(
            "INSERT INTO participants (name, languages, skills, interests, aversions, clearance, \
             contracted_minutes_per_week, active, created_at, updated_at) \
             SELECT 'Schaal ' || i, 'nl', 'tuinieren', 'tuin', '', 'solo_klus', 1920, TRUE, now(), now() \
             FROM generate_series(1, {PARTICIPANTS}) i"
        ),
        format!(
            "INSERT INTO trajectories (participant_id, kind, starts_on, ends_on, created_by, created_at) \
             SELECT id, 'participatiebaan', date_trunc('year', CURRENT_DATE)::date, \
             (date_trunc('year', CURRENT_DATE) + interval '1 year - 1 day')::date, {w}, now() \
             FROM participants WHERE name LIKE 'Schaal %'"
        ),
        format!(
            "INSERT INTO work_logs (participant_id, activity, started_at, ended_at, break_minutes, minutes, status, \
             entered_by, created_at, decided_by, decided_at) \
             SELECT p.id, 'office', d + time '08:00', d + time '12:00', 0, 240, 'approved', {w}, now(), {w}, now() \
             FROM participants p CROSS JOIN generate_series(date_trunc('year', CURRENT_DATE), \
             CURRENT_DATE - 1, interval '1 day') d \
             WHERE p.name LIKE 'Schaal %' AND extract(isodow FROM d) < 6"
        ),
        format!(
            "INSERT INTO bonus_rates (valid_from, cents_per_hour, created_by, created_at) \
             SELECT DATE '2000-01-01', 100, {w}, now() WHERE NOT EXISTS (SELECT 1 FROM bonus_rates)"
        ),
        "ANALYZE".to_owned(),
    ];
    for sql in statements {
        let t = Instant::now();
        let n = diesel::sql_query(&sql).execute(conn).unwrap();
        let what: String = sql.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
        eprintln!("scale: {what}: {n} rows in {:.1} s", t.elapsed().as_secs_f64());
    }
}

async fn time(cx: &Context, path: &str) -> (Duration, Duration, usize) {
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..6 {
        let t = Instant::now();
        let r = cx
            .client
            .get(format!("{}{path}", cx.base))
            .bearer_auth(&cx.tokens.finance)
            // Built from the database each time, not served from the read cache.
            .header("cache-control", "no-cache")
            .timeout(Duration::from_secs(120))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{path}");
        size = r.bytes().await.unwrap().len();
        times.push(t.elapsed());
    }
    times.remove(0); // the first warms the database's caches
    times.sort();
    (times[times.len() / 2], times[times.len() - 1], size)
}

fn last_month(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first_this = today.with_day(1).unwrap();
    let last = first_this.pred_opt().unwrap();
    (last.with_day(1).unwrap(), last)
}

/// Finance closes each month once it is reconciled: every month before this one.
fn close_months(cx: &Context, today: NaiveDate) -> usize {
    use servicepunt::ledger::periods;
    let conn = &mut cx.pool.get().unwrap();
    let mut month = (today.with_day(1).unwrap() - chrono::Duration::days(800))
        .with_day(1)
        .unwrap();
    let mut closed = 0;
    while month < today.with_day(1).unwrap() {
        let name = periods::month_of(month);
        servicepunt::db::write_tx(conn, |conn| {
            periods::close(conn, &name, cx.world.finance, today, servicepunt::db::now())
        })
        .unwrap();
        closed += 1;
        month = periods::parse_month(&name).unwrap().1;
    }
    closed
}

pub async fn run(cx: &Context, server: &Server) {
    let t = Instant::now();
    generate(cx);
    let today = servicepunt::clock::today();
    let t_close = Instant::now();
    let closed = close_months(cx, today);
    eprintln!(
        "scale: closed {closed} months in {:.1} s",
        t_close.elapsed().as_secs_f64()
    );
    let counts: Vec<(String, i64)> = [
        "cheques",
        "journal_lines",
        "journal_entries",
        "work_logs",
        "participants",
    ]
    .iter()
    .map(|table| {
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let sql = format!("SELECT COUNT(*) AS n FROM {table}");
        let n = diesel::sql_query(sql)
            .get_result::<N>(&mut cx.pool.get().unwrap())
            .unwrap()
            .n;
        (table.to_string(), n)
    })
    .collect();
    eprintln!("scale: generated in {:.0} s", t.elapsed().as_secs_f64());

    let (from, to) = last_month(today);
    let year = today.year();
    let last_sale = count(
        &mut cx.pool.get().unwrap(),
        "SELECT CAST(MAX(id) AS BIGINT) AS n FROM cheque_sales",
    );
    let resident = cx.world.residents[0];
    // The journal of last month a page at a time, as finance reads it: its last page is
    // the deepest one, and an account's card filters the month's lines by account.
    let entries = count(
        &mut cx.pool.get().unwrap(),
        &format!("SELECT COUNT(*) AS n FROM journal_entries WHERE entry_date >= '{from}' AND entry_date <= '{to}'"),
    );
    let last_page = (entries + 99) / 100;
    let journal = format!("/api/v1/finance/journal?from={from}&to={to}&per_page=100");
    let reports = [
        (
            "monthly reconciliation report",
            format!("/api/v1/finance/reconciliation?from={from}&to={to}"),
        ),
        ("trial balance", "/api/v1/finance/trial-balance".to_owned()),
        ("the month's journal, first page of 100", journal.clone()),
        (
            "the month's journal, last page of 100",
            format!("{journal}&page={last_page}"),
        ),
        (
            "the cheque liability card for the month, last page of 100",
            format!("{journal}&account=cheque_liability&page={last_page}"),
        ),
        (
            "bonus statements, every participant",
            format!("/api/v1/bonus-statements?year={year}"),
        ),
        // Lookups among the million cheques, as the counter makes them all day.
        ("a sale's receipt", format!("/api/v1/cheque-sales/{last_sale}/receipt")),
        ("a resident's cheques", format!("/api/v1/residents/{resident}/cheques")),
    ];
    println!();
    println!(
        "## PostgreSQL at scale: {}",
        counts
            .iter()
            .map(|(t, n)| format!("{n} {t}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!();
    println!("| report | median | worst of 5 | answer | target | verdict |");
    println!("|---|---:|---:|---:|---:|---|");
    for (name, path) in reports {
        let (median, worst, size) = time(cx, &path).await;
        let verdict = if worst < Duration::from_secs(1) {
            "meets target"
        } else {
            "over target"
        };
        println!(
            "| {name} | {:.0} ms | {:.0} ms | {:.1} KiB | < 1 s | {verdict} |",
            median.as_secs_f64() * 1000.0,
            worst.as_secs_f64() * 1000.0,
            size as f64 / 1024.0
        );
    }
    println!();
    println!("Server peak RSS over the whole run: {:.0} MiB", server.peak_rss_mib());
}
