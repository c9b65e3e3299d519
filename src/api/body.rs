//! Request bodies parsed strictly, for the data plane and the admin API.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::Error;

/// A JSON body parsed strictly into `T`, whatever the `Content-Type`
/// (Qdrant parses every body as JSON; so must whoever checks it).
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        let encoded = req
            .headers()
            .get(header::CONTENT_ENCODING)
            .is_some_and(|v| !v.as_bytes().eq_ignore_ascii_case(b"identity"));
        if encoded {
            return Err(Error::BadInput(
                "compressed request bodies are not accepted".into(),
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Error::TooLarge("the request body exceeds the configured limit".into())
            } else {
                Error::BadInput(format!("could not read the request body: {e}"))
            }
        })?;
        crate::model::strict::reject_duplicate_keys(&bytes)
            .map_err(|e| Error::Json(e.to_string()))?;
        // The error names the field that failed (`limit: invalid type …`).
        let mut json = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut json).map_err(|e| {
            let path = e.path().to_string();
            match path.as_str() {
                "." => Error::Json(e.into_inner().to_string()),
                _ => Error::Json(format!("{path}: {}", e.into_inner())),
            }
        })?;
        json.end().map_err(|e| Error::Json(e.to_string()))?;
        Ok(Body(value))
    }
}
