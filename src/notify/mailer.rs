//! The outgoing edge: SMTP through lettre when `SMTP_URL` is set, otherwise (development
//! only) `.eml` files under `data/outbox/`.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `smtp://host:port`, `smtp://user:pass@host:587?tls=required` (STARTTLS),
    /// `smtps://user:pass@host:465`. May hold a password: never logged.
    pub smtp_url: Option<SecretString>,
    pub from: String,
    /// The servicepunt's phone number, at the foot of every mail: residents who cannot come
    /// ("laat het ons weten") and participants at an address who need someone call it.
    pub phone: Option<String>,
    /// Where development mail is written when there is no SMTP server.
    pub file_dir: PathBuf,
    /// Kept below the outbox lease, so a live sender finishes before its claim expires.
    pub timeout: Duration,
}

/// One message ready to go.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    pub message_id: String,
    pub to_name: String,
    pub to_email: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Files {
        dir: PathBuf,
        from: Mailbox,
    },
}

impl Mailer {
    pub fn from_settings(settings: &MailSettings) -> anyhow::Result<Self> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("MAIL_FROM is not a valid address: {e}"))?;
        Ok(match &settings.smtp_url {
            Some(url) => Mailer::Smtp {
                transport: AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .map_err(|e| anyhow::anyhow!("SMTP_URL is not usable: {e}"))?
                    .timeout(Some(settings.timeout))
                    .build(),
                from,
            },
            None => Mailer::Files {
                dir: settings.file_dir.clone(),
                from,
            },
        })
    }

    fn from(&self) -> &Mailbox {
        match self {
            Mailer::Smtp { from, .. } | Mailer::Files { from, .. } => from,
        }
    }

    fn build(&self, mail: &OutgoingMail) -> Result<Message, String> {
        let to = Mailbox::new(
            Some(mail.to_name.clone()),
            mail.to_email
                .parse()
                .map_err(|e| format!("invalid recipient address: {e}"))?,
        );
        Message::builder()
            .from(self.from().clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(mail.message_id.clone()))
            .multipart(MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone()))
            .map_err(|e| format!("cannot build the message: {e}"))
    }

    /// Sends one message. The error text is for the outbox record, not for logs.
    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), String> {
        let message = self.build(mail)?;
        match self {
            Mailer::Smtp { transport, .. } => transport.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Mailer::Files { dir, .. } => {
                let name: String = mail
                    .message_id
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                let path = dir.join(format!("{name}.eml"));
                // Written whole beside the folder and then moved in (one rename), so
                // whoever reads the folder never finds half a message.
                let partial = dir.with_extension("partial").join(format!("{name}.eml"));
                for d in [dir.as_path(), partial.parent().unwrap_or(dir)] {
                    tokio::fs::create_dir_all(d).await.map_err(|e| e.to_string())?;
                }
                tokio::fs::write(&partial, message.formatted())
                    .await
                    .map_err(|e| e.to_string())?;
                tokio::fs::rename(&partial, &path).await.map_err(|e| e.to_string())?;
                tracing::info!(path = %path.display(), "no SMTP_URL: mail written to a file");
                Ok(())
            }
        }
    }
}
