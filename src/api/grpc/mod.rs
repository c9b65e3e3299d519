//! The Qdrant gRPC adapter: Qdrant's own service traits and messages (from
//! the `qdrant-client` crate), translated into the same [`Operation`]s the
//! REST adapter produces and run through the same [`Pipeline`].
//!
//! Credentials come as Qdrant clients send them (`api-key` metadata or
//! `authorization: Bearer …`) and are checked before a message is looked at.
//! Each call opens an audit record like a REST request does. Errors map to
//! gRPC codes in `error.rs`. Methods not translated yet answer
//! `UNIMPLEMENTED` naming the method; snapshots are `PERMISSION_DENIED`.

mod convert;

use std::time::Instant;

use qdrant_client::qdrant as pb;
use qdrant_client::qdrant::collections_server::{Collections, CollectionsServer};
use qdrant_client::qdrant::points_server::{Points, PointsServer};
use qdrant_client::qdrant::qdrant_server::{Qdrant, QdrantServer};
use qdrant_client::qdrant::snapshots_server::{Snapshots, SnapshotsServer};
use tonic::{Request, Response, Status};

use crate::audit::Entry;
use crate::auth::Caller;
use crate::error::Error;
use crate::model::collection::CreateCollection;
use crate::model::points::PointsUpdate;
use crate::pipeline::{self, Operation, Outcome, Pipeline};

/// The gRPC services, sharing one pipeline.
#[derive(Clone)]
pub struct Grpc {
    pipeline: Pipeline,
}

/// The router serving Qdrant's four services.
pub fn routes(pipeline: Pipeline, max_message_bytes: usize) -> tonic::service::Routes {
    let grpc = Grpc { pipeline };
    tonic::service::Routes::new(QdrantServer::new(grpc.clone()))
        .add_service(
            CollectionsServer::new(grpc.clone()).max_decoding_message_size(max_message_bytes),
        )
        .add_service(PointsServer::new(grpc.clone()).max_decoding_message_size(max_message_bytes))
        .add_service(SnapshotsServer::new(grpc))
}

impl From<Error> for Status {
    fn from(e: Error) -> Self {
        Status::new(e.grpc_code(), e.to_string())
    }
}

/// One call in flight: its credential and audit record.
struct Call {
    pipeline: Pipeline,
    credential: Option<String>,
    audit: Entry,
    started: Instant,
}

fn metadata<'a>(request: &'a Request<impl Sized>, name: &str) -> Option<&'a str> {
    request.metadata().get(name).and_then(|v| v.to_str().ok())
}

impl Grpc {
    /// Opens the audit record and authenticates, before the message is used.
    fn open<T>(&self, method: &str, request: &Request<T>) -> Result<Call, Status> {
        let id = crate::audit::request_id(
            metadata(request, "x-request-id"),
            metadata(request, "traceparent"),
        );
        let audit = self
            .pipeline
            .trail()
            .begin("grpc", id, format!("/qdrant.{method}"));
        let credential = crate::auth::presented(
            metadata(request, "api-key"),
            metadata(request, "authorization"),
        )
        .map(str::to_owned);
        match self
            .pipeline
            .policy()
            .snapshot()
            .authenticate(credential.as_deref())
        {
            Ok(Caller::Admin) => audit.caller(None, "admin"),
            Ok(Caller::Tenant(p)) => audit.caller(Some(&p.tenant), &p.credential_id),
            Err(e) => return Err(audit.deny(e).into()),
        }
        Ok(Call {
            pipeline: self.pipeline.clone(),
            credential,
            audit,
            started: Instant::now(),
        })
    }

    /// Authenticates, records, and refuses a method that is not served.
    fn refuse<T, R>(
        &self,
        method: &str,
        request: Request<T>,
        error: Error,
    ) -> Result<Response<R>, Status> {
        let call = self.open(method, &request)?;
        Err(call.audit.deny(error).into())
    }

