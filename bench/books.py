"""Benchmark: the budget realisation and the cash book (BKU) of a year with 5,000 orders and 1,000 invoices.

Usage:  .venv/bin/python bench/books.py [--orders 5000] [--invoices 1000]

Starts DynamoDB Local in memory (as the tests do), writes a year of the money
cycle with the same item shapes the stores write (orders and their commitment
entries; invoices of five orders each, approved and paid by SP2D, with their
entries and the budget line's buckets), then times the reports the console and
the exports use, counting the DynamoDB requests and the items they read. In
the same run it times reading the same figures by scanning the whole journal,
which is what the reports must not do. Nothing here asserts; the figures are
printed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "functions"))

YEAR = date.today().year + 1
BUDGET = "5.1.02.02.01.0026"
PRICE = 1_850_000


def seed(table_name: str, orders: int, invoices: int) -> None:
    import json

    import boto3

    from chalicelib.adapters import schema
    from chalicelib.adapters.agreements import agreement_to_item, budget_line_to_item
    from chalicelib.adapters.invoices import invoice_to_item
    from chalicelib.adapters.ledger import journal_items
    from chalicelib.adapters.orders import order_to_item
    from chalicelib.adapters.table import serialise
    from chalicelib.domain.clock import new_id
    from chalicelib.domain.invoices import BilledOrder, Invoice, PaymentStep
    from chalicelib.domain.orders import Agreement, AgreementStatus, BudgetLine, Material, Order, OrderStatus, Slot
    from chalicelib.domain.taxes import TaxRules

    rules = TaxRules.from_dict(json.loads((ROOT / "functions/chalicelib/config/taxes.json").read_text()))
    rule = rules.on(date.today())
    client = boto3.client("dynamodb")
    items: list[dict] = []
    start = datetime(YEAR, 1, 1, 3, tzinfo=timezone.utc)
    order_step = timedelta(minutes=300 * 24 * 60 // max(orders, 1))  # spread over ~300 days of the year
    invoice_step = timedelta(minutes=300 * 24 * 60 // max(invoices, 1))
    agreement = Agreement(new_id(), "COMPANY0000000000000000000", YEAR, f"PKS/BENCH/{YEAR}", date(YEAR, 1, 1),
                          date(YEAR, 12, 31), {"advertorial": PRICE}, orders * PRICE, orders * PRICE,
                          AgreementStatus.ACTIVE)
    items.append(agreement_to_item(agreement))
    billed = invoices * 5
    gross = 5 * PRICE
    paid_net = 0
    made: list[Order] = []
    for n in range(orders):
        at = start + order_step * n
        order = Order(new_id(), f"000.9.2/{n + 1:04d}/MO/BENCH/{YEAR}", YEAR, n + 1, agreement.company_id,
                      agreement.id, "advertorial", "Advertorial", "per artikel", Material("text", f"Materi {n}"),
                      (Slot(date(YEAR, 1 + n % 12, 1), date(YEAR, 1 + n % 12, 1)),), PRICE, BUDGET, "staff", at,
                      OrderStatus.COMPLETED if n < billed else OrderStatus.ISSUED, updated_at=at)
        made.append(order)
        items.append(order_to_item(order))
        items += journal_items(order.commitment(new_id(), at))
    for k in range(invoices):
        at = start + timedelta(days=30) + invoice_step * k
        five = made[5 * k:5 * k + 5]
        invoice = Invoice(new_id(), agreement.company_id, agreement.id, YEAR, BUDGET, f"INV/{k}", at.date(),
                          tuple(BilledOrder(o.id, o.number, o.total, o.dimensions) for o in five), True, True,
                          {"bank": "Bank", "number": "1234567890", "holder": "PT Bench"}, {}, "partner", at,
                          updated_at=at)
        approved, approval = invoice.approved(rule, new_id(), at)
        step = PaymentStep(f"SPP/{k}", at.date(), "finance", at)
        paid_on = at + timedelta(days=3)
        sp2d = PaymentStep(f"SP2D/{k}", paid_on.date(), "finance", paid_on, None, approved.taxes(rule).net)
        ready = approved.with_step("file_spp", step).with_step("issue_spm", step)
        paid, payment = ready.paid(sp2d, rule, new_id())
        paid_net += paid.payment.net
        items.append(invoice_to_item(paid))
        items += journal_items(approval) + journal_items(payment)
        items.append({**schema.order_billed_key(five[0].id), "type": "GUARD", "invoice_id": paid.id})
    items.append(budget_line_to_item(BudgetLine(YEAR, BUDGET, "Belanja jasa publikasi", orders * PRICE * 2,
                                                orders * PRICE, payable=0, realised=invoices * gross)))
    for start_at in range(0, len(items), 25):
        pending = {table_name: [{"PutRequest": {"Item": serialise(i)}} for i in items[start_at:start_at + 25]]}
        while pending:
            pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or None
    print(f"seeded {len(items):,} items ({orders:,} orders, {invoices:,} invoices paid: net {paid_net:,} rupiah)")


class Reads:
    """DynamoDB requests and the items they returned, counted from botocore's events."""

    def __init__(self, client):
        self.requests = Counter()
        self.items = 0
        client.meta.events.register("after-call.dynamodb", self._count)

    def _count(self, http_response, parsed, model, **_):
        self.requests[model.name] += 1
        self.items += len(parsed.get("Items", [])) + (1 if parsed.get("Item") else 0)

    def reset(self):
        self.requests.clear()
        self.items = 0


