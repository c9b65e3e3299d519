//! Errors, and THE mapping from an error to what a client sees.
//!
//! Every refusal ragwall makes is one variant of [`Error`]. [`Error::status`]
//! is the single place that decides the HTTP status; the message is written
//! the way Qdrant writes its own (`Not found: …`, `Wrong input: …`,
//! `Forbidden: …`) so Qdrant clients raise their usual exceptions with a
//! message that says what was refused and why. Messages never carry secrets
//! or engine internals: backend failures are logged, not echoed.

use axum::http::StatusCode;

/// A failure on the data or admin plane, already phrased for the client.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request body or parameters are malformed or out of range.
    #[error("Wrong input: {0}")]
    BadInput(String),
    /// The request is well formed but cannot be applied (Qdrant's `BadRequest`).
    #[error("Bad request: {0}")]
    BadRequest(String),
    /// The JSON body does not parse into the expected shape.
    #[error("Format error in JSON body: {0}")]
    Json(String),
    /// A collection, point or route that does not exist (or is hidden).
    #[error("Not found: {0}")]
    NotFound(String),
    /// A collection with this name already exists.
    #[error("Wrong input: {0}")]
    AlreadyExists(String),
    /// A feature of Qdrant's API that ragwall does not serve.
    #[error("Not supported: {0}")]
    Unsupported(String),
    /// The body is larger than the configured limit.
    #[error("Payload too large: {0}")]
    TooLarge(String),
    /// No credential, or one ragwall does not know.
    #[error("{0}")]
    Unauthenticated(String),
    /// A known caller asked for something it may not do.
    #[error("Forbidden: {0}")]
    Forbidden(String),
    /// The tenant is over its rate limit.
    #[error("Rate limiting exceeded: tenant `{tenant}` is over its request rate; retry after {retry_after_secs} s")]
    RateLimited {
        tenant: String,
        retry_after_secs: u64,
    },
    /// The upstream Qdrant could not be reached or failed.
    #[error("Bad gateway: {0}")]
    Upstream(String),
    /// The upstream Qdrant did not answer in time.
    #[error("Timeout: {0}")]
    UpstreamTimeout(String),
    /// The backend failed; the detail is logged, not shown.
    #[error("Service internal error: {0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The HTTP status Qdrant would answer with for this kind of failure.
    pub fn status(&self) -> StatusCode {
        match self {
            Error::BadInput(_) | Error::BadRequest(_) | Error::Json(_) => StatusCode::BAD_REQUEST,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::AlreadyExists(_) => StatusCode::CONFLICT,
            Error::Unsupported(_) => StatusCode::NOT_IMPLEMENTED,
            Error::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Error::Upstream(_) => StatusCode::BAD_GATEWAY,
            Error::UpstreamTimeout(_) => StatusCode::GATEWAY_TIMEOUT,
        }
    }

    /// The gRPC code for the same failure (STYLE.md's table).
    pub fn grpc_code(&self) -> tonic::Code {
        use tonic::Code;
        match self {
            Error::BadInput(_) | Error::BadRequest(_) | Error::Json(_) => Code::InvalidArgument,
            Error::NotFound(_) => Code::NotFound,
            Error::Unauthenticated(_) => Code::Unauthenticated,
            Error::Forbidden(_) => Code::PermissionDenied,
            Error::AlreadyExists(_) => Code::AlreadyExists,
            Error::Unsupported(_) => Code::Unimplemented,
            Error::TooLarge(_) | Error::RateLimited { .. } => Code::ResourceExhausted,
            Error::Internal(_) => Code::Internal,
            Error::Upstream(_) => Code::Unavailable,
            Error::UpstreamTimeout(_) => Code::DeadlineExceeded,
        }
    }

    pub fn collection_not_found(name: &str) -> Self {
        Error::NotFound(format!("Collection `{name}` doesn't exist!"))
    }

    /// Wraps an engine failure: logged in full, shown as a one-line summary.
    pub fn internal(context: &str, err: impl std::fmt::Display) -> Self {
        tracing::error!(%context, error = %err, "backend failure");
        Error::Internal(context.to_string())
    }
}
