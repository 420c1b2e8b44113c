//! The command line: `serve` (default), `migrate`, `user`, `openapi`, `demo`, `worker`,
//! `backup`.

use std::io::BufRead;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use crate::app::Application;
use crate::auth::Role;
use crate::auth::account_access::{self, Switched};
use crate::auth::password::{self, NewPassword};
use crate::auth::store::{self, NewUser};
use crate::config::Settings;
use crate::db;
use crate::domain::{Email, Language, PersonName};

#[derive(Debug, Parser)]
#[command(
    name = "servicepunt",
    version,
    about = "Neighbourhood jobs service: klussen, diensten, participants and cheques"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP API (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Load demonstration data (a realistic catalogue) into the database.
    Demo,
    /// Deliver outbox messages without serving HTTP (run beside `serve` with
    /// SERVICEPUNT_OUTBOX_WORKER=false, or as extra workers).
    Worker,
    /// Copy the SQLite database to FILE (which must not exist) as one consistent snapshot,
    /// also while the service runs. On PostgreSQL use pg_dump.
    Backup {
        /// Where the copy goes, e.g. backups/servicepunt-2026-12-07.db
        file: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is read from SERVICEPUNT_PASSWORD, or else from the
    /// first line of standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// resident, participant, werkleider, trajectbegeleider, finance or coordinator
        #[arg(long)]
        role: Role,
    },
    /// Turn an account off (someone leaves): no more logins, every session ended; the
    /// running servers refuse its access tokens within a second.
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Turn a disabled account on again (not one erased on request).
    Enable {
        #[arg(long)]
        email: String,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Openapi => {
            print!("{}", crate::openapi::document_json()?);
            Ok(())
        }
        Command::Serve => {
            let settings = Settings::load()?;
            crate::telemetry::init(settings.log_format);
            let backend = db::Backend::from_url(settings.database_url());
            let app = Application::build(settings.clone()).await?;
            tracing::info!(port = app.port(), database = %backend, "servicepunt is listening");
            app.run_until_stopped().await?;
            Ok(())
        }
        Command::Worker => {
            let settings = Settings::load()?;
            crate::telemetry::init(settings.log_format);
            let pool_settings = settings.clone();
            let pool = tokio::task::spawn_blocking(move || -> anyhow::Result<db::DbPool> {
                let pool = db::build_pool(pool_settings.database_url(), &pool_settings.pool)?;
                db::run_migrations(&mut *pool.get()?)?;
                Ok(pool)
            })
            .await??;
            let renderer = std::sync::Arc::new(crate::notify::Renderer::with_phone(settings.mail.phone.clone())?);
            tokio::spawn(crate::timers::run_forever(
                pool.clone(),
                std::time::Duration::from_secs(60),
                crate::timers::Retention::of(&settings),
                crate::planning::reminders::RoundSettings::of(&settings),
            ));
            crate::app::outbox_worker(&settings, pool, renderer, None)?.run().await;
            Ok(())
        }
        Command::Backup { file } => {
            let settings = Settings::load()?;
            let to = file.clone();
            let bytes = tokio::task::spawn_blocking(move || db::backup::backup(settings.database_url(), &to)).await??;
            println!("backed up the database to {} ({bytes} bytes)", file.display());
            Ok(())
        }
        Command::Demo => {
            let settings = Settings::load()?;
            let loaded = tokio::task::spawn_blocking(move || crate::demo::load(&settings)).await??;
            println!("{loaded}");
            Ok(())
        }
        Command::Migrate => {
            let settings = Settings::load()?;
            crate::telemetry::init(settings.log_format);
            let applied = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<String>> {
                let mut conn = db::connect(settings.database_url())?;
                db::run_migrations(&mut conn)
            })
            .await??;
            println!(
                "applied {} migration(s){}",
                applied.len(),
                if applied.is_empty() {
                    String::new()
                } else {
                    format!(": {}", applied.join(", "))
                }
            );
            Ok(())
        }
        Command::User {
            command: UserCommand::Create { email, name, role },
        } => {
            let settings = Settings::load()?;
            let secret = match std::env::var("SERVICEPUNT_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin()
                        .lock()
                        .read_line(&mut line)
                        .context("cannot read the password from stdin")?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let id =
                tokio::task::spawn_blocking(move || create_user(&settings, &email, &name, role, &secret)).await??;
            println!("created {role} account {id}");
            Ok(())
        }
        Command::User {
            command: UserCommand::Disable { email },
        } => {
            let switched = switch_account(&email, account_access::disable).await?;
            println!(
                "disabled account {}; {} session(s) ended",
                switched.user_id, switched.sessions_ended
            );
            Ok(())
        }
        Command::User {
            command: UserCommand::Enable { email },
        } => {
            let switched = switch_account(&email, account_access::enable).await?;
            println!("enabled account {}", switched.user_id);
            Ok(())
        }
    }
}

/// Runs `switch` on the account with `email`, in one transaction.
async fn switch_account(
    email: &str,
    switch: fn(&mut db::DbConn, &str, chrono::NaiveDateTime) -> anyhow::Result<Switched>,
) -> anyhow::Result<Switched> {
    let settings = Settings::load()?;
    let email = Email::parse(email).map_err(|p| anyhow::anyhow!("--email: {}", p.message))?;
    tokio::task::spawn_blocking(move || {
        let mut conn = db::connect(settings.database_url())?;
        db::run_migrations(&mut conn)?;
        db::write_tx(&mut conn, |conn| switch(conn, email.as_str(), db::now()))
    })
    .await?
}

fn create_user(settings: &Settings, email: &str, name: &str, role: Role, secret: &str) -> anyhow::Result<i64> {
    let email = Email::parse(email).map_err(|p| anyhow::anyhow!("--email: {}", p.message))?;
    let name = PersonName::parse(name).map_err(|p| anyhow::anyhow!("--name: {}", p.message))?;
    let new_password = NewPassword::parse(secret).map_err(|p| anyhow::anyhow!("password: {}", p.message))?;
    let hash = password::hash(&new_password)?;
    let mut conn = db::connect(settings.database_url())?;
    db::run_migrations(&mut conn)?;
    db::write_tx(&mut conn, |conn| {
        if store::email_in_use(conn, &email)? {
            bail!("an account with this email address already exists");
        }
        let new_user = NewUser {
            email: &email,
            name: name.as_str(),
            role,
            password_hash: &hash,
            language: Language::Nl,
        };
        Ok(store::insert_user(conn, &new_user, db::now())?)
    })
}
