"""Benchmark: the API over HTTP against `seklik dev`, as its users load it.

Usage:  .venv/bin/python bench/api.py [--orders-per-client 40] [--logins 20] [--lists 30]

Starts `seklik dev` (the same server `make run` starts: the site and the API on
one port, DynamoDB Local and SeaweedFS behind it) in a scratch folder, sets the
order cycle's scene up through the API in this process against the same table
(staff of each role, a verified partner, its agreed rate, an active agreement
and a budget line, as the tests build them), then measures over HTTP:

1. issuing media orders (``POST /api/v1/orders``) by 1, 4 and 16 concurrent
   order staff, all on the one agreement and budget line: p50/p95/p99 latency,
   requests per second, and how many were refused because another issue
   changed the same agreement at that moment (they are answered, not lost);
2. with the ~1,000 orders this leaves in the table: signing in
   (``POST /api/v1/auth/login``), the partner's order list and the staff's
   order list (``GET /api/v1/orders``);
3. the DynamoDB capacity one order issue consumes (``ReturnConsumedCapacity``
   on every call of an in-process issue through the same routes).

Nothing here asserts; the figures are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "functions"))
sys.path.insert(0, str(ROOT))

STAFF_PASSWORD = "kata-sandi-bench-panjang"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DevServer:
    """`seklik dev` in a scratch folder, stopped with Ctrl-C's signal at the end."""

    def __init__(self, var_dir: Path):
        from seklik.stack import find_free_base

        self.var_dir, self.port = var_dir, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "seklik.cli", "dev", "--port", str(self.port), "--service-port-base",
             str(find_free_base()), "--var-dir", str(var_dir)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
            env={k: v for k, v in os.environ.items() if not k.startswith(("SEKLIK_", "AWS_"))})
        self.output: list[str] = []
        for line in self.process.stdout:
            self.output.append(line)
            if "Seklik is running at" in line:
                break
        else:
            raise SystemExit("seklik dev did not start:\n" + "".join(self.output))
        threading.Thread(target=lambda: [None for _ in self.process.stdout], daemon=True).start()

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)
        self.process.wait(timeout=30)


class Http:
    """A signed-in user over HTTP: the session cookie and the CSRF header, as a browser tab sends them."""

    def __init__(self, url: str):
        self.url, self.session, self.csrf = url, requests.Session(), None

    def login(self, email: str, password: str) -> requests.Response:
        answer = self.session.post(f"{self.url}/api/v1/auth/login", json={"email": email, "password": password},
                                   timeout=30)
        if answer.ok:
            self.csrf = answer.json()["csrf_token"]
        return answer

    def post(self, path: str, body: dict) -> requests.Response:
        return self.session.post(f"{self.url}{path}", json=body, headers={"X-CSRF-Token": self.csrf or ""},
                                 timeout=60)

    def get(self, path: str) -> requests.Response:
        return self.session.get(f"{self.url}{path}", timeout=60)


def build_scene(server: DevServer, orders_expected: int) -> dict:
    """The order cycle's scene, through the API in this process, in the dev server's own table."""
    state = json.loads((server.var_dir / "run" / "stack.json").read_text())
    os.environ.update(state)
    os.environ["SEKLIK_SITE_URL"] = server.url + "/"  # the dev site's releases.json names the releases
    from chalicelib import wiring

    wiring.reset()
    from app import app
    from tests import cooperation

    accounts = wiring.get_services().accounts
    people = {}
    for key, role in (("verifier", "verifier"), ("admin", "admin"), ("finance", "finance")):
        user, _ = accounts.create_user(f"bench-{key}@example.go.id", key.title(), [role], password=STAFF_PASSWORD)
        people[key] = cooperation.client(app)
        assert people[key].login(user.email, STAFF_PASSWORD).status == 200
    staff = [accounts.create_user(f"bench-orders-{n}@example.go.id", f"Staf {n}", ["orders"],
                                  password=STAFF_PASSWORD)[0] for n in range(16)]
    orders_client = cooperation.client(app)
    assert orders_client.login(staff[0].email, STAFF_PASSWORD).status == 200
    partner, company_id, data = cooperation.verified_partner(app, people["verifier"])
    code = cooperation.product(people["admin"])
    price = 1_000_000
    cooperation.agree(partner, orders_client, company_id, code, price)
    room = price * orders_expected * 2
    cooperation.active_agreement(orders_client, company_id, ceiling=room)
    cooperation.budget_line(people["finance"], ceiling=room)
    return {"app": app, "company_id": company_id, "code": code, "staff": staff, "partner": data["account"],
            "orders_client": orders_client}


