"""Which configuration values are still the shipped samples (``"_samples"`` in a config file).

The shipped files carry example values (a letterhead, a signatory "Nama
Kepala Dinas" with NIP zeros, a sample OCDS prefix) so that Seklik runs out
of the box. Each file lists them under ``"_samples"``; an office copies the
file, fills in its own values and drops them from the list. ``seklik dev``
prints what is left, so nobody signs an order letter as "Nama Kepala Dinas".
"""

from __future__ import annotations

import json
from pathlib import Path

from .settings import Settings


def sample_values(settings: Settings) -> list[tuple[str, str, str]]:
    """(file name, dotted key, value) of each configured value still marked as a sample."""
    found = []
    for path in (settings.orders_config, settings.transparency_config, settings.invoices_config,
                 settings.taxes_config, settings.registration_config):
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        for key in data.get("_samples", []):
            value = data
            for part in key.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            shown = " / ".join(value) if isinstance(value, list) else str(value)
            found.append((Path(path).name, key, shown))
    return found
