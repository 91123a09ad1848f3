"""The one DynamoDB table: its definition, its keys, and every access pattern.

This module is the single place where the key schema lives: adapters build
every key and index value with the functions below (a unit test finds no key
prefix written anywhere else). ``seklik db
init`` creates the table from ``TABLE_DEFINITION`` and the deploy template
is generated from it too, so the two can never drift apart.

Key attributes are generic (``PK``/``SK`` and three overloaded GSIs) so that
one table serves every entity. Prefixes are upper-case nouns followed by
``#``; identifiers are ULIDs (time-sortable), so "newest first" is a
descending query on the sort key. Times in sort keys are UTC ISO-8601.

GSI roles (every entity uses them the same way):

- ``GSI1`` *by state* — work queues and public lists: ``<KIND>_STATUS#<status>``
  sorted by the time the item entered that status.
- ``GSI2`` *by owner* — everything that belongs to a company or an account,
  sorted by kind and time: ``COMPANY#<id>`` / ``ACCOUNT#<code>``.
- ``GSI3`` *by reference* — lookups through a second reference: a release
  slug, a fiscal year.

A balance item is written by every journal entry touching that account; at
a regional government's volume the transaction conflicts this can cause are
rare and retried, and a busy account can later be split into shards.

Access patterns (✓ = served today; the rest are reserved for later features
and must keep these keys):

| pattern | index | key condition | served by |
|---|---|---|---|
| ✓ user by id | table | PK=`USER#<id>`, SK=`USER` | `Table.get_user` |
| ✓ user by email (unique) | table | PK=`EMAIL#<email>`, SK=`EMAIL` → user id | `Table.get_user_by_email` |
| ✓ all accounts, by email | GSI1 | GSI1PK=`USER_LIST`, GSI1SK=`<email>` | `Table.list_users` |
| ✓ audit trail of any entity, newest first | table | PK=`<ENTITY>#<id>`, SK begins_with `AUDIT#` (desc) | `Table.audit_trail` |
| ✓ session by token hash (TTL) | table | PK=`SESSION#<sha256>`, SK=`SESSION` | `Table.get_session` |
| ✓ counted attempts (TTL): login failures per account / per address, registrations per address | table | PK=`ATTEMPT#<kind>#<sha256>`, SK > `<since>` | `Table.attempts_since` |
| ✓ the one check allowed per throttle state (TTL) | table | PK=`ATTEMPT_SLOT#<kind>#<sha256>`, SK=`<failures>#<last failure>` | `Table.claim_attempt_slots` |
| ✓ addresses that signed in to an account (TTL) | table | PK=`KNOWN_ADDRESS#<sha256 account>`, SK=`<sha256 address>` | `Table.address_known` |
| ✓ one lock notice per account and window (TTL) | table | PK=`LOCK_NOTICE#<sha256 account>`, SK=`<window start>` | `Table.claim_lock_notice` |
| ✓ one-time setup markers | table | PK=`SETUP#<name>`, SK=`SETUP` | `Table.setup_marker_exists` |
| ✓ idempotency record (TTL) | table | PK=`IDEMPOTENCY#<scope>#<sha256 of key>`, SK=`IDEMPOTENCY` | `IdempotencyStore.record` |
| ✓ company by id | table | PK=`COMPANY#<id>`, SK=`PROFILE` | `CompanyStore.get` |
| ✓ company by NPWP / NIB (unique) | table | PK=`NPWP#<16 digits>` / `NIB#<13 digits>`, SK=`GUARD` → company id | `CompanyStore.create` |
| ✓ company by bank account number / SK Kemenkumham (unique) | table | PK=`BANK_ACCOUNT#<sha256>` / `SK_KEMENKUMHAM#<normalised>`, SK=`GUARD` → company id | `CompanyStore.create` |
| ✓ company by account email (unique) | table | `EMAIL#<email>` → user → its `company_id` | `Table.get_user_by_email` |
| ✓ companies by status, oldest first (verification queue) | GSI1 | GSI1PK=`COMPANY_STATUS#<status>`, GSI1SK=`<status_since>#<id>` | `CompanyStore.by_status` |
| ✓ how many companies are in a status (the dashboards) | GSI1 | GSI1PK=`COMPANY_STATUS#<status>`, Select=COUNT | `CompanyStore.count_by_status` |
| ✓ verified partners (public list) | GSI1 | GSI1PK=`COMPANY_STATUS#VERIFIED` | `CompanyStore.by_status` |
| ✓ pending uploads of every kind (TTL), beside what they are for | table | PK=`COMPANY#<id>` / `ORDER#<id>` / `AGREEMENT#<id>`, SK=`UPLOAD#<id>` | `PendingUploadStore.get` |
| ✓ current document of each type | table | PK=`COMPANY#<id>`, SK=`DOCCUR#<type>` → document id (the pointer that makes "one current per type" atomic) | `CompanyStore.documents` |
| ✓ history of a document type | table | PK=`COMPANY#<id>`, SK begins_with `DOC#<type>#` (ULIDs, desc) | `CompanyStore.documents` |
| ✓ current documents by validity end (expiry job) | GSI3 | GSI3PK=`DOC_EXPIRY`, GSI3SK=`<expires_on>#<company>#<document>` | `CompanyStore.documents_expiring` |
| ✓ products of the catalogue (with SSH per year) | table | PK=`CATALOG`, SK begins_with `PRODUCT#` | `CatalogueStore.products` |
| ✓ rate card and negotiation thread | table | PK=`COMPANY#<id>`, SK=`OFFER#<year>` (card) / begins_with `OFFER#<year>#MSG#` (thread) | `CatalogueStore.rate_card` |
| ✓ agreement by id | table | PK=`AGREEMENT#<id>`, SK=`AGREEMENT` | `AgreementStore.get` |
| ✓ one agreement per company and year; agreement number (unique) | table | PK=`COMPANY#<id>`, SK=`AGREEMENT_YEAR#<year>` / PK=`AGREEMENT_NUMBER#<number>`, SK=`GUARD` | `AgreementStore.create` |
| ✓ agreements of a company | GSI2 | GSI2PK=`COMPANY#<id>`, GSI2SK begins_with `AGREEMENT#<year>` | `AgreementStore.of_company` |
| ✓ agreements of a year | GSI3 | GSI3PK=`YEAR#<year>#AGREEMENT`, GSI3SK=`COMPANY#<id>` | `AgreementStore.of_year` |
| ✓ how many agreements a year has (the year pages open on) | GSI3 | GSI3PK=`YEAR#<year>#AGREEMENT`, Select=COUNT | `AgreementStore.count_of_year` |
| ✓ budget lines of a year (with remaining amount) | table | PK=`BUDGET#<year>`, SK begins_with `LINE#` | `BudgetStore.lines` |
| ✓ how many budget lines a year has | table | PK=`BUDGET#<year>`, SK begins_with `LINE#`, Select=COUNT | `BudgetStore.count_lines` |
| ✓ order by id | table | PK=`ORDER#<id>`, SK=`ORDER` | `OrderStore.get` |
| ✓ order by number (unique) | table | PK=`ORDER_NUMBER#<number>`, SK=`ORDER_NUMBER` → order id | `OrderStore.issue` |
| ✓ yearly order counter (gap-free) | table | PK=`COUNTER#ORDER#<year>`, SK=`COUNTER`, `seq` | `OrderStore.counter` |
| ✓ orders by company, newest first | GSI2 | GSI2PK=`COMPANY#<id>`, GSI2SK begins_with `ORDER#` | `OrderStore.of_company` |
| ✓ orders by status | GSI1 | GSI1PK=`ORDER_STATUS#<status>`, GSI1SK=`<since>#<id>` | `OrderStore.by_status` |
| ✓ how many orders are in a status | GSI1 | GSI1PK=`ORDER_STATUS#<status>`, Select=COUNT | `OrderStore.count_by_status` |
| ✓ orders by release | GSI3 | GSI3PK=`RELEASE#<slug>`, GSI3SK begins_with `ORDER#` | `OrderStore.of_release` |
| proofs of an order | table | kept on the order item (one slot each; files in S3 under `orders/<id>/`) | |
| ✓ invoice by id (its SPP, SPM and SP2D on the item) | table | PK=`INVOICE#<id>`, SK=`INVOICE` | `InvoiceStore.get` |
| ✓ an order billed once (guard) | table | PK=`ORDER#<id>`, SK=`INVOICED` → invoice id | `InvoiceStore.submit` |
| ✓ a partner's invoice number once (guard) | table | PK=`COMPANY#<id>`, SK=`INVOICE_NUMBER#<number>` | `InvoiceStore.submit` |
| ✓ invoices by status, oldest first (finance's queue) | GSI1 | GSI1PK=`INVOICE_STATUS#<status>`, GSI1SK=`<since>#<id>` | `InvoiceStore.by_status` |
| ✓ how many invoices are in a status | GSI1 | GSI1PK=`INVOICE_STATUS#<status>`, Select=COUNT | `InvoiceStore.count_by_status` |
| ✓ paid invoices whose PPN or PPh 23 is still to deposit, oldest SP2D first (and how many) | GSI3 | GSI3PK=`INVOICE_TAX_DUE`, GSI3SK=`<sp2d date>#<id>` (sparse: only while a tax is due) | `InvoiceStore.with_taxes_due` |
| ✓ invoices of a company, newest first | GSI2 | GSI2PK=`COMPANY#<id>`, GSI2SK begins_with `INVOICE#` | `InvoiceStore.of_company` |
| ✓ tax deposit by id | table | PK=`TAX_DEPOSIT#<id>`, SK=`TAX_DEPOSIT` | `TaxDepositStore.get` |
| ✓ an NTPN recorded once (guard) | table | PK=`NTPN#<ntpn>`, SK=`GUARD` | `TaxDepositStore.record` |
| ✓ tax deposits over time (the tax book) | GSI1 | GSI1PK=`TAX_DEPOSITS`, GSI1SK=`<deposited_on>#<id>` | `TaxDepositStore.between` |
| ✓ pending uploads of an invoice's attachments (before it exists) / of its payment documents | table | PK=`COMPANY#<id>` / `INVOICE#<id>`, SK=`UPLOAD#<id>` | `PendingUploadStore.get` |
| ✓ journal entry and its lines | table | PK=`JOURNAL#<id>`, SK=`ENTRY` / `LINE#<n>` | `LedgerStore.journal_entry` |
| ✓ journal entries over time | GSI1 | GSI1PK=`JOURNAL`, GSI1SK=`<posted_at>#<id>` (on the ENTRY item) | `LedgerStore.journal_entries` |
| ✓ journal entries waiting for their number, in the order they were recorded | GSI3 | GSI3PK=`JOURNAL_UNNUMBERED`, GSI3SK=`<recorded_at>#<id>` (sparse: removed when the number is given) | `LedgerStore.unnumbered` |
| ✓ the journal numbers given in a year (JU/<year>/<n>) | table | PK=`COUNTER#JOURNAL#<year>`, SK=`COUNTER` | `LedgerStore.assign_numbers` |
| ✓ journal lines by account over time | GSI2 | GSI2PK=`ACCOUNT#<code>`, GSI2SK=`<posted_at>#<entry>#<n>` | `LedgerStore.account_lines` |
| ✓ chart of accounts with balances | table | PK=`LEDGER#ACCOUNTS`, SK=`ACCOUNT#<code>` (debit/credit totals updated with ADD in the entry's transaction) | `LedgerStore.balances` |
| ✓ outgoing mail by id (the outbox; TTL once sent) | table | PK=`MAIL#<id>`, SK=`MAIL` | `OutboxStore.get` |
| ✓ mail due to be sent (QUEUED, by next attempt) | GSI1 | GSI1PK=`MAIL_STATUS#QUEUED`, GSI1SK=`<next attempt>#<id>` | `OutboxStore.due` |
| ✓ mail by status (failed, sent…), newest first | GSI1 | GSI1PK=`MAIL_STATUS#<status>`, GSI1SK=`<last change>#<id>` | `OutboxStore.by_status` |
| ✓ how many mails are in a status | GSI1 | GSI1PK=`MAIL_STATUS#<status>`, Select=COUNT | `OutboxStore.count_by_status` |
| ✓ mail about an entity (an order, an invoice, a company) | GSI2 | GSI2PK=`<ENTITY>#<id>`, GSI2SK begins_with `MAIL#` | `OutboxStore.about` |
| ✓ mail by the provider's message id (SES bounce reports) | GSI3 | GSI3PK=`MAIL_PROVIDER#<id>`, GSI3SK=`MAIL` | `OutboxStore.by_provider_id` |
| ✓ addresses that bounced or complained | table | PK=`MAIL_SUPPRESSED#<sha256 email>`, SK=`SUPPRESSED` | `OutboxStore.suppression` |
| ✓ distributions of a release (one per partner: the send-once guard) | table | PK=`RELEASE#<slug>`, SK=`DIST#<company id>` | `DistributionStore.of_release` |
| ✓ mail of a release's distribution (the delivery log) | GSI2 | GSI2PK=`RELEASE#<slug>`, GSI2SK begins_with `MAIL#` | `OutboxStore.about` |
| ✓ distributions received by a company, newest first | GSI2 | GSI2PK=`COMPANY#<id>`, GSI2SK begins_with `DIST#` | `DistributionStore.of_company` |
| ✓ subscriber by email (hashed; TTL while unconfirmed) | table | PK=`SUBSCRIBER#<sha256 email>`, SK=`SUBSCRIBER` | `SubscriberStore.get` |
| ✓ subscriber by the token of its links (TTL while unconfirmed) | table | PK=`SUBSCRIBER_TOKEN#<sha256 token>`, SK=`TOKEN` → email | `SubscriberStore.by_token` |
| ✓ confirmed subscribers per frequency, by confirmation time | GSI1 | GSI1PK=`SUBSCRIBERS#<frequency>`, GSI1SK=`<confirmed at>#<sha256 email>` | `SubscriberStore.confirmed` |
| ✓ one alert per release and subscriber; a release announced | table | PK=`RELEASE#<slug>`, SK=`NOTICE#<sha256 email>` / `ANNOUNCED` | `SubscriberStore.record_notices` |
| ✓ one digest per day and subscriber; a day's digest done | table | PK=`DIGEST#<day>`, SK=`NOTICE#<sha256 email>` / `DONE` | `SubscriberStore.record_notices` |
| ✓ registration waiting for its address to be proven (TTL 3 days) | table | PK=`REGISTRATION#<sha256 token>`, SK=`PENDING` | `PendingRegistrationStore.get` |
| ✓ saved recipient lists, by name | table / GSI1 | PK=`RECIPIENT_LIST#<id>`, SK=`RECIPIENT_LIST`; GSI1PK=`RECIPIENT_LISTS`, GSI1SK=`<name>#<id>` | `DistributionStore.lists` |
"""

