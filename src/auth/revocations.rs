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

    /// Reloads after a session was ended here. A failure is logged, not returned: the
    /// session has ended in the database, and the next timed reload picks it up.
    pub async fn reload_now(self: &Arc<Self>, pool: &DbPool) {
        let this = Arc::clone(self);
        if let Err(e) = db::run(pool, move |conn| Ok(this.reload(conn)?)).await {
            tracing::error!(error = %e, "ended sessions not reloaded; the timed reload will");
        }
    }

    /// Reloads every `every` until the process ends.
    pub async fn reload_forever(self: Arc<Self>, pool: DbPool, every: Duration) {
        let mut tick = actix_web::rt::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            self.reload_now(&pool).await;
        }
    }
}
