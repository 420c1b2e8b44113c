//! Message templates: one folder per message under `templates/email/`, with a subject,
//! a plain-text body and an HTML body in Dutch (default) and English. HTML bodies are
//! auto-escaped, so a name like `<script>` arrives as text.

use minijinja::{Environment, UndefinedBehavior};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::Language;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    VerifyEmail,
    /// To an address someone tried to register again: it has an account already.
    AlreadyRegistered,
    PasswordReset,
    /// To an account whose password was just changed (by the holder, or with a reset link).
    PasswordChanged,
    /// To a new staff account: choose a password.
    AccountInvitation,
    JobReceived,
    JobAccepted,
    JobRefused,
    JobCancelled,
    JobScheduled,
    /// To the resident: the planned visit is off, the job back on the waiting list.
    JobUnscheduled,
    /// To the resident: the servicepunt closed on the day of the planned visit.
    JobDayClosed,
    JobReminder,
    ParticipantSchedule,
    /// To a participant with their schedule for a day: the servicepunt closed that day.
    ParticipantDayClosed,
    /// To the werkleiders: the next three days' planned work that no longer holds.
    BrokenWorkAlert,
    JobConfirmRequest,
    BonusStatementIssued,
    ChequeExpiryReminder,
    ChequeReceipt,
    /// To the resident: a recurring visit stopped, its next visit refused.
    SeriesStopped,
    /// To the resident: a recurring visit moved to another weekday or dagdeel.
    SeriesMoved,
    /// To a participant: time they logged was not approved, and why.
    WorklogRejected,
    /// To a participant: a resident's compliment on work they did.
    ComplimentReceived,
    /// To a participant: a resident would like them to come again.
    AskedAgain,
    /// To the werkleiders: a resident complained about a job.
    ComplaintReceived,
    /// To the resident: a werkleider handled their complaint, with the reply if any.
    ComplaintHandled,
    /// To a participant: their coach wrote (a new version of) their trajectory plan, to
    /// read and sign in the app. Not what it says: that is welfare data.
    PlanWritten,
    /// To a buddy: a coach paired them with a newcomer (their first name) from a day.
    /// Not why the newcomer is here: that is welfare data.
    BuddyPaired,
    /// To a coach (or the coordinators): trajectories of the caseload near their last day.
    TrajectoriesEnding,
    /// To the werkleiders: regular helpers of residents near their last day (how many,
    /// not who).
    HandoverDue,
    /// To the werkleiders: tomorrow sends work out and no one is on call.
    OnCallMissing,
    /// To a staff member someone else put on call for a day, or took off it.
    OnCallChanged,
    /// To a staff member someone else put on call on a weekday for weeks, or took off
    /// days by doing so: every day in one mail.
    OnCallWeeks,
    /// To a participant: their ramp-up plan (the hours a week, step by step) was set,
    /// changed or ended.
    RampUpChanged,
    /// To a coach (or the coordinators), once a week: reviews due, questions to the
    /// sociale dienst open, intakes booked. Counts only.
    CoachWeek,
    /// To a coach: someone else (the coordinator) changed their intake roster. The day
    /// and times only.
    IntakeRosterChanged,
}

