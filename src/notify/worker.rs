//! The outbox worker: claims due messages, renders and sends them, records the outcome.
//! It runs inside `serve` (unless disabled) or alone as `servicepunt worker`; any number
//! may run at once against one database.

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::web;
use futures_util::StreamExt;

use super::mailer::{Mailer, OutgoingMail};
use super::outbox::{self, OutboxRow};
use super::{Renderer, Template, backoff, turns};
use crate::db::{self, DbPool};
use crate::domain::Language;
use crate::error::ApiError;
use crate::metrics::Metrics;

/// Recipients whose mail goes out at the same time. Each message waits tens of
/// milliseconds on the network (lettre 0.11.23 leaves Nagle's algorithm on, so the end of
/// every message waits for the server's delayed acknowledgement: 40 ms on Linux), so one
/// conversation at a time delivered some 25 messages a second. Eight is well below the
/// connections a mail server allows one client.
const SIDE_BY_SIDE: usize = 8;

#[derive(Debug, Clone)]
pub struct OutboxSettings {
    /// Run the worker inside `serve`.
    pub worker_enabled: bool,
    pub poll: Duration,
    pub lease: Duration,
    pub batch: i64,
    pub max_attempts: u32,
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
}

#[derive(Clone)]
pub struct Worker {
    pub pool: DbPool,
    pub mailer: Arc<Mailer>,
    pub renderer: Arc<Renderer>,
    pub settings: OutboxSettings,
    pub metrics: Option<web::Data<Metrics>>,
}

enum Outcome {
    Sent,
    Failed(String),
}

impl Worker {
    /// One round: claim a batch and deliver it. Returns how many messages were handled.
    pub async fn run_once(&self) -> Result<usize, ApiError> {
        let lease = self.lease();
        let batch = self.settings.batch;
        let claimed = db::run_uncounted_tx(&self.pool, move |conn| {
            Ok(outbox::claim(conn, db::now(), lease, batch)?)
        })
        .await?;
        let count = claimed.len();
        let turns = turns::per_recipient(claimed, |row| &row.recipient_email);
        let ended: Vec<Result<(), ApiError>> = futures_util::stream::iter(turns)
            .map(|turn| self.deliver_in_turn(turn))
            .buffer_unordered(SIDE_BY_SIDE)
            .collect()
            .await;
        ended.into_iter().collect::<Result<(), ApiError>>()?;
        Ok(count)
    }

    /// One recipient's messages, one after another. Each is given the whole lease again
    /// as it goes out: the batch's claim could run out while earlier messages of a long
    /// turn wait on a slow mail server, and another worker would then send it as well.
    async fn deliver_in_turn(&self, turn: Vec<OutboxRow>) -> Result<(), ApiError> {
        for row in turn {
            if !self.renew(&row).await? {
                // Taken over by another worker, which sends it.
                continue;
            }
            let started = Instant::now();
            let outcome = self.deliver(&row).await;
            if let Some(metrics) = &self.metrics {
                metrics.record_send(started.elapsed(), matches!(outcome, Outcome::Sent));
            }
            self.record(row, outcome).await?;
        }
        Ok(())
    }

    async fn renew(&self, row: &OutboxRow) -> Result<bool, ApiError> {
        let lease = self.lease();
        let (id, attempt) = (row.id, row.attempts);
        db::run_uncounted_tx(&self.pool, move |conn| {
            Ok(outbox::renew(conn, id, attempt, db::now() + lease)?)
        })
        .await
    }

    fn lease(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.settings.lease).unwrap_or(chrono::Duration::minutes(2))
    }

    async fn deliver(&self, row: &OutboxRow) -> Outcome {
        let Some(template) = Template::from_name(&row.template) else {
            return Outcome::Failed(format!("unknown template {}", row.template));
        };
        let data: serde_json::Value = match row.data.as_deref().map(serde_json::from_str) {
            Some(Ok(data)) => data,
            _ => return Outcome::Failed("message data missing or unreadable".into()),
        };
        let rendered = match self
            .renderer
            .render_mail(template, Language::from_stored(&row.language), &data)
        {
            Ok(r) => r,
            Err(e) => return Outcome::Failed(format!("template failed: {e}")),
        };
        let mail = OutgoingMail {
            message_id: row.message_id.clone(),
            to_name: row.recipient_name.clone(),
            to_email: row.recipient_email.clone(),
            subject: rendered.subject,
            text: rendered.text,
            html: rendered.html,
        };
        match self.mailer.send(&mail).await {
            Ok(()) => Outcome::Sent,
            Err(e) => Outcome::Failed(e),
        }
    }

    async fn record(&self, row: OutboxRow, outcome: Outcome) -> Result<(), ApiError> {
        let settings = self.settings.clone();
        db::run_uncounted_tx(&self.pool, move |conn| {
            let now = db::now();
            let recorded = match &outcome {
                Outcome::Sent => outbox::mark_sent(conn, row.id, row.attempts, now)?,
                Outcome::Failed(error) => {
                    let attempt = u32::try_from(row.attempts).unwrap_or(u32::MAX);
                    let retry_at = (attempt < settings.max_attempts).then(|| {
                        let wait = backoff::delay(attempt, settings.backoff_base, settings.backoff_cap);
                        now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1))
                    });
                    tracing::warn!(
                        outbox_id = row.id,
                        attempt,
                        dead = retry_at.is_none(),
                        "mail delivery failed"
                    );
                    outbox::mark_failed(conn, row.id, row.attempts, error, retry_at)?
                }
            };
            if !recorded {
                // Our lease ran out and another worker took the message over.
                tracing::warn!(outbox_id = row.id, "outbox claim lost before the outcome was recorded");
            }
            Ok(())
        })
        .await
    }

    /// Works until the process ends: immediately again after a full batch, after `poll`
    /// otherwise, and after a pause when the database is unreachable.
    pub async fn run(self) {
        tracing::info!("outbox worker started");
        loop {
            match self.run_once().await {
                Ok(n) if n as i64 >= self.settings.batch => continue,
                Ok(_) => tokio::time::sleep(self.settings.poll).await,
                Err(e) => {
                    tracing::warn!(error = %e, "outbox round failed");
                    tokio::time::sleep(self.settings.poll.max(Duration::from_secs(1))).await;
                }
            }
        }
    }
}
