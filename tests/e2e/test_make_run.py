"""`make run` as a new user runs it: start, use, Ctrl-C, start again with the data kept."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from seklik.stack import find_free_base
from tests.sockets import listening, off_loopback, processes_mentioning

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MakeRun:
    def __init__(self, var_dir: Path, port: int, base: int):
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "run", f"PORT={port}", f"SERVICE_PORT_BASE={base}", f"VAR_DIR={var_dir}"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,  # its own process group, like a terminal's foreground job
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, pattern: str, timeout: float = 180) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            self.output.append(line)
            if match := re.search(pattern, line):
                return match
        raise AssertionError(f"never printed {pattern!r}; output:\n{''.join(self.output)}")

    def stop(self, sig: int = signal.SIGINT, timeout: float = 20) -> float:
        """SIGINT is what a terminal sends on Ctrl-C; SIGTERM what a service manager sends."""
        started = time.monotonic()
        os.killpg(self.process.pid, sig)
        self.process.wait(timeout=timeout)
        return time.monotonic() - started


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline:
            found.append(f"{proc.name}: {cmdline[:200]}")
    return found


def test_make_run_serves_everything_stops_cleanly_and_keeps_data(tmp_path):
    var_dir = tmp_path / "var"
    port, base = _free_port(), find_free_base()
    url = f"http://127.0.0.1:{port}"

    first = MakeRun(var_dir, port, base)
    try:
        email = first.wait_for(r"email:\s+(\S+)").group(1)
        password = first.wait_for(r"password:\s+(\S+)").group(1)
        first.wait_for(re.escape(f"Seklik is running at {url}"))
        # The shipped sample values are named, so nobody signs a real letter as "Nama Kepala Dinas".
        first.wait_for(re.escape("orders.json  signatory.name = Nama Kepala Dinas"))
        first.wait_for(re.escape("transparency.json  ocid_prefix = ocds-contoh"))
        first.wait_for(re.escape("mkdocs.yml  newsroom.office (and theme.logo) = Dinas Komunikasi dan Informatika"))

        home = requests.get(f"{url}/", timeout=10)
        assert home.status_code == 200 and "Seklik" in home.text
        assert requests.get(f"{url}/masuk/", timeout=10).status_code == 200
        health = requests.get(f"{url}/api/v1/health", timeout=10).json()
        assert health["status"] == "ok" and health["checks"] == {"dynamodb": "ok", "s3": "ok"}
        login = requests.post(f"{url}/api/v1/auth/login", json={"email": email, "password": password}, timeout=10)
        assert login.status_code == 200 and login.json()["user"]["roles"] == ["admin"]

        # An operator adds a user from another terminal while the stack runs.
        added = subprocess.run(
            [sys.executable, "-m", "seklik.cli", "user", "add", "editor@example.go.id", "--role", "editor",
             "--var-dir", str(var_dir)],
            input="frasa sandi penyunting yang panjang\n", capture_output=True, text=True, timeout=60,
            env={k: v for k, v in os.environ.items() if not k.startswith(("SEKLIK_", "AWS_"))},
        )
        assert added.returncode == 0, added.stderr

        # Nothing it started listens beyond loopback: the site and API, DynamoDB Local, SeaweedFS.
        pids = processes_mentioning(str(var_dir))
        assert len(listening(pids)) >= 1 + 1 + 8 and off_loopback(pids) == []
    finally:
        seconds = first.stop(signal.SIGINT)  # fails if it has not stopped within its timeout
    print(f"make run stopped {seconds:.1f}s after Ctrl-C")
    assert _processes_mentioning(str(var_dir)) == []

    second = MakeRun(var_dir, port, base)
    try:
        second.wait_for(re.escape(f"Seklik is running at {url}"))
        assert not any("password:" in line for line in second.output), "the admin password was printed again"
        login = requests.post(
            f"{url}/api/v1/auth/login",
            json={"email": "editor@example.go.id", "password": "frasa sandi penyunting yang panjang"},
            timeout=10,
        )
        assert login.status_code == 200
    finally:
        second.stop(signal.SIGTERM)
    assert _processes_mentioning(str(var_dir)) == []