    fn unimplemented<T, R>(
        &self,
        method: &str,
        request: Request<T>,
    ) -> Result<Response<R>, Status> {
        self.refuse(
            method,
            request,
            Error::Unsupported(format!(
                "qdrant.{method} over gRPC is not served by ragwall yet; use REST"
            )),
        )
    }
}

impl Call {
    /// Converts a message with `convert`, refusing it if that fails.
    fn convert<T>(&self, converted: crate::error::Result<T>) -> Result<T, Status> {
        converted.map_err(|e| self.audit.fail(e).into())
    }

    async fn run(&self, operation: Operation) -> Result<pipeline::Response, Status> {
        self.pipeline
            .run_recorded(&self.audit, self.credential.as_deref(), operation)
            .await
            .map_err(Status::from)
    }

    fn time(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// A response with the request id and what the response phases did.
    fn respond<R>(&self, message: R, report: &pipeline::Report) -> Response<R> {
        let mut response = Response::new(message);
        let meta = response.metadata_mut();
        if let Ok(v) = self.audit.request_id().parse() {
            meta.insert("x-request-id", v);
        }
        if let Ok(v) = report.dropped.len().to_string().parse() {
            meta.insert("x-ragwall-dropped", v);
        }
        if !report.dropped.is_empty() {
            if let Ok(v) = pipeline::Report::reasons(&report.dropped).parse() {
                meta.insert("x-ragwall-dropped-reasons", v);
            }
        }
        if !report.flagged.is_empty() {
            if let Ok(v) = report.flagged.len().to_string().parse() {
                meta.insert("x-ragwall-flagged", v);
            }
        }
        response
    }
}

fn unexpected() -> Status {
    Status::internal("unexpected outcome")
}

fn update_result(u: &crate::model::output::UpdateResult) -> pb::UpdateResult {
    use crate::model::output::UpdateStatus;
    pb::UpdateResult {
        operation_id: u.operation_id,
        status: match u.status {
            UpdateStatus::Acknowledged => pb::UpdateStatus::Acknowledged,
            UpdateStatus::Completed => pb::UpdateStatus::Completed,
        } as i32,
    }
}

#[tonic::async_trait]
impl Qdrant for Grpc {
    async fn health_check(
        &self,
        _request: Request<pb::HealthCheckRequest>,
    ) -> Result<Response<pb::HealthCheckReply>, Status> {
        Ok(Response::new(pb::HealthCheckReply {
            title: "ragwall - retrieval firewall (qdrant-compatible)".into(),
            version: crate::api::rest::QDRANT_API_VERSION.into(),
            commit: None,
        }))
    }
}

#[tonic::async_trait]
impl Collections for Grpc {
    async fn get(
        &self,
        request: Request<pb::GetCollectionInfoRequest>,
    ) -> Result<Response<pb::GetCollectionInfoResponse>, Status> {
        let call = self.open("Collections/Get", &request)?;
        let collection = request.into_inner().collection_name;
        let out = call.run(Operation::CollectionInfo { collection }).await?;
        let Outcome::Info(info) = out.outcome else {
            return Err(unexpected());
        };
        Ok(call.respond(
            pb::GetCollectionInfoResponse {
                result: Some(convert::collection_info(&info)),
                time: call.time(),
            },
            &out.report,
        ))
    }

    async fn list(
        &self,
        request: Request<pb::ListCollectionsRequest>,
    ) -> Result<Response<pb::ListCollectionsResponse>, Status> {
        let call = self.open("Collections/List", &request)?;
        let out = call.run(Operation::ListCollections).await?;
        let Outcome::Collections(list) = out.outcome else {
            return Err(unexpected());
        };
        let collections = list
            .collections
            .into_iter()
            .map(|c| pb::CollectionDescription { name: c.name })
            .collect();
        Ok(call.respond(
            pb::ListCollectionsResponse {
                collections,
                time: call.time(),
            },
            &out.report,
        ))
    }

