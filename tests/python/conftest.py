"""Starts real `ragwall serve` processes on loopback for the Python suites."""

import itertools
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ADMIN_KEY = "test-admin-key-0123456789"


def ragwall_binary() -> str:
    path = os.environ.get("TEST_RAGWALL_BIN", str(ROOT / "target" / "debug" / "ragwall"))
    if not Path(path).exists():
        raise RuntimeError(f"ragwall binary not found at {path}: run `cargo build` first")
    return path


# Test servers listen below the kernel's ephemeral range (Linux: 32768-60999),
# so no client's outgoing connection and no other `bind(:0)` can take a port
# between this probe and the server's own bind.
_FIRST_PORT, _PORT_COUNT = 20_000, 12_000
_next_port = itertools.count((os.getpid() * 7919 + 6_000) % _PORT_COUNT)


def free_port() -> int:
    while True:
        port = _FIRST_PORT + next(_next_port) % _PORT_COUNT
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port


class Ragwall:
    """One ragwall process serving the embedded engine from `data_dir`."""

    def __init__(self, data_dir: Path, config: Path | None = None, admin_key: str = ADMIN_KEY):
        self.data_dir = data_dir
        self.config = config
        self.admin_key = admin_key
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.admin_port = free_port()
        self.grpc_port = free_port()
        self.admin_url = f"http://127.0.0.1:{self.admin_port}"
        self.proc = None

    def start(self) -> "Ragwall":
        env = {k: v for k, v in os.environ.items() if not k.startswith("RAGWALL_")}
        env["RAGWALL_SERVER__REST_ADDR"] = f"127.0.0.1:{self.port}"
        env["RAGWALL_SERVER__ADMIN_ADDR"] = f"127.0.0.1:{self.admin_port}"
        env["RAGWALL_SERVER__GRPC_ADDR"] = f"127.0.0.1:{self.grpc_port}"
        env["RAGWALL_DATA_DIR"] = str(self.data_dir)
        env["RAGWALL_AUTH__ADMIN_KEY"] = self.admin_key
        env.setdefault("RUST_LOG", "warn")
        args = [ragwall_binary(), "serve"]
        if self.config is not None:
            args += ["--config", str(self.config)]
        self.proc = subprocess.Popen(args, env=env)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"ragwall exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=1) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("ragwall did not become ready in 60 s")

    def stop(self, kill: bool = False) -> None:
        if self.proc is None:
            return
        if kill:
            self.proc.kill()
        else:
            self.proc.terminate()
        self.proc.wait(timeout=30)
        self.proc = None


@pytest.fixture
def ragwall(tmp_path):
    server = Ragwall(tmp_path / "data").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def ragwall_module(tmp_path_factory):
    server = Ragwall(tmp_path_factory.mktemp("ragwall") / "data").start()
    yield server
    server.stop()


UPSTREAM_KEY = "upstream-admin-key-0123456789"


class Deployment:
    """ragwall on the embedded engine, or ragwall fronting a second ragwall
    (serving the embedded engine with its own admin key) as a remote Qdrant:
    `remote` forwards the hot reads over the upstream's gRPC port (the rest
    over REST), `remote-rest` forwards everything over REST."""

    def __init__(self, root: Path, backend: str, policy_toml: str = ""):
        self.upstream = None
        text = policy_toml
        if backend in ("remote", "remote-rest"):
            self.upstream = Ragwall(root / "upstream-data", admin_key=UPSTREAM_KEY).start()
            grpc = "" if backend == "remote-rest" else f'grpc_url = "http://127.0.0.1:{self.upstream.grpc_port}"\n'
            text = f"""
[upstream]
url = "{self.upstream.url}"
{grpc}api_key = "{UPSTREAM_KEY}"
timeout_secs = 60
""" + policy_toml
        config = root / "ragwall.toml"
        config.write_text(text)
        self.front = Ragwall(root / "data", config).start()
        self.url = self.front.url

    def stop(self):
        self.front.stop()
        if self.upstream is not None:
            self.upstream.stop()
