//! `servicepunt demo`: fills an empty database with demonstration data. Running it again
//! adds nothing twice.

use diesel::prelude::*;

use crate::catalogue::{demo, store as catalogue};
use crate::config::Settings;
use crate::db::{self, schema::service_versions};

pub fn load(settings: &Settings) -> anyhow::Result<String> {
    let pool = db::build_pool(settings.database_url(), &settings.pool)?;
    let mut conn = pool.get()?;
    db::run_migrations(&mut conn)?;
    let added = db::write_tx(&mut conn, |conn| -> anyhow::Result<usize> {
        let mut added = 0;
        for terms in demo::catalogue() {
            let terms = terms
                .validate(|c| settings.jobs.five_hour.for_category(c).limit_minutes)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let exists: bool = diesel::select(diesel::dsl::exists(
                service_versions::table.filter(service_versions::name_nl.eq(&terms.name.nl)),
            ))
            .get_result(conn)?;
            if !exists {
                catalogue::create(conn, &terms, true, None, db::now())?;
                added += 1;
            }
        }
        Ok(added)
    })?;
    Ok(format!("catalogue: {added} service(s) added"))
}