    async fn create(
        &self,
        request: Request<pb::CreateCollection>,
    ) -> Result<Response<pb::CollectionOperationResponse>, Status> {
        let call = self.open("Collections/Create", &request)?;
        let r = request.into_inner();
        let body: CreateCollection =
            call.convert(convert::create_collection(&r).and_then(convert::model))?;
        let out = call
            .run(Operation::CreateCollection {
                collection: r.collection_name,
                request: body,
            })
            .await?;
        Ok(call.respond(
            pb::CollectionOperationResponse {
                result: true,
                time: call.time(),
            },
            &out.report,
        ))
    }

    async fn update(
        &self,
        request: Request<pb::UpdateCollection>,
    ) -> Result<Response<pb::CollectionOperationResponse>, Status> {
        self.unimplemented("Collections/Update", request)
    }

    async fn delete(
        &self,
        request: Request<pb::DeleteCollection>,
    ) -> Result<Response<pb::CollectionOperationResponse>, Status> {
        let call = self.open("Collections/Delete", &request)?;
        let collection = request.into_inner().collection_name;
        let out = call.run(Operation::DeleteCollection { collection }).await?;
        let Outcome::Done(result) = out.outcome else {
            return Err(unexpected());
        };
        Ok(call.respond(
            pb::CollectionOperationResponse {
                result,
                time: call.time(),
            },
            &out.report,
        ))
    }

    async fn update_aliases(
        &self,
        request: Request<pb::ChangeAliases>,
    ) -> Result<Response<pb::CollectionOperationResponse>, Status> {
        self.unimplemented("Collections/UpdateAliases", request)
    }

    async fn list_collection_aliases(
        &self,
        request: Request<pb::ListCollectionAliasesRequest>,
    ) -> Result<Response<pb::ListAliasesResponse>, Status> {
        self.unimplemented("Collections/ListCollectionAliases", request)
    }

    async fn list_aliases(
        &self,
        request: Request<pb::ListAliasesRequest>,
    ) -> Result<Response<pb::ListAliasesResponse>, Status> {
        self.unimplemented("Collections/ListAliases", request)
    }

    async fn collection_cluster_info(
        &self,
        request: Request<pb::CollectionClusterInfoRequest>,
    ) -> Result<Response<pb::CollectionClusterInfoResponse>, Status> {
        self.refuse(
            "Collections/CollectionClusterInfo",
            request,
            Error::Forbidden("cluster operations are not available through ragwall".into()),
        )
    }

    async fn collection_exists(
        &self,
        request: Request<pb::CollectionExistsRequest>,
    ) -> Result<Response<pb::CollectionExistsResponse>, Status> {
        let call = self.open("Collections/CollectionExists", &request)?;
        let collection = request.into_inner().collection_name;
        let out = call.run(Operation::CollectionExists { collection }).await?;
        let Outcome::Exists(e) = out.outcome else {
            return Err(unexpected());
        };
        Ok(call.respond(
            pb::CollectionExistsResponse {
                result: Some(pb::CollectionExists { exists: e.exists }),
                time: call.time(),
            },
            &out.report,
        ))
    }

    async fn update_collection_cluster_setup(
        &self,
        request: Request<pb::UpdateCollectionClusterSetupRequest>,
    ) -> Result<Response<pb::UpdateCollectionClusterSetupResponse>, Status> {
        self.refuse(
            "Collections/UpdateCollectionClusterSetup",
            request,
            Error::Forbidden("cluster operations are not available through ragwall".into()),
        )
    }

    async fn create_shard_key(
        &self,
        request: Request<pb::CreateShardKeyRequest>,
    ) -> Result<Response<pb::CreateShardKeyResponse>, Status> {
        self.unimplemented("Collections/CreateShardKey", request)
    }

    async fn delete_shard_key(
        &self,
        request: Request<pb::DeleteShardKeyRequest>,
    ) -> Result<Response<pb::DeleteShardKeyResponse>, Status> {
        self.unimplemented("Collections/DeleteShardKey", request)
    }

