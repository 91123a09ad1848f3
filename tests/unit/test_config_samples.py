"""The shipped configuration names its sample values; an office's own copy without them reports nothing."""

import json

from chalicelib.config_samples import sample_values
from chalicelib.settings import Settings


def test_the_shipped_files_mark_the_letterhead_signatory_and_ocds_prefix_as_samples():
    found = {(name, key): value for name, key, value in sample_values(Settings.from_environ())}
    assert found[("orders.json", "signatory.name")] == "Nama Kepala Dinas"
    assert found[("orders.json", "signatory.id")] == "NIP. 000000000000000000"
    assert found[("transparency.json", "ocid_prefix")] == "ocds-contoh"
    assert ("orders.json", "letterhead") in found


def test_an_offices_own_configuration_without_samples_reports_nothing(tmp_path, monkeypatch):
    settings = Settings.from_environ()
    for variable, shipped in (("SEKLIK_ORDERS_CONFIG", settings.orders_config),
                              ("SEKLIK_TRANSPARENCY_CONFIG", settings.transparency_config)):
        data = json.loads(open(shipped, encoding="utf-8").read())
        data.pop("_samples")
        own = tmp_path / f"{variable}.json"
        own.write_text(json.dumps(data), encoding="utf-8")
        monkeypatch.setenv(variable, str(own))
    assert sample_values(Settings.from_environ()) == []


def test_the_newsroom_office_in_mkdocs_yml_is_a_sample_until_an_office_says_otherwise(tmp_path):
    from seklik.newsroom.office import sample_office
    from seklik.stack import ROOT

    shipped = sample_office(ROOT / "mkdocs.yml")
    assert shipped is not None and shipped.government == "Pemerintah Kabupaten Ogan Komering Ilir"
    own = tmp_path / "mkdocs.yml"
    own.write_text("site_name: X\nplugins:\n  - newsroom:\n      office:\n        name: Dinas Kominfo Kota\n"
                   "        sample: false\n", encoding="utf-8")
    assert sample_office(own) is None
