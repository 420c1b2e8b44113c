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
    /// To a participant: time they logged was not approved, and why.
    WorklogRejected,
    /// To a participant: a resident's compliment on work they did.
    ComplimentReceived,
    /// To the werkleiders: a resident complained about a job.
    ComplaintReceived,
    /// To the resident: a werkleider handled their complaint, with the reply if any.
    ComplaintHandled,
    /// To a participant: their coach wrote (a new version of) their trajectory plan, to
    /// read and sign in the app. Not what it says: that is welfare data.
    PlanWritten,
    /// To a coach (or the coordinators): trajectories of the caseload near their last day.
    TrajectoriesEnding,
    /// To the werkleiders: tomorrow sends work out and no one is on call.
    OnCallMissing,
}

impl Template {
    pub const ALL: [Template; 28] = [
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
        Template::WorklogRejected,
        Template::ComplimentReceived,
        Template::ComplaintReceived,
        Template::ComplaintHandled,
        Template::PlanWritten,
        Template::OnCallMissing,
        Template::TrajectoriesEnding,
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
            Template::WorklogRejected => "worklog_rejected",
            Template::ComplimentReceived => "compliment_received",
            Template::ComplaintReceived => "complaint_received",
            Template::ComplaintHandled => "complaint_handled",
            Template::PlanWritten => "plan_written",
            Template::OnCallMissing => "on_call_missing",
            Template::TrajectoriesEnding => "trajectories_ending",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

macro_rules! sources {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../templates/email/", $path)))),*]
    };
}

const SOURCES: &[(&str, &str)] = sources!(
    "layout.html",
    "verify_email/nl.subject.txt",
    "verify_email/nl.body.txt",
    "verify_email/nl.body.html",
    "verify_email/en.subject.txt",
    "verify_email/en.body.txt",
    "verify_email/en.body.html",
    "already_registered/nl.subject.txt",
    "already_registered/nl.body.txt",
    "already_registered/nl.body.html",
    "already_registered/en.subject.txt",
    "already_registered/en.body.txt",
    "already_registered/en.body.html",
    "password_reset/nl.subject.txt",
    "password_reset/nl.body.txt",
    "password_reset/nl.body.html",
    "password_reset/en.subject.txt",
    "password_reset/en.body.txt",
    "password_reset/en.body.html",
    "password_changed/nl.subject.txt",
    "password_changed/nl.body.txt",
    "password_changed/nl.body.html",
    "password_changed/en.subject.txt",
    "password_changed/en.body.txt",
    "password_changed/en.body.html",
    "account_invitation/nl.subject.txt",
    "account_invitation/nl.body.txt",
    "account_invitation/nl.body.html",
    "account_invitation/en.subject.txt",
    "account_invitation/en.body.txt",
    "account_invitation/en.body.html",
    "job_received/nl.subject.txt",
    "job_received/nl.body.txt",
    "job_received/nl.body.html",
    "job_received/en.subject.txt",
    "job_received/en.body.txt",
    "job_received/en.body.html",
    "job_accepted/nl.subject.txt",
    "job_accepted/nl.body.txt",
    "job_accepted/nl.body.html",
    "job_accepted/en.subject.txt",
    "job_accepted/en.body.txt",
    "job_accepted/en.body.html",
    "job_refused/nl.subject.txt",
    "job_refused/nl.body.txt",
    "job_refused/nl.body.html",
    "job_refused/en.subject.txt",
    "job_refused/en.body.txt",
    "job_refused/en.body.html",
    "job_cancelled/nl.subject.txt",
    "job_cancelled/nl.body.txt",
    "job_cancelled/nl.body.html",
    "job_cancelled/en.subject.txt",
    "job_cancelled/en.body.txt",
    "job_cancelled/en.body.html",
    "job_scheduled/nl.subject.txt",
    "job_scheduled/nl.body.txt",
    "job_scheduled/nl.body.html",
    "job_scheduled/en.subject.txt",
    "job_scheduled/en.body.txt",
    "job_scheduled/en.body.html",
    "job_unscheduled/nl.subject.txt",
    "job_unscheduled/nl.body.txt",
    "job_unscheduled/nl.body.html",
    "job_unscheduled/en.subject.txt",
    "job_unscheduled/en.body.txt",
    "job_unscheduled/en.body.html",
    "job_day_closed/nl.subject.txt",
    "job_day_closed/nl.body.txt",
    "job_day_closed/nl.body.html",
    "job_day_closed/en.subject.txt",
    "job_day_closed/en.body.txt",
    "job_day_closed/en.body.html",
    "participant_day_closed/nl.subject.txt",
    "participant_day_closed/nl.body.txt",
    "participant_day_closed/nl.body.html",
    "participant_day_closed/en.subject.txt",
    "participant_day_closed/en.body.txt",
    "participant_day_closed/en.body.html",
    "job_reminder/nl.subject.txt",
    "job_reminder/nl.body.txt",
    "job_reminder/nl.body.html",
    "job_reminder/en.subject.txt",
    "job_reminder/en.body.txt",
    "job_reminder/en.body.html",
    "participant_schedule/nl.subject.txt",
    "participant_schedule/nl.body.txt",
    "participant_schedule/nl.body.html",
    "participant_schedule/en.subject.txt",
    "participant_schedule/en.body.txt",
    "participant_schedule/en.body.html",
    "series_stopped/nl.subject.txt",
    "series_stopped/nl.body.txt",
    "series_stopped/nl.body.html",
    "series_stopped/en.subject.txt",
    "series_stopped/en.body.txt",
    "series_stopped/en.body.html",
    "worklog_rejected/nl.subject.txt",
    "worklog_rejected/nl.body.txt",
    "worklog_rejected/nl.body.html",
    "worklog_rejected/en.subject.txt",
    "worklog_rejected/en.body.txt",
    "worklog_rejected/en.body.html",
    "compliment_received/nl.subject.txt",
    "compliment_received/nl.body.txt",
    "compliment_received/nl.body.html",
    "compliment_received/en.subject.txt",
    "compliment_received/en.body.txt",
    "compliment_received/en.body.html",
    "complaint_received/nl.subject.txt",
    "complaint_received/nl.body.txt",
    "complaint_received/nl.body.html",
    "complaint_received/en.subject.txt",
    "complaint_received/en.body.txt",
    "complaint_received/en.body.html",
    "complaint_handled/nl.subject.txt",
    "complaint_handled/nl.body.txt",
    "complaint_handled/nl.body.html",
    "complaint_handled/en.subject.txt",
    "complaint_handled/en.body.txt",
    "complaint_handled/en.body.html",
    "plan_written/nl.subject.txt",
    "plan_written/nl.body.txt",
    "plan_written/nl.body.html",
    "plan_written/en.subject.txt",
    "plan_written/en.body.txt",
    "plan_written/en.body.html",
    "on_call_missing/nl.subject.txt",
    "on_call_missing/nl.body.txt",
    "on_call_missing/nl.body.html",
    "on_call_missing/en.subject.txt",
    "on_call_missing/en.body.txt",
    "on_call_missing/en.body.html",
    "trajectories_ending/nl.subject.txt",
    "trajectories_ending/nl.body.txt",
    "trajectories_ending/nl.body.html",
    "trajectories_ending/en.subject.txt",
    "trajectories_ending/en.body.txt",
    "trajectories_ending/en.body.html",
    "broken_work_alert/nl.subject.txt",
    "broken_work_alert/nl.body.txt",
    "broken_work_alert/nl.body.html",
    "broken_work_alert/en.subject.txt",
    "broken_work_alert/en.body.txt",
    "broken_work_alert/en.body.html",
    "job_confirm_request/nl.subject.txt",
    "job_confirm_request/nl.body.txt",
    "job_confirm_request/nl.body.html",
    "job_confirm_request/en.subject.txt",
    "job_confirm_request/en.body.txt",
    "job_confirm_request/en.body.html",
    "bonus_statement_issued/nl.subject.txt",
    "bonus_statement_issued/nl.body.txt",
    "bonus_statement_issued/nl.body.html",
    "bonus_statement_issued/en.subject.txt",
    "bonus_statement_issued/en.body.txt",
    "bonus_statement_issued/en.body.html",
    "cheque_expiry_reminder/nl.subject.txt",
    "cheque_expiry_reminder/nl.body.txt",
    "cheque_expiry_reminder/nl.body.html",
    "cheque_expiry_reminder/en.subject.txt",
    "cheque_expiry_reminder/en.body.txt",
    "cheque_expiry_reminder/en.body.html",
    "cheque_receipt/nl.subject.txt",
    "cheque_receipt/nl.body.txt",
    "cheque_receipt/nl.body.html",
    "cheque_receipt/en.subject.txt",
    "cheque_receipt/en.body.txt",
    "cheque_receipt/en.body.html",
);

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
        for (name, source) in SOURCES {
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