    async fn list_shard_keys(
        &self,
        request: Request<pb::ListShardKeysRequest>,
    ) -> Result<Response<pb::ListShardKeysResponse>, Status> {
        self.unimplemented("Collections/ListShardKeys", request)
    }
}

/// Writes: the converted update, run as the REST adapter runs it.
async fn write(
    call: &Call,
    collection: String,
    wait: Option<bool>,
    update: PointsUpdate,
) -> Result<Response<pb::PointsOperationResponse>, Status> {
    let out = call
        .run(Operation::Update {
            collection,
            update,
            wait: wait.unwrap_or(false),
        })
        .await?;
    update_response(call, out)
}

fn update_response(
    call: &Call,
    out: pipeline::Response,
) -> Result<Response<pb::PointsOperationResponse>, Status> {
    let Outcome::Update(u) = out.outcome else {
        return Err(unexpected());
    };
    Ok(call.respond(
        pb::PointsOperationResponse {
            result: Some(update_result(&u)),
            time: call.time(),
            usage: None,
        },
        &out.report,
    ))
}

/// Reads answered with batches of scored points (query, search,
/// recommend and their batch forms): one model request per body.
async fn scored_batches(
    call: &Call,
    collection: String,
    requests: Vec<crate::model::query::QueryRequest>,
) -> Result<(Vec<Vec<pb::ScoredPoint>>, pipeline::Report), Status> {
    let out = call
        .run(Operation::Query {
            collection,
            requests,
        })
        .await?;
    let Outcome::Queries(responses) = out.outcome else {
        return Err(unexpected());
    };
    let batches = responses
        .iter()
        .map(|r| r.points.iter().map(convert::scored).collect())
        .collect::<crate::error::Result<Vec<Vec<_>>>>()?;
    Ok((batches, out.report))
}

/// One scored-points read.
async fn scored_points(
    call: &Call,
    collection: String,
    request: crate::model::query::QueryRequest,
) -> Result<(Vec<pb::ScoredPoint>, pipeline::Report), Status> {
    let (mut batches, report) = scored_batches(call, collection, vec![request]).await?;
    Ok((batches.pop().unwrap_or_default(), report))
}

/// Every request of a batch must name the batch's collection.
fn same_collection(outer: &str, inner: &str) -> crate::error::Result<()> {
    if inner.is_empty() || inner == outer {
        Ok(())
    } else {
        Err(Error::BadInput(format!(
            "a batch on `{outer}` cannot hold a request on `{inner}`"
        )))
    }
}

#[tonic::async_trait]
impl Points for Grpc {
    async fn upsert(
        &self,
        request: Request<pb::UpsertPoints>,
    ) -> Result<Response<pb::PointsOperationResponse>, Status> {
        let call = self.open("Points/Upsert", &request)?;
        let r = request.into_inner();
        let upsert = call.convert(convert::upsert(&r).and_then(convert::model))?;
        write(
            &call,
            r.collection_name,
            r.wait,
            PointsUpdate::Upsert(upsert),
        )
        .await
    }

    async fn delete(
        &self,
        request: Request<pb::DeletePoints>,
    ) -> Result<Response<pb::PointsOperationResponse>, Status> {
        let call = self.open("Points/Delete", &request)?;
        let r = request.into_inner();
        let mut selector = call.convert(convert::points_selector(r.points.as_ref()))?;
        if let Some(keys) = call.convert(convert::shard_key(r.shard_key_selector.as_ref()))? {
            selector["shard_key"] = keys;
        }
        let selector = call.convert(convert::model(selector))?;
        write(
            &call,
            r.collection_name,
            r.wait,
            PointsUpdate::Delete(selector),
        )
        .await
    }

