"""The emails a partner gets: every verification decision, expiry warnings, new orders.

Plain Indonesian text with a link to the partner portal. Sent after the
state change is committed; a failure to send is logged and does not undo
the decision (the portal always shows the current state).
"""

from __future__ import annotations

from datetime import date

from ..adapters.mail import compose
from ..domain.clock import tanggal
from ..domain.money import rupiah
from ..domain.press_company import Company, CompanyStatus
from ..logs import get_logger

log = get_logger("seklik.mail")

class Notifier:
    def __init__(self, mailer, sender: str, site_url: str):
        self.mailer = mailer
        self.sender = sender
        self.portal = f"{site_url}mitra/portal/"

    def _send(self, to: str, subject: str, body: str, company: Company) -> None:
        text = f"Yth. {company.profile['legal_name']},\n\n{body}\n\nPortal mitra: {self.portal}\n\n" \
               "Salam,\nDinas Komunikasi dan Informatika\n\n" \
               "Email ini dikirim otomatis oleh Seklik; balasan ke alamat ini tidak dibaca."
        try:
            self.mailer.send(compose(self.sender, to, subject, text))
        except Exception:  # the decision stands; the portal shows it
            log.error("mail not sent", extra={"company_id": company.id, "subject": subject})

    def decision(self, to: str, company: Company, document_problems: list[str]) -> None:
        name = company.profile["media_name"]
        if company.status == CompanyStatus.VERIFIED:
            subject = f"{name} terverifikasi sebagai mitra media"
            body = (f"Verifikasi {name} telah selesai: perusahaan Anda terverifikasi sebagai mitra media "
                    f"sampai {tanggal(company.verified_until)}.")
        elif company.status == CompanyStatus.REVISION_REQUESTED:
            subject = f"Data {name} perlu diperbaiki"
            items = "\n".join(f"- {line}" for line in [*company.decision_reasons, *document_problems])
            body = ("Verifikator meminta perbaikan sebelum verifikasi dapat dilanjutkan:\n\n"
                    f"{items}\n\nPerbaiki data atau unggah dokumen pengganti di portal mitra, lalu ajukan kembali.")
        else:
            subject = f"Pendaftaran {name} ditolak"
            reasons = "\n".join(f"- {r}" for r in company.decision_reasons)
            body = f"Pendaftaran {name} sebagai mitra media ditolak dengan alasan:\n\n{reasons}"
        self._send(to, subject, body, company)

    def verification_expiring(self, to: str, company: Company) -> None:
        self._send(to, f"Masa verifikasi {company.profile['media_name']} segera berakhir",
                   f"Masa verifikasi perusahaan Anda berakhir pada {tanggal(company.verified_until)}. "
                   "Perbarui dokumen Anda dan ajukan verifikasi ulang sebelum tanggal tersebut.", company)

    def verification_expired(self, to: str, company: Company) -> None:
        self._send(to, f"Masa verifikasi {company.profile['media_name']} telah berakhir",
                   f"Masa verifikasi perusahaan Anda berakhir pada {tanggal(company.verified_until)}. "
                   "Perusahaan tidak lagi tampil sebagai mitra terverifikasi dan tidak dapat menerima "
                   "pesanan baru sampai verifikasi ulang selesai. Perbarui data dan dokumen di portal mitra, "
                   "lalu ajukan kembali.", company)

    def document_expiring(self, to: str, company: Company, label: str, expires_on: date, expired: bool) -> None:
        if expired:
            subject = f"Dokumen {label} telah kedaluwarsa"
            body = f"Dokumen \"{label}\" perusahaan Anda telah habis masa berlakunya pada {tanggal(expires_on)}."
        else:
            subject = f"Dokumen {label} segera kedaluwarsa"
            body = f"Dokumen \"{label}\" perusahaan Anda berlaku sampai {tanggal(expires_on)}."
        self._send(to, subject, body + " Siapkan dokumen yang masih berlaku untuk verifikasi berikutnya.", company)

    def new_order(self, to: str, company: Company, number: str, title: str, total: int) -> None:
        self._send(to, f"Pesanan media baru {number}",
                   f"Diskominfo menerbitkan pesanan media {number} untuk {company.profile['media_name']}:\n\n"
                   f"Materi: {title}\nNilai: {rupiah(total)}\n\n"
                   "Buka halaman Pesanan masuk di portal mitra untuk mengunduh surat pesanan, lalu terima atau "
                     "tolak pesanan ini.", company)