def order_body(scene: dict, n: int) -> dict:
    from tests.cooperation import BUDGET_CODE, YEAR
    from tests.integration.test_orders_flow import SEED

    day = f"{YEAR}-{1 + n % 12:02d}-{1 + n % 28:02d}"
    return {"company_id": scene["company_id"], "product_code": scene["code"], "budget_line": BUDGET_CODE,
            "release_slug": SEED, "slots": {"dates": [day]}}


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    at = lambda q: ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]  # noqa: E731
    return f"p50 {at(0.50):6.1f} ms  p95 {at(0.95):6.1f} ms  p99 {at(0.99):6.1f} ms"


def issue_orders(server: DevServer, scene: dict, clients: int, per_client: int, start: int) -> None:
    sessions = []
    for user in scene["staff"][:clients]:
        http = Http(server.url)
        assert http.login(user.email, STAFF_PASSWORD).ok
        sessions.append(http)
    latencies: list[float] = []
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def work(index: int) -> None:
        http = sessions[index]
        for k in range(per_client):
            began = time.perf_counter()
            answer = http.post("/api/v1/orders", order_body(scene, start + index * per_client + k))
            took = (time.perf_counter() - began) * 1000
            code = answer.json().get("error", {}).get("code") if not answer.ok else "created"
            with lock:
                latencies.append(took)
                outcomes[f"{answer.status_code} {code}"] += 1

    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(work, range(clients)))
    wall = time.perf_counter() - began
    created = outcomes.get("201 created", 0)
    print(f"  {clients:2d} client(s) × {per_client}: {percentiles(latencies)}  "
          f"{len(latencies) / wall:5.1f} req/s, {created / wall:5.1f} orders/s; answers: {dict(outcomes)}")


def timed_reads(label: str, call, repeat: int) -> None:
    latencies = []
    for _ in range(repeat):
        began = time.perf_counter()
        answer = call()
        latencies.append((time.perf_counter() - began) * 1000)
        assert answer.ok, answer.text[:300]
    size = len(answer.content)
    print(f"  {label:<44} {percentiles(latencies)}  ({size / 1024:.0f} KB)")


class Pages:
    """Every page of the order list, as one answer for timed_reads (ok, and the bytes of all pages)."""

    def __init__(self, answers: list):
        self.ok = all(a.ok for a in answers)
        self.text = answers[-1].text
        self.content = b"".join(a.content for a in answers)
        self.pages = len(answers)


def every_page(http) -> Pages:
    answers, after = [], None
    while True:
        answers.append(http.get("/api/v1/orders?limit=200" + (f"&after={after}" if after else "")))
        after = answers[-1].json()["next"]
        if after is None:
            return Pages(answers)