    async fn get(
        &self,
        request: Request<pb::GetPoints>,
    ) -> Result<Response<pb::GetResponse>, Status> {
        let call = self.open("Points/Get", &request)?;
        let r = request.into_inner();
        let body = call.convert(convert::get(&r).and_then(convert::model))?;
        let out = call
            .run(Operation::Retrieve {
                collection: r.collection_name,
                request: body,
            })
            .await?;
        let Outcome::Records(records) = out.outcome else {
            return Err(unexpected());
        };
        let result = records
            .iter()
            .map(convert::retrieved)
            .collect::<crate::error::Result<_>>()?;
        Ok(call.respond(
            pb::GetResponse {
                result,
                time: call.time(),
                usage: None,
            },
            &out.report,
        ))
    }

    async fn update_vectors(
        &self,
        request: Request<pb::UpdatePointVectors>,
    ) -> Result<Response<pb::PointsOperationResponse>, Status> {
        self.unimplemented("Points/UpdateVectors", request)
    }

    async fn delete_vectors(
        &self,
        request: Request<pb::DeletePointVectors>,
    ) -> Result<Response<pb::PointsOperationResponse>, Status> {
        self.unimplemented("Points/DeleteVectors", request)
    }

    async fn set_payload(
        &self,
        request: Request<pb::SetPayloadPoints>,
    ) -> Result<Response<pb::PointsOperationResponse>, Status> {
        let call = self.open("Points/SetPayload", &request)?;
        let r = request.into_inner();
        let body = call.convert(convert::set_payload(&r).and_then(convert::model))?;
        write(
            &call,
            r.collection_name,
            r.wait,
            PointsUpdate::SetPayload(body),
        )
        .await
    }

    async fn overwrite_payload(
        &self,
        request: Request<pb::SetPayloadPoints>,
    ) -> Result<Response<pb::PointsOperationResponse>, Status> {
        let call = self.open("Points/OverwritePayload", &request)?;
        let r = request.into_inner();
        let body = call.convert(convert::set_payload(&r).and_then(convert::model))?;
        write(
            &call,
            r.collection_name,
            r.wait,
            PointsUpdate::OverwritePayload(body),
        )
        .await
    }

    async fn delete_payload(
        &self,
        request: Request<pb::DeletePayloadPoints>,
    ) -> Result<Response<pb::PointsOperationResponse>, Status> {
        let call = self.open("Points/DeletePayload", &request)?;
        let r = request.into_inner();
        let body = call.convert(convert::delete_payload(&r).and_then(convert::model))?;
        write(
            &call,
            r.collection_name,
            r.wait,
            PointsUpdate::DeletePayload(body),
        )
        .await
    }

    async fn clear_payload(
        &self,
        request: Request<pb::ClearPayloadPoints>,
    ) -> Result<Response<pb::PointsOperationResponse>, Status> {
        let call = self.open("Points/ClearPayload", &request)?;
        let r = request.into_inner();
        let body = call.convert(convert::clear_payload(&r).and_then(convert::model))?;
        write(
            &call,
            r.collection_name,
            r.wait,
            PointsUpdate::ClearPayload(body),
        )
        .await
    }

    async fn create_field_index(
        &self,
        request: Request<pb::CreateFieldIndexCollection>,
    ) -> Result<Response<pb::PointsOperationResponse>, Status> {
        let call = self.open("Points/CreateFieldIndex", &request)?;
        let r = request.into_inner();
        let body = call.convert(convert::create_field_index(&r).and_then(convert::model))?;
        let out = call
            .run(Operation::CreateFieldIndex {
                collection: r.collection_name,
                request: body,
                wait: r.wait.unwrap_or(false),
            })
            .await?;
        update_response(&call, out)
    }

    async fn delete_field_index(
        &self,
        request: Request<pb::DeleteFieldIndexCollection>,
    ) -> Result<Response<pb::PointsOperationResponse>, Status> {
        let call = self.open("Points/DeleteFieldIndex", &request)?;
        let r = request.into_inner();
        let out = call
            .run(Operation::DeleteFieldIndex {
                collection: r.collection_name,
                field: r.field_name,
                wait: r.wait.unwrap_or(false),
            })
            .await?;
        update_response(&call, out)
    }

