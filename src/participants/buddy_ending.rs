//! The daily round that ends the pairings of newcomers who are in no trajectory any
//! more: they left, or their trajectory ran out without the coach ending the pairing.
//! Otherwise the buddy would go on counting them among the three they may help, and read
//! their first name as someone they help.

use chrono::NaiveDate;

use super::buddy::over_on;
use super::{buddy_store, trajectory_store};
use crate::db::DbConn;
use crate::error::ApiError;

/// Ends, on the newcomer's last day, every open pairing that is over on `today`; how
/// many it ended.
pub fn run(conn: &mut DbConn, today: NaiveDate) -> Result<usize, ApiError> {
    let open = buddy_store::open_pairings(conn)?;
    let newcomers: Vec<i64> = open.iter().map(|p| p.participant_id).collect();
    let periods = trajectory_store::periods_by_participant(conn, &newcomers)?;
    let mut ended = 0;
    for p in open {
        let theirs = periods.get(&p.participant_id).map_or(&[][..], Vec::as_slice);
        if let Some(on) = over_on(theirs, p.starts_on, today) {
            buddy_store::end(conn, p.id, on)?;
            ended += 1;
        }
    }
    Ok(ended)
}
