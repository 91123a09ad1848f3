"""What every use case shares: who may reach which company, and the answers they share.

A partner reaches only the company its account owns and hears "not found"
for any other (ids cannot be probed); staff of the reading roles reach any.
Services ask here instead of reaching into each other's stores.
"""

from __future__ import annotations

from ..adapters.companies import CompanyStore
from ..adapters.table import Table
from ..domain.accounts import Role, User, looks_like_id
from ..domain.press_company import Company
from ..errors import SeklikError, conflict, forbidden, not_found

# Staff who may read any company and its cooperation records.
STAFF_READERS = frozenset({Role.VERIFIER, Role.ADMIN, Role.ORDERS, Role.FINANCE})


def stale_version() -> SeklikError:
    return conflict(
        "STALE_VERSION",
        "Data ini baru saja diubah oleh orang lain sejak Anda membukanya. "
        "Muat ulang halaman untuk melihat keadaan terbaru, lalu ulangi.",
    )


def expect_version(actual: int | None, expected: int | None) -> None:
    """A page that is out of date hears STALE_VERSION, whatever else has changed since."""
    if actual != expected:
        raise stale_version()


def is_staff(actor: User) -> bool:
    return actor.has_any_role(STAFF_READERS)


def is_partner(actor: User) -> bool:
    return actor.has_any_role({Role.MEDIA})


class Access:
    def __init__(self, table: Table, companies: CompanyStore):
        self.table = table
        self.companies = companies

    def company_for(self, actor: User, company_id: str) -> Company:
        """The company if ``actor`` may see it; a partner gets NOT_FOUND for anyone else's."""
        company = self.companies.get(company_id) if looks_like_id(company_id) else None
        if company is None or not (company.owner_id == actor.id or is_staff(actor)):
            raise not_found("Perusahaan tidak ditemukan.")
        return company

    def owned_company(self, actor: User, company_id: str,
                      refusal: str = "Hanya akun mitra pemilik perusahaan ini yang dapat mengubah datanya.") -> Company:
        company = self.company_for(actor, company_id)
        if company.owner_id != actor.id:
            raise forbidden(refusal)
        return company

    def cooperating_company(self, actor: User, company_id: str) -> Company:
        """A company that may negotiate, hold an agreement and receive orders (verified), as ``actor`` sees it."""
        company = self.company_for(actor, company_id)
        company.check("cooperate")
        return company

    def company(self, company_id: str) -> Company | None:
        """For the system's own reads (letters, jobs): no access check."""
        return self.companies.get(company_id)

    def owner_email(self, company: Company) -> str | None:
        owner = self.table.get_user(company.owner_id)
        return owner.email if owner else None

    def trail(self, entity: str, entity_id: str) -> list[tuple]:
        """An entity's audit trail, newest first, each event with the name of who did it."""
        events = self.table.audit_trail(entity, entity_id)
        names = self.names(event.actor_id for event in events)
        return [(event, names[event.actor_id]) for event in events]

    def names(self, user_ids) -> dict[str, str]:
        """Display names for an audit trail; ``system…`` actors and unknown ids read "Sistem"."""
        names: dict[str, str] = {}
        for user_id in user_ids:
            if user_id not in names:
                user = None if user_id.startswith("system") else self.table.get_user(user_id)
                names[user_id] = user.name if user else "Sistem"
        return names
