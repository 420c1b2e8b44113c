//! Reading what the application mailed, when a test has no SMTP server of its own: the
//! message as queued in the outbox, or — once the outbox worker has sent it — the `.eml`
//! file it wrote under the data directory.

use std::time::Duration;

use diesel::prelude::*;
use servicepunt::db::schema::outbox;

use crate::helpers::TestApp;
use crate::mail::token_in;
use crate::smtp_sink::Received;

/// The token in the latest address-confirmation email to `email`.
pub async fn confirmation_token(app: &TestApp, email: &str) -> String {
    let to = email.to_lowercase();
    let (message_id, data): (String, Option<String>) = app
        .db(move |c| {
            outbox::table
                .filter(outbox::recipient_email.eq(to))
                .filter(outbox::template.eq("verify_email"))
                .order(outbox::id.desc())
                .select((outbox::message_id, outbox::data))
                .first(c)
                .expect("a confirmation email in the outbox")
        })
        .await;
    if let Some(data) = data {
        let data: serde_json::Value = serde_json::from_str(&data).unwrap();
        return data["token"].as_str().expect("a token in the message").to_owned();
    }
    let name: String = message_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let path = app.data_dir.path().join("outbox").join(format!("{name}.eml"));
    for _ in 0..250 {
        if let Ok(data) = std::fs::read_to_string(&path) {
            let mail = Received {
                mail_from: String::new(),
                rcpt_to: Vec::new(),
                data,
            };
            return token_in(&mail);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("no confirmation email written to {}", path.display());
}