def capacity_per_order(scene: dict, count: int = 20) -> None:
    """Issue ``count`` orders through the routes in this process with ReturnConsumedCapacity on every call."""
    import boto3

    used = Counter()

    started = threading.local()

    def ask(params, model, **_):
        if "ReturnConsumedCapacity" in model.input_shape.members:
            params["ReturnConsumedCapacity"] = "TOTAL"

    def begin(**_):
        started.at = time.perf_counter()

    def add(parsed, model, **_):
        calls[model.name] += 1
        waited["ms"] += (time.perf_counter() - started.at) * 1000
        found = parsed.get("ConsumedCapacity")
        for entry in found if isinstance(found, list) else ([found] if found else []):
            used[model.name] += entry.get("CapacityUnits", 0) or 0

    from chalicelib import wiring

    calls: Counter = Counter()
    waited: Counter = Counter()
    boto3.client("sts", region_name="ap-southeast-3")  # makes boto3's default session, whose hooks clients copy
    boto3.DEFAULT_SESSION.events.register("before-parameter-build.dynamodb", ask)
    boto3.DEFAULT_SESSION.events.register("before-call.dynamodb", begin)
    boto3.DEFAULT_SESSION.events.register("after-call.dynamodb", add)
    wiring.reset()  # new stores, new clients: with the hooks
    client = scene["orders_client"]
    client.post("/api/v1/orders", order_body(scene, 9_999))  # warm: services built, validators made
    used.clear(), calls.clear(), waited.clear()
    began = time.perf_counter()
    for n in range(count):
        answer = client.post("/api/v1/orders", order_body(scene, 10_000 + n))
        assert answer.status == 201, answer
    each = (time.perf_counter() - began) * 1000 / count
    print(f"  per order issued (mean of {count}): {sum(used.values()) / count:.1f} capacity units: "
          + ", ".join(f"{name} {units / count:.1f}" for name, units in used.most_common()))
    print("  DynamoDB calls per order: " + ", ".join(f"{name} {n / count:.0f}" for name, n in calls.most_common()))
    print(f"  time per order in this process: {each:.1f} ms, of which {waited['ms'] / count:.1f} ms waiting on "
          "DynamoDB Local (the rest: Python, the routes and the services)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders-per-client", type=int, default=40, help="orders each client issues at 16 clients")
    parser.add_argument("--logins", type=int, default=20)
    parser.add_argument("--lists", type=int, default=30)
    args = parser.parse_args()
    plan = [(1, args.orders_per_client * 4), (4, args.orders_per_client * 2), (16, args.orders_per_client)]
    expected = sum(c * n for c, n in plan)

    with tempfile.TemporaryDirectory(prefix="seklik-bench-api-") as scratch:
        started = time.perf_counter()
        server = DevServer(Path(scratch) / "var")
        try:
            print(f"seklik dev at {server.url} (started in {time.perf_counter() - started:.1f} s)")
            scene = build_scene(server, expected + 100)
            print(f"\nissuing media orders on one agreement and one budget line ({expected} in all):")
            done = 0
            for clients, per_client in plan:
                issue_orders(server, scene, clients, per_client, done)
                done += clients * per_client

            staff = Http(server.url)
            partner = Http(server.url)
            staff_email = scene["staff"][0].email
            print(f"\nwith {done} orders in the table:")
            timed_reads("sign in (argon2 check, session written)",
                        lambda: staff.login(staff_email, STAFF_PASSWORD), args.logins)
            assert partner.login(scene["partner"]["email"], scene["partner"]["password"]).ok
            # A page is what the list pages ask for; the whole list (every page, at most 200 an answer) is the
            # comparison with the single answer the list was before it came in pages.
            timed_reads("partner's order list, first page of 50", lambda: partner.get("/api/v1/orders"), args.lists)
            timed_reads("staff order list, first page of 50", lambda: staff.get("/api/v1/orders"), args.lists)
            timed_reads("staff order list, issued only, first page",
                        lambda: staff.get("/api/v1/orders?status=ISSUED"), args.lists)
            timed_reads("partner's whole order list (pages of 200)", lambda: every_page(partner), max(args.lists // 5, 3))
            timed_reads("staff's whole order list (pages of 200)", lambda: every_page(staff), max(args.lists // 5, 3))

            print("\nDynamoDB capacity (in this process, the same routes, ReturnConsumedCapacity=TOTAL):")
            capacity_per_order(scene)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
