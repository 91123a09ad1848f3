"""Request and response bodies: validated here, and published in the OpenAPI file.

Every model forbids unknown fields and bounds every string, so a bad request
is refused before any service runs. ``seklik openapi`` copies their JSON
Schema into ``functions/openapi.yaml``; a test keeps the two equal.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..domain.accounts import EMAIL_MAX_LENGTH, MAX_PASSWORD_LENGTH, NAME_MAX_LENGTH
from ..domain.documents import MAX_DOCUMENT_BYTES
from ..domain.press_company import CompanyProfile
from ..domain.text import clean_values


# Passwords are compared as typed (their own rules are in domain/accounts.password_problem).
_AS_TYPED = frozenset({"password", "current_password", "new_password"})
# Fields of several lines; every other text is one line.
_MULTILINE = frozenset({"reason", "reasons", "note", "notes", "text", "message"})


class Strict(BaseModel):
    # defer_build: each model's validator is built when first used, not all of them at every cold start.
    model_config = ConfigDict(extra="forbid", str_max_length=10_000, defer_build=True)

    @field_validator("*", mode="after")
    @classmethod
    def _visible_text(cls, value, info):
        """Every free-text field, list item and object key: NFC, no controls, no bidi overrides, visible."""
        if info.field_name in _AS_TYPED:
            return value
        return clean_values(value, multiline=info.field_name in _MULTILINE)


class LoginRequest(Strict):
    email: str = Field(min_length=3, max_length=EMAIL_MAX_LENGTH, description="Email akun.")
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH, description="Kata sandi.")


class ChangePasswordRequest(Strict):
    current_password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)
    new_password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH, description="Minimal 12 karakter.")


RoleName = Literal["media", "verifier", "orders", "finance", "editor", "admin", "auditor"]


class CreateUserRequest(Strict):
    email: str = Field(min_length=3, max_length=EMAIL_MAX_LENGTH)
    name: str = Field(min_length=1, max_length=NAME_MAX_LENGTH, description="Nama tampilan.")
    roles: list[RoleName] = Field(min_length=1, max_length=7)


class UserStatusRequest(Strict):
    disabled: bool = Field(description="true menonaktifkan akun; false mengaktifkannya kembali.")
    reason: str = Field(min_length=1, max_length=500, description="Alasan, dicatat dalam jejak audit.")


class UserView(Strict):
    id: str
    email: str
    name: str
    roles: list[RoleName]
    role_labels: list[str]
    company_id: str | None


class AdminUserView(UserView):
    disabled: bool
    created_at: str


class UserListView(Strict):
    users: list[AdminUserView]


class CreatedUserView(Strict):
    user: AdminUserView
    password: str = Field(description="Kata sandi awal, ditampilkan sekali ini saja.")


class UserStatusView(Strict):
    user: AdminUserView


class SessionView(Strict):
    user: UserView
    csrf_token: str = Field(description="Kirim kembali dalam header X-CSRF-Token pada setiap permintaan tulis.")
    expires_at: str = Field(description="Waktu sesi berakhir (UTC, ISO-8601).")


class HealthView(Strict):
    status: Literal["ok", "degraded"]
    version: str
    checks: dict[str, Literal["ok", "error"]]


# -- press companies (pendataan dan verifikasi) ---------------------------------

class NewMediaAccount(Strict):
    email: str = Field(min_length=3, max_length=EMAIL_MAX_LENGTH, description="Email untuk masuk ke portal mitra.")
    name: str = Field(min_length=1, max_length=NAME_MAX_LENGTH, description="Nama pengelola akun.")
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH, description="Minimal 12 karakter.")


def _profile_problems(data: dict, invalid: frozenset[str]) -> list[tuple[tuple, str, str, object]]:
    inside = frozenset(name.removeprefix("profile.") for name in invalid if name.startswith("profile."))
    return [(("profile", *loc), *rest)
            for loc, *rest in CompanyProfile.problems_across_fields(data.get("profile"), inside)]


class RegisterMediaRequest(Strict):
    account: NewMediaAccount
    profile: CompanyProfile

    @classmethod
    def problems_across_fields(cls, data: dict, invalid: frozenset[str]) -> list[tuple[tuple, str, str, object]]:
        return _profile_problems(data, invalid)


class UpdateProfileRequest(Strict):
    version: int = Field(ge=1, description="Versi data yang sedang Anda ubah (penguncian optimistis).")
    profile: CompanyProfile

    @classmethod
    def problems_across_fields(cls, data: dict, invalid: frozenset[str]) -> list[tuple[tuple, str, str, object]]:
        return _profile_problems(data, invalid)


class SubmitRequest(Strict):
    version: int = Field(ge=1)


ContentType = Literal["application/pdf", "image/jpeg", "image/png"]


class UploadRequest(Strict):
    doc_type: str = Field(min_length=1, max_length=60, description="Kode jenis dokumen, lihat daftar periksa.")
    filename: str = Field(min_length=1, max_length=200)
    content_type: ContentType
    size: int = Field(ge=0, description=f"Ukuran file dalam byte; paling besar {MAX_DOCUMENT_BYTES}.")
    expires_on: date | None = Field(default=None, description="Berlaku sampai (opsional).")


class UploadGrantView(Strict):
    upload_id: str
    url: str = Field(description="Alamat S3 tujuan form POST.")
    fields: dict[str, str] = Field(description="Isian form yang wajib dikirim sebelum file.")
    max_bytes: int
    valid_until: str


class ReviewDocumentRequest(Strict):
    decision: Literal["accepted", "rejected"]
    reason: str | None = Field(default=None, max_length=500, description="Wajib jika ditolak.")
    version: int = Field(ge=1, description="Versi dokumen yang Anda periksa.")


class DecisionRequest(Strict):
    decision: Literal["VERIFIED", "REVISION_REQUESTED", "REJECTED"]
    reasons: list[str] = Field(default_factory=list, max_length=20)
    verified_until: date | None = Field(default=None, description="Wajib untuk VERIFIED.")
    version: int = Field(ge=1, description="Versi data perusahaan yang Anda periksa.")


# -- catalogue, budgets, negotiation, agreements, orders ---------------------------

Year = Field(ge=2020, le=2100, description="Tahun anggaran.")
Rupiah = Field(ge=1, le=1_000_000_000_000, description="Rupiah, bilangan bulat.")
MediaTypeName = Literal["cetak", "siber", "televisi", "radio"]


class CreateProductRequest(Strict):
    code: str = Field(min_length=2, max_length=40, description="Kode tetap, misalnya advertorial-online.")
    name: str = Field(min_length=3, max_length=120)
    unit: str = Field(min_length=3, max_length=60, description="Satuan, misalnya 'per artikel' atau 'per 30 detik'.")
    media_types: list[MediaTypeName] = Field(min_length=1, max_length=4)


class SetSshRequest(Strict):
    year: int = Year
    ceiling: int = Rupiah
    version: int = Field(ge=1)


class CreateBudgetLineRequest(Strict):
    code: str = Field(min_length=5, max_length=40, description="Kode rekening, misalnya 5.1.02.02.01.0026.")
    name: str = Field(min_length=3, max_length=200)
    ceiling: int = Rupiah


class ChangeBudgetCeilingRequest(Strict):
    ceiling: int = Rupiah
    version: int = Field(ge=1)
    reason: str = Field(min_length=3, max_length=500)


class ProposeRatesRequest(Strict):
    lines: dict[str, int] = Field(min_length=1, max_length=50, description="Kode produk → harga per satuan (rupiah).")
    notes: dict[str, str] = Field(default_factory=dict, max_length=50)
    message: str | None = Field(default=None, max_length=2000)
    version: int | None = Field(default=None, description="Versi kartu tarif yang Anda lihat; null untuk yang pertama.")


class CounterRatesRequest(Strict):
    lines: dict[str, int] = Field(min_length=1, max_length=50)
    message: str | None = Field(default=None, max_length=2000)
    version: int = Field(ge=1)


class AcceptRatesRequest(Strict):
    products: list[str] = Field(min_length=1, max_length=50)
    message: str | None = Field(default=None, max_length=2000)
    version: int = Field(ge=1)


class CreateAgreementRequest(Strict):
    company_id: str = Field(min_length=26, max_length=26)
    year: int = Year
    number: str = Field(min_length=3, max_length=80, description="Nomor PKS.")
    starts_on: date
    ends_on: date
    ceiling: int = Rupiah


class VersionRequest(Strict):
    version: int = Field(ge=1)


class ReasonRequest(Strict):
    version: int = Field(ge=1)
    reason: str = Field(min_length=3, max_length=500)


class MailAboutView(Strict):
    entity: Literal["COMPANY", "ORDER", "INVOICE", "USER", "RELEASE"]
    id: str


class MailEventView(Strict):
    at: str
    what: str


class OutgoingMailView(Strict):
    """One email of the outbox as staff see it in the delivery log (without its body)."""

    id: str
    status: Literal["QUEUED", "SENT", "FAILED", "SUPPRESSED", "BOUNCED"]
    status_label: str
    to: str
    subject: str
    kind: str = Field(description="Sebabnya, misalnya order.cancelled atau invoice.paid.")
    about: MailAboutView | None
    attempts: int
    created_at: str
    updated_at: str
    next_attempt_at: str | None = Field(description="Percobaan berikutnya (hanya QUEUED).")
    sent_at: str | None
    last_error: str | None
    history: list[MailEventView]
    version: int


class ResendMailRequest(Strict):
    version: int = Field(ge=1, description="Versi surel yang terlihat di daftar.")
    lift_suppression: bool = Field(default=False, description="Hapus juga tanda alamat memantul/menolak, bila "
                                                              "alamatnya sudah diperbaiki penerima.")


class RecipientsRequest(Strict):
    """Exactly one way of choosing whom a release goes to."""

    all_partners: bool = Field(default=False, description="Semua mitra terverifikasi.")
    media_types: list[Literal["cetak", "siber", "televisi", "radio"]] = Field(
        default_factory=list, max_length=4, description="Mitra terverifikasi dengan jenis media ini.")
    list_id: str | None = Field(default=None, max_length=26, description="Daftar penerima tersimpan.")
    company_ids: list[str] = Field(default_factory=list, max_length=1000, description="Mitra yang dipilih.")


class DistributionRequest(Strict):
    recipients: RecipientsRequest


class RecipientListRequest(Strict):
    name: str = Field(min_length=2, max_length=80, description="Nama daftar, misalnya \"Media siber daerah\".")
    company_ids: list[str] = Field(min_length=1, max_length=1000)
    version: int | None = Field(default=None, ge=1, description="Versi yang terlihat (hanya saat mengubah).")


class KitFileView(Strict):
    name: str
    title: str
    kind: Literal["image", "attachment"]


class PressKitView(Strict):
    """A release as it can be sent now."""

    slug: str
    title: str
    url: str = Field(description="Alamat tetap rilis di newsroom.")
    public_from: str = Field(description="Saat rilis terbit (tanggalnya, atau akhir embargo).")
    embargo_until: str | None
    files: list[KitFileView]


class DistributionView(Strict):
    """One partner a release was sent to, with the delivery of its mail."""

    slug: str
    company_id: str
    media_name: str
    email: str
    variant: Literal["public", "embargoed"]
    at: str
    by: str
    mail: OutgoingMailView | None = Field(description="Tidak ada lagi bila surel sudah dihapus (180 hari).")


class RecipientView(Strict):
    company_id: str
    media_name: str
    media_type: str
    email: str
    already_sent_at: str | None = Field(description="Bila mitra ini sudah dikirimi rilis ini (tidak dikirim lagi).")


class RecipientListView(Strict):
    id: str
    name: str
    company_ids: list[str]
    updated_at: str
    version: int


class ActivationRequest(Strict):
    token: str = Field(min_length=1, max_length=100, description="Token dari tautan aktivasi di surel.")
    password: str = Field(min_length=1, max_length=128, description="Kata sandi yang diisi saat mendaftar.")


class SubscribeRequest(Strict):
    email: str = Field(min_length=3, max_length=EMAIL_MAX_LENGTH, description="Alamat surel pelanggan.")
    categories: list[str] = Field(default_factory=list, max_length=30,
                                  description="Kategori yang diikuti; kosong: semua siaran pers.")
    frequency: Literal["immediate", "daily"] = Field(default="immediate",
                                                     description="Setiap rilis terbit, atau ringkasan harian.")


class SubscriptionTokenRequest(Strict):
    token: str = Field(min_length=1, max_length=100, description="Token dari tautan di surel.")


class SubscriptionView(Strict):
    status: Literal["PENDING", "CONFIRMED"]
    categories: list[str]
    frequency: Literal["immediate", "daily"]
    frequency_label: str


class SlotsRequest(Strict):
    dates: list[date] | None = Field(default=None, max_length=366, description="Tanggal tayang satu per satu.")
    date_from: date | None = None
    date_to: date | None = None
    quantity: int | None = Field(default=None, ge=1, le=366, description="Jumlah tayang dalam rentang tanggal.")


class IssueOrderRequest(Strict):
    company_id: str = Field(min_length=26, max_length=26)
    product_code: str = Field(min_length=2, max_length=40)
    budget_line: str = Field(min_length=5, max_length=40)
    release_slug: str | None = Field(default=None, max_length=120, description="Siaran pers yang sudah terbit.")
    title: str | None = Field(default=None, max_length=300, description="Judul materi bila bukan siaran pers.")
    text: str | None = Field(default=None, max_length=20_000)
    slots: SlotsRequest


class BulkOrderRequest(Strict):
    company_ids: list[str] = Field(min_length=1, max_length=200)
    product_code: str = Field(min_length=2, max_length=40)
    budget_line: str = Field(min_length=5, max_length=40)
    release_slug: str = Field(min_length=1, max_length=120)
    slots: SlotsRequest


class FileUploadRequest(Strict):
    """A file to upload beside an order (proof) or an agreement (the signed PDF)."""

    filename: str = Field(min_length=1, max_length=200)
    content_type: ContentType
    size: int = Field(ge=0)


class SubmitProofRequest(Strict):
    urls: list[str] = Field(default_factory=list, max_length=10)
    upload_ids: list[str] = Field(default_factory=list, max_length=10)
    note: str | None = Field(default=None, max_length=1000)
    version: int = Field(ge=1)


class ReviewProofRequest(Strict):
    decision: Literal["accepted", "rejected"]
    reason: str | None = Field(default=None, max_length=500)
    version: int = Field(ge=1)


class InvoiceAttachmentUploadRequest(FileUploadRequest):
    """A file to attach to an invoice (kuitansi, faktur pajak, …), uploaded before the invoice is sent."""

    code: str = Field(min_length=2, max_length=40, description="Jenis lampiran, dari config/invoices.json.")


class KuitansiRequest(Strict):
    order_ids: list[str] = Field(min_length=1, max_length=100, description="Pesanan yang akan ditagihkan.")


class FakturRequest(Strict):
    number: str = Field(min_length=17, max_length=17, description="Nomor seri faktur pajak (NSFP), 17 angka.")
    tax_base: int = Field(ge=1, le=1_000_000_000_000, description="DPP/harga jual pada faktur (rupiah).")
    vat: int = Field(ge=0, le=1_000_000_000_000, description="PPN pada faktur (rupiah).")


class InvoiceHeader(Strict):
    partner_invoice_number: str = Field(min_length=1, max_length=60, description="Nomor tagihan mitra.")
    partner_invoice_date: date
    attachments: dict[str, str] = Field(default_factory=dict, max_length=10,
                                        description="Jenis lampiran → upload_id yang sudah diunggah.")
    faktur: FakturRequest | None = Field(default=None, description="Wajib bagi mitra PKP.")
    kuitansi_meterai: bool = Field(default=False, description="Kuitansi sudah bermeterai (wajib di atas batasnya).")


class SubmitInvoiceRequest(InvoiceHeader):
    order_ids: list[str] = Field(min_length=1, max_length=100, description="Pesanan yang selesai, satu PKS.")


class ResubmitInvoiceRequest(InvoiceHeader):
    version: int = Field(ge=1)


class ReturnInvoiceRequest(Strict):
    reasons: dict[str, str] = Field(min_length=1, max_length=20,
                                    description="Isian atau lampiran → apa yang harus diperbaiki.")
    version: int = Field(ge=1)


class PaymentDocumentUploadRequest(FileUploadRequest):
    step: Literal["spp", "spm", "sp2d", "bukti_potong"]


class PaymentStepRequest(Strict):
    number: str = Field(min_length=3, max_length=80, description="Nomor dari SIPD.")
    issued_on: date = Field(description="Tanggal terbitnya di SIPD.")
    upload_id: str = Field(min_length=26, max_length=26, description="PDF-nya, diunggah lebih dulu.")
    version: int = Field(ge=1)


class Sp2dRequest(PaymentStepRequest):
    amount: int = Field(ge=1, le=1_000_000_000_000, description="Nilai yang ditransfer ke mitra (neto), rupiah.")


class WithholdingSlipRequest(Strict):
    number: str = Field(min_length=6, max_length=30, description="Nomor bukti potong (e-Bupot BPPU).")
    upload_id: str = Field(min_length=26, max_length=26, description="PDF-nya, diunggah lebih dulu.")
    version: int = Field(ge=1)


class TaxDepositRequest(Strict):
    kind: Literal["PPN", "PPH23"]
    invoice_ids: list[str] = Field(min_length=1, max_length=20, description="Tagihan yang pajaknya disetor.")
    billing_code: str = Field(min_length=15, max_length=15, description="Kode billing, 15 angka.")
    ntpn: str = Field(min_length=16, max_length=16, description="NTPN dari bukti penerimaan negara.")
    deposited_on: date


class TaxesView(Strict):
    gross: int = Field(description="Bruto: nilai pesanan, harga termasuk PPN.")
    base: int = Field(description="DPP / harga jual tanpa PPN.")
    ppn: int
    ppn_collected: bool = Field(description="PPN dipungut bendahara dari pembayaran ini.")
    ppn_withheld: int
    pph23: int
    pph23_object_code: str
    net: int = Field(description="Yang dibayarkan ke rekening mitra.")
    needs_meterai: bool
    rule_from: str = Field(description="Tanggal berlakunya aturan pajak yang dipakai.")


class PaymentStepView(Strict):
    number: str
    date: str
    amount: int | None
    recorded_at: str
    document: dict[str, str] | None


class InvoiceDetail(Strict):
    id: str
    company_id: str
    partner_name: str
    agreement_id: str
    year: int
    budget_line: str
    partner_invoice_number: str
    partner_invoice_date: str
    orders: list[dict[str, str | int]]
    gross: int
    pkp: bool
    bank_account: dict[str, str]
    attachments: dict[str, dict[str, str | int]]
    faktur: dict[str, str | int] | None
    kuitansi_meterai: bool
    status: Literal["SUBMITTED", "RETURNED", "APPROVED", "SPP_FILED", "SPM_ISSUED", "PAID", "CANCELLED"]
    status_label: str
    return_reasons: dict[str, str]
    status_reason: str | None
    taxes: TaxesView | None = Field(description="Pajak bila dibayar hari ini (atau sebagaimana dibayar).")
    approval: TaxesView | None
    payment: TaxesView | None
    spp: PaymentStepView | None
    spm: PaymentStepView | None
    sp2d: PaymentStepView | None
    deposits: dict[str, dict[str, str | int]]
    withholding_slip: dict[str, str] | None
    settled: bool = Field(description="Dibayar, semua pajak disetor, dan bukti potong tercatat.")
    submitted_at: str
    version: int


class InvoiceEnvelope(Strict):
    invoice: InvoiceDetail


class InvoiceHistoryStep(Strict):
    at: str
    action: str = Field(description="invoice.submitted, invoice.returned, invoice.approved, invoice.paid, …")
    by: str = Field(description="Nama yang melakukannya.")
    reason: str | None
    changes: dict


class InvoiceWithHistory(InvoiceEnvelope):
    history: list[InvoiceHistoryStep] = Field(description="Riwayat tagihan, terbaru dahulu.")


class FieldProblem(Strict):
    field: str
    code: str
    message: str


class ErrorBody(Strict):
    code: str = Field(description="Kode stabil untuk program, misalnya VALIDATION_FAILED.")
    message: str = Field(description="Penjelasan untuk manusia, dalam bahasa Indonesia.")
    details: list[FieldProblem]


class ErrorView(Strict):
    error: ErrorBody


# Published as components/schemas in the OpenAPI file, in this order.
PUBLISHED_MODELS: tuple[type[BaseModel], ...] = (
    LoginRequest,
    ChangePasswordRequest,
    CreateUserRequest,
    UserStatusRequest,
    UserView,
    AdminUserView,
    UserListView,
    CreatedUserView,
    UserStatusView,
    SessionView,
    HealthView,
    RegisterMediaRequest,
    UpdateProfileRequest,
    SubmitRequest,
    UploadRequest,
    UploadGrantView,
    ReviewDocumentRequest,
    DecisionRequest,
    CreateProductRequest,
    SetSshRequest,
    CreateBudgetLineRequest,
    ChangeBudgetCeilingRequest,
    ProposeRatesRequest,
    CounterRatesRequest,
    AcceptRatesRequest,
    CreateAgreementRequest,
    VersionRequest,
    ReasonRequest,
    ResendMailRequest,
    OutgoingMailView,
    RecipientsRequest,
    DistributionRequest,
    RecipientListRequest,
    KitFileView,
    PressKitView,
    DistributionView,
    RecipientView,
    RecipientListView,
    ActivationRequest,
    SubscribeRequest,
    SubscriptionTokenRequest,
    SubscriptionView,
    SlotsRequest,
    IssueOrderRequest,
    BulkOrderRequest,
    FileUploadRequest,
    SubmitProofRequest,
    ReviewProofRequest,
    InvoiceAttachmentUploadRequest,
    KuitansiRequest,
    FakturRequest,
    SubmitInvoiceRequest,
    ResubmitInvoiceRequest,
    ReturnInvoiceRequest,
    PaymentDocumentUploadRequest,
    PaymentStepRequest,
    Sp2dRequest,
    WithholdingSlipRequest,
    TaxDepositRequest,
    TaxesView,
    PaymentStepView,
    InvoiceDetail,
    InvoiceEnvelope,
    InvoiceHistoryStep,
    InvoiceWithHistory,
    ErrorView,
)
