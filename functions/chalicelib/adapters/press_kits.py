"""The press kits in the private documents bucket: ``releases/<slug>/kit.json`` and ``releases/<slug>/files/``.

The newsroom build writes them (``seklik/newsroom/kits.py``); the publishing
workflow syncs the folder here (``aws s3 sync --delete``) and ``seklik dev``
does the same with ``publish``. A release that becomes a draft again or is
deleted loses its kit at the next sync, so it can no longer be sent.
"""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path

from botocore.exceptions import ClientError

from ..domain.distribution import PressKit
from .documents import DocumentStore

PREFIX = "releases/"
KIT_FILE = "kit.json"


class PressKitStore:
    def __init__(self, documents: DocumentStore):
        self.documents = documents

    def get(self, slug: str) -> PressKit | None:
        try:
            raw = self.documents.read(f"{PREFIX}{slug}/{KIT_FILE}")
        except ClientError as error:
            if error.response["Error"]["Code"] in {"NoSuchKey", "404", "NotFound"}:
                return None
            raise
        return PressKit.from_json(json.loads(raw))

    @staticmethod
    def file_key(slug: str, name: str) -> str:
        return f"{PREFIX}{slug}/files/{name}"

    def file_link(self, slug: str, name: str, expires_in: int) -> str:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return self.documents.presigned_get(self.file_key(slug, name), name, kind, expires_in)

    def publish(self, folder: Path) -> int:
        """Make the bucket's kits those of ``folder`` (what ``aws s3 sync --delete`` does); returns the count."""
        folder = Path(folder)
        wanted = {}
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            key = PREFIX + path.relative_to(folder).as_posix()
            wanted[key] = path
            kind = "application/json" if path.name == KIT_FILE else (
                mimetypes.guess_type(path.name)[0] or "application/octet-stream")
            self.documents.put(key, path.read_bytes(), kind)
        for key in self.documents.keys(PREFIX):
            if key not in wanted:
                self.documents.delete(key)
        return sum(1 for key in wanted if key.endswith("/" + KIT_FILE))
