//! The `ragwall` binary: CLI, logging, config, then `server::run`.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use ragwall::config::{Config, LogFormat};
use ragwall::server::{shutdown_signal, Server};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "ragwall",
    version,
    about = "A retrieval firewall for vector databases"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve Qdrant's API (embedded engine unless an upstream is configured).
    Serve {
        /// TOML configuration file; without one, defaults and RAGWALL_* variables apply.
        #[arg(long, short)]
        config: Option<PathBuf>,
    },
    /// API keys for the `[[tenants.keys]]` configuration.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Print a new random API key and the hash to configure for it, as JSON.
    New,
    /// Print the hash of a key read from standard input.
    Hash,
}

fn init_logging(config: &Config) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&config.log.level));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match config.log.format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve { config } => {
            let config = Config::load(config.as_deref())?;
            init_logging(&config);
            let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
            runtime.block_on(async {
                let server = Server::bind(config).await?;
                server.run(shutdown_signal()).await
            })
        }
        Command::Key {
            command: KeyCommand::New,
        } => {
            let key = ragwall::auth::new_api_key();
            let hash = ragwall::auth::key_hash(&key);
            println!("{}", serde_json::json!({ "key": key, "hash": hash }));
            Ok(())
        }
        Command::Key {
            command: KeyCommand::Hash,
        } => {
            let mut key = String::new();
            std::io::stdin().read_line(&mut key)?;
            println!(
                "{}",
                ragwall::auth::key_hash(key.trim_end_matches(['\n', '\r']))
            );
            Ok(())
        }
    }
}
