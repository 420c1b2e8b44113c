use clap::Parser;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    servicepunt::cli::run(servicepunt::cli::Cli::parse()).await
}
