"""Sample data shared by tests: a valid company profile, small real files, the upload dance."""

from __future__ import annotations

import itertools
import struct
import zlib

import requests

_numbers = itertools.count(1)


def profile(n: int | None = None, **changes) -> dict:
    """A valid profile; ``n`` varies NPWP, NIB, SK, the bank account and names so several companies can register."""
    n = next(_numbers) if n is None else n
    data = {
        "legal_name": f"PT Media Ogan Jaya {n}",
        "legal_form": "PT",
        "media_name": f"OganNews {n}",
        "media_type": "siber",
        "website": f"ogannews{n}.example.co.id",
        "kbli": "63122",
        "nib": f"912000{n:07d}",
        "npwp": f"01.234.{n % 1000:03d}.8-901.{n // 1000:03d}",
        "pkp": True,
        "deed_number": "12",
        "deed_date": "2015-03-02",
        "sk_kemenkumham": f"AHU-{n:07d}.AH.01.01.2015",
        "address": {"province": "Sumatera Selatan", "regency": "Ogan Komering Ilir", "district": "Kayuagung",
                    "street": "Jl. Letnan Muchtar Saleh No. 1", "postal_code": "30611",
                    "latitude": -3.39, "longitude": 104.83},
        "phone": "0712-321456",
        "email": f"redaksi{n}@ogannews.example.co.id",
        "editor_in_chief": {"name": "Siti Aminah", "ukw_level": "Utama", "ukw_certificate": "UKW-12345"},
        "dewan_pers_status": "belum",
        "established": "2015-03-02",
        "reach": 150000,
        "bank_account": {"bank": "Bank Sumsel Babel", "number": f"123-{n:07d}",
                         "holder": f"PT MEDIA OGAN JAYA {n}"},
        "contact_person": {"name": "Andi Saputra", "phone": "+62 812 3456 7890",
                           "email": "andi@ogannews.example.co.id"},
    }
    data.update(changes)
    return data


PARTNER_PASSWORD = "kata-sandi-mitra-panjang"


def registration(n: int | None = None, email: str | None = None, **changes) -> dict:
    n = next(_numbers) if n is None else n
    return {
        "account": {"email": email or f"mitra{n}@ogannews.example.co.id", "name": "Andi Saputra",
                    "password": PARTNER_PASSWORD},
        "profile": profile(n, **changes),
    }


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" \
      b"trailer<</Root 1 0 R>>\n%%EOF\n"


def png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def post_to_s3(grant: dict, content: bytes, filename: str = "dokumen.pdf",
               content_type: str = "application/pdf") -> requests.Response:
    """What the browser does with a presigned POST: the form fields, then the file."""
    return requests.post(grant["url"], data=grant["fields"], files={"file": (filename, content, content_type)},
                         timeout=30)


def upload(api, company_id: str, doc_type: str, content: bytes = PDF, content_type: str = "application/pdf",
           filename: str = "dokumen.pdf", expires_on: str | None = None):
    """Request, upload and confirm one document; returns the confirm Result."""
    body = {"doc_type": doc_type, "filename": filename, "content_type": content_type, "size": len(content)}
    if expires_on:
        body["expires_on"] = expires_on
    grant = api.post(f"/api/v1/media/{company_id}/documents/uploads", body)
    assert grant.status == 201, grant
    stored = post_to_s3(grant.json, content, filename, content_type)
    assert stored.status_code in (200, 204), stored.text
    return api.post(f"/api/v1/media/{company_id}/documents/uploads/{grant.json['upload_id']}/confirm")


def embedded_fonts(reader) -> set[str]:
    """The fonts a PDF (a pypdf reader) uses, each asserted to be embedded as a TrueType subset: a letter that
    relies on the reader's own fonts prints differently from office to office."""
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
            names.add(str(font["/BaseFont"]).split("+", 1)[1])  # "ABCDEF+LiberationSansBold"
    return names
