//! Cash at the counter: what goes into a cash session's drawer (cash sales) and what comes
//! back out of it (cheques refunded in cash, cash-sold cheques voided), and the close that
//! expects exactly what is left.

use serde_json::{Value, json};

use crate::cheques::{Counter, assert_books, counter, resident, sell, serials};
use crate::helpers::{World, count_rows, world_with};

async fn change(w: &World, c: &Counter, serial: &str, action: &str, body: Value) -> crate::helpers::Reply {
    w.app
        .post(&format!("/api/v1/cheques/{serial}/{action}"), Some(&c.finance), body)
        .await
}

async fn status(w: &World, c: &Counter, serial: &str) -> Value {
    w.app
        .get(&format!("/api/v1/cheques/{serial}"), Some(&c.finance))
        .await
        .body["status"]
        .clone()
}

#[actix_web::test]
async fn cash_handed_back_comes_out_of_an_open_session_and_its_close_expects_it() {
    let w = world_with(|s| s.refund_fee_cents = 250).await;
    let c = counter(&w).await;
    let jan = resident(&w, "Jan Kas", Some("1980-01-01"), "12").await;
    let in_cash = serials(&sell(&w, &c, jan, 3, "cash").await.body);
    let by_pin = serials(&sell(&w, &c, jan, 1, "pin").await.body);
    let refund = |session: Option<i64>| json!({"method": "cash", "reason": "Verhuist", "cash_session_id": session});

    // Cash needs the session whose drawer it leaves, and an open one; other ways take none.
    let refused = [
        (
            change(
                &w,
                &c,
                &in_cash[0],
                "refund",
                json!({"method": "cash", "reason": "Verhuist"}),
            )
            .await,
            "cash_session_required",
        ),
        (
            change(&w, &c, &in_cash[0], "refund", refund(Some(c.session + 1000))).await,
            "no_open_session",
        ),
        (
            change(
                &w,
                &c,
                &in_cash[0],
                "refund",
                json!({"method": "bank_transfer", "reason": "Verhuist", "cash_session_id": c.session}),
            )
            .await,
            "no_cash_involved",
        ),
        (
            change(&w, &c, &in_cash[1], "void", json!({"reason": "Misdruk"})).await,
            "cash_session_required",
        ),
        (
            change(
                &w,
                &c,
                &by_pin[0],
                "void",
                json!({"reason": "Misdruk", "cash_session_id": c.session}),
            )
            .await,
            "no_cash_involved",
        ),
    ];
    for (reply, code) in refused {
        reply.assert_problem(422, "validation_failed");
        assert_eq!(reply.body["errors"][0]["field"], "cash_session_id", "{}", reply.text);
        assert_eq!(reply.body["errors"][0]["code"], code, "{}", reply.text);
    }
    for serial in [&in_cash[0], &in_cash[1], &by_pin[0]] {
        assert_eq!(status(&w, &c, serial).await, "sold", "a refused change writes nothing");
    }
    assert_eq!(count_rows(&w.app, "SELECT COUNT(*) AS n FROM cash_payouts").await, 0);

    // A refund hands back the price less the fee; a void the whole price.
    let refunded = change(&w, &c, &in_cash[0], "refund", refund(Some(c.session))).await;
    assert_eq!(refunded.body["status"], "refunded", "{}", refunded.text);
    let voided = change(
        &w,
        &c,
        &in_cash[1],
        "void",
        json!({"reason": "Misdruk", "cash_session_id": c.session}),
    )
    .await;
    assert_eq!(voided.body["status"], "void", "{}", voided.text);
    let pin_voided = change(&w, &c, &by_pin[0], "void", json!({"reason": "Misdruk"})).await;
    assert_eq!(pin_voided.body["status"], "void", "{}", pin_voided.text);
    let bank = change(
        &w,
        &c,
        &in_cash[2],
        "refund",
        json!({"method": "bank_transfer", "reason": "Verhuist"}),
    )
    .await;
    assert_eq!(bank.body["status"], "refunded", "{}", bank.text);

    let closed = w
        .app
        .post(
            &format!("/api/v1/cash-sessions/{}/close", c.session),
            Some(&c.finance),
            json!({"counted_cents": 6750}),
        )
        .await;
    assert_eq!(closed.status, 200, "{}", closed.text);
    // Float 50.00 + three cheques in cash 45.00 − refund 12.50 − void 15.00.
    assert_eq!(closed.body["cash_sales_cents"], 4500, "{}", closed.text);
    assert_eq!(closed.body["cash_paid_out_cents"], 1250 + 1500, "{}", closed.text);
    assert_eq!(closed.body["expected_cents"], 6750, "{}", closed.text);
    assert_eq!(closed.body["difference_cents"], 0, "{}", closed.text);

    // No cash leaves a closed drawer.
    let more = serials(&sell(&w, &counter(&w).await, jan, 1, "cash").await.body);
    change(&w, &c, &more[0], "refund", refund(Some(c.session)))
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(status(&w, &c, &more[0]).await, "sold");
    assert_books(&w, &c).await;
}

