//! Verify cost per chunk at 256 B, 1 KiB, 2 KiB, 4 KiB and 16 KiB of text
//! (target: ≤ 3 µs for 2 KiB on one core).
//!
//! Run: `cargo bench --bench provenance`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ragwall::model::PointId;
use ragwall::provenance::{sign, verify, KeyRing, Origin};
use serde_json::json;

fn verify_chunk(c: &mut Criterion) {
    let mut ring = KeyRing::default();
    ring.add("k1", [3u8; 32]).unwrap();
    let origin = Origin {
        collection: "docs",
        tenant: "acme",
        id: PointId::NumId(7),
    };
    let fields = vec!["text".to_string(), "source".to_string()];
    let mut group = c.benchmark_group("provenance/verify");
    for size in [256usize, 1024, 2048, 4096, 16384] {
        let text: String = "retrieval firewall ".chars().cycle().take(size).collect();
        let payload = json!({"text": text, "source": "wiki", "page": 3})
            .as_object()
            .unwrap()
            .clone();
        let p = sign(&ring, origin, &payload, &fields, 1_700_000_000, None, None).unwrap();
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::from_parameter(size), &size, |b, _| {
            b.iter(|| verify(&ring, origin, &payload, &fields, Some(&p), None).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, verify_chunk);
criterion_main!(benches);
