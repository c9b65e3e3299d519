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
        match serde_json::from_slice(&bytes) {
            Ok(value) => Ok(Body(value)),
            // Parsed again, only when it failed, to name the field that
            // failed (`limit: invalid type …`): tracking the path on every
            // request would cost as much as the parse.
            Err(plain) => {
                let mut json = serde_json::Deserializer::from_slice(&bytes);
                let error = match serde_path_to_error::deserialize::<_, T>(&mut json) {
                    Err(e) => match e.path().to_string().as_str() {
                        "." => e.into_inner().to_string(),
                        path => format!("{path}: {}", e.into_inner()),
                    },
                    Ok(_) => plain.to_string(),
                };
                Err(Error::Json(error))
            }
        }
    }
}
