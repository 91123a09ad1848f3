"""The emails Seklik writes: verification decisions, expiry warnings, orders, every invoice step.

Plain Indonesian text with a link to the partner portal. Each method only
*writes* the email (a ``Mail``); the service that made the decision queues
it in the outbox in the same transaction as the decision (``queued``), and
the mail worker (``services/mail.py``) sends it.
"""

from __future__ import annotations

from datetime import date, datetime

from ..domain.clock import WIB, new_id, tanggal
from ..domain.money import rupiah
from ..domain.outbox import Mail, OutboxMessage
from ..domain.press_company import Company, CompanyStatus

SIGNATURE = ("Salam,\nDinas Komunikasi dan Informatika\n\n"
             "Email ini dikirim otomatis oleh Seklik; balasan ke alamat ini tidak dibaca.")


def queued(now: datetime, *mails: Mail | None) -> tuple[OutboxMessage, ...]:
    """Outbox messages for ``mails`` (None: nobody to tell), to be written with the change they report."""
    return tuple(OutboxMessage.queued(new_id(), mail, now) for mail in mails if mail is not None)


class Notifier:
    def __init__(self, site_url: str):
        self.site = site_url
        self.portal = f"{site_url}mitra/portal/"

    def _letter(self, to: str, subject: str, body: str, company: Company, kind: str,
                about: tuple[str, str] | None = None) -> Mail:
        text = f"Yth. {company.profile['legal_name']},\n\n{body}\n\nPortal mitra: {self.portal}\n\n{SIGNATURE}"
        return Mail(to=to, subject=subject, text=text, kind=kind, about=about or ("COMPANY", company.id))

    def decision(self, to: str, company: Company, document_problems: list[str]) -> Mail:
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
        return self._letter(to, subject, body, company, "company.decided")

    def verification_expiring(self, to: str, company: Company) -> Mail:
        return self._letter(to, f"Masa verifikasi {company.profile['media_name']} segera berakhir",
                            f"Masa verifikasi perusahaan Anda berakhir pada {tanggal(company.verified_until)}. "
                            "Perbarui dokumen Anda dan ajukan verifikasi ulang sebelum tanggal tersebut.", company,
                            "company.expiring")

    def verification_expired(self, to: str, company: Company) -> Mail:
        return self._letter(to, f"Masa verifikasi {company.profile['media_name']} telah berakhir",
                            f"Masa verifikasi perusahaan Anda berakhir pada {tanggal(company.verified_until)}. "
                            "Perusahaan tidak lagi tampil sebagai mitra terverifikasi dan tidak dapat menerima "
                            "pesanan baru sampai verifikasi ulang selesai. Perbarui data dan dokumen di portal "
                            "mitra, lalu ajukan kembali.", company, "company.expired")

    def document_expiring(self, to: str, company: Company, label: str, expires_on: date, expired: bool) -> Mail:
        if expired:
            subject = f"Dokumen {label} telah kedaluwarsa"
            body = f"Dokumen \"{label}\" perusahaan Anda telah habis masa berlakunya pada {tanggal(expires_on)}."
        else:
            subject = f"Dokumen {label} segera kedaluwarsa"
            body = f"Dokumen \"{label}\" perusahaan Anda berlaku sampai {tanggal(expires_on)}."
        return self._letter(to, subject, body + " Siapkan dokumen yang masih berlaku untuk verifikasi berikutnya.",
                            company, "document.expired" if expired else "document.expiring")

    def new_order(self, to: str, company: Company, order) -> Mail:
        return self._letter(
            to, f"Pesanan media baru {order.number}",
            f"Diskominfo menerbitkan pesanan media {order.number} untuk {company.profile['media_name']}:\n\n"
            f"Materi: {order.material.title}\nNilai: {rupiah(order.total)}\n\n"
            "Buka halaman Pesanan masuk di portal mitra untuk mengunduh surat pesanan, lalu terima atau "
            "tolak pesanan ini.", company, "order.issued", ("ORDER", order.id))

    def invoice_step(self, to: str, company: Company, invoice, what: str) -> Mail:
        """Every step of an invoice the partner should hear of, with the amounts it concerns."""
        number = invoice.partner_invoice_number
        if what == "submitted":
            subject, body = (f"Tagihan {number} diterima",
                             f"Tagihan {number} sebesar {rupiah(invoice.gross)} telah diterima dan menunggu "
                             "pemeriksaan staf keuangan.")
        elif what == "returned":
            items = "\n".join(f"- {item}: {reason}" for item, reason in invoice.return_reasons.items())
            subject, body = (f"Tagihan {number} perlu diperbaiki",
                             f"Staf keuangan mengembalikan tagihan {number} untuk diperbaiki:\n\n{items}\n\n"
                             "Perbaiki di portal mitra, lalu ajukan kembali.")
        elif what == "approved":
            subject, body = (f"Tagihan {number} disetujui",
                             f"Tagihan {number} sebesar {rupiah(invoice.gross)} telah disetujui dan akan diproses "
                             "untuk pembayaran (SPP, SPM, SP2D).")
        elif what == "paid":
            taxes = invoice.payment
            subject, body = (f"Tagihan {number} telah dibayar",
                             f"SP2D {invoice.sp2d.number} tanggal {tanggal(invoice.sp2d.on)} telah terbit untuk "
                             f"tagihan {number}.\n\nBruto: {rupiah(taxes.gross)}\nPPN dipungut: "
                             f"{rupiah(taxes.ppn_withheld)}\nPPh 23 dipotong: {rupiah(taxes.pph23)}\n"
                             f"Dibayarkan ke rekening Anda: {rupiah(taxes.net)}")
        else:  # cancelled
            subject, body = (f"Tagihan {number} dibatalkan",
                             f"Tagihan {number} dibatalkan oleh staf keuangan dengan alasan: {invoice.status_reason}. "
                             "Pesanannya dapat ditagihkan kembali dengan tagihan baru.")
        return self._letter(to, subject, body, company, f"invoice.{what}", ("INVOICE", invoice.id))

    def registration_link(self, to: str, name: str, media_name: str, token: str, expires_at: datetime) -> Mail:
        """The link that turns a registration into an account: it proves the address is the registrant's."""
        link = f"{self.site}mitra/aktifkan/?token={token}"
        text = (f"Yth. {name},\n\nTerima kasih telah mendaftarkan {media_name} sebagai mitra media. Untuk "
                f"mengaktifkan akun Anda, buka tautan ini:\n{link}\n\nTautan berlaku sampai "
                f"{tanggal(expires_at.astimezone(WIB).date())}. Setelah akun aktif, masuk ke portal mitra untuk "
                "mengunggah dokumen dan mengajukan verifikasi.\n\nBila Anda tidak mendaftar, abaikan surel ini: "
                f"tanpa aktivasi, data pendaftaran dihapus dan tidak ada akun yang dibuat.\n\n{SIGNATURE}")
        return Mail(to=to, subject=f"Aktifkan akun mitra media {media_name}", text=text, kind="registration.link")

    def registration_for_existing_account(self, user) -> Mail:
        """Someone registered with an address that already has an account: its holder hears it, nobody else."""
        text = (f"Yth. {user.name},\n\nSeseorang (mungkin Anda) baru saja mengisi formulir pendaftaran mitra media "
                f"dengan alamat surel ini ({user.email}), yang sudah memiliki akun Seklik. Tidak ada akun baru yang "
                f"dibuat dan akun Anda tidak diubah.\n\nMasuk dengan akun yang ada: {self.site}masuk/\n"
                "Bila Anda lupa kata sandi, hubungi administrator Diskominfo. Bila itu bukan Anda, abaikan surel "
                f"ini.\n\n{SIGNATURE}")
        return Mail(to=user.email, subject="Pendaftaran dengan alamat surel Anda", text=text,
                    kind="registration.existing_account", about=("USER", user.id))

    def sign_ins_slowed(self, user) -> Mail:
        """Someone keeps entering a wrong password for this account: tell its holder (any role)."""
        text = (f"Yth. {user.name},\n\nAda beberapa percobaan masuk ke akun Seklik Anda ({user.email}) dengan kata "
                "sandi yang salah. Untuk melindungi akun, percobaan berikutnya dari alamat jaringan lain kini "
                "diperlambat; Anda tetap dapat masuk dari perangkat dan jaringan yang biasa Anda pakai.\n\n"
                "Bila itu bukan Anda, tidak perlu melakukan apa-apa selain memastikan kata sandi Anda kuat dan tidak "
                "dipakai di tempat lain. Bila Anda lupa kata sandi, hubungi administrator Diskominfo.\n\n"
                f"{SIGNATURE}")
        return Mail(to=user.email, subject="Percobaan masuk yang gagal ke akun Seklik Anda", text=text,
                    kind="account.sign_ins_slowed", about=("USER", user.id))

    def order_step(self, to: str, company: Company, order, what: str, detail: str = "") -> Mail:
        """A decision on an order that concerns the partner: cancelled, a proof rejected or accepted, completed."""
        number = order.number
        subjects = {"cancelled": f"Pesanan {number} dibatalkan", "proof_rejected": f"Bukti tayang pesanan {number} ditolak",
                    "proof_accepted": f"Bukti tayang pesanan {number} diterima", "completed": f"Pesanan {number} selesai"}
        bodies = {
            "cancelled": f"Diskominfo membatalkan pesanan {number} dengan alasan: {detail}\n\nNilai pesanan ini tidak "
                         "lagi dipesan; materi tidak perlu ditayangkan.",
            "proof_rejected": f"Bukti tayang {detail} untuk pesanan {number} ditolak verifikator. Perbaiki lalu kirim "
                              "ulang buktinya di halaman Pesanan masuk.",
            "proof_accepted": f"Bukti tayang {detail} untuk pesanan {number} diterima.",
            "completed": f"Semua bukti tayang pesanan {number} telah diterima: pesanan selesai dan siap ditagihkan "
                         "di halaman Tagihan portal mitra.",
        }
        return self._letter(to, subjects[what], bodies[what], company, f"order.{what}", ("ORDER", order.id))