    async fn create_vector_name(
        &self,
        request: Request<pb::CreateVectorNameRequest>,
    ) -> Result<Response<pb::PointsOperationResponse>, Status> {
        self.unimplemented("Points/CreateVectorName", request)
    }

    async fn delete_vector_name(
        &self,
        request: Request<pb::DeleteVectorNameRequest>,
    ) -> Result<Response<pb::PointsOperationResponse>, Status> {
        self.unimplemented("Points/DeleteVectorName", request)
    }

    async fn search(
        &self,
        request: Request<pb::SearchPoints>,
    ) -> Result<Response<pb::SearchResponse>, Status> {
        let call = self.open("Points/Search", &request)?;
        let r = request.into_inner();
        let body = call.convert(convert::search(&r).and_then(convert::model))?;
        let (result, report) = scored_points(&call, r.collection_name, body).await?;
        Ok(call.respond(
            pb::SearchResponse {
                result,
                time: call.time(),
                usage: None,
            },
            &report,
        ))
    }

    async fn search_batch(
        &self,
        request: Request<pb::SearchBatchPoints>,
    ) -> Result<Response<pb::SearchBatchResponse>, Status> {
        let call = self.open("Points/SearchBatch", &request)?;
        let r = request.into_inner();
        let bodies = call.convert(
            r.search_points
                .iter()
                .map(|q| {
                    same_collection(&r.collection_name, &q.collection_name)?;
                    convert::search(q).and_then(convert::model)
                })
                .collect(),
        )?;
        let (batches, report) = scored_batches(&call, r.collection_name, bodies).await?;
        let result = batches
            .into_iter()
            .map(|result| pb::BatchResult { result })
            .collect();
        Ok(call.respond(
            pb::SearchBatchResponse {
                result,
                time: call.time(),
                usage: None,
            },
            &report,
        ))
    }

    async fn search_groups(
        &self,
        request: Request<pb::SearchPointGroups>,
    ) -> Result<Response<pb::SearchGroupsResponse>, Status> {
        self.unimplemented("Points/SearchGroups", request)
    }

    async fn scroll(
        &self,
        request: Request<pb::ScrollPoints>,
    ) -> Result<Response<pb::ScrollResponse>, Status> {
        let call = self.open("Points/Scroll", &request)?;
        let r = request.into_inner();
        let body = call.convert(convert::scroll(&r).and_then(convert::model))?;
        let out = call
            .run(Operation::Scroll {
                collection: r.collection_name,
                request: body,
            })
            .await?;
        let Outcome::Scroll(page) = out.outcome else {
            return Err(unexpected());
        };
        let result = page
            .points
            .iter()
            .map(convert::retrieved)
            .collect::<crate::error::Result<_>>()?;
        Ok(call.respond(
            pb::ScrollResponse {
                next_page_offset: page.next_page_offset.as_ref().map(convert::point_id_out),
                result,
                time: call.time(),
                usage: None,
            },
            &out.report,
        ))
    }

    async fn recommend(
        &self,
        request: Request<pb::RecommendPoints>,
    ) -> Result<Response<pb::RecommendResponse>, Status> {
        let call = self.open("Points/Recommend", &request)?;
        let r = request.into_inner();
        let body: crate::model::query::RecommendRequest =
            call.convert(convert::recommend(&r).and_then(convert::model))?;
        let (result, report) = scored_points(&call, r.collection_name, body.into()).await?;
        Ok(call.respond(
            pb::RecommendResponse {
                result,
                time: call.time(),
                usage: None,
            },
            &report,
        ))
    }

