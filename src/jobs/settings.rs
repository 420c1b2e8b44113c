//! The rules' settings: the five-hour limits per category, auto-acceptance, the
//! free-cancellation period and the waiting-list priority.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::cheques::subsidy::SubsidyPolicy;
use crate::domain::ServiceArea;

/// The five-hour rule's numbers for one service category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryLimit {
    /// The longest job, and the most work per address in one window, in minutes.
    pub limit_minutes: i64,
    /// The rolling window of the anti-splitting rule, in days.
    pub window_days: i64,
}

impl Default for CategoryLimit {
    fn default() -> Self {
        Self {
            limit_minutes: 300,
            window_days: 14,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct FiveHourLimits {
    pub default: CategoryLimit,
    pub per_category: BTreeMap<String, CategoryLimit>,
}

impl FiveHourLimits {
    pub fn for_category(&self, category: &str) -> CategoryLimit {
        self.per_category.get(category).copied().unwrap_or(self.default)
    }
}

#[derive(Debug, Clone)]
pub struct JobSettings {
    /// Accept an order that breaks no rule at once; otherwise a werkleider triages all.
    pub auto_accept: bool,
    /// Cancelling closer than this to the start is recorded as late.
    pub free_cancellation: chrono::Duration,
    /// 70-plus and Wmo residents queue as if accepted this much earlier.
    pub waitlist_priority: chrono::Duration,
    pub five_hour: FiveHourLimits,
    /// Billable time is rounded up to whole units of this many minutes (one cheque each).
    pub billing_unit_minutes: i64,
    /// A performed job not confirmed or disputed within this time is confirmed.
    pub confirm_window: chrono::Duration,
    /// Kept back when an unused cheque is refunded.
    pub refund_fee_cents: i64,
    /// Who pays the subsidy on reduced cheques sold from now on, and when it is claimed.
    pub subsidy: SubsidyPolicy,
    /// Where the servicepunt works: a resident's address, or a job's, outside is refused.
    pub service_area: ServiceArea,
    /// How recent a participant's VOG must be to go alone to people's homes, in months;
    /// 0 when the servicepunt asks for none.
    pub vog_months: u32,
    /// The auto-planner starts no work sooner than this after it is asked.
    pub planning_lead: chrono::Duration,
}

impl Default for JobSettings {
    fn default() -> Self {
        Self {
            auto_accept: true,
            free_cancellation: chrono::Duration::hours(24),
            waitlist_priority: chrono::Duration::days(7),
            five_hour: FiveHourLimits::default(),
            billing_unit_minutes: 60,
            confirm_window: chrono::Duration::hours(72),
            refund_fee_cents: 0,
            subsidy: SubsidyPolicy::default(),
            service_area: ServiceArea::default(),
            vog_months: 0,
            planning_lead: chrono::Duration::minutes(120),
        }
    }
}
