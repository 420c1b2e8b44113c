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
    /// To the werkleiders: tomorrow's planned work that no longer holds.
    BrokenWorkAlert,
    JobConfirmRequest,
    BonusStatementIssued,
    ChequeExpiryReminder,
    ChequeReceipt,
}

impl Template {
    pub const ALL: [Template; 20] = [
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
        Ok(Self { env })
    }

    pub fn render(&self, template: Template, language: Language, data: &serde_json::Value) -> anyhow::Result<Rendered> {
        let part = |kind: &str| -> anyhow::Result<String> {
            let name = format!("{}/{}.{kind}", template.name(), language.as_str());
            let mut context = data.clone();
            if let Some(map) = context.as_object_mut() {
                map.insert("lang".into(), language.as_str().into());
            }
            Ok(self.env.get_template(&name)?.render(&context)?)
        };
        let subject = part("subject.txt")?.trim().to_owned();
        let text = part("body.txt")?;
        let mut data_with_subject = data.clone();
        if let Some(map) = data_with_subject.as_object_mut() {
            map.insert("subject".into(), subject.clone().into());
        }
        let html = {
            let name = format!("{}/{}.body.html", template.name(), language.as_str());
            let mut context = data_with_subject;
            if let Some(map) = context.as_object_mut() {
                map.insert("lang".into(), language.as_str().into());
            }
            self.env.get_template(&name)?.render(&context)?
        };
        Ok(Rendered { subject, text, html })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample(template: Template) -> serde_json::Value {
        match template {
            Template::VerifyEmail => {
                json!({"name": "Anna", "link": "https://x/verify?token=t", "token": "t", "valid_hours": 48})
            }
            Template::PasswordReset => {
                json!({"name": "Anna", "link": "https://x/reset?token=t", "token": "t", "valid_minutes": 60})
            }
            Template::PasswordChanged => json!({"name": "Anna", "reset_link": "https://x/password-reset"}),
            Template::AccountInvitation => json!({"name": "Anna", "link": "https://x/password-reset?token=t",
                "token": "t", "valid_days": 7, "reset_link": "https://x/password-reset"}),
            Template::AlreadyRegistered => {
                json!({"name": "Anna", "login_link": "https://x/login", "reset_link": "https://x/password-reset"})
            }
            Template::JobReceived => json!({"name": "Anna", "job_id": 7, "service": {"nl": "Heg", "en": "Hedge"}}),
            Template::JobAccepted => {
                json!({"name": "Anna", "job_id": 7, "service": {"nl": "Heg", "en": "Hedge"}, "position": 3, "wait_days": null})
            }
            Template::JobRefused => json!({"name": "Anna", "job_id": 7, "service": {"nl": "Heg", "en": "Hedge"},
                "reason": {"nl": "Reden", "en": "Reason"}}),
            Template::JobCancelled => {
                json!({"name": "Anna", "job_id": 7, "service": {"nl": "Heg", "en": "Hedge"}, "late": true})
            }
            Template::JobScheduled | Template::JobReminder => json!({"name": "Anna", "job_id": 7,
                "service": {"nl": "Heg", "en": "Hedge"}, "date": "2026-05-04", "from": "09:00", "until": "11:00",
                "helpers": "Ahmed & Sanne"}),
            Template::ParticipantSchedule => json!({"name": "Anna", "date": "2026-05-04", "items": [
                {"from": "09:00", "until": "11:00", "service": "Heg", "recipient": "Mevrouw Bakker",
                 "address": "Dorpsstraat 1, Ede", "phone": "0318111222", "task": "Heg knippen"}], "changed": false}),
            Template::JobUnscheduled => json!({"name": "Anna", "job_id": 7,
                "service": {"nl": "Heg", "en": "Hedge"}, "date": "2026-05-04", "from": "09:00", "until": "11:00"}),
            Template::JobDayClosed => json!({"name": "Anna", "job_id": 7, "service": {"nl": "Heg", "en": "Hedge"},
                "date": "2026-04-27", "from": "09:00", "until": "11:00", "reason": "Koningsdag"}),
            Template::ParticipantDayClosed => json!({"name": "Anna", "date": "2026-04-27", "reason": "Koningsdag"}),
            Template::BrokenWorkAlert => json!({"name": "Anna", "date": "2026-05-04", "items": [
                {"job_id": 7, "from": "09:00", "until": "11:00", "service": "Heg"}]}),
            Template::JobConfirmRequest => json!({"name": "Anna", "job_id": 7,
                "service": {"nl": "Heg", "en": "Hedge"}, "hours": "3:00", "window_hours": 72}),
            Template::BonusStatementIssued => {
                json!({"name": "Anna", "year": 2026, "amount": "€ 12,50", "supplement": false})
            }
            Template::ChequeExpiryReminder => json!({"name": "Anna", "count": 3, "date": "2027-12-31"}),
            Template::ChequeReceipt => json!({
                "name": "Anna", "sale": 12, "date": "2026-11-23", "product": "Servicecheque 1 uur",
                "count": 2, "reduced": true, "unit": "€ 8,00", "total": "€ 16,00", "method": "cash",
                "valid_until": "2027-12-31", "serials": ["SVW-7K3P-9QXD-4", "SVW-2M8R-X4TN-J"],
            }),
        }
    }

    #[test]
    fn every_template_renders_in_every_language() {
        let r = Renderer::new().unwrap();
        for t in Template::ALL {
            for lang in [Language::Nl, Language::En] {
                let out = r.render(t, lang, &sample(t)).unwrap();
                assert!(!out.subject.is_empty() && !out.subject.contains('\n'), "{t:?} {lang:?}");
                assert!(out.text.contains("Anna") && out.html.contains("Anna"), "{t:?} {lang:?}");
                assert!(out.html.contains(&format!("lang=\"{}\"", lang.as_str())));
            }
            assert_eq!(Template::from_name(t.name()), Some(t));
        }
    }

    #[test]
    fn html_escapes_user_data_and_text_keeps_it() {
        let r = Renderer::new().unwrap();
        let mut data = sample(Template::VerifyEmail);
        data["name"] = json!("<script>alert(1)</script>");
        let out = r.render(Template::VerifyEmail, Language::Nl, &data).unwrap();
        assert!(out.html.contains("&lt;script&gt;alert(1)"), "{}", out.html);
        assert!(!out.html.contains("<script>"));
        assert!(out.text.contains("<script>alert(1)</script>"));
    }

    #[test]
    fn a_changed_schedule_says_so_and_one_queued_before_changes_existed_still_renders() {
        let r = Renderer::new().unwrap();
        let mut data = sample(Template::ParticipantSchedule);
        data["changed"] = json!(true);
        data["items"] = json!([]);
        let out = r.render(Template::ParticipantSchedule, Language::Nl, &data).unwrap();
        assert!(out.subject.starts_with("Gewijzigd"), "{}", out.subject);
        assert!(
            out.text.contains("niets meer") && out.html.contains("niets meer"),
            "{}",
            out.text
        );
        assert!(!out.html.contains("<ul>"), "{}", out.html);
        let mut queued_before = sample(Template::ParticipantSchedule);
        queued_before.as_object_mut().unwrap().remove("changed");
        let out = r
            .render(Template::ParticipantSchedule, Language::En, &queued_before)
            .unwrap();
        assert_eq!(out.subject, "Your schedule for 2026-05-04");
        assert!(
            out.text.contains("Dorpsstraat 1") && out.text.contains("See you tomorrow!"),
            "{}",
            out.text
        );
    }

    #[test]
    fn a_visit_on_a_day_open_again_says_it_goes_ahead_after_all() {
        let r = Renderer::new().unwrap();
        let plain = r
            .render(Template::JobScheduled, Language::Nl, &sample(Template::JobScheduled))
            .unwrap();
        assert!(!plain.text.contains("toch open"), "{}", plain.text);
        assert!(plain.text.contains("Ahmed & Sanne.\n\nLukt"), "{}", plain.text);
        let mut data = sample(Template::JobScheduled);
        data["reopened"] = json!(true);
        for lang in [Language::Nl, Language::En] {
            let out = r.render(Template::JobScheduled, lang, &data).unwrap();
            let line = if lang == Language::Nl {
                "toch open"
            } else {
                "open that day after all"
            };
            assert!(out.text.contains(line) && out.html.contains(line), "{}", out.text);
        }
    }

    #[test]
    fn the_broken_work_alert_links_to_the_list_when_it_has_the_address() {
        let r = Renderer::new().unwrap();
        let plain = r
            .render(
                Template::BrokenWorkAlert,
                Language::Nl,
                &sample(Template::BrokenWorkAlert),
            )
            .unwrap();
        assert!(
            !plain.text.contains("De lijst") && !plain.html.contains("href"),
            "{}",
            plain.html
        );
        let mut data = sample(Template::BrokenWorkAlert);
        data["link"] = json!("https://app.example/planning/broken-work");
        for lang in [Language::Nl, Language::En] {
            let out = r.render(Template::BrokenWorkAlert, lang, &data).unwrap();
            assert!(
                out.text.contains("https://app.example/planning/broken-work"),
                "{}",
                out.text
            );
            // Auto-escaped in the attribute (`/` as `&#x2f;`), which browsers read back.
            let href = "href=\"https:&#x2f;&#x2f;app.example&#x2f;planning&#x2f;broken-work\"";
            assert!(out.html.contains(href), "{}", out.html);
        }
    }

    #[test]
    fn missing_data_is_an_error_not_a_blank() {
        let r = Renderer::new().unwrap();
        assert!(
            r.render(Template::PasswordReset, Language::Nl, &json!({"name": "Anna"}))
                .is_err()
        );
    }
}
