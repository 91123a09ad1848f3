"""DynamoDB storage: turns domain objects into items and back, nothing more.

Rules live in the domain and services; this module only knows keys (from
``schema``), item shapes, and the conditions that make writes atomic.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Iterable

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import ClientError

from ..domain.accounts import AuditEvent, Role, Session, User
from . import schema

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


class ConditionFailed(Exception):
    """A conditional write lost: the item exists, or its version moved on.

    ``refused`` names the elements whose condition failed, by the names the
    adapter gave them when it built the transaction (``"email_guard"``,
    ``"counter"``, …), so a service asks ``failure.refused_by("npwp_guard")``
    instead of counting positions. An empty ``refused`` means the write lost
    to a concurrent transaction (AWS's ``TransactionConflict``) rather than to
    a condition. ``reasons`` keeps DynamoDB's code per element.
    """

    def __init__(self, reasons: list[str | None] | None = None, names: list[str | None] | None = None):
        super().__init__("condition failed")
        self.reasons = reasons or []
        names = names or []
        self.refused = frozenset(
            name for name, reason in zip(names, self.reasons) if name and reason == "ConditionalCheckFailed"
        )

    def refused_by(self, *names: str) -> bool:
        return any(name in self.refused for name in names)


def iso(at: datetime) -> str:
    """UTC ISO-8601 with milliseconds: sorts lexicographically in time order."""
    return at.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(raw: str) -> datetime:
    return datetime.fromisoformat(raw.replace("Z", "+00:00"))


def serialise(item: dict) -> dict:
    return {k: _serializer.serialize(v) for k, v in item.items() if v is not None}


def deserialise(item: dict) -> dict:
    return {k: _deserializer.deserialize(v) for k, v in item.items()}


def make_client():
    # Short timeouts and few retries: a stuck database should surface as a
    # clear 503 quickly, not hang a request (or `make run`) for minutes.
    return boto3.client(
        "dynamodb",
        config=Config(connect_timeout=3, read_timeout=10, retries={"max_attempts": 3, "mode": "standard"},
                      max_pool_connections=50),  # threads of one process (jobs, tests) share it
    )


# -- item mappers ------------------------------------------------------------

def user_to_item(user: User) -> dict:
    return {
        **schema.user_key(user.id),
        **schema.user_list_keys(user.email),
        "type": "USER",
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "roles": [r.value for r in user.roles],
        "password_hash": user.password_hash,
        "disabled": user.disabled,
        "session_epoch": user.session_epoch,
        "company_id": user.company_id,
        "created_at": iso(user.created_at),
        "updated_at": iso(user.updated_at),
        "version": user.version,
    }


def user_from_item(item: dict) -> User:
    return User(
        id=item["id"],
        email=item["email"],
        name=item["name"],
        roles=tuple(Role(r) for r in item["roles"]),
        password_hash=item["password_hash"],
        disabled=bool(item.get("disabled", False)),
        session_epoch=int(item.get("session_epoch", 0)),
        company_id=item.get("company_id"),
        created_at=parse_iso(item["created_at"]),
        updated_at=parse_iso(item["updated_at"]),
        version=int(item["version"]),
    )


def audit_to_item(event: AuditEvent) -> dict:
    return {
        **schema.audit_key(event.entity, event.entity_id, event.event_id),
        "type": "AUDIT",
        "action": event.action,
        "actor_id": event.actor_id,
        "at": iso(event.at),
        "changes": event.changes,
        "reason": event.reason,
    }


def plain(value):
    """DynamoDB's numbers come back as Decimal; give them back as int (or float) wherever they are."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def audit_from_item(item: dict) -> AuditEvent:
    entity, entity_id = item["PK"].split("#", 1)
    return AuditEvent(
        entity=entity,
        entity_id=entity_id,
        event_id=item["SK"].split("#", 1)[1],
        action=item["action"],
        actor_id=item["actor_id"],
        at=parse_iso(item["at"]),
        changes=plain(item.get("changes") or {}),
        reason=item.get("reason"),
    )


class Table:
    """The application's view of the one table."""

    def __init__(self, name: str, client=None):
        self.name = name
        self.client = client or make_client()

    # -- reading ------------------------------------------------------------

    def get(self, key: dict, consistent: bool = True) -> dict | None:
        response = self.client.get_item(TableName=self.name, Key=serialise(key), ConsistentRead=consistent)
        item = response.get("Item")
        return deserialise(item) if item else None

    def query(self, **kwargs) -> list[dict]:
        """Every item a query matches, all pages read (values are given in Python, not DynamoDB JSON)."""
        items: list[dict] = []
        last_key = None
        while True:
            page, last_key = self.query_page(**kwargs, start=last_key)
            items.extend(page)
            if last_key is None:
                return items

    def count(self, *, values: dict, **kwargs) -> int:
        """How many items a query matches, all pages counted (nothing read but the count)."""
        total, start = 0, None
        while True:
            response = self.client.query(TableName=self.name, ExpressionAttributeValues=serialise(values),
                                         Select="COUNT", **kwargs, **({"ExclusiveStartKey": start} if start else {}))
            total += response["Count"]
            start = response.get("LastEvaluatedKey")
            if not start:
                return total

    def query_page(self, *, values: dict, start: dict | None = None, **kwargs) -> tuple[list[dict], dict | None]:
        """One page of a query: (items, the key to start the next page from, or None)."""
        request = {"TableName": self.name, "ExpressionAttributeValues": serialise(values), **kwargs}
        if start:
            request["ExclusiveStartKey"] = start
        response = self.client.query(**request)
        return [deserialise(i) for i in response["Items"]], response.get("LastEvaluatedKey")

    def query_up_to(self, limit: int, *, values: dict, forward: bool = True, **query) -> list[dict]:
        """The first ``limit`` items of a query in index order, reading on while a filter thins the pages."""
        found: list[dict] = []
        start = None
        while len(found) < limit:
            page, start = self.query_page(**query, values=values, start=start, ScanIndexForward=forward, Limit=limit)
            found += page
            if start is None:
                break
        return found[:limit]

    def newest_of(self, index: str, pk: str, prefix: str, limit: int, before: str | None = None,
                  status: str | None = None) -> tuple[list[dict], str | None]:
        """One page of the items of partition ``pk`` of ``index`` whose sort key starts with ``prefix``, newest
        first, below the sort key ``before``; only those in ``status`` if given. Returns the page and, when more
        follow, the sort key to resume below."""
        sk = f"{index}SK"
        values = {":pk": pk, ":low": prefix, ":high": before or f"{prefix}~"}
        query = {"IndexName": index, "KeyConditionExpression": f"{index}PK = :pk AND {sk} BETWEEN :low AND :high"}
        if status is not None:
            query["FilterExpression"], values[":status"] = "#status = :status", status
            query["ExpressionAttributeNames"] = {"#status": "status"}
        items = [i for i in self.query_up_to(limit + 2, values=values, forward=False, **query) if i[sk] != before]
        return items[:limit], (items[limit - 1][sk] if len(items) > limit else None)

    # -- single writes (no transaction) ------------------------------------------

    def put(self, item: dict) -> None:
        self.client.put_item(TableName=self.name, Item=serialise(item))

    def delete(self, key: dict) -> None:
        self.client.delete_item(TableName=self.name, Key=serialise(key))

    # -- transaction elements ----------------------------------------------------

    def put_new(self, item: dict) -> dict:
        """A transaction element that creates ``item`` only if its key is free."""
        return {
            "Put": {
                "TableName": self.name,
                "Item": serialise(item),
                "ConditionExpression": "attribute_not_exists(PK)",
            }
        }

    def put_versioned(self, item: dict, expected_version: int) -> dict:
        """Replace ``item`` only if nobody changed it since we read ``expected_version``."""
        return {
            "Put": {
                "TableName": self.name,
                "Item": serialise(item),
                "ConditionExpression": "#v = :expected",
                "ExpressionAttributeNames": {"#v": "version"},
                "ExpressionAttributeValues": serialise({":expected": expected_version}),
            }
        }

    def put_if(self, item: dict, condition: str, values: dict | None = None) -> dict:
        """Put ``item`` only if the stored one meets ``condition``."""
        put = {"TableName": self.name, "Item": serialise(item), "ConditionExpression": condition}
        if values:
            put["ExpressionAttributeValues"] = serialise(values)
        return {"Put": put}

    def update(self, key: dict, expression: str, values: dict, condition: str | None = None,
               names: dict | None = None) -> dict:
        update = {"TableName": self.name, "Key": serialise(key), "UpdateExpression": expression,
                  "ExpressionAttributeValues": serialise(values)}
        if condition:
            update["ConditionExpression"] = condition
        if names:
            update["ExpressionAttributeNames"] = names
        return {"Update": update}

    def remove(self, key: dict, must_exist: bool = False) -> dict:
        """Delete an item; with ``must_exist`` the transaction fails if it is already gone (used once)."""
        delete = {"TableName": self.name, "Key": serialise(key)}
        if must_exist:
            delete["ConditionExpression"] = "attribute_exists(PK)"
        return {"Delete": delete}

    def remove_if(self, key: dict, condition: str, values: dict) -> dict:
        """Delete an item only if it is absent or meets ``condition``."""
        return {"Delete": {"TableName": self.name, "Key": serialise(key),
                           "ConditionExpression": f"attribute_not_exists(PK) OR ({condition})",
                           "ExpressionAttributeValues": serialise(values)}}

    def check_version(self, key: dict, expected_version: int) -> dict:
        """Write nothing, but fail the transaction if the item's version moved on."""
        return {
            "ConditionCheck": {
                "TableName": self.name,
                "Key": serialise(key),
                "ConditionExpression": "#v = :expected",
                "ExpressionAttributeNames": {"#v": "version"},
                "ExpressionAttributeValues": serialise({":expected": expected_version}),
            }
        }

    def transact(self, elements: Iterable[dict | tuple[str, dict]]) -> None:
        """Write all elements or none. An element may be named ``(name, element)``: a refusal
        then says which by name (``ConditionFailed.refused``)."""
        names: list[str | None] = []
        items: list[dict] = []
        for element in elements:
            name, element = element if isinstance(element, tuple) else (None, element)
            names.append(name)
            items.append(element)
        try:
            self.client.transact_write_items(TransactItems=items)
        except ClientError as error:
            if error.response["Error"]["Code"] == "TransactionCanceledException":
                reasons = [r.get("Code") if r.get("Code") != "None" else None
                           for r in error.response.get("CancellationReasons", [])]
                # TransactionConflict: another transaction was writing the same item at
                # that moment (real DynamoDB; Local reports the condition instead). The
                # caller lost the race just as with a failed condition.
                if "ConditionalCheckFailed" in reasons or "TransactionConflict" in reasons:
                    raise ConditionFailed(reasons, names) from error
            raise

    # -- health --------------------------------------------------------------

    def describe(self) -> dict:
        return self.client.describe_table(TableName=self.name)["Table"]

    # -- users -----------------------------------------------------------------

    def create_user(self, user: User, audit: AuditEvent, setup_marker: str | None = None) -> None:
        """User, email guard and audit line in one transaction.

        With ``setup_marker`` the same transaction also claims that one-time
        marker, so a first-run step (the local administrator) happens once or
        not at all. A refusal names ``"email_guard"`` or ``"setup_marker"``.
        """
        elements = [
            ("user", self.put_new(user_to_item(user))),
            ("email_guard", self.put_new({**schema.email_key(user.email), "type": "EMAIL_GUARD", "user_id": user.id})),
            ("audit", self.put_new(audit_to_item(audit))),
        ]
        if setup_marker:
            elements.append(("setup_marker", self.put_new(
                {**schema.setup_marker_key(setup_marker), "type": "SETUP", "user_id": user.id})))
        self.transact(elements)

    def get_user(self, user_id: str) -> User | None:
        item = self.get(schema.user_key(user_id))
        return user_from_item(item) if item else None

    def get_user_by_email(self, email: str) -> User | None:
        guard = self.get(schema.email_key(email))
        return self.get_user(guard["user_id"]) if guard else None

    def list_users(self) -> list[User]:
        items = self.query(IndexName="GSI1", KeyConditionExpression="GSI1PK = :pk",
                           values={":pk": schema.USER_LIST_PARTITION})
        return [user_from_item(i) for i in items]

    def save_user(self, user: User, expected_version: int, audit: AuditEvent) -> None:
        """Replace a user (optimistic lock on ``version``) with its audit line."""
        self.transact(
            [
                self.put_versioned(user_to_item(user), expected_version),
                self.put_new(audit_to_item(audit)),
            ]
        )

    # -- audit -------------------------------------------------------------------

    def audit_trail(self, entity: str, entity_id: str, limit: int | None = 100) -> list[AuditEvent]:
        """Newest first; ``limit=None`` reads it all (an evidence pack), else the newest ``limit`` (a page)."""
        query = {"KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)", "ScanIndexForward": False,
                 "values": {":pk": schema.audit_partition(entity, entity_id), ":prefix": schema.AUDIT_PREFIX}}
        if limit is None:
            items = self.query(**query)
        else:
            items, _ = self.query_page(**query, Limit=limit)
        return [audit_from_item(item) for item in items]

    # -- sessions ------------------------------------------------------------------

    def put_session(self, token: str, session: Session) -> None:
        item = {
            **schema.session_key(token),
            "type": "SESSION",
            "user_id": session.user_id,
            "csrf_token": session.csrf_token,
            "session_epoch": session.session_epoch,
            "created_at": iso(session.created_at),
            "valid_until": iso(session.expires_at),
            schema.TTL_ATTRIBUTE: int(session.expires_at.timestamp()),
        }
        self.client.put_item(TableName=self.name, Item=serialise(item))

    def get_session(self, token: str) -> Session | None:
        item = self.get(schema.session_key(token))
        if not item:
            return None
        return Session(
            user_id=item["user_id"],
            csrf_token=item["csrf_token"],
            session_epoch=int(item["session_epoch"]),
            created_at=parse_iso(item["created_at"]),
            expires_at=parse_iso(item["valid_until"]),
        )

    def delete_session(self, token: str) -> None:
        self.client.delete_item(TableName=self.name, Key=serialise(schema.session_key(token)))

    # -- counted attempts (login and registration throttling) -------------------------

    def record_attempt(self, kind: str, value: str, at: datetime, event_id: str, expires_at: datetime) -> None:
        item = {
            **schema.attempt_key(kind, value, iso(at), event_id),
            "type": "ATTEMPT",
            schema.TTL_ATTRIBUTE: int(expires_at.timestamp()),
        }
        self.client.put_item(TableName=self.name, Item=serialise(item))

    def counted_attempts(self, kind: str, value: str, now: datetime, window: timedelta, event_id: str) -> list[datetime]:
        """Record this attempt (kept a minute past ``window``), then the times of those within ``window``,
        oldest first, this one included: counting first, racing requests cannot slip past a limit together."""
        self.record_attempt(kind, value, now, event_id, now + window + timedelta(minutes=1))
        return self.attempts_since(kind, value, now - window)

    def forget_attempt(self, kind: str, value: str, at: datetime, event_id: str) -> None:
        self.delete(schema.attempt_key(kind, value, iso(at), event_id))

    def attempts_since(self, kind: str, value: str, since: datetime) -> list[datetime]:
        """Times of the attempts after ``since``, oldest first.

        The sort-key range does the windowing, so it is right even where the
        TTL sweeper has not yet removed old items (it is lazy on AWS and
        absent in DynamoDB Local).
        """
        response = self.client.query(
            TableName=self.name,
            KeyConditionExpression="PK = :pk AND SK > :since",
            ExpressionAttributeValues=serialise(
                {":pk": schema.attempt_partition(kind, value), ":since": iso(since)}
            ),
            ProjectionExpression="SK",
            ConsistentRead=True,
        )
        return [parse_iso(deserialise(i)["SK"].split("#", 1)[0]) for i in response["Items"]]

    def failures_since(self, kind: str, value: str, since: datetime) -> list[tuple[datetime, str]]:
        """(time, id) of the attempts after ``since``, in the one order every reader sees (the sort key)."""
        response = self.client.query(
            TableName=self.name,
            KeyConditionExpression="PK = :pk AND SK > :since",
            ExpressionAttributeValues=serialise({":pk": schema.attempt_partition(kind, value), ":since": iso(since)}),
            ProjectionExpression="SK",
            ConsistentRead=True,
        )
        keys = [deserialise(i)["SK"].split("#", 1) for i in response["Items"]]
        return [(parse_iso(at), attempt_id) for at, attempt_id in keys]

    def claim_attempt_slots(self, slots: list[tuple[str, str, int, str]], attempt_id: str, now: datetime,
                            until: datetime) -> bool:
        """Claim (kind, value, failures, last failure) for each key at once; False if another check has one."""
        try:
            # A slot whose time is over may be taken again (the same state comes back when failures age out).
            self.transact([self.put_if({**schema.attempt_slot_key(kind, value, count, last), "type": "ATTEMPT_SLOT",
                                        "attempt_id": attempt_id, schema.TTL_ATTRIBUTE: int(until.timestamp())},
                                       f"attribute_not_exists(PK) OR {schema.TTL_ATTRIBUTE} < :now", {":now": int(now.timestamp())})
                           for kind, value, count, last in slots])
            return True
        except ConditionFailed:
            return False

    def release_attempt_slots(self, slots: list[tuple[str, str, int, str]]) -> None:
        """After a correct password: the failure count is back where it was, so its slot is free again."""
        for kind, value, count, last in slots:
            self.delete(schema.attempt_slot_key(kind, value, count, last))

    def remember_address(self, account: str, address: str, until: datetime) -> None:
        self.put({**schema.known_address_key(account, address), "type": "KNOWN_ADDRESS",
                  schema.TTL_ATTRIBUTE: int(until.timestamp())})

    def address_known(self, account: str, address: str, now: datetime) -> bool:
        item = self.get(schema.known_address_key(account, address))
        return bool(item) and int(item[schema.TTL_ATTRIBUTE]) > now.timestamp()

    def claim_lock_notice(self, account: str, window_start: str, until: datetime, mail=()) -> bool:
        """True for the first caller only in this window; ``mail`` (the holder's notice) is queued with the
        marker, in one transaction, so the notice goes out exactly once. The marker goes with its TTL."""
        from .outbox import queue_elements  # outbox.py builds on this module

        marker = {**schema.lock_notice_key(account, window_start), "type": "LOCK_NOTICE",
                  schema.TTL_ATTRIBUTE: int(until.timestamp())}
        try:
            self.transact([("notice", self.put_new(marker)), *queue_elements(self, mail)])
            return True
        except ConditionFailed:
            return False

    def clear_attempts(self, kind: str, value: str) -> None:
        """Forget a key's failures and the slots its checks claimed (a correct password, a reset)."""
        for pk in (schema.attempt_partition(kind, value), schema.attempt_slot_partition(kind, value)):
            for item in self.query(KeyConditionExpression="PK = :pk", values={":pk": pk}, ProjectionExpression="PK, SK"):
                self.delete({"PK": item["PK"], "SK": item["SK"]})

    # -- one-time setup --------------------------------------------------------------------

    def setup_marker_exists(self, name: str) -> bool:
        return self.get(schema.setup_marker_key(name)) is not None
