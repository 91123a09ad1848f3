"""Sending a press release to the press: which release may go to whom, and in which form.

The newsroom build renders each release as an email (a *press kit*, see
``seklik/newsroom/kits.py``) in a public form and, for a release under
embargo, an embargoed form with the EMBARGO banner. A release may be sent:

- once it is on the public newsroom: the public form, to any verified partner;
- before that only when it is under an embargo that has not lifted: the
  embargoed form, to verified partners (who may prepare, not publish). The
  page stays unpublished until the lift (the site build decides that).

A release that is neither (a draft, a scheduled release without embargo, an
embargo lifted but the site not yet rebuilt) cannot be sent. A release goes
to one partner at most once, whatever is retried: the distribution record is
a guard (one per release and partner) written with the outgoing mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from ..errors import conflict
from .outbox import Mail

DISTRIBUTION_MAIL_KIND = "release.distributed"


class KitVariant(str, Enum):
    PUBLIC = "public"
    EMBARGOED = "embargoed"


@dataclass(frozen=True)
class KitFile:
    name: str
    title: str
    kind: str  # image | attachment


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class PressKit:
    slug: str
    title: str
    lang: str
    url: str
    public_from: datetime
    embargo_until: datetime | None
    files: tuple[KitFile, ...]
    mail: dict  # KitVariant -> RenderedMail

    @classmethod
    def from_json(cls, data: dict) -> "PressKit":
        return cls(
            slug=data["slug"], title=data["title"], lang=data["lang"], url=data["url"],
            public_from=datetime.fromisoformat(data["public_from"]),
            embargo_until=datetime.fromisoformat(data["embargo_until"]) if data.get("embargo_until") else None,
            files=tuple(KitFile(f["name"], f["title"], f["kind"]) for f in data.get("files", [])),
            mail={KitVariant(k): RenderedMail(v["subject"], v["text"], v["html"]) for k, v in data["mail"].items()},
        )

    def under_embargo(self, now: datetime) -> bool:
        return self.embargo_until is not None and now < self.embargo_until

    def variant(self, on_newsroom: bool, now: datetime) -> KitVariant:
        """The form to send now, or 409 RELEASE_NOT_PUBLISHED with what to wait for."""
        if on_newsroom:
            return KitVariant.PUBLIC
        if self.under_embargo(now) and KitVariant.EMBARGOED in self.mail:
            return KitVariant.EMBARGOED
        if self.embargo_until is not None:
            raise conflict("RELEASE_NOT_PUBLISHED", "Embargo rilis ini sudah berakhir, tetapi newsroom belum "
                           "memuatnya (situs dibangun ulang tiap 10 menit). Coba lagi beberapa menit lagi.")
        raise conflict("RELEASE_NOT_PUBLISHED", "Rilis ini belum terbit di newsroom. Rilis hanya dapat dikirim "
                       "setelah terbit, atau sebelum terbit bila diberi embargo (embargo_until).")

    def file(self, name: str) -> KitFile | None:
        return next((f for f in self.files if f.name == name), None)


@dataclass(frozen=True)
class Distribution:
    """One release sent to one partner: who, where to, in which form, by whom, and its mail."""

    slug: str
    company_id: str
    media_name: str
    email: str
    variant: KitVariant
    mail_id: str
    by: str
    at: datetime


def distribution_mail(kit: PressKit, variant: KitVariant, to: str) -> Mail:
    rendered: RenderedMail = kit.mail[variant]
    return Mail(to=to, subject=rendered.subject, text=rendered.text, html=rendered.html,
                kind=DISTRIBUTION_MAIL_KIND, about=("RELEASE", kit.slug))
