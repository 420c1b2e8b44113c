//! The mail worker delivers a batch to several recipients at once, and each recipient's
//! messages in the order they were written; a long turn on a slow mail server does not
//! let a second worker send its messages again.

use std::time::Duration;

use crate::cheques::{counter, mailed_resident, sell};
use crate::helpers::{JWT_SECRET, count_rows, world};
use crate::mail::unsent_after;
use crate::served::{Served, free_port};
use crate::smtp_sink::SmtpSink;

#[actix_web::test]
async fn each_recipient_gets_their_mail_in_the_order_it_was_written() {
    let w = world().await;
    let c = counter(&w).await;
    let mut residents = Vec::new();
    for i in 0..4 {
        let email = format!("ontvanger{i}@example.nl");
        let id = mailed_resident(&w, &format!("Ontvanger {i}"), &format!("{}", 40 + i), &email).await;
        residents.push((id, email));
    }
    // Five receipts each, written in turn: one batch holds all twenty.
    for _ in 0..5 {
        for (id, _) in &residents {
            assert_eq!(sell(&w, &c, *id, 1, "pin").await.status, 201);
        }
    }
    let written = "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM outbox WHERE status = 'pending'";
    assert_eq!(count_rows(&w.app, written).await, 20);

    // Nothing sent them yet: the real binary with its worker now does.
    let sink = SmtpSink::start().await;
    let smtp = sink.url();
    let env = [
        ("SERVICEPUNT_OUTBOX_WORKER", "true"),
        ("SMTP_URL", smtp.as_str()),
        ("SERVICEPUNT_OUTBOX_POLL_MS", "20"),
    ];
    let data = tempfile::tempdir().unwrap();
    let server = Served::start(&w.app.db.url, data.path(), free_port(), JWT_SECRET, &env).await;
    let received = sink.wait_for(20, Duration::from_secs(30)).await;
    drop(server);
    assert_eq!(received.len(), 20);

    for (_, email) in &residents {
        let sql_email = email.clone();
        let in_order: Vec<String> = w
            .app
            .db(move |conn| {
                use diesel::prelude::*;
                use servicepunt::db::schema::outbox;
                outbox::table
                    .filter(outbox::recipient_email.eq(sql_email))
                    .order(outbox::id.asc())
                    .select(outbox::message_id)
                    .load::<String>(conn)
                    .unwrap()
            })
            .await;
        let arrived: Vec<String> = received
            .iter()
            .filter(|m| m.rcpt_to.iter().any(|to| to.contains(email.as_str())))
            .filter_map(|m| m.header("Message-ID"))
            .collect();
        assert_eq!(in_order.len(), 5);
        assert_eq!(arrived, in_order, "{email}'s receipts in the order of their sales");
    }
}

/// A busy mail server and two workers. One resident's nine receipts, one after another,
/// take longer than a claim lasts (twice the SMTP timeout); each message's claim is
/// renewed as it goes out, so the other worker takes over only the messages the first
/// has not reached, and every message is sent once.
#[actix_web::test]
async fn a_long_turn_on_a_slow_mail_server_sends_each_message_once() {
    let w = world().await;
    let c = counter(&w).await;
    let resident = mailed_resident(&w, "Trage Post", "1", "traag@example.nl").await;
    for _ in 0..9 {
        assert_eq!(sell(&w, &c, resident, 1, "pin").await.status, 201);
    }

    let sink = SmtpSink::start().await;
    // 0.6 s a message: nine take 5.4 s, against a claim of 4 s (an SMTP timeout of 2 s).
    sink.accept_after(Duration::from_millis(600));
    let smtp = sink.url();
    let env = [
        ("SERVICEPUNT_OUTBOX_WORKER", "true"),
        ("SMTP_URL", smtp.as_str()),
        ("SERVICEPUNT_OUTBOX_POLL_MS", "20"),
        ("SERVICEPUNT_SMTP_TIMEOUT_SECS", "2"),
        ("SERVICEPUNT_OUTBOX_LEASE_SECS", "1"),
    ];
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = Served::start(&w.app.db.url, one.path(), free_port(), JWT_SECRET, &env).await;
    let second = Served::start(&w.app.db.url, two.path(), free_port(), JWT_SECRET, &env).await;
    let unsent = unsent_after(&w.app, Duration::from_secs(60)).await;
    drop((first, second));
    assert_eq!(unsent, 0, "all sent");
    let ids: Vec<String> = sink.received().iter().filter_map(|m| m.header("Message-ID")).collect();
    let distinct: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), 9);
    assert_eq!(ids.len(), 9, "each message sent once");
}