from __future__ import annotations

import hashlib

# Epoch seconds after which DynamoDB may delete an item. A name no domain
# field will want (documents, agreements and sessions all have expiry dates).
TTL_ATTRIBUTE = "purge_after"

_INDEXES = ("GSI1", "GSI2", "GSI3")

# The definition accepted by both boto3's create_table and (translated) the
# CloudFormation AWS::DynamoDB::Table resource; see seklik/deploy.py.
TABLE_DEFINITION: dict = {
    "AttributeDefinitions": [
        {"AttributeName": name, "AttributeType": "S"}
        for name in ("PK", "SK", *[f"{i}{part}" for i in _INDEXES for part in ("PK", "SK")])
    ],
    "KeySchema": [
        {"AttributeName": "PK", "KeyType": "HASH"},
        {"AttributeName": "SK", "KeyType": "RANGE"},
    ],
    "GlobalSecondaryIndexes": [
        {
            "IndexName": index,
            "KeySchema": [
                {"AttributeName": f"{index}PK", "KeyType": "HASH"},
                {"AttributeName": f"{index}SK", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "ALL"},
        }
        for index in _INDEXES
    ],
    "BillingMode": "PAY_PER_REQUEST",
}


def digest(value: str) -> str:
    """Hash a secret or personal value before it becomes part of a key."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


# -- key builders: one function per item kind, so prefixes live only here ---

def user_key(user_id: str) -> dict:
    return {"PK": f"USER#{user_id}", "SK": "USER"}


USER_LIST_PARTITION = "USER_LIST"


def user_list_keys(email: str) -> dict:
    return {"GSI1PK": USER_LIST_PARTITION, "GSI1SK": email}


def email_key(email: str) -> dict:
    return {"PK": f"EMAIL#{email}", "SK": "EMAIL"}


AUDIT_PREFIX = "AUDIT#"


def audit_key(entity: str, entity_id: str, event_id: str) -> dict:
    return {"PK": audit_partition(entity, entity_id), "SK": f"{AUDIT_PREFIX}{event_id}"}


def audit_partition(entity: str, entity_id: str) -> str:
    return f"{entity}#{entity_id}"


def session_key(token: str) -> dict:
    return {"PK": f"SESSION#{digest(token)}", "SK": "SESSION"}


def attempt_partition(kind: str, value: str) -> str:
    return f"ATTEMPT#{kind}#{digest(value)}"


def attempt_key(kind: str, value: str, at: str, attempt_id: str) -> dict:
    """Sorted by time, so a window is a range of the sort key."""
    return {"PK": attempt_partition(kind, value), "SK": f"{at}#{attempt_id}"}


def attempt_slot_partition(kind: str, value: str) -> str:
    return f"ATTEMPT_SLOT#{kind}#{digest(value)}"


def attempt_slot_key(kind: str, value: str, failures: int, last_failure: str) -> dict:
    """The one password check allowed for a key in a given state (how many failures, the last one)."""
    return {"PK": attempt_slot_partition(kind, value), "SK": f"{failures}#{last_failure}"}


def known_address_key(account: str, address: str) -> dict:
    """An address that has signed in to an account (both hashed)."""
    return {"PK": f"KNOWN_ADDRESS#{digest(account)}", "SK": digest(address)}


def lock_notice_key(account: str, window_start: str) -> dict:
    """One email per account and throttle window telling its holder of repeated failures."""
    return {"PK": f"LOCK_NOTICE#{digest(account)}", "SK": window_start}


def setup_marker_key(name: str) -> dict:
    return {"PK": f"SETUP#{name}", "SK": "SETUP"}


def idempotency_key(scope: str, key: str) -> dict:
    return {"PK": f"IDEMPOTENCY#{scope}#{digest(key)}", "SK": "IDEMPOTENCY"}


def company_key(company_id: str) -> dict:
    return {"PK": f"COMPANY#{company_id}", "SK": "PROFILE"}


def company_partition(company_id: str) -> str:
    return f"COMPANY#{company_id}"


def company_status_partition(status: str) -> str:
    return f"COMPANY_STATUS#{status}"


def company_status_keys(status: str, since: str, company_id: str) -> dict:
    return {"GSI1PK": company_status_partition(status), "GSI1SK": f"{since}#{company_id}"}


def npwp_guard_key(npwp: str) -> dict:
    return {"PK": f"NPWP#{npwp}", "SK": "GUARD"}


def nib_guard_key(nib: str) -> dict:
    return {"PK": f"NIB#{nib}", "SK": "GUARD"}


def bank_account_guard_key(number: str) -> dict:
    """One company per bank account number (digits only; hashed: it is the company's private data)."""
    return {"PK": f"BANK_ACCOUNT#{digest(number)}", "SK": "GUARD"}


def sk_guard_key(sk_kemenkumham: str) -> dict:
    """One company per SK Kemenkumham (upper case, without spaces: the same SK however it was typed)."""
    return {"PK": f"SK_KEMENKUMHAM#{''.join(sk_kemenkumham.upper().split())}", "SK": "GUARD"}


def upload_key(owner: str, upload_id: str) -> dict:
    """A pending upload, kept beside what it is for: ``owner`` is that item's partition
    (``company_partition``, ``order_partition``, ``agreement_partition``)."""
    return {"PK": owner, "SK": f"UPLOAD#{upload_id}"}


# Documents (``DOC#``) and the current-document pointers (``DOCCUR#``) share this prefix: one query reads both.
DOCUMENT_ITEMS_PREFIX = "DOC"


def document_key(company_id: str, doc_type: str, document_id: str) -> dict:
    return {"PK": company_partition(company_id), "SK": f"DOC#{doc_type}#{document_id}"}


def current_document_key(company_id: str, doc_type: str) -> dict:
    return {"PK": company_partition(company_id), "SK": f"DOCCUR#{doc_type}"}


DOCUMENT_EXPIRY_PARTITION = "DOC_EXPIRY"


def document_expiry_keys(expires_on: str, company_id: str, document_id: str) -> dict:
    return {"GSI3PK": DOCUMENT_EXPIRY_PARTITION, "GSI3SK": f"{expires_on}#{company_id}#{document_id}"}


# -- the cooperation cycle -----------------------------------------------------------------

CATALOG_PARTITION = "CATALOG"
PRODUCT_PREFIX = "PRODUCT#"


def product_key(code: str) -> dict:
    return {"PK": CATALOG_PARTITION, "SK": f"{PRODUCT_PREFIX}{code}"}


def rate_card_prefix(year: int) -> str:
    """The card (SK = this) and its thread (SK begins with this + ``#MSG#``) share it."""
    return f"OFFER#{year}"


def rate_card_key(company_id: str, year: int) -> dict:
    return {"PK": company_partition(company_id), "SK": rate_card_prefix(year)}


def negotiation_message_key(company_id: str, year: int, message_id: str) -> dict:
    return {"PK": company_partition(company_id), "SK": f"{rate_card_prefix(year)}#MSG#{message_id}"}


def agreement_partition(agreement_id: str) -> str:
    return f"AGREEMENT#{agreement_id}"


def agreement_key(agreement_id: str) -> dict:
    return {"PK": agreement_partition(agreement_id), "SK": "AGREEMENT"}


AGREEMENT_OF_COMPANY_PREFIX = "AGREEMENT#"


def agreement_index_keys(company_id: str, year: int, agreement_id: str) -> dict:
    """GSI2: the agreements of a company; GSI3: the agreements of a year."""
    return {"GSI2PK": company_partition(company_id), "GSI2SK": f"{AGREEMENT_OF_COMPANY_PREFIX}{year}#{agreement_id}",
            "GSI3PK": agreements_of_year_partition(year), "GSI3SK": company_partition(company_id)}


def agreements_of_year_partition(year: int) -> str:
    return f"YEAR#{year}#AGREEMENT"


def agreement_year_guard_key(company_id: str, year: int) -> dict:
    return {"PK": company_partition(company_id), "SK": f"AGREEMENT_YEAR#{year}"}


def agreement_number_guard_key(number: str) -> dict:
    return {"PK": f"AGREEMENT_NUMBER#{number}", "SK": "GUARD"}


BUDGET_LINE_PREFIX = "LINE#"


def budget_partition(year: int) -> str:
    return f"BUDGET#{year}"


def budget_line_key(year: int, code: str) -> dict:
    return {"PK": budget_partition(year), "SK": f"{BUDGET_LINE_PREFIX}{code}"}


def order_partition(order_id: str) -> str:
    return f"ORDER#{order_id}"


def order_key(order_id: str) -> dict:
    return {"PK": order_partition(order_id), "SK": "ORDER"}


def order_number_key(number: str) -> dict:
    return {"PK": f"ORDER_NUMBER#{number}", "SK": "ORDER_NUMBER"}


def order_counter_key(year: int) -> dict:
    return {"PK": f"COUNTER#ORDER#{year}", "SK": "COUNTER"}


ORDER_OF_COMPANY_PREFIX = "ORDER#"


def order_status_partition(status: str) -> str:
    return f"ORDER_STATUS#{status}"


def release_partition(slug: str) -> str:
    return f"RELEASE#{slug}"


def order_index_keys(status: str, since: str, company_id: str, issued_at: str, order_id: str,
                     release_slug: str | None) -> dict:
    """GSI1 by status, GSI2 by company (newest first), GSI3 by release (when the material is one)."""
    keys = {"GSI1PK": order_status_partition(status), "GSI1SK": f"{since}#{order_id}",
            "GSI2PK": company_partition(company_id), "GSI2SK": f"{ORDER_OF_COMPANY_PREFIX}{issued_at}#{order_id}"}
    if release_slug:
        keys.update({"GSI3PK": release_partition(release_slug), "GSI3SK": f"{ORDER_OF_COMPANY_PREFIX}{order_id}"})
    return keys


# -- the books ----------------------------------------------------------------------------------

JOURNAL_TIMELINE = "JOURNAL"
LEDGER_ACCOUNTS_PARTITION = "LEDGER#ACCOUNTS"


def journal_partition(entry_id: str) -> str:
    return f"JOURNAL#{entry_id}"


JOURNAL_UNNUMBERED = "JOURNAL_UNNUMBERED"


def journal_entry_keys(entry_id: str, posted_at: str, recorded_at: str) -> dict:
    """GSI1: the journal over time (by the date it is posted at); GSI3, until its number is given: the entries
    waiting for one, in the order they were recorded."""
    return {"PK": journal_partition(entry_id), "SK": "ENTRY",
            "GSI1PK": JOURNAL_TIMELINE, "GSI1SK": f"{posted_at}#{entry_id}",
            "GSI3PK": JOURNAL_UNNUMBERED, "GSI3SK": f"{recorded_at}#{entry_id}"}


def journal_counter_key(year: int) -> dict:
    return {"PK": f"COUNTER#JOURNAL#{year}", "SK": "COUNTER"}


JOURNAL_LINE_PREFIX = "LINE#"


def journal_line_keys(entry_id: str, n: int, account: str, posted_at: str) -> dict:
    return {"PK": journal_partition(entry_id), "SK": f"{JOURNAL_LINE_PREFIX}{n}",
            "GSI2PK": account_partition(account), "GSI2SK": f"{posted_at}#{entry_id}#{n}"}


def account_partition(account: str) -> str:
    return f"ACCOUNT#{account}"


def account_balance_key(account: str) -> dict:
    return {"PK": LEDGER_ACCOUNTS_PARTITION, "SK": account_partition(account)}


# -- invoices -----------------------------------------------------------------------------------

INVOICE_OF_COMPANY_PREFIX = "INVOICE#"


def invoice_partition(invoice_id: str) -> str:
    return f"INVOICE#{invoice_id}"


def invoice_key(invoice_id: str) -> dict:
    return {"PK": invoice_partition(invoice_id), "SK": "INVOICE"}


def invoice_status_partition(status: str) -> str:
    return f"INVOICE_STATUS#{status}"


def invoice_index_keys(status: str, since: str, company_id: str, submitted_at: str, invoice_id: str) -> dict:
    """GSI1 by status (oldest first: finance's queue), GSI2 by company (newest first)."""
    return {"GSI1PK": invoice_status_partition(status), "GSI1SK": f"{since}#{invoice_id}",
            "GSI2PK": company_partition(company_id), "GSI2SK": f"{INVOICE_OF_COMPANY_PREFIX}{submitted_at}#{invoice_id}"}


INVOICE_TAX_DUE = "INVOICE_TAX_DUE"


def invoice_tax_due_keys(sp2d_on: str, invoice_id: str) -> dict:
    """GSI3, only while the invoice's SP2D left a tax to deposit (the tax console and its count read nothing else)."""
    return {"GSI3PK": INVOICE_TAX_DUE, "GSI3SK": f"{sp2d_on}#{invoice_id}"}


def order_billed_key(order_id: str) -> dict:
    """The guard that bills an order once: beside the order, naming the invoice."""
    return {"PK": order_partition(order_id), "SK": "INVOICED"}


def partner_invoice_number_key(company_id: str, number: str) -> dict:
    return {"PK": company_partition(company_id), "SK": f"INVOICE_NUMBER#{number}"}


TAX_DEPOSITS_TIMELINE = "TAX_DEPOSITS"


def tax_deposit_keys(deposit_id: str, deposited_on: str) -> dict:
    return {"PK": f"TAX_DEPOSIT#{deposit_id}", "SK": "TAX_DEPOSIT",
            "GSI1PK": TAX_DEPOSITS_TIMELINE, "GSI1SK": f"{deposited_on}#{deposit_id}"}


def tax_deposit_key(deposit_id: str) -> dict:
    return {"PK": f"TAX_DEPOSIT#{deposit_id}", "SK": "TAX_DEPOSIT"}


def ntpn_guard_key(ntpn: str) -> dict:
    return {"PK": f"NTPN#{ntpn}", "SK": "GUARD"}


# -- outgoing mail (the outbox) ---------------------------------------------------------------

def mail_key(message_id: str) -> dict:
    return {"PK": f"MAIL#{message_id}", "SK": "MAIL"}


def mail_status_partition(status: str) -> str:
    return f"MAIL_STATUS#{status}"


def mail_index_keys(status: str, since: str, message_id: str, about: tuple[str, str] | None,
                    provider_id: str | None) -> dict:
    """GSI1: by status, sorted by the next attempt (QUEUED) or the last change; GSI2: the mails
    about an entity (``ORDER#<id>``…); GSI3: by the provider's message id (to match a bounce)."""
    keys = {"GSI1PK": mail_status_partition(status), "GSI1SK": f"{since}#{message_id}"}
    if about:
        keys |= {"GSI2PK": mail_about_partition(*about), "GSI2SK": f"{MAIL_ABOUT_PREFIX}{message_id}"}
    if provider_id:
        keys |= {"GSI3PK": mail_provider_partition(provider_id), "GSI3SK": "MAIL"}
    return keys


def mail_about_partition(entity: str, entity_id: str) -> str:
    return f"{entity}#{entity_id}"


MAIL_ABOUT_PREFIX = "MAIL#"


def mail_provider_partition(provider_id: str) -> str:
    return f"MAIL_PROVIDER#{provider_id}"


def suppressed_address_key(address: str) -> dict:
    """An address that bounced or complained: nothing more is sent to it (hashed: personal data)."""
    return {"PK": f"MAIL_SUPPRESSED#{digest(address.lower())}", "SK": "SUPPRESSED"}


# -- distribution of releases --------------------------------------------------------------

DISTRIBUTION_PREFIX = "DIST#"


def release_partition(slug: str) -> str:
    return f"RELEASE#{slug}"


def distribution_key(slug: str, company_id: str) -> dict:
    """One per release and partner: written with ``attribute_not_exists``, it is the send-once guard."""
    return {"PK": release_partition(slug), "SK": f"{DISTRIBUTION_PREFIX}{company_id}"}


def distribution_company_keys(company_id: str, at: str, slug: str) -> dict:
    return {"GSI2PK": company_partition(company_id), "GSI2SK": f"{DISTRIBUTION_PREFIX}{at}#{slug}"}


RECIPIENT_LISTS_PARTITION = "RECIPIENT_LISTS"


def recipient_list_key(list_id: str) -> dict:
    return {"PK": f"RECIPIENT_LIST#{list_id}", "SK": "RECIPIENT_LIST"}


def recipient_list_index_keys(name: str, list_id: str) -> dict:
    return {"GSI1PK": RECIPIENT_LISTS_PARTITION, "GSI1SK": f"{name.lower()}#{list_id}"}


# -- the newsroom's email subscribers (addresses only ever hashed in keys) -------------------------

def subscriber_key(email: str) -> dict:
    return {"PK": f"SUBSCRIBER#{digest(email.lower())}", "SK": "SUBSCRIBER"}


def subscriber_index_keys(frequency: str, confirmed_at: str, email: str) -> dict:
    """Confirmed subscribers per frequency, by confirmation time (a release goes to those confirmed before it)."""
    return {"GSI1PK": subscribers_partition(frequency), "GSI1SK": f"{confirmed_at}#{digest(email.lower())}"}


def subscribers_partition(frequency: str) -> str:
    return f"SUBSCRIBERS#{frequency}"


def subscriber_token_key(token_hash: str) -> dict:
    """The token of a subscriber's links (stored hashed) → its address."""
    return {"PK": f"SUBSCRIBER_TOKEN#{token_hash}", "SK": "TOKEN"}


def release_notice_key(slug: str, email: str) -> dict:
    """One alert per release and subscriber: the send-once guard, beside the release's distributions."""
    return {"PK": release_partition(slug), "SK": f"NOTICE#{digest(email.lower())}"}


def release_announced_key(slug: str) -> dict:
    return {"PK": release_partition(slug), "SK": "ANNOUNCED"}


def digest_notice_key(day: str, email: str) -> dict:
    """One daily digest per day (WIB) and subscriber."""
    return {"PK": f"DIGEST#{day}", "SK": f"NOTICE#{digest(email.lower())}"}


def digest_done_key(day: str) -> dict:
    return {"PK": f"DIGEST#{day}", "SK": "DONE"}


def pending_registration_key(token_hash: str) -> dict:
    """A registration waiting for the link mailed to its address (only the token's hash is kept)."""
    return {"PK": f"REGISTRATION#{token_hash}", "SK": "PENDING"}
