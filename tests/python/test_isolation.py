"""Adversarial suite: tenant `acme` tries everything against tenant
`victim`, who shares a collection with interleaved points. Every attack is
written first as a request Qdrant's API accepts; each must come back with
zero of the victim's ids, payloads, vectors or counts, and the victim's data
must be byte-identical at the end.

Attacks follow `shared/qdrant-surface.md` section 2 (the number is given).
They run through the official Python client where it can express them, and
through raw HTTP where it cannot."""

import json
import random
import subprocess
import urllib.request

import grpc
import pytest
from qdrant_client import QdrantClient, models
from qdrant_client.http.exceptions import UnexpectedResponse

from conftest import ADMIN_KEY, Deployment, ragwall_binary

DIM = 8
N = 400  # points per tenant, interleaved ids: acme even, victim odd


def new_key() -> dict:
    out = subprocess.run([ragwall_binary(), "key", "new"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def vec(rng):
    return [rng.uniform(-1, 1) for _ in range(DIM)]


class World:
    def __init__(self, server, keys, grpc=False):
        self.server = server
        self.keys = keys
        self.grpc = grpc
        # Over gRPC the client's own calls go through ragwall's gRPC listener;
        # the raw-HTTP attacks stay REST (they attack REST parsing).
        extra = {"prefer_grpc": True, "grpc_port": server.front.grpc_port} if grpc else {}
        self.admin = QdrantClient(url=server.url, api_key=ADMIN_KEY, timeout=60, **extra)
        self.acme = QdrantClient(url=server.url, api_key=keys["acme"]["key"], timeout=60, **extra)
        self.acme_ro = QdrantClient(url=server.url, api_key=keys["acme_ro"]["key"], timeout=60, **extra)
        self.victim = QdrantClient(url=server.url, api_key=keys["victim"]["key"], timeout=60, **extra)

    def http(self, method, path, body=None, key="acme"):
        """A raw request, as any HTTP client could send it."""
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        req = urllib.request.Request(self.server.url + path, data=data, method=method)
        req.add_header("content-type", "application/json")
        if key is not None:
            req.add_header("api-key", self.keys[key]["key"] if key in self.keys else key)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def victim_state(self):
        """Every victim point, payload and vector, as the admin sees it."""
        points, _ = self.admin.scroll("shared", limit=10_000, with_payload=True, with_vectors=True,
                                      scroll_filter=models.Filter(must=[models.FieldCondition(
                                          key="tenant_id", match=models.MatchValue(value="victim"))]))
        return sorted((p.id, json.dumps(p.payload, sort_keys=True), json.dumps(p.vector)) for p in points)


@pytest.fixture(scope="module", params=["embedded", "remote", "remote-rest", "embedded-grpc"])
def world(tmp_path_factory, request):
    keys = {name: new_key() for name in ("acme", "acme_ro", "victim")}
    root = tmp_path_factory.mktemp("isolation")
    policy = f"""
[collections.shared]
tenancy = "payload"
tenant_field = "tenant_id"
# Payload writes' tenant rewrite is under test here, and signed collections
# refuse most of them; provenance has its own suite (test_provenance.py).
provenance = "off"

[collections.acme_private]
tenancy = "collection"

[collections.victim_private]
tenancy = "collection"

[[tenants]]
id = "acme"
grants = {{ shared = ["read", "write"], acme_private = ["read", "write"] }}
keys = [
  {{ id = "acme-rw", hash = "{keys['acme']['hash']}", scopes = ["read", "write"] }},
  {{ id = "acme-ro", hash = "{keys['acme_ro']['hash']}", scopes = ["read"] }},
]

[[tenants]]
id = "victim"
grants = {{ shared = ["read", "write"], victim_private = ["read", "write"] }}
keys = [{{ id = "victim-rw", hash = "{keys['victim']['hash']}", scopes = ["read", "write"] }}]
"""
    server = Deployment(root, request.param.removesuffix("-grpc"), policy)
    w = World(server, keys, grpc=request.param.endswith("-grpc"))
    for name in ("shared", "acme_private", "victim_private"):
        w.admin.create_collection(name, vectors_config=models.VectorParams(size=DIM, distance=models.Distance.DOT))
    w.admin.create_payload_index("shared", "tenant_id", models.PayloadSchemaType.KEYWORD, wait=True)
    w.admin.create_payload_index("shared", "topic", models.PayloadSchemaType.KEYWORD, wait=True)
    rng = random.Random(3)
    for tenant, client, parity in (("acme", w.acme, 0), ("victim", w.victim, 1)):
        points = [models.PointStruct(id=2 * i + parity, vector=vec(rng),
                                     payload={"text": f"{tenant} doc {i}", "topic": rng.choice(["a", "b"]),
                                              "ref": 2 * i + 1 - parity, "self": 2 * i + parity})
                  for i in range(N)]
        client.upsert("shared", points, wait=True)  # no tenant_id: ragwall pins it
    w.victim.upsert("victim_private", [models.PointStruct(id=1, vector=vec(rng), payload={"secret": 1})], wait=True)
    w.before = w.victim_state()
    assert len(w.before) == N
    yield w
    assert w.victim_state() == w.before, "the victim's data changed"
    server.stop()


VICTIM_IDS = [1, 3, 5, 7, 399]


def assert_no_victim(points):
    for p in points:
        assert p.id % 2 == 0, f"victim point {p.id} leaked"
        if p.payload is not None:
            assert "victim" not in json.dumps(p.payload), p.payload


def assert_refused(status, body, code, text):
    assert status == code, (status, body)
    assert text in body["status"]["error"], body


# ---------------------------------------------------------------- identity

def test_no_or_wrong_credential_is_401(world):
    for key in (None, "rw_" + "0" * 64, ADMIN_KEY + "x"):
        status, body = world.http("POST", "/collections/shared/points/scroll", {}, key=key)
        assert status == 401, (key, status)
        assert "status" in body


def test_tenant_sees_only_its_collections(world):
    names = {c.name for c in world.acme.get_collections().collections}
    assert names == {"shared", "acme_private"}
    assert not world.acme.collection_exists("victim_private")
    with pytest.raises((UnexpectedResponse, grpc.RpcError)) as e:
        world.acme.get_collection("victim_private")
    if isinstance(e.value, grpc.RpcError):
        assert e.value.code() == grpc.StatusCode.NOT_FOUND
    else:
        assert e.value.status_code == 404
    info = world.acme.get_collection("shared")
    # Counts over every tenant are hidden (absent; the Python client shows
    # an absent gRPC count as 0, the Rust test checks it is absent).
    assert info.points_count in ((None, 0) if world.grpc else (None,))


def test_collection_management_is_admin_only(world):
    for method, path, body in [
        ("PUT", "/collections/evil", {"vectors": {"size": 4, "distance": "Dot"}}),
        ("DELETE", "/collections/shared", None),
        ("PUT", "/collections/shared/index", {"field_name": "tenant_id"}),
        ("DELETE", "/collections/shared/index/tenant_id", None),
    ]:
        status, resp = world.http(method, path, body)
        assert_refused(status, resp, 403, "Manage access")
    assert world.admin.collection_exists("shared")


def test_read_only_key_cannot_write(world):
    status, body = world.http("PUT", "/collections/shared/points?wait=true",
                              {"points": [{"id": 100000, "vector": [0.0] * DIM}]}, key="acme_ro")
    assert_refused(status, body, 403, "Write access to collection shared")


def test_other_tenants_private_collection_is_invisible(world):
    status, body = world.http("POST", "/collections/victim_private/points/scroll", {})
    assert_refused(status, body, 404, "doesn't exist")
    status, body = world.http("POST", "/collections/victim_private/points", {"ids": [1]})
    assert status == 404


# ------------------------------------------------------------------- reads

FILTERS_AIMED_AT_VICTIM = [
    None,
    {"must": [{"key": "tenant_id", "match": {"value": "victim"}}]},
    {"should": [{"key": "tenant_id", "match": {"value": "victim"}}]},
    {"min_should": {"conditions": [{"key": "tenant_id", "match": {"any": ["victim"]}}], "min_count": 1}},
    {"must_not": [{"key": "tenant_id", "match": {"value": "acme"}}]},
    {"must": {"has_id": VICTIM_IDS}},
    {"should": [{"is_empty": {"key": "tenant_id"}}, {"has_id": VICTIM_IDS}]},
]


@pytest.mark.parametrize("flt", range(len(FILTERS_AIMED_AT_VICTIM)))
def test_scroll_query_count_facet_with_hostile_filters(world, flt):
    f = FILTERS_AIMED_AT_VICTIM[flt]
    body = {} if f is None else {"filter": f}
    status, r = world.http("POST", "/collections/shared/points/scroll", {**body, "limit": 1000, "with_payload": True})
    assert status == 200
    ids = [p["id"] for p in r["result"]["points"]]
    assert all(i % 2 == 0 for i in ids), ids
    status, r = world.http("POST", "/collections/shared/points/query", {**body, "query": [1.0] * DIM, "limit": 50})
    assert status == 200 and all(p["id"] % 2 == 0 for p in r["result"]["points"])
    for exact in (True, False):
        status, r = world.http("POST", "/collections/shared/points/count", {**body, "exact": exact})
        assert status == 200
        own = len(ids)
        assert r["result"]["count"] == own, (exact, r)
    status, r = world.http("POST", "/collections/shared/facet", {**body, "key": "tenant_id", "exact": True})
    assert status == 200
    assert {h["value"] for h in r["result"]["hits"]} <= {"acme"}


def test_search_and_prefetch_cannot_reach_victim(world):
    rng = random.Random(9)
    hits = world.acme.query_points(
        "shared",
        prefetch=[models.Prefetch(query=vec(rng), limit=100, filter=models.Filter(should=[
            models.FieldCondition(key="tenant_id", match=models.MatchValue(value="victim"))])),
            models.Prefetch(query=vec(rng), limit=100)],
        query=models.FusionQuery(fusion=models.Fusion.RRF), limit=100, with_payload=True, with_vectors=True).points
    assert hits
    assert_no_victim(hits)
    status, r = world.http("POST", "/collections/shared/points/search",
                           {"vector": vec(rng), "limit": 100, "with_payload": True})
    assert status == 200 and all(p["id"] % 2 == 0 for p in r["result"])
    status, r = world.http("POST", "/collections/shared/points/search/batch",
                           {"searches": [{"vector": vec(rng), "limit": 50, "filter": FILTERS_AIMED_AT_VICTIM[1]}]})
    assert status == 200 and r["result"] == [[]]


def test_tenant_field_is_hidden_unless_asked(world):
    hits = world.acme.query_points("shared", query=[1.0] * DIM, limit=5, with_payload=["text"]).points
    assert hits and all(set(p.payload) == {"text"} for p in hits)
    hits = world.acme.query_points("shared", query=[1.0] * DIM, limit=5, with_payload=False).points
    assert hits and all(p.payload is None for p in hits)
    hits = world.acme.query_points("shared", query=[1.0] * DIM, limit=5,
                                   with_payload=models.PayloadSelectorExclude(exclude=["tenant_id"])).points
    assert hits and all("tenant_id" not in p.payload and "text" in p.payload for p in hits)


# 2.1 / 2.2: ids as query vectors; lookup_from
@pytest.mark.parametrize("query", [
    {"query": 3},
    {"query": {"nearest": 3}},
    {"query": {"recommend": {"positive": [2, 3]}}},
    {"query": {"recommend": {"positive": [2], "negative": [5], "strategy": "best_score"}}},
    {"query": {"discover": {"target": [1.0] * DIM, "context": [{"positive": 2, "negative": 7}]}}},
    {"query": {"context": {"positive": 9, "negative": 2}}},
    {"prefetch": {"query": 3, "limit": 5}, "query": {"fusion": "rrf"}},
    {"prefetch": [{"prefetch": {"query": {"recommend": {"positive": [11]}}}, "query": [1.0] * DIM}],
     "query": {"fusion": "dbsf"}},
])
def test_victim_ids_as_query_vectors_are_absent(world, query):
    status, r = world.http("POST", "/collections/shared/points/query", query)
    assert_refused(status, r, 404, "No point with id")
    # The same request with the victim ids swapped for missing ids answers alike:
    # the caller cannot tell "someone else's" from "does not exist".
    text = json.dumps(query).replace(": 3", ": 1000001").replace("3]", "1000001]")
    status2, r2 = world.http("POST", "/collections/shared/points/query", json.loads(text))
    if "1000001" in text:
        assert status2 == 404


def test_legacy_recommend_with_victim_ids(world):
    status, r = world.http("POST", "/collections/shared/points/recommend", {"positive": [1, 2], "limit": 5})
    assert_refused(status, r, 404, "No point with id 1 found")
    status, r = world.http("POST", "/collections/shared/points/recommend", {"positive": [2], "limit": 5})
    assert status == 200 and all(p["id"] % 2 == 0 for p in r["result"])


def test_lookup_from_and_with_lookup(world):
    status, r = world.http("POST", "/collections/shared/points/query",
                           {"query": 1, "lookup_from": {"collection": "victim_private"}})
    assert_refused(status, r, 404, "doesn't exist")
    status, r = world.http("POST", "/collections/shared/points/query",
                           {"query": 1, "lookup_from": {"collection": "shared"}})
    assert_refused(status, r, 404, "No point with id 1")
    # 2.3: group values that name the victim's ids: every lookup comes back empty.
    groups = world.acme.query_points_groups("shared", group_by="ref", query=[1.0] * DIM, limit=20,
                                            with_lookup="shared").groups
    assert len(groups) == 20
    assert all(g.lookup is None for g in groups), [g.lookup for g in groups if g.lookup]
    groups = world.acme.query_points_groups(
        "shared", group_by="ref", query=[1.0] * DIM, limit=20,
        with_lookup=models.WithLookup(collection="shared", with_payload=True, with_vectors=True)).groups
    assert all(g.lookup is None for g in groups)
    # Values naming the tenant's own points are looked up as usual, tenant field hidden if not asked.
    groups = world.acme.query_points_groups(
        "shared", group_by="self", query=[1.0] * DIM, limit=5,
        with_lookup=models.WithLookup(collection="shared", with_payload=["text"])).groups
    assert groups and all(g.lookup is not None and g.lookup.id == g.id for g in groups)
    assert all(set(g.lookup.payload) == {"text"} for g in groups)
    status, r = world.http("POST", "/collections/shared/points/query/groups",
                           {"query": [1.0] * DIM, "group_by": "ref", "with_lookup": "victim_private"})
    assert_refused(status, r, 404, "doesn't exist")


def test_groups_by_tenant_field(world):
    groups = world.acme.query_points_groups("shared", group_by="tenant_id", query=[1.0] * DIM, limit=10,
                                            group_size=5, with_payload=True).groups
    assert [g.id for g in groups] == ["acme"]
    for g in groups:
        assert_no_victim(g.hits)


# 2.4: retrieve by id
def test_retrieve_victim_ids(world):
    got = world.acme.retrieve("shared", VICTIM_IDS + [2, 4], with_payload=True, with_vectors=True)
    assert [p.id for p in got] == [2, 4]
    status, r = world.http("GET", "/collections/shared/points/3")
    assert_refused(status, r, 404, "Point with id 3 does not exists!")
    status, r = world.http("GET", "/collections/shared/points/4")
    assert status == 200 and r["result"]["id"] == 4


# 2.12: shard keys
def test_client_shard_key_is_refused(world):
    for path, body in [
        ("/collections/shared/points/scroll", {"shard_key": "victim"}),
        ("/collections/shared/points/query", {"query": [1.0] * DIM, "shard_key": ["victim"]}),
        ("/collections/shared/points/query", {"query": 2, "lookup_from": {"collection": "shared", "shard_key": "v"}}),
        ("/collections/shared/points/count", {"shard_key": 1}),
    ]:
        status, r = world.http("POST", path, body)
        assert_refused(status, r, 403, "shard_key")


# ------------------------------------------------------------------ writes

# 2.5: upserting over the victim's ids
def test_upsert_over_victim_ids_is_skipped(world):
    rng = random.Random(11)
    world.acme.upsert("shared", [models.PointStruct(id=i, vector=vec(rng), payload={"text": "pwned"})
                                 for i in VICTIM_IDS], wait=True)
    world.acme.upsert("shared", models.Batch(ids=VICTIM_IDS, vectors=[vec(rng) for _ in VICTIM_IDS]), wait=True)
    # A client update_filter cannot widen the tenant condition.
    status, r = world.http("PUT", "/collections/shared/points?wait=true", {
        "points": [{"id": 1, "vector": [0.0] * DIM, "payload": {"text": "pwned"}}],
        "update_filter": {"should": [{"key": "tenant_id", "match": {"value": "victim"}}]}})
    assert status == 200


# 2.6: relabel or spray the tenant field
@pytest.mark.parametrize("payload", [
    {"tenant_id": "victim"},
    {"tenant_id": ["acme", "victim"]},
    {"tenant_id": {"value": "acme"}},
    {"tenant_id": None},
    {"tenant_id": "ACME"},
])
def test_upsert_with_foreign_tenant_field_is_refused(world, payload):
    for body in ({"points": [{"id": 100002, "vector": [0.5] * DIM, "payload": payload}]},
                 {"batch": {"ids": [100002], "vectors": [[0.5] * DIM], "payloads": [payload]}}):
        status, r = world.http("PUT", "/collections/shared/points?wait=true", body)
        assert_refused(status, r, 403, "tenant field")
    assert world.acme.retrieve("shared", [100002]) == []


def test_duplicate_keys_are_refused(world):
    raw = b'{"points": [{"id": 100003, "vector": [0,0,0,0,0,0,0,0], "payload": {"tenant_id": "acme", "tenant_id": "victim"}}]}'
    status, r = world.http("PUT", "/collections/shared/points?wait=true", raw)
    assert_refused(status, r, 400, "duplicate key")
    raw = b'{"filter": {"must": [], "must": [{"has_id": [1]}]}}'
    status, r = world.http("POST", "/collections/shared/points/scroll", raw)
    assert status == 400


@pytest.mark.parametrize("path,method,body,text", [
    ("/collections/shared/points/payload", "POST", {"payload": {"tenant_id": "victim"}, "points": [2]}, "tenant field"),
    ("/collections/shared/points/payload", "POST", {"payload": {"x": 1}, "key": "tenant_id", "points": [2]}, "tenant field"),
    ("/collections/shared/points/payload", "PUT", {"payload": {"tenant_id": "victim"}, "points": [2]}, "tenant field"),
    ("/collections/shared/points/payload/delete", "POST", {"keys": ["tenant_id"], "points": [2]}, "tenant field"),
    ("/collections/shared/points/payload/delete", "POST", {"keys": ["\"tenant_id\""], "points": [2]}, "tenant field"),
    ("/collections/shared/points/payload/delete", "POST", {"keys": ["tenant_id[0]"], "filter": {}}, "tenant field"),
    ("/collections/shared/points/delete", "POST", {"points": [2], "filter": {"must": []}}, "not both"),
])
def test_payload_writes_cannot_touch_the_tenant_field(world, path, method, body, text):
    status, r = world.http(method, path + "?wait=true", body)
    assert status in (400, 403), (status, r)
    assert text in r["status"]["error"]


def test_writes_aimed_at_victim_change_nothing(world):
    hostile = {"should": [{"key": "tenant_id", "match": {"value": "victim"}}]}
    for path, method, body in [
        ("/collections/shared/points/delete", "POST", {"points": VICTIM_IDS}),
        ("/collections/shared/points/delete", "POST", {"filter": hostile}),
        ("/collections/shared/points/payload", "POST", {"payload": {"x": "pwned"}, "points": VICTIM_IDS}),
        ("/collections/shared/points/payload", "POST", {"payload": {"x": "pwned"}, "filter": hostile}),
        ("/collections/shared/points/payload", "PUT", {"payload": {"text": "pwned"}, "points": VICTIM_IDS}),
        ("/collections/shared/points/payload/delete", "POST", {"keys": ["text"], "filter": hostile}),
        ("/collections/shared/points/payload/clear", "POST", {"points": VICTIM_IDS}),
        ("/collections/shared/points/payload/clear", "POST", {"filter": hostile}),
    ]:
        status, r = world.http(method, path + "?wait=true", body)
        assert status == 200, (path, body, r)
    assert world.victim_state() == world.before


def test_clear_payload_keeps_own_points_owned(world):
    world.acme.clear_payload("shared", points_selector=[10], wait=True)
    got = world.acme.retrieve("shared", [10], with_payload=True)
    assert [p.id for p in got] == [10]
    # Cleared, except for the tenant field: the point stays acme's.
    assert got[0].payload == {"tenant_id": "acme"}
    assert world.admin.retrieve("shared", [10], with_payload=True)[0].payload == {"tenant_id": "acme"}


def test_victim_still_sees_all_of_its_own_data(world):
    points, _ = world.victim.scroll("shared", limit=10_000, with_payload=True)
    assert len(points) == N and all(p.id % 2 == 1 for p in points)
    assert world.victim.count("shared").count == N
