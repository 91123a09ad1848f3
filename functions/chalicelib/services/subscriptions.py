"""Use cases of the newsroom's email alerts: subscribe, confirm, unsubscribe, and tell subscribers of new releases.

Subscribing answers the same whatever the address already is (new,
waiting for confirmation, or subscribed): the answer never tells a visitor
whether someone else subscribed. The owner of the address learns what
happened by mail. Addresses are never logged.

``announce_due`` runs with the mail worker (every minute in production,
every few seconds in ``seklik dev``): for each release the newsroom has
published in the last days and not yet announced, one alert per matching
immediate subscriber; once a day after 07.00 WIB, one digest per daily
subscriber of the releases first seen public since the day before. Each alert and digest has
a guard item, so a run that dies half-way is finished by the next one and
nobody gets one twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from ..adapters import schema
from ..adapters.releases import PublishedRelease, ReleaseIndex, ReleaseIndexUnavailable
from ..adapters.subscriptions import SubscriberStore
from ..adapters.table import ConditionFailed, Table
from ..domain.accounts import email_problem, normalise_email
from ..domain.clock import WIB, Clock, new_id, tanggal, utc_now
from ..domain.links import new_link_token, token_hash, token_looks_valid
from ..domain.outbox import Mail, OutboxMessage
from ..domain.subscriptions import ANNOUNCE_WINDOW, DIGEST_HOUR_WIB, Frequency, Subscriber, SubscriberStatus
from ..errors import FieldError, SeklikError, not_found, validation_failed
from ..logs import get_logger
from .notifications import queued

log = get_logger("seklik.subscriptions")

MAX_PER_ADDRESS = 20  # subscribe requests per network address and hour
MAX_PER_EMAIL = 3  # confirmation mails per address and day: nobody can flood someone's mailbox
WINDOW_ADDRESS = timedelta(hours=1)
WINDOW_EMAIL = timedelta(days=1)
# How long the send-once guards are kept: well past the days in which a release or a day is looked at again.
GUARDS_KEPT = timedelta(days=30)


@dataclass
class AnnounceReport:
    alerts: int = 0
    digests: int = 0


class SubscriptionService:
    def __init__(self, store: SubscriberStore, table: Table, releases: ReleaseIndex, site_url: str,
                 clock: Clock = utc_now):
        self.store = store
        self.table = table
        self.releases = releases
        self.site = site_url
        self.clock = clock

    @property
    def site_name(self) -> str:
        """The newsroom's name, as its build wrote it into releases.json."""
        try:
            return self.releases.site_name()
        except ReleaseIndexUnavailable:
            return "newsroom"

    # -- the reader ------------------------------------------------------------------------------

    def subscribe(self, email: str, categories: list[str], frequency: Frequency, address: str) -> None:
        email = normalise_email(email)
        problems = []
        if problem := email_problem(email):
            problems.append(FieldError("email", "invalid_email", problem))
        known = self._categories()
        for index, category in enumerate(categories):
            if category not in known:
                problems.append(FieldError(f"categories[{index}]", "unknown_category",
                                           f"Kategori \"{category}\" tidak ada. Pilih dari: {', '.join(known)}."))
        if problems:
            raise validation_failed(problems)
        now = self.clock()
        self._throttle("SUBSCRIBE", address, MAX_PER_ADDRESS, WINDOW_ADDRESS, now)
        self._throttle("SUBSCRIBE_EMAIL", email, MAX_PER_EMAIL, WINDOW_EMAIL, now)
        existing = self.store.get(email)
        if existing is not None and existing.expires_at and existing.expires_at <= now:
            existing = None if self._forget(existing) else existing
        chosen = tuple(categories)
        try:
            if existing is None:
                subscriber = Subscriber.pending(email, chosen, frequency, new_link_token(), now)
                self.store.save(subscriber, None, queued(now, self._confirmation(subscriber)))
            elif existing.status == SubscriberStatus.PENDING:
                subscriber = existing.rechosen(chosen, frequency, new_link_token())
                self.store.save(subscriber, existing, queued(now, self._confirmation(subscriber)))
            else:
                self.store.queue_mail(queued(now, self._already(existing)))
        except ConditionFailed:
            pass  # a simultaneous request for the same address won; its mail says the same

    def confirm(self, token: str) -> Subscriber:
        subscriber = self._by_token(token)
        if subscriber.status == SubscriberStatus.CONFIRMED:
            return subscriber  # the link followed twice
        confirmed = subscriber.confirmed(self.clock())
        try:
            self.store.save(confirmed, subscriber, ())
        except ConditionFailed:
            return self._by_token(token)
        return confirmed

    def unsubscribe(self, token: str) -> bool:
        """Delete the subscriber (and so its address); True when there was one. Following the link twice is fine."""
        subscriber = self.store.by_token(token_hash(token)) if token_looks_valid(token) else None
        if subscriber is None:
            return False
        try:
            self.store.delete(subscriber)
        except ConditionFailed:
            pass  # the button and a mail program's one-click at once: it is gone either way
        return True

    def _by_token(self, token: str) -> Subscriber:
        subscriber = self.store.by_token(token_hash(token)) if token_looks_valid(token) else None
        if subscriber is None or (subscriber.expires_at and subscriber.expires_at <= self.clock()):
            raise not_found("Tautan langganan ini tidak berlaku lagi (sudah dipakai untuk berhenti, atau lebih dari "
                            "7 hari belum dikonfirmasi). Daftar lagi di halaman Langganan.")
        return subscriber

    def _forget(self, subscriber: Subscriber) -> bool:
        try:
            self.store.delete(subscriber)
        except ConditionFailed:
            return False
        return True

    def _categories(self) -> list[str]:
        try:
            return self.releases.categories()
        except ReleaseIndexUnavailable:
            raise SeklikError("RELEASES_UNAVAILABLE", "Daftar kategori newsroom tidak dapat dibaca saat ini. Coba "
                              "lagi sebentar lagi.", 503) from None

    def _throttle(self, kind: str, value: str, limit: int, window: timedelta, now: datetime) -> None:
        if len(self.table.counted_attempts(kind, value, now, window, new_id())) > limit:
            raise SeklikError("SUBSCRIBE_THROTTLED", "Terlalu banyak permintaan langganan. Coba lagi besok, atau "
                              "periksa surel konfirmasi yang sudah dikirim.", 429,
                              headers={"Retry-After": str(int(window.total_seconds()))})

    # -- staff -------------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Confirmed subscribers per frequency (no addresses: staff need the numbers, not the people)."""
        return {f.value: self.store.count(f) for f in Frequency}

    # -- telling subscribers ------------------------------------------------------------------------

    def announce_due(self, now: datetime | None = None) -> AnnounceReport:
        now = now or self.clock()
        report = AnnounceReport()
        try:
            releases = self.releases.all()
        except ReleaseIndexUnavailable:
            log.warning("release index unavailable: no alerts this round")
            return report
        recent = [r for r in releases if r.published_at and now - ANNOUNCE_WINDOW <= r.published_at <= now]
        for release in recent:
            done = schema.release_announced_key(release.slug)
            if self.store.done(done):
                continue
            subscribers = self.store.confirmed(Frequency.IMMEDIATE, release.published_at)
            guards = [(schema.release_notice_key(release.slug, s.email),
                       OutboxMessage.queued(new_id(), self._alert(s, release), now))
                      for s in subscribers if s.wants(release.category, release.published_at)]
            try:
                report.alerts += self.store.record_notices(guards, now + GUARDS_KEPT)
            except ConditionFailed:  # another run writes the same guards right now: it, or the next, finishes
                log.warning("alerts of a release met a concurrent run; left to the next round")
                continue
            self.store.mark_done(done, now, now + GUARDS_KEPT)
        try:
            report.digests = self._digest_due(releases, now)
        except ConditionFailed:
            log.warning("the daily digest met a concurrent run; left to the next round")
        if report.alerts or report.digests:
            log.info("subscribers told", extra={"alerts": report.alerts, "digests": report.digests})
        return report

    def _digest_due(self, releases: list[PublishedRelease], now: datetime) -> int:
        local = now.astimezone(WIB)
        if local.hour < DIGEST_HOUR_WIB:
            return 0
        day = local.date()
        done = schema.digest_done_key(day.isoformat())
        if self.store.done(done):
            return 0
        until = datetime(day.year, day.month, day.day, DIGEST_HOUR_WIB, tzinfo=WIB)
        since = until - timedelta(days=1)
        # By when the release was first seen public (its ANNOUNCED mark), not by the date it carries: one the
        # site published after this morning's digest, dated earlier, goes in tomorrow's rather than in none.
        candidates = [r for r in releases if r.published_at and r.published_at >= since - ANNOUNCE_WINDOW]
        window = [r for r in candidates
                  if (seen := self.store.done_at(schema.release_announced_key(r.slug))) and since <= seen < until]
        guards = []
        if window:
            for subscriber in self.store.confirmed(Frequency.DAILY, until):
                chosen = [r for r in window if subscriber.wants(r.category, r.published_at)]
                if chosen:
                    guards.append((schema.digest_notice_key(day.isoformat(), subscriber.email),
                                   OutboxMessage.queued(new_id(), self._digest(subscriber, chosen, day), now)))
        written = self.store.record_notices(guards, now + GUARDS_KEPT)
        self.store.mark_done(done, now, now + GUARDS_KEPT)
        return written

    # -- the mails -----------------------------------------------------------------------------------

    def unsubscribe_page(self, token: str) -> str:
        """The page whose button unsubscribes, for this token (what a mail's "berhenti" link opens)."""
        return f"{self.site}langganan/berhenti/?{urlencode({'token': token[:100]})}"

    def _links(self, subscriber: Subscriber) -> tuple[str, tuple[tuple[str, str], ...]]:
        page = self.unsubscribe_page(subscriber.token)
        one_click = f"{self.site}api/v1/subscriptions/unsubscribe?token={subscriber.token}"
        # RFC 8058: a mail program offers "unsubscribe" and POSTs List-Unsubscribe=One-Click to the URL.
        return page, (("List-Unsubscribe", f"<{one_click}>"), ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))

    def _choice(self, subscriber: Subscriber) -> str:
        what = ", ".join(subscriber.categories) if subscriber.categories else "semua kategori"
        return f"{what}; {subscriber.frequency.label}"

    def _confirmation(self, subscriber: Subscriber) -> Mail:
        link = f"{self.site}langganan/konfirmasi/?token={subscriber.token}"
        text = (f"Seseorang (semoga Anda) meminta surel siaran pers {self.site_name} dikirim ke alamat ini "
                f"({self._choice(subscriber)}).\n\nUntuk memulai langganan, buka tautan ini:\n{link}\n\n"
                "Bila Anda tidak memintanya, abaikan surel ini: tanpa konfirmasi, alamat Anda dihapus dalam "
                "7 hari dan tidak dikirimi apa pun.")
        return Mail(to=subscriber.email, subject=f"Konfirmasi langganan siaran pers {self.site_name}", text=text,
                    kind="subscription.confirm")

    def _already(self, subscriber: Subscriber) -> Mail:
        page, headers = self._links(subscriber)
        text = (f"Alamat ini sudah berlangganan siaran pers {self.site_name} ({self._choice(subscriber)}).\n\n"
                f"Untuk mengubah pilihan, berhenti berlangganan lewat tautan ini lalu daftar lagi:\n{page}")
        return Mail(to=subscriber.email, subject=f"Anda sudah berlangganan siaran pers {self.site_name}", text=text,
                    kind="subscription.already", headers=headers)

    def _alert(self, subscriber: Subscriber, release: PublishedRelease) -> Mail:
        page, headers = self._links(subscriber)
        text = (f"{release.title}\n{tanggal(release.published_at.astimezone(WIB).date())}"
                f"{' · ' + release.category if release.category else ''}\n\n{release.summary}\n\n"
                f"Baca selengkapnya: {release.url}\n\n--\nAnda menerima surel ini karena berlangganan siaran pers "
                f"{self.site_name} ({self._choice(subscriber)}).\nBerhenti berlangganan: {page}")
        # Not filed under the release: its delivery log and "resend the failed" are the partners' distribution.
        return Mail(to=subscriber.email, subject=release.title, text=text, kind="subscription.release",
                    headers=headers)

    def _digest(self, subscriber: Subscriber, releases: list[PublishedRelease], day) -> Mail:
        page, headers = self._links(subscriber)
        items = "\n\n".join(f"{r.title}\n{r.summary}\n{r.url}" for r in releases)
        text = (f"Siaran pers {self.site_name} dalam 24 jam terakhir ({len(releases)}):\n\n{items}\n\n--\n"
                f"Anda menerima ringkasan ini karena berlangganan ({self._choice(subscriber)}).\n"
                f"Berhenti berlangganan: {page}")
        return Mail(to=subscriber.email, subject=f"Ringkasan siaran pers {self.site_name}, {tanggal(day)}",
                    text=text, kind="subscription.digest", headers=headers)
