"""The admin API steering what the real Python qdrant-client can do, on the
embedded engine and in front of a remote Qdrant: a tenant, grant and key
created over the admin API work at once; revoking the key or deleting the
tenant stops the client on its next request; the audit trail names the
client's points."""

import json
import time
import urllib.error
import urllib.request

import pytest
from qdrant_client import QdrantClient, models
from qdrant_client.http.exceptions import UnexpectedResponse

from conftest import ADMIN_KEY, Deployment


def admin(deployment, method, path, body=None):
    req = urllib.request.Request(deployment.front.admin_url + path, method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("content-type", "application/json")
    req.add_header("api-key", ADMIN_KEY)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read().decode()
            return r.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read().decode() or "null")


@pytest.fixture(params=["embedded", "remote"])
def deployment(request, tmp_path):
    d = Deployment(tmp_path, request.param)
    yield d
    d.stop()


def status_of(call):
    try:
        call()
        return 200
    except UnexpectedResponse as e:
        return e.status_code


def test_admin_api_steers_a_real_client(deployment):
    root = QdrantClient(url=deployment.url, api_key=ADMIN_KEY, timeout=60)
    root.create_collection("docs", vectors_config=models.VectorParams(size=4, distance=models.Distance.COSINE))
    assert admin(deployment, "PUT", "/v1/collections/docs", {"tenancy": "payload", "scanner": "off"})[0] == 200
    assert admin(deployment, "POST", "/v1/tenants", {"id": "acme"})[0] == 201
    assert admin(deployment, "PUT", "/v1/tenants/acme/grants/docs", {"operations": ["read", "write"]})[0] == 200
    status, created = admin(deployment, "POST", "/v1/tenants/acme/keys", {"id": "acme-app", "scopes": ["read", "write"]})
    assert status == 201

    app = QdrantClient(url=deployment.url, api_key=created["key"], timeout=60)
    app.upsert("docs", [models.PointStruct(id=7, vector=[1, 0, 0, 0], payload={"text": "hello"})], wait=True)
    hits = app.query_points("docs", query=[1, 0, 0, 0], limit=3).points
    assert [h.id for h in hits] == [7]

    # The audit trail names the tenant, the key and the point returned (the
    # writer is asynchronous: wait for the record).
    deadline = time.time() + 10
    while True:
        status, records = admin(deployment, "GET", "/v1/audit?tenant=acme&decision=allow&limit=50")
        assert status == 200
        queries = [r for r in records if r.get("operation") == "query"]
        if queries or time.time() > deadline:
            break
        time.sleep(0.05)
    assert queries and queries[0]["credential"] == "acme-app" and queries[0]["returned"] == [7]

    # Revoked: the very next request fails; the tenant's other key still works.
    status, other = admin(deployment, "POST", "/v1/tenants/acme/keys", {"id": "acme-other", "scopes": ["read"]})
    assert status == 201
    assert admin(deployment, "DELETE", "/v1/tenants/acme/keys/acme-app")[0] == 204
    assert status_of(lambda: app.count("docs")) == 401
    reader = QdrantClient(url=deployment.url, api_key=other["key"], timeout=60)
    assert reader.count("docs").count == 1

    # Deleting the tenant stops all of it.
    assert admin(deployment, "DELETE", "/v1/tenants/acme")[0] == 204
    assert status_of(lambda: reader.count("docs")) == 401