    async fn recommend_batch(
        &self,
        request: Request<pb::RecommendBatchPoints>,
    ) -> Result<Response<pb::RecommendBatchResponse>, Status> {
        let call = self.open("Points/RecommendBatch", &request)?;
        let r = request.into_inner();
        let bodies = call.convert(
            r.recommend_points
                .iter()
                .map(|q| {
                    same_collection(&r.collection_name, &q.collection_name)?;
                    let body: crate::model::query::RecommendRequest =
                        convert::recommend(q).and_then(convert::model)?;
                    Ok(body.into())
                })
                .collect(),
        )?;
        let (batches, report) = scored_batches(&call, r.collection_name, bodies).await?;
        let result = batches
            .into_iter()
            .map(|result| pb::BatchResult { result })
            .collect();
        Ok(call.respond(
            pb::RecommendBatchResponse {
                result,
                time: call.time(),
                usage: None,
            },
            &report,
        ))
    }

    async fn recommend_groups(
        &self,
        request: Request<pb::RecommendPointGroups>,
    ) -> Result<Response<pb::RecommendGroupsResponse>, Status> {
        self.unimplemented("Points/RecommendGroups", request)
    }

    async fn discover(
        &self,
        request: Request<pb::DiscoverPoints>,
    ) -> Result<Response<pb::DiscoverResponse>, Status> {
        self.unimplemented("Points/Discover", request)
    }

    async fn discover_batch(
        &self,
        request: Request<pb::DiscoverBatchPoints>,
    ) -> Result<Response<pb::DiscoverBatchResponse>, Status> {
        self.unimplemented("Points/DiscoverBatch", request)
    }

    async fn count(
        &self,
        request: Request<pb::CountPoints>,
    ) -> Result<Response<pb::CountResponse>, Status> {
        let call = self.open("Points/Count", &request)?;
        let r = request.into_inner();
        let body = call.convert(convert::count(&r).and_then(convert::model))?;
        let out = call
            .run(Operation::Count {
                collection: r.collection_name,
                request: body,
            })
            .await?;
        let Outcome::Count(c) = out.outcome else {
            return Err(unexpected());
        };
        Ok(call.respond(
            pb::CountResponse {
                result: Some(pb::CountResult {
                    count: c.count as u64,
                }),
                time: call.time(),
                usage: None,
            },
            &out.report,
        ))
    }

    async fn update_batch(
        &self,
        request: Request<pb::UpdateBatchPoints>,
    ) -> Result<Response<pb::UpdateBatchResponse>, Status> {
        self.unimplemented("Points/UpdateBatch", request)
    }

    async fn query(
        &self,
        request: Request<pb::QueryPoints>,
    ) -> Result<Response<pb::QueryResponse>, Status> {
        let call = self.open("Points/Query", &request)?;
        let r = request.into_inner();
        let body = call.convert(convert::query_points(&r).and_then(convert::model))?;
        let (result, report) = scored_points(&call, r.collection_name, body).await?;
        Ok(call.respond(
            pb::QueryResponse {
                result,
                time: call.time(),
                usage: None,
            },
            &report,
        ))
    }

    async fn query_batch(
        &self,
        request: Request<pb::QueryBatchPoints>,
    ) -> Result<Response<pb::QueryBatchResponse>, Status> {
        let call = self.open("Points/QueryBatch", &request)?;
        let r = request.into_inner();
        let bodies = call.convert(
            r.query_points
                .iter()
                .map(|q| {
                    same_collection(&r.collection_name, &q.collection_name)?;
                    convert::query_points(q).and_then(convert::model)
                })
                .collect(),
        )?;
        let (batches, report) = scored_batches(&call, r.collection_name, bodies).await?;
        let result = batches
            .into_iter()
            .map(|result| pb::BatchResult { result })
            .collect();
        Ok(call.respond(
            pb::QueryBatchResponse {
                result,
                time: call.time(),
                usage: None,
            },
            &report,
        ))
    }

