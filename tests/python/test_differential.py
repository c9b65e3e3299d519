"""Differential suite: the official Python client, unchanged, against ragwall
serving its embedded engine, compared call by call with the same client's
local mode (`QdrantClient(":memory:")`), Qdrant's independent reference
implementation. Same ids, same order, same payloads, scores within 1e-4.
"""

import json
import math
import random
import subprocess

import pytest
from qdrant_client import QdrantClient, models

from conftest import ADMIN_KEY, Deployment, ragwall_binary

N_POINTS = 10_000
DIM = 16
SEED = 20261124
CITIES = ["berlin", "paris", "lisbon", "rome", "oslo", "madrid", "vienna"]
TAGS = ["a", "b", "c", "d", "e"]
SCORE_TOL = 1e-4


def vec(rng: random.Random, dim: int = DIM) -> list[float]:
    return [rng.uniform(-1.0, 1.0) for _ in range(dim)]


def make_points(rng: random.Random) -> list[models.PointStruct]:
    points = []
    for i in range(N_POINTS):
        payload = {
            "city": rng.choice(CITIES),
            "price": round(rng.uniform(0, 1000), 2),
            "count": rng.randint(0, 100),
            "tags": rng.sample(TAGS, rng.randint(0, 3)),
            "nested": {"level": rng.randint(0, 5), "name": rng.choice(CITIES)},
            "text": f"chunk {i} about {rng.choice(CITIES)}",
        }
        if i % 10 == 0:
            payload["optional"] = None
        points.append(
            models.PointStruct(
                id=i,
                vector={"text": vec(rng), "image": vec(rng, 8)},
                payload=payload,
            )
        )
    return points


def tenant_policy(key_hash: str) -> str:
    return f"""
[collections.diff]
tenancy = "payload"
provenance = "off"

[[tenants]]
id = "t"
grants = {{ diff = ["read", "write"] }}
keys = [{{ id = "t-rw", hash = "{key_hash}", scopes = ["read", "write"] }}]
"""


@pytest.fixture(scope="module", params=["admin", "tenant", "tenant-remote", "admin-grpc", "tenant-grpc"])
def pair(tmp_path_factory, request):
    """The same collection, loaded identically into ragwall and local mode.

    `admin`: ragwall's admin credential, no rewriting. `tenant`: a tenant
    credential on a payload-shared collection whose points are all its own,
    so every request runs through the firewall's rewrite and guard;
    `tenant-remote`: the same, with ragwall fronting a second ragwall as a
    remote Qdrant. `*-grpc`: the same client with `prefer_grpc=True`, over
    ragwall's gRPC listener."""
    mode = request.param
    key = json.loads(subprocess.run([ragwall_binary(), "key", "new"], check=True,
                                    capture_output=True, text=True).stdout)
    deployment = Deployment(tmp_path_factory.mktemp("diff"),
                            "remote" if mode == "tenant-remote" else "embedded",
                            tenant_policy(key["hash"]))
    grpc = {"prefer_grpc": True, "grpc_port": deployment.front.grpc_port} if mode.endswith("grpc") else {}
    admin = QdrantClient(url=deployment.url, api_key=ADMIN_KEY, timeout=120, **grpc)
    remote = admin if mode.startswith("admin") else QdrantClient(url=deployment.url, api_key=key["key"],
                                                                  timeout=120, **grpc)
    tenant = None if mode.startswith("admin") else "t"
    local = QdrantClient(":memory:")
    rng = random.Random(SEED)
    points = make_points(rng)
    if tenant:
        for p in points:
            p.payload["tenant_id"] = tenant
    for manager, writer in ((admin, remote), (local, local)):
        manager.create_collection(
            "diff",
            vectors_config={
                "text": models.VectorParams(size=DIM, distance=models.Distance.COSINE),
                "image": models.VectorParams(size=8, distance=models.Distance.DOT),
            },
        )
        for start in range(0, N_POINTS, 1000):
            writer.upsert("diff", points[start : start + 1000], wait=True)
        for field, schema in (("city", "keyword"), ("count", "integer"), ("tenant_id", "keyword")):
            manager.create_payload_index("diff", field, schema, wait=True)
    yield remote, local, random.Random(SEED + 1), tenant
    remote.close()
    admin.close()
    local.close()
    deployment.stop()


def assert_vectors_close(a, b):
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b)
        for k in a:
            assert_vectors_close(a[k], b[k])
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b)
        for x, y in zip(a, b):
            assert_vectors_close(x, y)
    elif a is None:
        assert b is None
    else:
        assert math.isclose(a, b, abs_tol=SCORE_TOL), (a, b)


