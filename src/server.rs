//! Listeners and lifecycle: open the backend, bind, serve until shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;

use crate::admin::Admin;
use crate::api::rest;
use crate::audit::Trail;
use crate::backend::embedded::Embedded;
use crate::backend::remote::Remote;
use crate::backend::Backend;
use crate::config::Config;
use crate::pipeline::Pipeline;
use crate::policy::{PolicyStore, Snapshot};
use crate::store::Store;

const ADMIN_KEY_FILE: &str = "admin.key";
const TOKEN_KEY_FILE: &str = "token.key";
const POLICY_STORE_FILE: &str = "policy.db";

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
    grpc: TcpListener,
    admin: TcpListener,
    pipeline: Pipeline,
    store: Arc<Store>,
    config: Config,
}

impl Server {
    /// Opens the backend and binds every listener; errors here stop startup.
    pub async fn bind(config: Config) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&config.data_dir)?;
        crate::telemetry::install();
        let store = Arc::new(Store::open(
            &config.data_dir.join(POLICY_STORE_FILE),
            &config,
        )?);
        let snapshot = Snapshot::from_config(
            &config,
            &admin_key(&config)?,
            token_secret(&config)?.as_bytes(),
            crate::signing_keys::ring_for(&config, true)?,
        )
        .and_then(|s| s.with_state(&store.state()))
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
        let grpc = TcpListener::bind(config.server.grpc_addr)
            .await
            .map_err(|e| {
                anyhow::anyhow!("cannot bind gRPC listener {}: {e}", config.server.grpc_addr)
            })?;
        let admin = TcpListener::bind(config.server.admin_addr)
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "cannot bind admin listener {}: {e}",
                    config.server.admin_addr
                )
            })?;
        if !config.server.admin_addr.ip().is_loopback() {
            tracing::warn!(addr = %config.server.admin_addr, "the admin API listens beyond loopback");
        }
        let trail = if config.audit.enabled {
            let dir = config.audit.dir_in(&config.data_dir);
            Trail::open(&dir, config.audit.max_file_bytes).map_err(|e| {
                anyhow::anyhow!("cannot open the audit trail {}: {e}", dir.display())
            })?
        } else {
            tracing::warn!("the audit trail is disabled");
            Trail::disabled()
        };
        Ok(Self {
            rest,
            grpc,
            admin,
            pipeline: Pipeline::new(backend, policy).with_trail(trail),
            store,
            config,
        })
    }

    pub fn rest_addr(&self) -> std::io::Result<SocketAddr> {
        self.rest.local_addr()
    }

    pub fn grpc_addr(&self) -> std::io::Result<SocketAddr> {
        self.grpc.local_addr()
    }

    pub fn admin_addr(&self) -> std::io::Result<SocketAddr> {
        self.admin.local_addr()
    }

    /// The backend the server executes on (the load harness calls the
    /// embedded engine in-process through it, to measure the direct path).
    pub fn backend(&self) -> Arc<dyn Backend> {
        self.pipeline.backend().clone()
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
        tracing::info!(addr = %self.admin.local_addr()?, "admin listener ready");
        let app = rest::router(self.pipeline.clone(), self.config.server.max_body_bytes);
        let keys_file = match self.config.provenance.key {
            Some(_) => None,
            None => Some(self.config.provenance.keys_path(&self.config.data_dir)),
        };
        let admin_app = crate::admin::router(Admin::new(
            self.store.clone(),
            self.pipeline.clone(),
            keys_file,
            self.config.scanner.policies.clone(),
        ));
        // One shutdown signal, seen by both listeners.
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let wait = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|s| *s).await;
        };
        let admin_stopped = wait(stopped.clone());
        let admin = tokio::spawn(async move {
            axum::serve(self.admin, admin_app)
                .with_graceful_shutdown(admin_stopped)
                .await
        });
        tracing::info!(addr = %self.grpc.local_addr()?, "gRPC listener ready");
        let grpc_routes =
            crate::api::grpc::routes(self.pipeline.clone(), self.config.server.max_body_bytes);
        let grpc_stopped = wait(stopped.clone());
        // Without TCP_NODELAY, small gRPC responses wait on delayed ACKs
        // (a top-10 query measured 16 ms instead of ~1 ms).
        let grpc_incoming =
            tonic::transport::server::TcpIncoming::from(self.grpc).with_nodelay(Some(true));
        let grpc = tokio::spawn(async move {
            tonic::transport::Server::builder()
                .add_routes(grpc_routes)
                .serve_with_incoming_shutdown(grpc_incoming, grpc_stopped)
                .await
        });
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop.send(true);
        });
        axum::serve(self.rest, app)
            .with_graceful_shutdown(wait(stopped))
            .await?;
        admin.await??;
        grpc.await??;
        tracing::info!("listeners stopped");
        // The audit writer runs on its own thread: wait for the records of
        // the last requests before the process exits.
        let trail = self.pipeline.trail().clone();
        let flushed = tokio::task::spawn_blocking(move || trail.flush(Duration::from_secs(10)));
        if !flushed.await.unwrap_or(false) {
            tracing::error!("the audit trail was not flushed at shutdown");
        }
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
        let (policy, dir) = (policy.clone(), policies.clone());
        match tokio::task::spawn_blocking(move || reload_scanner(&policy, dir.as_deref())).await {
            Ok(Ok(scanner)) => tracing::info!(%scanner, "scanner reloaded"),
            Ok(Err(e)) => {
                tracing::error!(error = %e, "scanner reload failed; keeping the running one")
            }
            Err(e) => tracing::error!(error = %e, "scanner reload failed; keeping the running one"),
        }
    }
}

/// Rebuilds the scanner from `policies` (else the built-in packs and model)
/// and swaps it into the snapshot: requests in flight finish with the old
/// one. On failure the running scanner is kept. Returns a description.
pub fn reload_scanner(
    policy: &PolicyStore,
    policies: Option<&std::path::Path>,
) -> Result<String, String> {
    let scanner = Arc::new(match policies {
        Some(dir) => crate::scan::Scanner::load(dir)?,
        None => crate::scan::Scanner::builtin()?,
    });
    policy.update(|next| next.scanner = scanner.clone());
    Ok(format!("{scanner:?}"))
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