    async fn query_groups(
        &self,
        request: Request<pb::QueryPointGroups>,
    ) -> Result<Response<pb::QueryGroupsResponse>, Status> {
        let call = self.open("Points/QueryGroups", &request)?;
        let r = request.into_inner();
        let body = call.convert(convert::query_groups(&r).and_then(convert::model))?;
        let out = call
            .run(Operation::QueryGroups {
                collection: r.collection_name,
                request: body,
            })
            .await?;
        let Outcome::Groups(g) = out.outcome else {
            return Err(unexpected());
        };
        let groups = g
            .groups
            .iter()
            .map(convert::group)
            .collect::<crate::error::Result<_>>()?;
        Ok(call.respond(
            pb::QueryGroupsResponse {
                result: Some(pb::GroupsResult { groups }),
                time: call.time(),
                usage: None,
            },
            &out.report,
        ))
    }

    async fn facet(
        &self,
        request: Request<pb::FacetCounts>,
    ) -> Result<Response<pb::FacetResponse>, Status> {
        let call = self.open("Points/Facet", &request)?;
        let r = request.into_inner();
        let body = call.convert(convert::facet(&r).and_then(convert::model))?;
        let out = call
            .run(Operation::Facet {
                collection: r.collection_name,
                request: body,
            })
            .await?;
        let Outcome::Facet(f) = out.outcome else {
            return Err(unexpected());
        };
        let hits = f
            .hits
            .iter()
            .map(convert::facet_hit)
            .collect::<crate::error::Result<_>>()?;
        Ok(call.respond(
            pb::FacetResponse {
                hits,
                time: call.time(),
                usage: None,
            },
            &out.report,
        ))
    }

    async fn search_matrix_pairs(
        &self,
        request: Request<pb::SearchMatrixPoints>,
    ) -> Result<Response<pb::SearchMatrixPairsResponse>, Status> {
        self.unimplemented("Points/SearchMatrixPairs", request)
    }

    async fn search_matrix_offsets(
        &self,
        request: Request<pb::SearchMatrixPoints>,
    ) -> Result<Response<pb::SearchMatrixOffsetsResponse>, Status> {
        self.unimplemented("Points/SearchMatrixOffsets", request)
    }
}

/// Snapshots copy whole collections across tenants: never through ragwall.
fn snapshots_denied<R>(
    grpc: &Grpc,
    method: &str,
    request: Request<impl Sized>,
) -> Result<Response<R>, Status> {
    grpc.refuse(
        method,
        request,
        Error::Forbidden("snapshots are not available through ragwall".into()),
    )
}

#[tonic::async_trait]
impl Snapshots for Grpc {
    async fn create(
        &self,
        request: Request<pb::CreateSnapshotRequest>,
    ) -> Result<Response<pb::CreateSnapshotResponse>, Status> {
        snapshots_denied(self, "Snapshots/Create", request)
    }

    async fn list(
        &self,
        request: Request<pb::ListSnapshotsRequest>,
    ) -> Result<Response<pb::ListSnapshotsResponse>, Status> {
        snapshots_denied(self, "Snapshots/List", request)
    }

    async fn delete(
        &self,
        request: Request<pb::DeleteSnapshotRequest>,
    ) -> Result<Response<pb::DeleteSnapshotResponse>, Status> {
        snapshots_denied(self, "Snapshots/Delete", request)
    }

    async fn create_full(
        &self,
        request: Request<pb::CreateFullSnapshotRequest>,
    ) -> Result<Response<pb::CreateSnapshotResponse>, Status> {
        snapshots_denied(self, "Snapshots/CreateFull", request)
    }

    async fn list_full(
        &self,
        request: Request<pb::ListFullSnapshotsRequest>,
    ) -> Result<Response<pb::ListSnapshotsResponse>, Status> {
        snapshots_denied(self, "Snapshots/ListFull", request)
    }

    async fn delete_full(
        &self,
        request: Request<pb::DeleteFullSnapshotRequest>,
    ) -> Result<Response<pb::DeleteSnapshotResponse>, Status> {
        snapshots_denied(self, "Snapshots/DeleteFull", request)
    }
}