def assert_same_points(got, want, scored=True):
    """Same ids in the same order (ties within tolerance may swap), same
    payloads and vectors, scores within 1e-4."""
    assert len(got) == len(want), ([p.id for p in got], [p.id for p in want])
    by_id = {p.id: p for p in want}
    i = 0
    while i < len(want):
        # A run of near-equal scores may come back in either order.
        j = i + 1
        while scored and j < len(want) and abs(want[j].score - want[i].score) <= 1e-5:
            j += 1
        assert {p.id for p in got[i:j]} == {p.id for p in want[i:j]}, (
            f"rank {i}: got {[p.id for p in got[i:j]]}, want {[p.id for p in want[i:j]]}"
        )
        i = j
    for g in got:
        w = by_id[g.id]
        assert g.payload == w.payload, (g.id, g.payload, w.payload)
        assert_vectors_close(g.vector, w.vector)
        if scored:
            assert math.isclose(g.score, w.score, abs_tol=SCORE_TOL), (g.id, g.score, w.score)


def both(pair, fn):
    remote, local = pair[0], pair[1]
    return fn(remote), fn(local)


NESTED_FILTERS = [
    models.Filter(must=[models.FieldCondition(key="city", match=models.MatchValue(value="paris"))]),
    models.Filter(
        must=[models.FieldCondition(key="price", range=models.Range(gte=100, lt=600))],
        must_not=[models.FieldCondition(key="city", match=models.MatchAny(any=["rome", "oslo"]))],
    ),
    models.Filter(
        should=[
            models.FieldCondition(key="tags", match=models.MatchValue(value="a")),
            models.Filter(
                must=[
                    models.FieldCondition(key="nested.level", range=models.Range(gte=3)),
                    models.FieldCondition(key="count", range=models.Range(lte=50)),
                ]
            ),
        ],
        must_not=[models.IsEmptyCondition(is_empty=models.PayloadField(key="tags"))],
    ),
    models.Filter(
        must=[
            models.Filter(
                should=[
                    models.FieldCondition(key="nested.name", match=models.MatchValue(value="lisbon")),
                    models.FieldCondition(key="city", match=models.MatchExcept(**{"except": ["berlin", "paris", "rome"]})),
                ]
            ),
            models.HasIdCondition(has_id=list(range(0, N_POINTS, 3))),
        ]
    ),
    models.Filter(
        min_should=models.MinShould(
            conditions=[
                models.FieldCondition(key="city", match=models.MatchValue(value="vienna")),
                models.FieldCondition(key="count", range=models.Range(gt=70)),
                models.FieldCondition(key="tags", match=models.MatchAny(any=["b", "c"])),
            ],
            min_count=2,
        )
    ),
    models.Filter(must=[models.IsNullCondition(is_null=models.PayloadField(key="optional"))]),
]


@pytest.mark.parametrize("flt", range(len(NESTED_FILTERS)))
def test_query_nearest_with_nested_filters(pair, flt):
    rng = pair[2]
    q = vec(rng)
    got, want = both(
        pair,
        lambda c: c.query_points(
            "diff", query=q, using="text", query_filter=NESTED_FILTERS[flt], limit=25,
            with_payload=True, with_vectors=["image"],
        ).points,
    )
    assert want, "the reference found nothing: the filter is too narrow to be a test"
    assert_same_points(got, want)


def test_query_offset_threshold_and_dot_space(pair):
    rng = pair[2]
    q = vec(rng, 8)
    got, want = both(
        pair,
        lambda c: c.query_points("diff", query=q, using="image", limit=15, offset=7,
                                 score_threshold=0.2).points,
    )
    assert want
    assert_same_points(got, want)


def test_query_by_point_id_excludes_itself(pair):
    got, want = both(pair, lambda c: c.query_points("diff", query=42, using="text", limit=10).points)
    assert 42 not in [p.id for p in got]
    assert_same_points(got, want)


def test_prefetch_with_rrf_fusion(pair):
    rng = pair[2]
    qt, qi = vec(rng), vec(rng, 8)
    got, want = both(
        pair,
        lambda c: c.query_points(
            "diff",
            prefetch=[
                models.Prefetch(query=qt, using="text", limit=40),
                models.Prefetch(query=qi, using="image", limit=40,
                                filter=NESTED_FILTERS[0]),
            ],
            query=models.FusionQuery(fusion=models.Fusion.RRF),
            limit=20,
        ).points,
    )
    assert_same_points(got, want)


def test_query_batch(pair):
    rng = pair[2]
    requests = [
        models.QueryRequest(query=vec(rng), using="text", limit=5, filter=NESTED_FILTERS[i],
                            with_payload=True)
        for i in range(3)
    ]
    got, want = both(pair, lambda c: c.query_batch_points("diff", requests))
    assert len(got) == len(want) == 3
    for g, w in zip(got, want):
        assert_same_points(g.points, w.points)


