//! Listeners and lifecycle: open the backend, bind, serve until shutdown.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::api::rest;
use crate::backend::embedded::Embedded;
use crate::backend::remote::Remote;
use crate::backend::Backend;
use crate::config::Config;
use crate::pipeline::Pipeline;
use crate::policy::{PolicyStore, Snapshot};

const ADMIN_KEY_FILE: &str = "admin.key";
const TOKEN_KEY_FILE: &str = "token.key";

/// A secret kept in the data directory: read it, or create it (mode 0600).
fn stored_secret(config: &Config, file: &str) -> anyhow::Result<String> {
    let path = config.data_dir.join(file);
    if path.exists() {
        return Ok(std::fs::read_to_string(&path)?.trim().to_owned());
    }
    let secret = crate::auth::new_api_key();
    crate::private_file::write(&path, secret.as_bytes())?;
    tracing::warn!(path = %path.display(), "generated a secret");
    Ok(secret)
}

/// The admin key: from the configuration, else kept in `admin.key`.
fn admin_key(config: &Config) -> anyhow::Result<String> {
    match &config.auth.admin_key {
        Some(key) if key.expose().len() < 16 => {
            anyhow::bail!("auth.admin_key must be at least 16 characters")
        }
        Some(key) => Ok(key.expose().to_owned()),
        None => stored_secret(config, ADMIN_KEY_FILE),
    }
}

/// The secret that signs tokens: from the configuration (replicas must
/// share it), else kept in `token.key`.
fn token_secret(config: &Config) -> anyhow::Result<String> {
    match &config.auth.token_secret {
        Some(secret) if secret.expose().len() < 32 => {
            anyhow::bail!("auth.token_secret must be at least 32 characters")
        }
        Some(secret) => Ok(secret.expose().to_owned()),
        None => stored_secret(config, TOKEN_KEY_FILE),
    }
}

/// A server whose listeners are bound and ready to accept.
pub struct Server {
    rest: TcpListener,
    pipeline: Pipeline,
    config: Config,
}

impl Server {
    /// Opens the backend and binds every listener; errors here stop startup.
    pub async fn bind(config: Config) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&config.data_dir)?;
        let snapshot = Snapshot::from_config(
            &config,
            &admin_key(&config)?,
            token_secret(&config)?.as_bytes(),
            crate::signing_keys::ring_for(&config, true)?,
        )
        .map_err(|e| anyhow::anyhow!("invalid policy: {e}"))?;
        let policy = Arc::new(PolicyStore::new(snapshot));
        let backend: Arc<dyn Backend> = match &config.upstream {
            Some(upstream) => {
                tracing::info!(url = %upstream.url, "fronting an upstream Qdrant");
                Arc::new(Remote::new(upstream)?)
            }
            None => {
                let data_dir = config.data_dir.clone();
                Arc::new(tokio::task::spawn_blocking(move || Embedded::open(&data_dir)).await??)
            }
        };
        let rest = TcpListener::bind(config.server.rest_addr)
            .await
            .map_err(|e| {
                anyhow::anyhow!("cannot bind REST listener {}: {e}", config.server.rest_addr)
            })?;
        Ok(Self {
            rest,
            pipeline: Pipeline::new(backend, policy),
            config,
        })
    }

    pub fn rest_addr(&self) -> std::io::Result<SocketAddr> {
        self.rest.local_addr()
    }

    /// Serves until `shutdown` resolves, then drains in-flight requests.
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let addr = self.rest.local_addr()?;
        tracing::info!(%addr, "REST listener ready");
        #[cfg(unix)]
        let reloader = tokio::spawn(reload_scanner_on_hangup(
            self.pipeline.policy().clone(),
            self.config.scanner.policies.clone(),
        ));
        let app = rest::router(self.pipeline.clone(), self.config.server.max_body_bytes);
        axum::serve(self.rest, app)
            .with_graceful_shutdown(shutdown)
            .await?;
        tracing::info!("REST listener stopped");
        #[cfg(unix)]
        reloader.abort();
        // Dropping the pipeline closes the backend, flushing the engine.
        drop(self.pipeline);
        Ok(())
    }
}

/// On SIGHUP, rebuilds the scanner from its pattern packs and model and
/// swaps it into the policy snapshot: requests in flight finish with the old
/// one, new requests get the new one. A pack that does not compile is
/// logged and the running scanner kept.
#[cfg(unix)]
async fn reload_scanner_on_hangup(policy: Arc<PolicyStore>, policies: Option<std::path::PathBuf>) {
    use tokio::signal::unix::{signal, SignalKind};
    let Ok(mut hangups) = signal(SignalKind::hangup()) else {
        tracing::warn!("cannot listen for SIGHUP: scanner reload disabled");
        return;
    };
    while hangups.recv().await.is_some() {
        let dir = policies.clone();
        let built = tokio::task::spawn_blocking(move || match &dir {
            Some(dir) => crate::scan::Scanner::load(dir),
            None => crate::scan::Scanner::builtin(),
        })
        .await;
        match built {
            Ok(Ok(scanner)) => {
                let scanner = Arc::new(scanner);
                policy.update(|next| next.scanner = scanner.clone());
                tracing::info!(scanner = ?policy.snapshot().scanner, "scanner reloaded");
            }
            Ok(Err(e)) => {
                tracing::error!(error = %e, "scanner reload failed; keeping the running one")
            }
            Err(e) => tracing::error!(error = %e, "scanner reload failed; keeping the running one"),
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown requested");
}