impl Template {
    pub const ALL: [Template; 37] = [
        Template::VerifyEmail,
        Template::AlreadyRegistered,
        Template::PasswordReset,
        Template::PasswordChanged,
        Template::AccountInvitation,
        Template::JobReceived,
        Template::JobAccepted,
        Template::JobRefused,
        Template::JobCancelled,
        Template::JobScheduled,
        Template::JobUnscheduled,
        Template::JobDayClosed,
        Template::JobReminder,
        Template::ParticipantSchedule,
        Template::ParticipantDayClosed,
        Template::BrokenWorkAlert,
        Template::JobConfirmRequest,
        Template::BonusStatementIssued,
        Template::ChequeExpiryReminder,
        Template::ChequeReceipt,
        Template::SeriesStopped,
        Template::SeriesMoved,
        Template::WorklogRejected,
        Template::ComplimentReceived,
        Template::AskedAgain,
        Template::ComplaintReceived,
        Template::ComplaintHandled,
        Template::PlanWritten,
        Template::BuddyPaired,
        Template::OnCallMissing,
        Template::OnCallChanged,
        Template::OnCallWeeks,
        Template::TrajectoriesEnding,
        Template::HandoverDue,
        Template::RampUpChanged,
        Template::CoachWeek,
        Template::IntakeRosterChanged,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Template::VerifyEmail => "verify_email",
            Template::AlreadyRegistered => "already_registered",
            Template::PasswordReset => "password_reset",
            Template::PasswordChanged => "password_changed",
            Template::AccountInvitation => "account_invitation",
            Template::JobReceived => "job_received",
            Template::JobAccepted => "job_accepted",
            Template::JobRefused => "job_refused",
            Template::JobCancelled => "job_cancelled",
            Template::JobScheduled => "job_scheduled",
            Template::JobUnscheduled => "job_unscheduled",
            Template::JobDayClosed => "job_day_closed",
            Template::JobReminder => "job_reminder",
            Template::ParticipantSchedule => "participant_schedule",
            Template::ParticipantDayClosed => "participant_day_closed",
            Template::BrokenWorkAlert => "broken_work_alert",
            Template::JobConfirmRequest => "job_confirm_request",
            Template::BonusStatementIssued => "bonus_statement_issued",
            Template::ChequeExpiryReminder => "cheque_expiry_reminder",
            Template::ChequeReceipt => "cheque_receipt",
            Template::SeriesStopped => "series_stopped",
            Template::SeriesMoved => "series_moved",
            Template::WorklogRejected => "worklog_rejected",
            Template::ComplimentReceived => "compliment_received",
            Template::AskedAgain => "asked_again",
            Template::ComplaintReceived => "complaint_received",
            Template::ComplaintHandled => "complaint_handled",
            Template::PlanWritten => "plan_written",
            Template::BuddyPaired => "buddy_paired",
            Template::OnCallMissing => "on_call_missing",
            Template::OnCallChanged => "on_call_changed",
            Template::OnCallWeeks => "on_call_weeks",
            Template::TrajectoriesEnding => "trajectories_ending",
            Template::HandoverDue => "handover_due",
            Template::RampUpChanged => "ramp_up_changed",
            Template::CoachWeek => "coach_week",
            Template::IntakeRosterChanged => "intake_roster_changed",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The compiled templates; cheap to share, built once at start.
pub struct Renderer {
    env: Environment<'static>,
    /// The servicepunt's phone number, at the foot of every mail when set.
    phone: Option<String>,
}

impl Renderer {
    pub fn new() -> anyhow::Result<Self> {
        let mut env = Environment::new();
        // A template that names a value the caller did not supply is a bug: fail loudly
        // rather than mail a blank.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        for (name, source) in super::template_sources::SOURCES {
            env.add_template(name, source)?;
        }
        Ok(Self { env, phone: None })
    }

    /// The templates, with `phone` at the foot of every mail.
    pub fn with_phone(phone: Option<String>) -> anyhow::Result<Self> {
        Ok(Self { phone, ..Self::new()? })
    }

    /// The line at the foot of a plain-text mail that says whom to call.
    fn text_footer(phone: &str, language: Language) -> String {
        match language {
            Language::Nl => format!("\n\nServicepunt, bel ons: {phone}\n"),
            Language::En => format!("\n\nServicepunt, call us: {phone}\n"),
        }
    }

    /// The mail of `template`: as [`Self::render`], with the servicepunt's phone number at
    /// its foot when one is set.
    pub fn render_mail(
        &self,
        template: Template,
        language: Language,
        data: &serde_json::Value,
    ) -> anyhow::Result<Rendered> {
        self.render_with(template, language, data, self.phone.as_deref())
    }

    /// The subject and bodies of `template` with `data` (the call sheet reads the text
    /// aloud, so it has no footer).
    pub fn render(&self, template: Template, language: Language, data: &serde_json::Value) -> anyhow::Result<Rendered> {
        self.render_with(template, language, data, None)
    }

    fn render_with(
        &self,
        template: Template,
        language: Language,
        data: &serde_json::Value,
        phone: Option<&str>,
    ) -> anyhow::Result<Rendered> {
        let data = &super::spoken_dates::spell_dates(data, language);
        let part = |kind: &str| -> anyhow::Result<String> {
            let name = format!("{}/{}.{kind}", template.name(), language.as_str());
            let mut context = data.clone();
            if let Some(map) = context.as_object_mut() {
                map.insert("lang".into(), language.as_str().into());
            }
            Ok(self.env.get_template(&name)?.render(&context)?)
        };
        let subject = part("subject.txt")?.trim().to_owned();
        let mut text = part("body.txt")?;
        if let Some(phone) = phone {
            text.truncate(text.trim_end().len());
            text.push_str(&Self::text_footer(phone, language));
        }
        let mut data_with_subject = data.clone();
        if let Some(map) = data_with_subject.as_object_mut() {
            map.insert("subject".into(), subject.clone().into());
        }
        let html = {
            let name = format!("{}/{}.body.html", template.name(), language.as_str());
            let mut context = data_with_subject;
            if let Some(map) = context.as_object_mut() {
                map.insert("lang".into(), language.as_str().into());
                if let Some(phone) = phone {
                    map.insert("servicepunt_phone".into(), phone.into());
                }
            }
            self.env.get_template(&name)?.render(&context)?
        };
        Ok(Rendered { subject, text, html })
    }
}

#[cfg(test)]
#[path = "template_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "template_participant_tests.rs"]
mod participant_tests;

#[cfg(test)]
#[path = "template_staff_tests.rs"]
mod staff_tests;