def test_legacy_search_and_recommend(pair):
    rng = pair[2]
    q = vec(rng)
    remote, local = pair[0], pair[1]
    # The legacy endpoints, exactly as older RAG frameworks call them.
    got = remote.http.search_api.search_points(
        "diff", search_request=models.SearchRequest(
            vector=models.NamedVector(name="text", vector=q), limit=10, with_payload=True,
            filter=NESTED_FILTERS[1])).result
    want = local.query_points("diff", query=q, using="text", limit=10,
                              query_filter=NESTED_FILTERS[1]).points
    assert_same_points(got, want)

    for strategy in (models.RecommendStrategy.AVERAGE_VECTOR, models.RecommendStrategy.BEST_SCORE):
        got = remote.http.search_api.recommend_points(
            "diff", recommend_request=models.RecommendRequest(
                positive=[1, 2], negative=[3], using="text", limit=10, strategy=strategy,
                with_payload=True)).result
        want = local.query_points(
            "diff", query=models.RecommendQuery(recommend=models.RecommendInput(
                positive=[1, 2], negative=[3], strategy=strategy)),
            using="text", limit=10).points
        assert_same_points(got, want)


def test_query_groups(pair):
    rng = pair[2]
    q = vec(rng)
    got, want = both(
        pair,
        lambda c: c.query_points_groups("diff", group_by="city", query=q, using="text",
                                        limit=4, group_size=3, with_payload=True).groups,
    )
    assert [g.id for g in got] == [g.id for g in want]
    for g, w in zip(got, want):
        assert_same_points(g.hits, w.hits)


def test_scroll_pagination_with_filter(pair):
    def all_pages(c):
        out, offset = [], None
        while True:
            page, offset = c.scroll("diff", scroll_filter=NESTED_FILTERS[2], limit=137,
                                    offset=offset, with_payload=True, with_vectors=True)
            out.extend(page)
            if offset is None:
                return out
    got, want = both(pair, all_pages)
    assert len(want) > 137 * 2
    assert_same_points(got, want, scored=False)


def test_retrieve_and_count(pair):
    ids = [0, 5, 17, 9999, 123456]  # the last one does not exist
    got, want = both(pair, lambda c: c.retrieve("diff", ids, with_payload=True, with_vectors=True))
    assert sorted(p.id for p in got) == [0, 5, 17, 9999]
    assert_same_points(sorted(got, key=lambda p: p.id), sorted(want, key=lambda p: p.id), scored=False)
    for f in NESTED_FILTERS:
        got, want = both(pair, lambda c: c.count("diff", count_filter=f, exact=True).count)
        assert got == want > 0


def test_facet(pair):
    got, want = both(pair, lambda c: c.facet("diff", "city", limit=10, exact=True,
                                              facet_filter=NESTED_FILTERS[1]).hits)
    assert sorted((h.value, h.count) for h in got) == sorted((h.value, h.count) for h in want)
    assert len(got) > 1


def test_payload_updates_then_delete_by_filter(pair):
    remote, local, _, tenant = pair
    # Through the firewall the tenant field survives overwrite and clear
    # (a point must stay its tenant's); the reference is told the same.
    pinned = {"tenant_id": tenant} if tenant else {}
    for c in (remote, local):
        c.set_payload("diff", payload={"flag": "set"},
                      points=models.Filter(must=[models.FieldCondition(
                          key="city", match=models.MatchValue(value="oslo"))]), wait=True)
        c.overwrite_payload("diff", payload={"city": "rome", "replaced": True, **pinned},
                            points=[10, 11, 12], wait=True)
        c.delete_payload("diff", keys=["tags", "nested"], points=[20, 21], wait=True)
    remote.clear_payload("diff", points_selector=[30, 31], wait=True)
    if tenant:
        local.overwrite_payload("diff", payload=pinned, points=[30, 31], wait=True)
    else:
        local.clear_payload("diff", points_selector=[30, 31], wait=True)
    ids = [10, 11, 12, 20, 21, 30, 31] + list(range(40, 60))
    got, want = both(pair, lambda c: c.retrieve("diff", ids, with_payload=True))
    assert_same_points(sorted(got, key=lambda p: p.id), sorted(want, key=lambda p: p.id), scored=False)
    flag = models.Filter(must=[models.FieldCondition(key="flag", match=models.MatchValue(value="set"))])
    got, want = both(pair, lambda c: c.count("diff", count_filter=flag).count)
    assert got == want > 0

    for c in (remote, local):
        c.delete("diff", points_selector=models.FilterSelector(filter=NESTED_FILTERS[0]), wait=True)
    got, want = both(pair, lambda c: c.count("diff", exact=True).count)
    assert got == want < N_POINTS
    got, want = both(pair, lambda c: c.count("diff", count_filter=NESTED_FILTERS[0]).count)
    assert got == want == 0