/// The counter finds the session it has open and what its drawer should hold now; the
/// back office sees the sessions closed and their differences.
#[actix_web::test]
async fn sessions_are_listed_with_their_drawers_open_and_closed() {
    let w = world_with(|_| {}).await;
    let c = counter(&w).await;
    let jan = resident(&w, "Jan Kas", Some("1980-01-01"), "12").await;
    assert_eq!(sell(&w, &c, jan, 2, "cash").await.status, 201);
    assert_eq!(sell(&w, &c, jan, 1, "pin").await.status, 201);
    let second = w
        .app
        .post("/api/v1/cash-sessions", Some(&c.finance), json!({"float_cents": 2000}))
        .await;
    let second = second.body["id"].as_i64().unwrap();
    let (app, finance) = (&w.app, c.finance.as_str());
    let get = |path: String| async move { app.get(&path, Some(finance)).await };
    let ids = |page: &Value| -> Vec<i64> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_i64().unwrap())
            .collect()
    };

    // Float 50.00 + two cheques in cash 30.00; the pin sale is not in the drawer.
    let open = get(format!("/api/v1/cash-sessions/{}", c.session)).await;
    assert_eq!(
        (
            &open.body["expected_cents"],
            &open.body["cash_sales_cents"],
            &open.body["cash_paid_out_cents"],
            &open.body["difference_cents"],
            &open.body["closed_at"],
        ),
        (&json!(8000), &json!(3000), &json!(0), &Value::Null, &Value::Null),
        "{}",
        open.text
    );
    let listed = get("/api/v1/cash-sessions?open=true".into()).await;
    assert_eq!(
        ids(&listed.body),
        vec![second, c.session],
        "latest first: {}",
        listed.text
    );
    assert_eq!(listed.body["total"], 2);

    let closed = w
        .app
        .post(
            &format!("/api/v1/cash-sessions/{}/close", c.session),
            Some(&c.finance),
            json!({"counted_cents": 7900}),
        )
        .await;
    assert_eq!(closed.body["difference_cents"], -100, "{}", closed.text);
    assert_eq!(
        ids(&get("/api/v1/cash-sessions?open=true".into()).await.body),
        vec![second]
    );
    let done = get("/api/v1/cash-sessions?open=false".into()).await;
    assert_eq!(ids(&done.body), vec![c.session]);
    let item = &done.body["items"][0];
    assert_eq!(
        (
            &item["expected_cents"],
            &item["counted_cents"],
            &item["difference_cents"]
        ),
        (&json!(8000), &json!(7900), &json!(-100)),
        "as at its close: {}",
        done.text
    );
    let paged = get("/api/v1/cash-sessions?per_page=1&page=2".into()).await;
    assert_eq!((ids(&paged.body), &paged.body["total"]), (vec![c.session], &json!(2)));
    get("/api/v1/cash-sessions/999999".into())
        .await
        .assert_problem(404, "not_found");
    assert_eq!(get("/api/v1/cash-sessions?open=maybe".into()).await.status, 400);
}
