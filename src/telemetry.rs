//! Prometheus metrics: one process-wide recorder, rendered at the admin
//! port's `/metrics`.
//!
//! Counters are updated where the audit record is emitted
//! (`audit::Entry`), so the two always agree. Labels are bounded: tenant
//! ids (created by admins), operation names, decisions and drop reasons.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::audit::Record;

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Latency buckets, seconds: 50 µs to 10 s.
const BUCKETS: &[f64] = &[
    0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
    1.0, 2.5, 10.0,
];

/// Installs the recorder (once per process; later calls share it).
pub fn install() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("duration_seconds".into()), BUCKETS)
                .ok()?
                .install_recorder();
            match recorder {
                Ok(handle) => Some(handle),
                Err(e) => {
                    tracing::warn!(error = %e, "metrics recorder not installed");
                    None
                }
            }
        })
        .as_ref()
}

/// The metrics in Prometheus' text format.
pub fn render() -> String {
    install().map(PrometheusHandle::render).unwrap_or_default()
}

/// Counts one finished request.
pub fn record_request(record: &Record, upstream_failure: Option<&'static str>) {
    let operation = record.operation.clone().unwrap_or_else(|| "none".into());
    let tenant = record.tenant.clone().unwrap_or_else(|| "-".into());
    metrics::counter!(
        "ragwall_requests_total",
        "protocol" => record.protocol.clone(),
        "operation" => operation.clone(),
        "tenant" => tenant,
        "decision" => record.decision.clone(),
    )
    .increment(1);
    metrics::histogram!(
        "ragwall_request_duration_seconds",
        "protocol" => record.protocol.clone(),
        "operation" => operation,
    )
    .record(record.latency_us as f64 / 1e6);
    // What ragwall itself added: the request's time minus backend waits.
    metrics::histogram!(
        "ragwall_overhead_seconds",
        "protocol" => record.protocol.clone(),
    )
    .record(record.latency_us.saturating_sub(record.backend_us) as f64 / 1e6);
    for (name, notes) in [
        ("ragwall_points_dropped_total", &record.dropped),
        ("ragwall_points_flagged_total", &record.flagged),
    ] {
        for note in notes {
            metrics::counter!(name, "reason" => note.reason.clone()).increment(1);
        }
    }
    if let Some(kind) = upstream_failure {
        metrics::counter!("ragwall_upstream_errors_total", "kind" => kind).increment(1);
    }
}

/// Counts an audit record that could not be queued.
pub fn audit_record_lost() {
    metrics::counter!("ragwall_audit_records_lost_total").increment(1);
}
