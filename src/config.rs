//! Configuration: one TOML file, every section `deny_unknown_fields`, then
//! environment overrides.
//!
//! In a security product a typo must fail loudly: an unknown key, a wrong
//! type or a bad address stops startup with a message naming the file, line
//! and key. Environment variables override file values with the pattern
//! `RAGWALL_<SECTION>__<KEY>` (for top-level keys `RAGWALL_<KEY>`), e.g.
//! `RAGWALL_SERVER__REST_ADDR=127.0.0.1:7333` or `RAGWALL_DATA_DIR=/var/lib/ragwall`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::auth::{Scope, Secret};

/// Environment variables with this prefix override the file.
pub const ENV_PREFIX: &str = "RAGWALL_";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where the embedded engine keeps collections.
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    #[serde(default)]
    pub server: Server,
    #[serde(default)]
    pub log: Log,
    #[serde(default)]
    pub auth: Auth,
    /// A Qdrant to front; without one, the embedded engine serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream: Option<Upstream>,
    /// Tenants, their grants and their API keys (seed of the policy store).
    #[serde(default)]
    pub tenants: Vec<Tenant>,
    /// How each collection is shared between tenants, by collection name.
    #[serde(default)]
    pub collections: BTreeMap<String, CollectionPolicy>,
    /// Signing keys and the reserved provenance field.
    #[serde(default)]
    pub provenance: ProvenanceConfig,
    /// Where the scanner's pattern packs and model come from.
    #[serde(default)]
    pub scanner: ScannerConfig,
    /// The audit trail of data-plane requests.
    #[serde(default)]
    pub audit: AuditConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// Write one record per data-plane request (default on).
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Directory of the JSON-lines files. Default `<data_dir>/audit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dir: Option<PathBuf>,
    /// The current file is rotated when it grows past this size.
    #[serde(default = "default_audit_file_bytes")]
    pub max_file_bytes: u64,
}

impl Default for AuditConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            dir: None,
            max_file_bytes: default_audit_file_bytes(),
        }
    }
}

impl AuditConfig {
    pub fn dir_in(&self, data_dir: &Path) -> PathBuf {
        self.dir.clone().unwrap_or_else(|| data_dir.join("audit"))
    }
}

fn default_true() -> bool {
    true
}
fn default_audit_file_bytes() -> u64 {
    64 * 1024 * 1024
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScannerConfig {
    /// A policy directory (`patterns/*.toml`, `model.bin`); without one, the
    /// packs and model built into the binary are used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvenanceConfig {
    /// The reserved payload field holding `{v, kid, ts, mac}`.
    #[serde(default = "default_provenance_field")]
    pub field: String,
    /// The key ring file (JSON, mode 0600). Default `<data_dir>/signing-keys.json`,
    /// generated with one key at first start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys_file: Option<PathBuf>,
    /// A signing key given directly (64 hex digits), typically from
    /// `RAGWALL_PROVENANCE__KEY`: it joins the ring as the signing key and is
    /// never written to disk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Secret>,
    /// The id of `key`.
    #[serde(default = "default_env_key_id")]
    pub key_id: String,
}

impl Default for ProvenanceConfig {
    fn default() -> Self {
        Self {
            field: default_provenance_field(),
            keys_file: None,
            key: None,
            key_id: default_env_key_id(),
        }
    }
}

impl ProvenanceConfig {
    pub fn keys_path(&self, data_dir: &Path) -> PathBuf {
        self.keys_file
            .clone()
            .unwrap_or_else(|| data_dir.join("signing-keys.json"))
    }
}

fn default_provenance_field() -> String {
    "_provenance".into()
}
fn default_env_key_id() -> String {
    "env".into()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// The admin credential (collection management, full access). Without
    /// one, ragwall generates a key at first start and keeps it in
    /// `<data_dir>/admin.key` (mode 0600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_key: Option<Secret>,
    /// Signs short-lived tokens (HS256). Replicas must share it. Without
    /// one, ragwall generates it in `<data_dir>/token.key` (mode 0600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_secret: Option<Secret>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upstream {
    /// Base URL of Qdrant's REST API, e.g. `http://qdrant:6333`.
    pub url: String,
    /// Qdrant's gRPC API, e.g. `http://qdrant:6334`: queries, retrieves,
    /// scrolls and counts are forwarded over it (the rest over REST).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grpc_url: Option<String>,
    /// The upstream's API key; held only by ragwall.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<Secret>,
    /// Whole-request timeout, seconds.
    #[serde(default = "default_upstream_timeout")]
    pub timeout_secs: u64,
    /// Connection timeout, seconds.
    #[serde(default = "default_connect_timeout")]
    pub connect_timeout_secs: u64,
}

fn default_upstream_timeout() -> u64 {
    30
}
fn default_connect_timeout() -> u64 {
    5
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tenant {
    pub id: String,
    /// Collection → allowed operations (`read`, `write`, `sign`).
    #[serde(default)]
    pub grants: BTreeMap<String, BTreeSet<Scope>>,
    #[serde(default)]
    pub keys: Vec<ApiKey>,
    /// Requests per second the tenant may make (all its credentials together).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimit>,
}

/// A token bucket: `per_second` sustained, bursts of up to `burst`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Sustained requests per second (at least 1).
    pub per_second: u32,
    /// Requests allowed at once after a quiet period (at least 1).
    pub burst: u32,
}

/// Whether `id` is usable as a tenant or credential id: 1–64 of
/// `[A-Za-z0-9._-]` (ids appear in payloads, tokens, logs and metrics).
pub fn is_plain_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiKey {
    pub id: String,
    /// `blake3:<hex>` of the key; `ragwall key new` prints a key and its hash.
    pub hash: String,
    pub scopes: BTreeSet<Scope>,
    /// Narrows the key to some of the tenant's collections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collections: Option<BTreeSet<String>>,
}

/// How tenants share a collection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectionPolicy {
    pub tenancy: Tenancy,
    /// Payload field holding the tenant id (`payload` tenancy).
    #[serde(default = "default_tenant_field")]
    pub tenant_field: String,
    /// Payload fields with the text to scan and sign.
    #[serde(default = "default_content_fields")]
    pub content_fields: Vec<String>,
    /// What to do with points whose provenance does not verify.
    #[serde(default)]
    pub provenance: ProvenanceMode,
    /// Payload fields signed besides the content fields (e.g. `source`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signed_metadata: Vec<String>,
    /// Also sign the vectors, so a swapped embedding fails verification.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sign_vectors: bool,
    /// What to do with points whose content scans as prompt injection.
    #[serde(default)]
    pub scanner: ScanAction,
    /// The score (0..1) at which a chunk counts as an injection.
    #[serde(default = "default_scan_threshold")]
    pub scanner_threshold: f32,
}

fn default_scan_threshold() -> f32 {
    crate::scan::THRESHOLD
}

/// Per-collection action on chunks that scan as injections.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ScanAction {
    /// Remove the point from the results (the default: fail closed).
    #[default]
    Drop,
    /// Return it with the matched spans replaced.
    Redact,
    /// Return it unchanged, reported in the response headers.
    Flag,
    /// Do not scan.
    Off,
}

impl CollectionPolicy {
    /// What is wrong with this policy for collection `name`, one line each.
    pub fn problems(&self, name: &str, provenance_field: &str) -> Vec<String> {
        let mut problems = Vec::new();
        let plain = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        if self.tenant_field.is_empty() || !self.tenant_field.chars().all(plain) {
            problems.push(format!(
                "collections.{name}.tenant_field must be a top-level field name ([A-Za-z0-9_-]+)"
            ));
        }
        if !(0.0..=1.0).contains(&self.scanner_threshold) {
            problems.push(format!(
                "collections.{name}.scanner_threshold must be between 0 and 1"
            ));
        }
        if self.content_fields.is_empty() {
            problems.push(format!(
                "collections.{name}.content_fields must name at least one field"
            ));
        }
        for field in self.signed_fields() {
            if field.is_empty() || field == provenance_field {
                problems.push(format!(
                    "collections.{name}: `{field}` cannot be a content or signed field"
                ));
            }
        }
        problems
    }

    /// Every signed payload field: the content fields, then the metadata.
    pub fn signed_fields(&self) -> impl Iterator<Item = &String> {
        self.content_fields.iter().chain(&self.signed_metadata)
    }
}

/// Per-collection provenance enforcement on reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ProvenanceMode {
    /// Points that do not verify are dropped (the default: fail closed).
    #[default]
    Required,
    /// Points that do not verify are returned but flagged.
    VerifyOnly,
    /// No verification; writes are not stamped.
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Tenancy {
    /// One collection, the tenant id in `tenant_field` of every point.
    Payload,
    /// The collection belongs to one tenant.
    Collection,
    /// Qdrant custom sharding, one shard key per tenant (the tenant id).
    ShardKey,
}

fn default_tenant_field() -> String {
    "tenant_id".into()
}
fn default_content_fields() -> Vec<String> {
    vec!["text".into()]
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    /// Qdrant-compatible REST listener.
    #[serde(default = "default_rest_addr")]
    pub rest_addr: SocketAddr,
    /// Qdrant-compatible gRPC listener.
    #[serde(default = "default_grpc_addr")]
    pub grpc_addr: SocketAddr,
    /// The admin API, metrics and health (loopback unless configured otherwise).
    #[serde(default = "default_admin_addr")]
    pub admin_addr: SocketAddr,
    /// Largest request body accepted, in bytes (Qdrant's default is 32 MiB).
    #[serde(default = "default_max_body_bytes")]
    pub max_body_bytes: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Log {
    /// A `tracing` filter, e.g. `info` or `ragwall=debug`. `RUST_LOG` wins if set.
    #[serde(default = "default_log_level")]
    pub level: String,
    #[serde(default)]
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("./data")
}
fn default_rest_addr() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 6333))
}
fn default_grpc_addr() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 6334))
}
fn default_admin_addr() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 6335))
}
fn default_max_body_bytes() -> usize {
    32 * 1024 * 1024
}
fn default_log_level() -> String {
    "info".into()
}

impl Default for Server {
    fn default() -> Self {
        Self {
            rest_addr: default_rest_addr(),
            grpc_addr: default_grpc_addr(),
            admin_addr: default_admin_addr(),
            max_body_bytes: default_max_body_bytes(),
        }
    }
}

impl Default for Log {
    fn default() -> Self {
        Self {
            level: default_log_level(),
            format: LogFormat::default(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: default_data_dir(),
            server: Server::default(),
            log: Log::default(),
            auth: Auth::default(),
            upstream: None,
            tenants: Vec::new(),
            collections: BTreeMap::new(),
            provenance: ProvenanceConfig::default(),
            scanner: ScannerConfig::default(),
            audit: AuditConfig::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("environment override {var}: {message}")]
    Env { var: String, message: String },
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

impl Config {
    /// Loads the file (if any), applies environment overrides, validates.
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        let env: Vec<(String, String)> = std::env::vars()
            .filter(|(k, _)| k.starts_with(ENV_PREFIX))
            .collect();
        Self::load_with_env(path, &env)
    }

    /// As [`Config::load`], with the environment given (for tests).
    pub fn load_with_env(
        path: Option<&Path>,
        env: &[(String, String)],
    ) -> Result<Self, ConfigError> {
        let mut config = match path {
            None => Config::default(),
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_owned(),
                    source,
                })?;
                // Parsing the text directly keeps line and column in errors.
                toml::from_str(&text).map_err(|e| ConfigError::Parse {
                    path: path.to_owned(),
                    message: e.to_string(),
                })?
            }
        };
        if !env.is_empty() {
            config = apply_env(config, env)?;
        }
        config.validate()?;
        Ok(config)
    }

    /// Checks what types alone cannot; reports every problem at once.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let mut problems = Vec::new();
        if self.server.max_body_bytes == 0 {
            problems.push("server.max_body_bytes must be at least 1".to_string());
        }
        if self.data_dir.as_os_str().is_empty() {
            problems.push("data_dir must not be empty".to_string());
        }
        if let Some(upstream) = &self.upstream {
            if !(upstream.url.starts_with("http://") || upstream.url.starts_with("https://")) {
                problems.push(format!(
                    "upstream.url `{}` must start with http:// or https://",
                    upstream.url
                ));
            }
            if upstream.timeout_secs == 0 || upstream.connect_timeout_secs == 0 {
                problems.push("upstream timeouts must be at least 1 second".to_string());
            }
        }
        problems.extend(policy_problems(
            self.tenants.iter(),
            &self.collections,
            &self.provenance.field,
        ));
        let field = &self.provenance.field;
        if field.is_empty()
            || !field
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            problems
                .push("provenance.field must be a top-level field name ([A-Za-z0-9_-]+)".into());
        }
        if let Some(key) = &self.provenance.key {
            if crate::provenance::parse_secret(key.expose()).is_none() {
                problems.push("provenance.key must be 64 hex digits (32 bytes)".into());
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError::Invalid(problems.join("; ")))
        }
    }
}

/// What is wrong with a set of tenants and collection policies (from the
/// configuration or the policy store), one line per problem.
pub fn policy_problems<'a>(
    tenants: impl Iterator<Item = &'a Tenant> + Clone,
    collections: &BTreeMap<String, CollectionPolicy>,
    provenance_field: &str,
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut tenant_ids = BTreeSet::new();
    let mut key_ids = BTreeSet::new();
    for tenant in tenants.clone() {
        if !is_plain_id(&tenant.id) || !tenant_ids.insert(tenant.id.as_str()) {
            problems.push(format!(
                "tenant id `{}` is repeated or not 1-64 of [A-Za-z0-9._-]",
                tenant.id
            ));
        }
        if let Some(limit) = tenant.rate_limit {
            if limit.per_second == 0 || limit.burst == 0 {
                problems.push(format!(
                    "tenant `{}`: rate_limit.per_second and rate_limit.burst must be at least 1",
                    tenant.id
                ));
            }
        }
        for (collection, scopes) in &tenant.grants {
            if scopes.is_empty() {
                problems.push(format!(
                    "tenant `{}`: the grant of `{collection}` names no operations",
                    tenant.id
                ));
            }
            match collections.get(collection) {
                None => problems.push(format!(
                    "tenant `{}` is granted `{collection}`, which has no [collections.{collection}] policy",
                    tenant.id
                )),
                Some(p) if p.tenancy == Tenancy::Collection => {
                    let owners = tenants.clone().filter(|t| t.grants.contains_key(collection));
                    if owners.count() > 1 {
                        problems.push(format!(
                            "collection `{collection}` has `collection` tenancy but is granted to several tenants"
                        ));
                    }
                }
                Some(_) => {}
            }
        }
        for key in &tenant.keys {
            if !is_plain_id(&key.id) || !key_ids.insert(key.id.as_str()) {
                problems.push(format!(
                    "API key id `{}` is repeated or not 1-64 of [A-Za-z0-9._-]",
                    key.id
                ));
            }
            if key.scopes.is_empty() {
                problems.push(format!("API key `{}` has no scopes", key.id));
            }
            if !crate::auth::is_key_hash(&key.hash) {
                problems.push(format!(
                    "API key `{}`: hash must be `blake3:<64 hex>`",
                    key.id
                ));
            }
            for c in key.collections.iter().flatten() {
                if !tenant.grants.contains_key(c) {
                    problems.push(format!(
                        "API key `{}` names `{c}`, which tenant `{}` is not granted",
                        key.id, tenant.id
                    ));
                }
            }
        }
    }
    for (name, policy) in collections {
        problems.extend(policy.problems(name, provenance_field));
    }
    problems
}

/// Overlays `RAGWALL_…` variables onto the configuration.
fn apply_env(config: Config, env: &[(String, String)]) -> Result<Config, ConfigError> {
    let invalid = |var: &str, message: String| ConfigError::Env {
        var: var.to_owned(),
        message,
    };
    let mut table = toml::Table::try_from(&config)
        .map_err(|e| ConfigError::Invalid(format!("cannot represent the configuration: {e}")))?;
    for (var, raw) in env {
        let path: Vec<String> = var[ENV_PREFIX.len()..]
            .split("__")
            .map(str::to_ascii_lowercase)
            .collect();
        if path.iter().any(String::is_empty) {
            return Err(invalid(var, "malformed variable name".into()));
        }
        // A TOML literal if it is one (numbers, booleans, arrays), else a string.
        let value = toml::from_str::<toml::Table>(&format!("v = {raw}"))
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| toml::Value::String(raw.clone()));
        let (last, sections) = path
            .split_last()
            .ok_or_else(|| invalid(var, "empty name".into()))?;
        let mut cursor = &mut table;
        for section in sections {
            cursor = cursor
                .entry(section.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
                .as_table_mut()
                .ok_or_else(|| invalid(var, format!("`{section}` is not a section")))?;
        }
        cursor.insert(last.clone(), value);
    }
    toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| ConfigError::Env {
            var: env
                .iter()
                .map(|(k, _)| k.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            message: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), text).unwrap();
        f
    }

    #[test]
    fn defaults_bind_loopback() {
        let c = Config::load_with_env(None, &[]).unwrap();
        assert_eq!(c.server.rest_addr, "127.0.0.1:6333".parse().unwrap());
        assert_eq!(c.server.admin_addr, "127.0.0.1:6335".parse().unwrap());
        assert_eq!(c.server.grpc_addr, "127.0.0.1:6334".parse().unwrap());
        assert_eq!(c.server.max_body_bytes, 32 * 1024 * 1024);
        assert!(c.audit.enabled);
    }

    #[test]
    fn unknown_key_names_the_key_and_line() {
        let f = write("data_dir = \"/tmp/x\"\n[server]\nrest_adr = \"127.0.0.1:1\"\n");
        let err = Config::load_with_env(Some(f.path()), &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("rest_adr"), "{err}");
        assert!(err.contains("line 3"), "{err}");
    }

    #[test]
    fn bad_address_is_refused() {
        let f = write("[server]\nrest_addr = \"not an address\"\n");
        let err = Config::load_with_env(Some(f.path()), &[])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("rest_addr") || err.contains("address"),
            "{err}"
        );
    }

    #[test]
    fn environment_overrides_file() {
        let f = write("[server]\nrest_addr = \"127.0.0.1:1111\"\nmax_body_bytes = 10\n");
        let env = vec![
            (
                "RAGWALL_SERVER__REST_ADDR".to_string(),
                "127.0.0.1:2222".to_string(),
            ),
            (
                "RAGWALL_DATA_DIR".to_string(),
                "/tmp/ragwall-env".to_string(),
            ),
        ];
        let c = Config::load_with_env(Some(f.path()), &env).unwrap();
        assert_eq!(c.server.rest_addr, "127.0.0.1:2222".parse().unwrap());
        assert_eq!(c.server.max_body_bytes, 10);
        assert_eq!(c.data_dir, PathBuf::from("/tmp/ragwall-env"));
    }

    #[test]
    fn unknown_environment_key_is_refused() {
        let env = vec![("RAGWALL_SERVER__NOPE".to_string(), "1".to_string())];
        let err = Config::load_with_env(None, &env).unwrap_err().to_string();
        assert!(err.contains("nope"), "{err}");
    }

    #[test]
    fn zero_body_limit_is_invalid() {
        let env = vec![(
            "RAGWALL_SERVER__MAX_BODY_BYTES".to_string(),
            "0".to_string(),
        )];
        let err = Config::load_with_env(None, &env).unwrap_err().to_string();
        assert!(err.contains("max_body_bytes"), "{err}");
    }
}
