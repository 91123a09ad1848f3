"""Benchmark: a release sent to 1,000 partners through the outbox on the local stack.

Usage:  .venv/bin/python bench/outbox.py [--recipients 1000]

Starts DynamoDB Local and the S3 server (as the tests do), writes the given
number of verified partners, renders the repository's releases as press kits
into the bucket, then measures, with the real services:

1. writing: ``DistributionService.send`` to every verified partner (one
   distribution record and its mail per partner, in transactions of
   ``adapters.distributions.BATCH`` partners): items written per second;
2. sending: ``MailWorker.deliver_due`` into an ``.eml`` folder until the
   queue is empty: mails sent per second;
3. the delivery log the console polls (``delivery_log``, bodies left out).

In the same run, for comparison, the same send with one partner per
transaction. Nothing here asserts; the figures are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "functions"))
sys.path.insert(0, str(ROOT))

SLUGS = ("pekan-imunisasi-anak", "peluncuran-layanan-pengaduan-daring")


def seed_partners(table_name: str, count: int) -> None:
    import boto3

    from chalicelib.adapters.companies import company_to_item
    from chalicelib.adapters.table import serialise
    from chalicelib.domain.clock import new_id
    from chalicelib.domain.press_company import Company, CompanyStatus

    client = boto3.client("dynamodb")
    now = datetime.now(timezone.utc)
    items = []
    for n in range(count):
        profile = {"media_name": f"Media Bench {n:04d}", "legal_name": f"PT Media Bench {n:04d}",
                   "media_type": "siber", "email": f"redaksi{n}@bench.example.co.id"}
        items.append(company_to_item(Company(new_id(), new_id(), profile, CompanyStatus.VERIFIED, now, now, now)))
    for start in range(0, len(items), 25):
        pending = {table_name: [{"PutRequest": {"Item": serialise(i)}} for i in items[start:start + 25]]}
        while pending:
            pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=1000)
    args = parser.parse_args()

    from seklik.provision import ensure_bucket, ensure_table
    from seklik.site import publish_kits
    from seklik.stack import LocalStack, Ports, find_free_base

    with tempfile.TemporaryDirectory() as var:
        var = Path(var)
        stack = LocalStack(var_dir=var, ports=Ports.from_base(find_free_base()), persistent=False)
        stack.start()
        try:
            os.environ.update(stack.environ())
            name = "bench-outbox"
            ensure_table(name)
            ensure_bucket(stack.bucket)
            seed_partners(name, args.recipients)
            publish_kits(var / "kits", stack.bucket)
            # The API asks the site's releases.json whether a release is on the newsroom; these two are.
            (var / "releases.json").write_text(json.dumps({"releases": [
                {"slug": s, "title": s, "url": f"http://127.0.0.1/{s}/", "date": "2026-10-15T08:00:00+07:00"}
                for s in SLUGS]}))

            import chalicelib.adapters.distributions as distributions_module
            from chalicelib.adapters.companies import CompanyStore
            from chalicelib.adapters.distributions import DistributionStore
            from chalicelib.adapters.documents import DocumentStore
            from chalicelib.adapters.mail import FolderMailer
            from chalicelib.adapters.outbox import OutboxStore
            from chalicelib.adapters.press_kits import PressKitStore
            from chalicelib.adapters.releases import ReleaseIndex
            from chalicelib.adapters.table import Table
            from chalicelib.adapters.uploads import PendingUploadStore
            from chalicelib.domain.accounts import Role, User
            from chalicelib.services.distribution import DistributionService, RecipientChoice
            from chalicelib.services.mail import MailWorker

            table = Table(name)
            outbox = OutboxStore(table)
            service = DistributionService(DistributionStore(table), CompanyStore(table, PendingUploadStore(table)),
                                          outbox, PressKitStore(DocumentStore(stack.bucket)),
                                          ReleaseIndex((var / "releases.json").as_uri()))
            editor = User(id="01BENCHEDITOR0000000000000", email="editor@bench.example.go.id", name="Editor",
                          roles=(Role.EDITOR,), password_hash="-", created_at=datetime.now(timezone.utc),
                          updated_at=datetime.now(timezone.utc))
            everyone = RecipientChoice(all_partners=True)
            n = args.recipients
            print(f"{n:,} verified partners, one release each (2 items per partner: distribution + mail)")

            began = time.perf_counter()
            result = service.send(editor, SLUGS[0], everyone)
            took = time.perf_counter() - began
            print(f"1. send (batches of {distributions_module.BATCH}): {len(result.queued):,} queued in {took:.2f} s "
                  f"= {2 * len(result.queued) / took:,.0f} items written/s")
            began = time.perf_counter()
            again = service.send(editor, SLUGS[0], everyone)
            print(f"   the same send again: {len(again.queued)} queued, {len(again.already):,} already "
                  f"({time.perf_counter() - began:.2f} s, nothing written)")

            worker = MailWorker(outbox, FolderMailer(var / "outbox"), "Seklik <noreply@bench.invalid>")
            began = time.perf_counter()
            sent = 0
            while True:
                report = worker.deliver_due(limit=200)
                if not report.sent and not report.retried:
                    break
                sent += report.sent
            took = time.perf_counter() - began
            files = len(list((var / "outbox").glob("*.eml")))
            print(f"2. worker: {sent:,} sent in {took:.2f} s = {sent / took:,.0f} mails sent/s ({files:,} .eml files)")

            began = time.perf_counter()
            log = service.delivery_log(SLUGS[0])
            print(f"3. delivery log: {len(log.lines):,} lines, {log.counts['SENT']:,} SENT, read in "
                  f"{(time.perf_counter() - began) * 1000:.0f} ms")

            distributions_module.BATCH = 1
            began = time.perf_counter()
            one_by_one = service.send(editor, SLUGS[1], everyone)
            took = time.perf_counter() - began
            print(f"comparison: one partner per transaction: {len(one_by_one.queued):,} queued in {took:.2f} s "
                  f"= {2 * len(one_by_one.queued) / took:,.0f} items written/s")
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
