//! The `ragwall` binary: CLI, logging, config, then `server::run`.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
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
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// API keys for the `[[tenants.keys]]` configuration.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// Stamp points with provenance: JSON lines `{"id", "payload", "vector"?}`
    /// in, the same points with their `_provenance` out.
    Sign {
        #[command(flatten)]
        chunks: ChunkArgs,
        /// A vector stored in a cosine space (normalised before signing), when
        /// the collection signs vectors; `-` names the unnamed vector. Repeatable.
        #[arg(long)]
        cosine: Vec<String>,
    },
    /// Verify points' provenance: JSON lines in, `{"id", "verified", "reason"?}`
    /// out; exits with status 1 if any point fails.
    Verify {
        #[command(flatten)]
        chunks: ChunkArgs,
    },
    /// Scan text for prompt injection: JSON lines with `id` and `text` (or
    /// plain text) in, one verdict per input out.
    Scan {
        /// JSON lines file, or `-` for standard input (the default).
        #[arg(long)]
        jsonl: Option<PathBuf>,
        #[command(flatten)]
        scanner: ScannerArgs,
    },
    /// Measure the scanner on labelled JSON lines (`text`, `label`
    /// injection|benign, `family`): recall and false-positive rate per family.
    Eval {
        /// Files or directories of `*.jsonl`.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Exit with status 1 unless the quality gates hold.
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        scanner: ScannerArgs,
    },
    /// Train the learned tier from labelled JSON lines; writes the weights
    /// and prints cross-validated figures.
    Train {
        /// Files or directories of `*.jsonl`.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Where to write the weights.
        #[arg(long, default_value = "policies/model.bin")]
        out: PathBuf,
        /// Folds for cross-validation (0: none).
        #[arg(long, default_value_t = 5)]
        folds: usize,
        #[command(flatten)]
        scanner: ScannerArgs,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain of audit files (a directory: all its files, in
    /// order); exits with status 1 and names the first broken record if
    /// any line was edited, removed, inserted or reordered.
    Verify {
        /// `audit.jsonl` files or audit directories, oldest first.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

#[derive(clap::Args)]
struct ScannerArgs {
    /// A policy directory (`patterns/*.toml`, `model.bin`); default: the
    /// packs and model built into the binary (`train`: `policies`).
    #[arg(long)]
    policies: Option<PathBuf>,
    /// Decision threshold on the score.
    #[arg(long, default_value_t = ragwall::scan::THRESHOLD)]
    threshold: f32,
}

impl ScannerArgs {
    fn load(&self) -> anyhow::Result<ragwall::scan::Scanner> {
        match &self.policies {
            Some(dir) => ragwall::scan::Scanner::load(dir),
            None => ragwall::scan::Scanner::builtin(),
        }
        .map_err(anyhow::Error::msg)
    }
}

#[derive(clap::Args)]
struct ChunkArgs {
    /// The configuration with the collection's policy and the key file.
    #[arg(long, short)]
    config: Option<PathBuf>,
    /// The collection the points belong to.
    #[arg(long)]
    collection: String,
    /// The tenant they belong to (payload tenancy: default, each point's tenant field).
    #[arg(long)]
    tenant: Option<String>,
    /// Read from this file instead of standard input.
    #[arg(long)]
    input: Option<PathBuf>,
}

impl ChunkArgs {
    fn open(&self) -> anyhow::Result<(ragwall::offline::Context, Box<dyn BufRead>)> {
        let config = Config::load(self.config.as_deref())?;
        let ctx = ragwall::offline::Context::load(&config, &self.collection, self.tenant.clone())?;
        let input: Box<dyn BufRead> = match &self.input {
            Some(path) => Box::new(BufReader::new(
                File::open(path).with_context(|| format!("opening {}", path.display()))?,
            )),
            None => Box::new(BufReader::new(std::io::stdin())),
        };
        Ok((ctx, input))
    }
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
        Command::Audit {
            command: AuditCommand::Verify { paths },
        } => {
            let mut files = Vec::new();
            for path in paths {
                if path.is_dir() {
                    files.extend(ragwall::audit::files_in(&path)?);
                } else {
                    files.push(path);
                }
            }
            match ragwall::audit::verify(&files) {
                Ok(v) => {
                    println!(
                        "ok: {} records, seq {}..{}{}, head {}",
                        v.records,
                        v.first_seq,
                        v.last_seq,
                        if v.from_genesis {
                            " (from the first record)"
                        } else {
                            ""
                        },
                        v.head
                    );
                    Ok(())
                }
                Err(e) => {
                    eprintln!("audit trail broken: {e}");
                    std::process::exit(1);
                }
            }
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
        Command::Sign { chunks, cosine } => {
            let (ctx, input) = chunks.open()?;
            let cosine = cosine
                .into_iter()
                .map(|n| if n == "-" { String::new() } else { n })
                .collect();
            let mut out = std::io::stdout().lock();
            ragwall::offline::sign(&ctx, cosine, input, &mut out)?;
            out.flush()?;
            Ok(())
        }
        Command::Scan { jsonl, scanner } => {
            let s = scanner.load()?;
            let input: Box<dyn BufRead> = match jsonl.as_deref() {
                Some(p) if p != std::path::Path::new("-") => {
                    Box::new(BufReader::new(File::open(p)?))
                }
                _ => Box::new(BufReader::new(std::io::stdin())),
            };
            let mut out = std::io::stdout().lock();
            ragwall::offline::scan(&s, scanner.threshold, input, &mut out)?;
            out.flush()?;
            Ok(())
        }
        Command::Eval {
            paths,
            check,
            scanner,
        } => {
            let s = scanner.load()?;
            let items = ragwall::offline::read_labelled(&paths)?;
            let e = ragwall::offline::evaluate(&s, &items, scanner.threshold);
            print!("{}", e.table());
            let failures = e.failures();
            if check && !failures.is_empty() {
                anyhow::bail!("quality gates failed: {}", failures.join("; "));
            }
            Ok(())
        }
        Command::Train {
            paths,
            out,
            folds,
            scanner,
        } => {
            let items = ragwall::offline::read_labelled(&paths)?;
            let policies = scanner
                .policies
                .unwrap_or_else(|| PathBuf::from("policies"));
            ragwall::offline::train(&items, &out, folds, &policies, scanner.threshold)?;
            Ok(())
        }
        Command::Verify { chunks } => {
            let (ctx, input) = chunks.open()?;
            let mut out = std::io::stdout().lock();
            let (good, bad) = ragwall::offline::verify(&ctx, input, &mut out)?;
            out.flush()?;
            eprintln!("{good} verified, {bad} failed");
            if bad > 0 {
                std::process::exit(1);
            }
            Ok(())
        }
    }
}
