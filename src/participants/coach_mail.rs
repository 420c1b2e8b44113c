//! Mail about a caseload goes to its coach; about participants without an active coach,
//! to the coordinators. Used by the timers that tell coaches what needs them.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::NaiveDateTime;
use diesel::QueryResult;

use crate::auth::Role;
use crate::auth::store::{self as users, UserRow};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::notify::{Template, staff_mail};

/// The coaches' accounts, each read once per run.
#[derive(Default)]
pub struct Recipients {
    accounts: HashMap<i64, Option<UserRow>>,
}

impl Recipients {
    /// Who hears about a participant coached by `coach`: `Some(id)` of an active
    /// trajectbegeleider, `None` for the coordinators (no coach, or one who left).
    pub fn resolve(&mut self, conn: &mut DbConn, coach: Option<i64>) -> QueryResult<Option<i64>> {
        let Some(id) = coach else {
            return Ok(None);
        };
        if let Entry::Vacant(slot) = self.accounts.entry(id) {
            let account = users::find_user(conn, id)?.filter(|u| u.active && u.role() == Some(Role::Trajectbegeleider));
            slot.insert(account);
        }
        Ok(self.accounts[&id].as_ref().map(|u| u.id))
    }

    /// Mails `template` to `to` (as [`resolve`](Self::resolve) gave it) with `data` for
    /// each recipient's name; how many mails went out.
    pub fn send(
        &self,
        conn: &mut DbConn,
        to: Option<i64>,
        template: Template,
        data: impl Fn(&str) -> serde_json::Value,
        now: NaiveDateTime,
    ) -> Result<usize, ApiError> {
        match to.and_then(|id| self.accounts.get(&id)).and_then(Option::as_ref) {
            Some(coach) => {
                staff_mail::to_user(conn, coach, template, &data(&coach.name), now)?;
                Ok(1)
            }
            None => staff_mail::to_role(conn, Role::Coordinator, template, now, |u| data(&u.name)),
        }
    }
}
