"""Storage of the product catalogue (with SSH per year) and of rate cards with their negotiation thread."""

from __future__ import annotations

from ..domain.accounts import AuditEvent
from ..domain.catalog import LineStatus, NegotiationMessage, Product, RateCard, RateLine
from ..domain.press_company import MediaType
from . import schema
from .table import Table, audit_to_item, iso, parse_iso


def product_to_item(p: Product) -> dict:
    return {
        **schema.product_key(p.code), "type": "PRODUCT",
        "code": p.code, "name": p.name, "unit": p.unit,
        "media_types": sorted(m.value for m in p.media_types),
        "ssh": {str(year): amount for year, amount in p.ssh.items()},
        "version": p.version,
    }


def product_from_item(item: dict) -> Product:
    return Product(
        code=item["code"], name=item["name"], unit=item["unit"],
        media_types=frozenset(MediaType(m) for m in item["media_types"]),
        ssh={int(year): int(amount) for year, amount in (item.get("ssh") or {}).items()},
        version=int(item["version"]),
    )


def rate_card_to_item(card: RateCard) -> dict:
    return {
        **schema.rate_card_key(card.company_id, card.year), "type": "RATE_CARD",
        "company_id": card.company_id, "year": card.year,
        "lines": {code: {"price": line.price, "status": line.status.value, "note": line.note}
                  for code, line in card.lines.items()},
        "updated_at": iso(card.updated_at), "version": card.version,
    }


def rate_card_from_item(item: dict) -> RateCard:
    return RateCard(
        company_id=item["company_id"], year=int(item["year"]),
        lines={code: RateLine(code, int(line["price"]), LineStatus(line["status"]), line.get("note"))
               for code, line in item["lines"].items()},
        updated_at=parse_iso(item["updated_at"]), version=int(item["version"]),
    )


def message_to_item(company_id: str, year: int, message: NegotiationMessage) -> dict:
    return {
        **schema.negotiation_message_key(company_id, year, message.id), "type": "NEGOTIATION_MESSAGE",
        "id": message.id, "actor_id": message.actor_id, "actor_side": message.actor_side, "at": iso(message.at),
        "action": message.action, "lines": message.lines, "message": message.message,
    }


def message_from_item(item: dict) -> NegotiationMessage:
    return NegotiationMessage(
        id=item["id"], actor_id=item["actor_id"], actor_side=item["actor_side"], at=parse_iso(item["at"]),
        action=item["action"], lines={k: int(v) for k, v in (item.get("lines") or {}).items()},
        message=item.get("message"),
    )


class CatalogueStore:
    def __init__(self, table: Table):
        self.table = table

    # -- products ---------------------------------------------------------------------------

    def products(self) -> list[Product]:
        items = self.table.query(KeyConditionExpression="PK = :pk AND begins_with(SK, :p)",
                                 values={":pk": schema.CATALOG_PARTITION, ":p": schema.PRODUCT_PREFIX},
                                 ConsistentRead=True)
        return [product_from_item(i) for i in items]

    def get_product(self, code: str) -> Product | None:
        item = self.table.get(schema.product_key(code))
        return product_from_item(item) if item else None

    def create_product(self, product: Product, audit: AuditEvent) -> None:
        self.table.transact([self.table.put_new(product_to_item(product)), self.table.put_new(audit_to_item(audit))])

    def save_product(self, product: Product, expected_version: int, audit: AuditEvent) -> None:
        self.table.transact([self.table.put_versioned(product_to_item(product), expected_version),
                             self.table.put_new(audit_to_item(audit))])

    # -- rate cards ---------------------------------------------------------------------------

    def rate_card(self, company_id: str, year: int) -> tuple[RateCard | None, list[NegotiationMessage]]:
        """The card and its thread, oldest step first (one query)."""
        items = self.table.query(KeyConditionExpression="PK = :pk AND begins_with(SK, :p)",
                                 values={":pk": schema.company_partition(company_id),
                                         ":p": schema.rate_card_prefix(year)},
                                 ConsistentRead=True)
        card = next((rate_card_from_item(i) for i in items if i["type"] == "RATE_CARD"), None)
        thread = [message_from_item(i) for i in items if i["type"] == "NEGOTIATION_MESSAGE"]
        return card, thread

    def save_rate_card(self, card: RateCard, expected_version: int | None, message: NegotiationMessage,
                       audit: AuditEvent) -> None:
        item = rate_card_to_item(card)
        put = self.table.put_new(item) if expected_version is None else self.table.put_versioned(item, expected_version)
        self.table.transact([put, self.table.put_new(message_to_item(card.company_id, card.year, message)),
                             self.table.put_new(audit_to_item(audit))])
