//! Ended sessions, so that their access tokens stop working at once instead of running
//! out within their lifetime: logout, a detected refresh-token theft, a password reset and
//! erasure all revoke refresh-token families, and an access token names its family
//! (`sid`).
//!
//! The set holds the families revoked within the last access-token lifetime (older ones'
//! access tokens have expired anyway). The process that ends a session reloads it at
//! once, after its transaction commits; every process also reloads it each second, so a
//! session ended by another instance or the CLI stops working there within a second.

use std::collections::HashSet;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use super::store;
use crate::db::{self, DbConn, DbPool};

pub struct Revocations {
    families: RwLock<HashSet<String>>,
    /// How far back a revocation still matters: the access-token lifetime and the
    /// verification leeway, with room for clock skew between instances.
    window: chrono::Duration,
}

impl Revocations {
    pub fn new(access_ttl: Duration) -> Self {
        let ttl = chrono::Duration::from_std(access_ttl).unwrap_or(chrono::Duration::days(1));
        Revocations {
            families: RwLock::default(),
            window: ttl + chrono::Duration::minutes(1),
        }
    }

    pub fn is_revoked(&self, sid: &str) -> bool {
        self.families.read().map_or(true, |f| f.contains(sid))
    }

    /// Replaces the set with what the database holds now.
    pub fn reload(&self, conn: &mut DbConn) -> diesel::QueryResult<()> {
        let since = db::now() - self.window;
        let families: HashSet<String> = store::families_revoked_since(conn, since)?.into_iter().collect();
        if let Ok(mut held) = self.families.write() {
            *held = families;
        }
        Ok(())
    }

    async fn try_reload(self: &Arc<Self>, pool: &DbPool) -> Result<(), crate::error::ApiError> {
        let this = Arc::clone(self);
        db::run(pool, move |conn| Ok(this.reload(conn)?)).await
    }

    /// Reloads after a session was ended here. A failure is logged, not returned: the
    /// session has ended in the database, and the next timed reload picks it up.
    pub async fn reload_now(self: &Arc<Self>, pool: &DbPool) {
        if let Err(e) = self.try_reload(pool).await {
            tracing::error!(error = %e, "ended sessions not reloaded; the timed reload will");
        }
    }

    /// Reloads every `every` until the process ends. While the database is away the set
    /// stays as it was; that is said once when it starts failing and once when it works
    /// again, not every second.
    pub async fn reload_forever(self: Arc<Self>, pool: DbPool, every: Duration) {
        let mut tick = actix_web::rt::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut failing = false;
        loop {
            tick.tick().await;
            match self.try_reload(&pool).await {
                Ok(()) if failing => {
                    failing = false;
                    tracing::info!("ended sessions reloaded again");
                }
                Ok(()) => {}
                Err(e) if !failing => {
                    failing = true;
                    tracing::warn!(error = %e, "ended sessions cannot be reloaded; keeping the last set");
                }
                Err(_) => {}
            }
        }
    }
}
