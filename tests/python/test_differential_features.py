"""Differential suite, part two: the rest of the query language and write
forms (sparse vectors, UUID ids, batch upserts, conditional upserts,
discover/context, order_by, fusion variants, MMR), each compared with the
client's local mode."""

import random
import uuid

import pytest
from qdrant_client import QdrantClient, models

from conftest import ADMIN_KEY, Ragwall

from test_differential import assert_same_points, vec

N = 600
SEED = 7


@pytest.fixture(scope="module", params=["rest", "grpc"])
def clients(request, tmp_path_factory):
    server = Ragwall(tmp_path_factory.mktemp("features") / "data").start()
    grpc = {"prefer_grpc": True, "grpc_port": server.grpc_port} if request.param == "grpc" else {}
    remote = QdrantClient(url=server.url, api_key=ADMIN_KEY, timeout=60, **grpc)
    local = QdrantClient(":memory:")
    yield remote, local
    remote.close()
    local.close()
    server.stop()


def both(clients, fn):
    return fn(clients[0]), fn(clients[1])


def sparse(rng: random.Random) -> models.SparseVector:
    indices = sorted(rng.sample(range(200), rng.randint(1, 12)))
    return models.SparseVector(indices=indices, values=[rng.uniform(0.01, 1.0) for _ in indices])


@pytest.fixture(scope="module")
def hybrid(clients):
    """Dense + sparse named vectors, UUID ids, loaded with the batch form."""
    rng = random.Random(SEED)
    ids = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(N)]
    dense = [vec(rng, 8) for _ in range(N)]
    sparse_vectors = [sparse(rng) for _ in range(N)]
    payloads = [{"rank": i, "group": rng.choice(["x", "y", "z"]), "score": rng.random()} for i in range(N)]
    for c in clients:
        c.create_collection(
            "hybrid",
            vectors_config={"dense": models.VectorParams(size=8, distance=models.Distance.EUCLID)},
            sparse_vectors_config={"sparse": models.SparseVectorParams()},
        )
        c.create_payload_index("hybrid", "rank", models.PayloadSchemaType.INTEGER, wait=True)
        c.create_payload_index("hybrid", "group", models.PayloadSchemaType.KEYWORD, wait=True)
        for start in range(0, N, 200):
            end = start + 200
            c.upsert("hybrid", models.Batch(
                ids=ids[start:end],
                vectors={"dense": dense[start:end], "sparse": sparse_vectors[start:end]},
                payloads=payloads[start:end],
            ), wait=True)
    return ids, random.Random(SEED + 1)


def test_sparse_query(clients, hybrid):
    _, rng = hybrid
    q = sparse(rng)
    got, want = both(clients, lambda c: c.query_points("hybrid", query=q, using="sparse", limit=12,
                                                       with_payload=True).points)
    assert want
    assert_same_points(got, want)


def test_euclid_query_by_uuid_id_and_dbsf(clients, hybrid):
    ids, rng = hybrid
    got, want = both(clients, lambda c: c.query_points("hybrid", query=ids[3], using="dense",
                                                       limit=10).points)
    assert ids[3] not in [str(p.id) for p in got]
    assert_same_points(got, want)

    q_dense, q_sparse = vec(rng, 8), sparse(rng)
    got, want = both(clients, lambda c: c.query_points(
        "hybrid",
        prefetch=[models.Prefetch(query=q_dense, using="dense", limit=30),
                  models.Prefetch(query=q_sparse, using="sparse", limit=30)],
        query=models.FusionQuery(fusion=models.Fusion.DBSF), limit=10).points)
    assert_same_points(got, want)


def test_discover_and_context(clients, hybrid):
    ids, rng = hybrid
    discover = models.DiscoverQuery(discover=models.DiscoverInput(
        target=vec(rng, 8),
        context=[models.ContextPair(positive=ids[1], negative=ids[2])]))
    got, want = both(clients, lambda c: c.query_points("hybrid", query=discover, using="dense",
                                                       limit=10).points)
    assert_same_points(got, want)

    context = models.ContextQuery(context=[
        models.ContextPair(positive=vec(rng, 8), negative=vec(rng, 8)),
        models.ContextPair(positive=ids[5], negative=ids[6])])
    got, want = both(clients, lambda c: c.query_points("hybrid", query=context, using="dense",
                                                       limit=10).points)
    assert_same_points(got, want)


