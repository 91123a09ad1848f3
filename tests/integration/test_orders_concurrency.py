"""Many staff issuing at once: gap-free numbers, ceilings never exceeded, refusals leave nothing.

16 threads issue 120 orders against one agreement and one budget line
through the order service (Chalice's test client keeps the current request
on the shared app object, so threads call the service, as each Lambda
invocation would). The ceilings let only some of them through.
"""

from __future__ import annotations

import copy
import threading
from collections import Counter

from chalicelib.errors import SeklikError
from chalicelib.domain.orders import make_slots
from chalicelib.services.orders import OrderRequest
from tests.cooperation import BUDGET_CODE, YEAR, active_agreement, agree, budget_line, client, product, verified_partner
from tests.integration.test_orders_flow import SEED

THREADS = 16
ORDERS = 120
FITS = 60  # one-slot orders the budget line has room for (the agreement has room for 70)
PRICE = 100_000


def test_16_staff_issuing_120_orders_never_overspend_and_leave_no_gaps(chalice_app, make_user, published, services):
    admin = client(chalice_app, make_user, ("admin",))
    verifier = client(chalice_app, make_user, ("verifier",))
    staff = client(chalice_app, make_user, ("orders",))
    finance = client(chalice_app, make_user, ("finance",))
    partner, company_id, _ = verified_partner(chalice_app, verifier)
    code = product(admin)
    agree(partner, staff, company_id, code, PRICE)
    # Room for 70 one-slot orders in the agreement, 60 in the budget line: the budget binds.
    agreement = active_agreement(staff, company_id, ceiling=(FITS + 10) * PRICE)
    budget_line(finance, ceiling=FITS * PRICE)

    from chalicelib.wiring import get_services

    # The same service, without the production deadline: this test is about what
    # happens under contention (numbers, ceilings, refusals), not about how fast a
    # 2-core machine settles 16 threads racing on DynamoDB Local.
    orders = copy.copy(get_services().orders)
    orders.issue_deadline = 600
    orders.notifier = None  # 60 emails would only slow the race down
    request = OrderRequest(company_id=company_id, product_code=code, budget_line=BUDGET_CODE, release_slug=SEED,
                           slots=make_slots(None, (date_in_year(3, 1), date_in_year(3, 31), 1)))
    results: list = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)
    counter = iter(range(ORDERS))

    def work():
        start.wait()
        while True:
            with lock:
                if next(counter, None) is None:
                    return
            try:
                outcome = orders.issue(staff.user, request)
            except SeklikError as error:
                outcome = error
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    issued = [r for r in results if not isinstance(r, SeklikError)]
    refused = [r for r in results if isinstance(r, SeklikError)]
    assert len(results) == ORDERS
    assert len(issued) == FITS
    assert Counter(e.code for e in refused) == {"CEILING_EXCEEDED": ORDERS - FITS}
    assert sorted(o.seq for o in issued) == list(range(1, FITS + 1))  # no gap, no duplicate
    assert len({o.number for o in issued}) == FITS

    line = finance.get(f"/api/v1/budgets/{YEAR}").json["lines"][0]
    assert line["reserved"] == FITS * PRICE <= line["ceiling"]
    stored = staff.get(f"/api/v1/agreements/{agreement['id']}").json["agreement"]
    assert stored["reserved"] == FITS * PRICE <= stored["ceiling"]
    assert len(staff.get(f"/api/v1/orders?company_id={company_id}&limit=200").json["orders"]) == FITS
    books = finance.get("/api/v1/ledger").json
    assert books["total_debit"] == books["total_credit"] == FITS * PRICE  # Dr 8100 / Cr 8200 for each order
    counter_item = get_services().stores.orders.counter(YEAR)
    assert counter_item == FITS


def date_in_year(month: int, day: int):
    from datetime import date

    return date(YEAR, month, day)