def timed(label: str, reads: Reads, work, repeat: int = 3):
    best = None
    for _ in range(repeat):
        reads.reset()
        began = time.perf_counter()
        result = work()
        elapsed = time.perf_counter() - began
        best = elapsed if best is None else min(best, elapsed)
    calls = ", ".join(f"{name} {count}" for name, count in sorted(reads.requests.items()))
    print(f"{label:<44} {best * 1000:9.1f} ms   requests: {sum(reads.requests.values()):4d} ({calls}); "
          f"items read: {reads.items:,}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=5000)
    parser.add_argument("--invoices", type=int, default=1000)
    args = parser.parse_args()

    import os

    from seklik.provision import ensure_table
    from seklik.stack import LocalStack, Ports, find_free_base

    with tempfile.TemporaryDirectory() as var:
        stack = LocalStack(var_dir=Path(var), ports=Ports.from_base(find_free_base()), persistent=False)
        stack.start()
        try:
            os.environ.update(stack.environ())
            name = "bench-books"
            ensure_table(name)
            began = time.perf_counter()
            seed(name, args.orders, args.invoices)
            print(f"seeding took {time.perf_counter() - began:.1f} s")

            from chalicelib.adapters.agreements import AgreementStore, BudgetStore
            from chalicelib.adapters.invoices import InvoiceStore
            from chalicelib.adapters.ledger import LedgerStore
            from chalicelib.adapters.orders import OrderStore
            from chalicelib.adapters.table import Table
            from chalicelib.adapters.uploads import PendingUploadStore
            from chalicelib.services.reports import ReportService

            table = Table(name)
            reads = Reads(table.client)
            ledger, budgets, pending = LedgerStore(table), BudgetStore(table), PendingUploadStore(table)
            agreements = AgreementStore(table, pending)
            reports = ReportService(ledger, budgets, agreements, OrderStore(table, agreements, budgets, ledger, pending),
                                    InvoiceStore(table, budgets, ledger, pending), access=_NoNames())
            first, last = date(YEAR, 1, 1), date(YEAR, 12, 31)
            rows = timed("realisation report (budget line buckets)", reads, lambda: reports.realisation(YEAR))
            book = timed("cash book, whole period (by-account index)", reads, lambda: reports.cash_book(first, last))
            month = timed("cash book, one month", reads,
                          lambda: reports.cash_book(date(YEAR, 6, 1), date(YEAR, 6, 30)))
            print(f"   realised {rows[0].realised:,}; BKU {len(book.lines):,} lines, closing {book.closing:,}; "
                  f"June {len(month.lines):,} lines")

            def scan_journal():
                total, kwargs = 0, {"TableName": name, "FilterExpression": "#t = :l AND account = :a",
                                    "ExpressionAttributeNames": {"#t": "type"},
                                    "ExpressionAttributeValues": {":l": {"S": "JOURNAL_LINE"}, ":a": {"S": "1101"}}}
                while True:
                    page = table.client.scan(**kwargs)
                    total += sum(int(i["credit"]["N"]) for i in page["Items"])
                    if "LastEvaluatedKey" not in page:
                        return total
                    kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

            scanned = timed("comparison: the same cash out by a table scan", reads, scan_journal, repeat=1)
            print(f"   scan total {scanned:,} = BKU decreases {book.decreases:,}")
        finally:
            stack.stop()


class _NoNames:
    """The bench's books name no partner (the seeded company has no profile)."""

    def company(self, _):
        return None


if __name__ == "__main__":
    main()
