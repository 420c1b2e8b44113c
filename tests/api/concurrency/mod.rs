//! Races that must have exactly one winner (or a fixed number), on both backends, each
//! with at least twenty concurrent requests: refresh-token reuse, logins racing the end of
//! an account's access, double registration (of an account, and of a resident at the desk), an
//! account given to one resident from many desks, one pair of resident records merged from
//! many desks and while the resident orders, the daily cap on account mail, idempotency
//! keys, the anti-splitting rule, double redemption of a paper cheque, double booking of a
//! participant, a day closing while work is planned on it, taken off it or its afternoon
//! round runs, racing outbox workers, the afternoon round of many instances at once,
//! duplicate Stripe webhook deliveries, a Stripe refund settled many times at once, reduced sales racing for a yearly cap, one wallet
//! paying jobs confirmed at once; batches of work logs approved at once; closes racing what they close over (a month's postings, a cash session's sales and
//! refunds); records changed from two screens at once; a compliment sent many times at
//! once; and reports read while sales
//! commit, which must show one moment.
//!
//! Each file holds the races of one part of the service.

use futures_util::future::join_all;

use crate::helpers::{Reply, TestApp};

mod accounts;
mod merges;
mod money;
mod records;
mod rounds;
mod work;

/// Fails, showing every answer's status and code, unless all answered `status`.
fn assert_all(replies: &[Reply], status: u16) {
    assert!(replies.iter().all(|r| r.status == status), "{:?}", codes(replies));
}

/// The answers with `status`; fails, showing every answer's status and code, unless
/// there are exactly `n`.
fn answered(replies: &[Reply], status: u16, n: usize) -> Vec<&Reply> {
    let those: Vec<&Reply> = replies.iter().filter(|r| r.status == status).collect();
    assert_eq!(those.len(), n, "{:?}", codes(replies));
    those
}

fn codes(replies: &[Reply]) -> Vec<(reqwest::StatusCode, &serde_json::Value)> {
    replies.iter().map(|r| (r.status, &r.body["code"])).collect()
}

/// Sends every change to `path` at the same moment; the answers in the same order.
async fn patch_all(app: &TestApp, path: &str, token: &str, changes: &[serde_json::Value]) -> Vec<Reply> {
    join_all(changes.iter().map(|c| app.patch(path, Some(token), c.clone()))).await
}