def test_recommend_sum_scores_and_mmr(clients, hybrid):
    ids, rng = hybrid
    reco = models.RecommendQuery(recommend=models.RecommendInput(
        positive=[ids[10], vec(rng, 8)], negative=[ids[11]],
        strategy=models.RecommendStrategy.SUM_SCORES))
    got, want = both(clients, lambda c: c.query_points("hybrid", query=reco, using="dense",
                                                       limit=10).points)
    assert_same_points(got, want)

    mmr = models.NearestQuery(nearest=vec(rng, 8), mmr=models.Mmr(diversity=0.3, candidates_limit=40))
    got, want = both(clients, lambda c: c.query_points("hybrid", query=mmr, using="dense",
                                                       limit=8).points)
    assert [p.id for p in got] == [p.id for p in want]


def test_order_by_query_and_scroll(clients, hybrid):
    order = models.OrderBy(key="rank", direction=models.Direction.DESC)
    flt = models.Filter(must=[models.FieldCondition(key="group", match=models.MatchValue(value="y"))])
    got, want = both(clients, lambda c: c.query_points("hybrid", query=models.OrderByQuery(order_by=order),
                                                       query_filter=flt, limit=15,
                                                       with_payload=True).points)
    assert [p.payload["rank"] for p in got] == [p.payload["rank"] for p in want]
    assert [p.id for p in got] == [p.id for p in want]

    got, want = both(clients, lambda c: c.scroll("hybrid", order_by="rank", limit=20,
                                                 scroll_filter=flt)[0])
    assert [p.id for p in got] == [p.id for p in want]


def test_conditional_upsert_and_update_mode(clients, hybrid):
    ids, rng = hybrid
    only_x = models.Filter(must=[models.FieldCondition(key="group", match=models.MatchValue(value="x"))])
    targets = ids[20:40]
    fresh = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(5)]
    new_points = [models.PointStruct(id=i, vector={"dense": vec(rng, 8)},
                                     payload={"rank": -1, "group": "w"}) for i in targets + fresh]
    for c in clients:
        c.upsert("hybrid", new_points, update_filter=only_x, wait=True)
    got, want = both(clients, lambda c: c.retrieve("hybrid", targets + fresh, with_payload=True))
    key = lambda p: str(p.id)
    assert_same_points(sorted(got, key=key), sorted(want, key=key), scored=False)
    # Some targets were group x and were replaced, others kept their payload.
    assert 0 < sum(p.payload["group"] == "w" for p in got if str(p.id) in targets) < len(targets)

    insert_only = [models.PointStruct(id=i, vector={"dense": vec(rng, 8)}, payload={"rank": -2})
                   for i in ids[40:45] + [str(uuid.UUID(int=rng.getrandbits(128)))]]
    for c in clients:
        c.upsert("hybrid", insert_only, update_mode=models.UpdateMode.INSERT_ONLY, wait=True)
    got, want = both(clients, lambda c: c.count("hybrid", count_filter=models.Filter(must=[
        models.FieldCondition(key="rank", match=models.MatchValue(value=-2))])).count)
    assert got == want == 1


def test_collection_listing_existence_and_deletion(clients):
    remote, local = clients
    for c in clients:
        c.create_collection("short-lived", vectors_config=models.VectorParams(
            size=3, distance=models.Distance.DOT))
    assert remote.collection_exists("short-lived") and local.collection_exists("short-lived")
    names = lambda c: sorted(x.name for x in c.get_collections().collections)
    assert names(remote) == names(local)
    info = remote.get_collection("short-lived")
    assert info.config.params.vectors.size == 3
    assert info.points_count == 0
    for c in clients:
        assert c.delete_collection("short-lived")
    assert not remote.collection_exists("short-lived")
    assert names(remote) == names(local)


def test_legacy_batches_and_index_removal(clients, hybrid):
    remote, local = clients
    _, rng = hybrid
    queries = [vec(rng, 8) for _ in range(3)]
    got = remote.http.search_api.search_batch_points("hybrid", search_request_batch=models.SearchRequestBatch(
        searches=[models.SearchRequest(vector=models.NamedVector(name="dense", vector=q), limit=5,
                                       with_payload=True) for q in queries])).result
    want = local.query_batch_points("hybrid", [models.QueryRequest(query=q, using="dense", limit=5,
                                                                   with_payload=True) for q in queries])
    assert len(got) == 3
    for g, w in zip(got, want):
        assert_same_points(g, w.points)

    ids = [p.id for p in want[0].points]
    got = remote.http.search_api.recommend_batch_points("hybrid", recommend_request_batch=models.RecommendRequestBatch(
        searches=[models.RecommendRequest(positive=[ids[0]], using="dense", limit=4, with_payload=True)])).result
    want = local.query_points("hybrid", query=models.RecommendQuery(recommend=models.RecommendInput(
        positive=[ids[0]])), using="dense", limit=4)
    assert_same_points(got[0], want.points)

    assert "group" in remote.get_collection("hybrid").payload_schema
    remote.delete_payload_index("hybrid", "group", wait=True)
    assert "group" not in remote.get_collection("hybrid").payload_schema
