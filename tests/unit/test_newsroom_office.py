"""The office of mkdocs.yml (newsroom.office): checked with one Indonesian line per problem, a missing block is a
generic sample office, and `seklik dev` reads mkdocs.yml whatever tags it uses, never stopping over the warning."""

from __future__ import annotations

import pytest

from seklik.newsroom.office import OfficeProblems, load_office, sample_office


def problems(data) -> list[str]:
    with pytest.raises(OfficeProblems) as caught:
        load_office(data)
    return caught.value.problems


def test_each_problem_of_the_office_is_one_indonesian_line_naming_its_key():
    found = problems({"name": "Dinas Kominfo", "email": "humas di kantor", "phone": "telepon kantor",
                      "colours": {"primary": "hijau", "warna": "merah"}, "social": [{"name": "IG", "url": "http://ig"}],
                      "alamat": "Jl. Merdeka"})
    assert found == [
        "newsroom.office.phone: tulis nomor telepon dengan 6 sampai 15 angka, boleh diawali + dan dipisah spasi, "
        "tanda hubung atau kurung, misalnya +62 712 000000 atau (0712) 321456",
        "newsroom.office.email: alamat surel tidak valid; tulis seperti humas@diskominfo.example.go.id",
        "newsroom.office.colours.primary: tulis warna sebagai #RRGGBB, misalnya #1a4d8f",
        "newsroom.office.colours.warna: kunci tidak dikenal; kunci yang sah: primary, accent",
        "newsroom.office.social.0.url: tulis alamat lengkapnya, diawali https://, misalnya https://www.instagram.com/diskominfo/",
        "newsroom.office.alamat: kunci tidak dikenal; kunci yang sah: name, government, address, phone, email, hours, "
        "colours, social, sample",
    ]
    assert problems({"name": "X"}) == ["newsroom.office.name: terlalu pendek: paling sedikit 2 karakter"]
    assert problems({"government": "Pemerintah Kota"}) == ["newsroom.office.name: wajib diisi"]
    assert problems("Dinas Kominfo") == ["newsroom.office: harus berupa pasangan kunci: nilai"]


@pytest.mark.parametrize("phone", ["+62 712 000000", "(0712) 321456", "0711-123-456", "+62-21-3456-7890"])
def test_office_phone_numbers_as_offices_write_them(phone):
    assert load_office({"name": "Dinas Kominfo", "phone": phone}).phone == phone


@pytest.mark.parametrize("phone", ["12345", "+62 712 000000 ext 5", "0712/321456", "+62 712 000000 000000 00"])
def test_office_phone_numbers_that_are_not(phone):
    assert problems({"name": "Dinas Kominfo", "phone": phone})[0].startswith("newsroom.office.phone: ")


@pytest.mark.parametrize("email", ["humas@kominfo.go.id", "ppid.diskominfo@palembang.example.go.id"])
def test_office_addresses(email):
    assert load_office({"name": "Dinas Kominfo", "email": email}).email == email


@pytest.mark.parametrize("email", ["humas", "humas@kominfo", "humas @kominfo.go.id", "a@b@kominfo.go.id"])
def test_office_addresses_that_are_not(email):
    assert problems({"name": "Dinas Kominfo", "email": email}) == [
        "newsroom.office.email: alamat surel tidak valid; tulis seperti humas@diskominfo.example.go.id"]


def test_without_an_office_block_the_site_is_a_generic_offices_and_says_it_is_a_sample(tmp_path):
    own = tmp_path / "mkdocs.yml"
    own.write_text("site_name: X\nplugins:\n  - newsroom\n", encoding="utf-8")
    assert sample_office(own).name == "Dinas Komunikasi dan Informatika"
    own.write_text("site_name: X\nplugins:\n  - newsroom:\n      releases_dir: content/releases\n", encoding="utf-8")
    assert sample_office(own).name == "Dinas Komunikasi dan Informatika"
    own.write_text("site_name: X\nplugins:\n  search: {}\n", encoding="utf-8")
    assert sample_office(own) is None  # no newsroom at all: nothing of it to report


def test_mkdocs_yml_is_read_whatever_tags_it_uses_and_nothing_named_in_it_runs(tmp_path, monkeypatch):
    own = tmp_path / "mkdocs.yml"
    own.write_text(
        "site_name: !ENV [SITE_NAME, 'Seklik']\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:os.system\n"
        "plugins:\n  - newsroom:\n      office:\n        name: !ENV [OFFICE_NAME, Dinas Kominfo Kota]\n"
        "        sample: true\n", encoding="utf-8")
    monkeypatch.delenv("OFFICE_NAME", raising=False)
    assert sample_office(own).name == "Dinas Kominfo Kota"  # !ENV as MkDocs reads it: the default
    monkeypatch.setenv("OFFICE_NAME", "Dinas Kominfo Kabupaten")
    assert sample_office(own).name == "Dinas Kominfo Kabupaten"


def test_seklik_dev_starts_whatever_the_office_says(tmp_path, monkeypatch, capsys):
    from seklik import cli

    monkeypatch.setattr("seklik.stack.ROOT", tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        "plugins:\n  - newsroom:\n      office:\n        name: X\n        email: bukan-surel\n", encoding="utf-8")
    cli._warn_of_sample_configuration()
    said = capsys.readouterr().out
    assert "newsroom.office.name: terlalu pendek" in said and "newsroom.office.email: alamat surel tidak valid" in said
    (tmp_path / "mkdocs.yml").write_text("plugins: [newsroom\n", encoding="utf-8")  # not YAML at all
    cli._warn_of_sample_configuration()
    assert "mkdocs.yml could not be read" in capsys.readouterr().out
    (tmp_path / "mkdocs.yml").write_text("site_name: X\nplugins:\n  - newsroom\n", encoding="utf-8")
    cli._warn_of_sample_configuration()
    assert "newsroom.office (and theme.logo) = Dinas Komunikasi dan Informatika" in capsys.readouterr().out
