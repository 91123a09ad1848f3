"""`seklik release check`: every front-matter problem is named with its line."""

from __future__ import annotations

import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from seklik.cli import main
from seklik.newsroom.frontmatter import read_release
from seklik.newsroom.releases import check_releases
from seklik.newsroom.scaffold import new_release, slugify

CATEGORIES = ["Pemerintahan", "Kunjungan Kerja"]

GOOD = """\
---
title: Rapat Koordinasi Layanan Publik
date: 2021-09-03
summary: Diskominfo menggelar rapat koordinasi.
category: Pemerintahan
---

Isi siaran pers.
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in read_release(path, CATEGORIES).problems]


def test_a_good_release_has_no_problems_and_its_date_means_wib(tmp_path):
    release = read_release(write(tmp_path, "2021-09-03-rapat.md", GOOD), CATEGORIES)
    assert release.problems == []
    assert release.slug == "rapat"
    assert release.meta.date.utcoffset() == timedelta(hours=7)
    assert release.meta.date.astimezone(timezone.utc) == datetime(2021, 9, 2, 17, 0, tzinfo=timezone.utc)
    assert release.meta.lang == "id" and release.meta.draft is False


def test_an_explicit_offset_is_kept(tmp_path):
    path = write(tmp_path, "2021-09-03-rapat.md", GOOD.replace("date: 2021-09-03", "date: 2021-09-03T10:00:00+08:00"))
    assert read_release(path, CATEGORIES).meta.date.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(
    "change, line, expected",
    [
        (("category: Pemerintahan", "category: Pemerintahan\npenulis: Budi"), 6, "kunci 'penulis' tidak dikenal"),
        (("title: Rapat Koordinasi Layanan Publik", "title: 2021"), 2, "'title' harus berupa teks"),
        (("category: Pemerintahan", "category: Pemerintahan\ntags: rapat"), 6, "'tags' harus berupa daftar"),
        (("category: Pemerintahan", "category: Pemerintahan\ndraft: mungkin"), 6, "'draft' harus true atau false"),
        (("date: 2021-09-03", "date: 3 September 2021"), 3, "'date': tanggal/waktu tidak dapat dibaca"),
        (("category: Pemerintahan", "category: Pemerintahan\nembargo_until: besok pagi"), 6, "'embargo_until': tanggal/waktu tidak dapat dibaca"),
        (("category: Pemerintahan", "category: Olahraga"), 5, "kategori 'Olahraga' tidak dikenal; pilih salah satu: Pemerintahan, Kunjungan Kerja"),
        (("summary: Diskominfo menggelar rapat koordinasi.", "summary: " + "x" * 301), 4, "'summary' terlalu panjang: 301 karakter, paling banyak 300"),
        (("summary: Diskominfo menggelar rapat koordinasi.\n", ""), 2, "'summary' wajib diisi"),
        (("category: Pemerintahan", "category: Pemerintahan\nlang: jv"), 6, "'lang' harus salah satu dari: 'id' atau 'en'"),
        (("category: Pemerintahan", "category: Pemerintahan\nslug: Rapat Besar"), 6, "'slug' hanya boleh berisi huruf kecil"),
    ],
    ids=["unknown-key", "wrong-type", "tags-not-list", "draft-not-bool", "bad-date", "bad-embargo",
         "unknown-category", "summary-too-long", "summary-missing", "unknown-lang", "bad-slug"],
)
def test_each_problem_is_reported_on_its_line(tmp_path, change, line, expected):
    path = write(tmp_path, "2021-09-03-rapat.md", GOOD.replace(*change))
    found = problems_of(path)
    assert len(found) == 1, found
    assert found[0][0] == line
    assert expected in found[0][1]


def test_images_need_alt_text_and_an_existing_file(tmp_path):
    (tmp_path / "2021-09-03-rapat").mkdir()
    from PIL import Image

    Image.new("RGB", (40, 30), "navy").save(tmp_path / "2021-09-03-rapat" / "ada.jpg")
    Image.new("RGB", (40, 30), "teal").save(tmp_path / "2021-09-03-rapat" / "ada-juga.jpg")
    (tmp_path / "2021-09-03-rapat" / "palsu.jpg").write_text("<html>bukan gambar</html>")
    path = write(tmp_path, "2021-09-03-rapat.md", GOOD.replace("category: Pemerintahan", """\
category: Pemerintahan
images:
  - src: 2021-09-03-rapat/ada.jpg
    alt: Peserta rapat di aula Diskominfo
  - src: 2021-09-03-rapat/ada-juga.jpg
    caption: tanpa alt
  - src: 2021-09-03-rapat/hilang.jpg
    alt: Foto yang belum diunggah
  - src: 2021-09-03-rapat/palsu.jpg
    alt: Berkas yang bukan gambar
attachments:
  - src: ../../rahasia.pdf
    title: Di luar folder"""))
    found = problems_of(path)
    assert (13, "berkas '2021-09-03-rapat/palsu.jpg' bukan gambar yang dapat dibaca; pakai JPEG, PNG atau WebP") in found
    assert (9, "gambar ke-2 tidak punya 'alt': tulis apa yang tampak pada gambar, untuk pembaca yang tidak dapat melihatnya") in found
    assert any(line == 11 and "berkas '2021-09-03-rapat/hilang.jpg' tidak ditemukan" in m for line, m in found)
    assert any(line == 16 and "harus berada di folder siaran pers ini" in m for line, m in found)
    assert len(found) == 4


def test_an_empty_body_is_reported_where_the_body_should_start(tmp_path):
    path = write(tmp_path, "2021-09-03-rapat.md", GOOD.replace("\nIsi siaran pers.\n", "\n   \n"))
    assert problems_of(path) == [(7, "isi siaran pers kosong: tulis naskahnya di bawah front matter")]


def test_front_matter_that_is_not_yaml_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, "2021-09-03-rapat.md", GOOD.replace("summary: Diskominfo", "summary: [Diskominfo"))
    [(line, message)] = problems_of(path)
    assert line == 5 and message.startswith("front matter bukan YAML yang valid")
    assert "baris 4" in message  # where the unclosed [ began


@pytest.mark.parametrize("change, line, words", [
    (("date: 2021-09-03", "date: 2026-13-45"), 3, "tanggal '2026-13-45' tidak ada di kalender"),
    (("date: 2021-09-03", "date: 2026-02-30 09:30:00"), 3, "tanggal '2026-02-30 09:30:00' tidak ada di kalender"),
    (("date: 2021-09-03", "date: 2026-05-17 25:61:00"), 3, "tidak ada di kalender"),
    (("summary: Diskominfo", "summary: !!python/object:os.system Diskominfo"), 4, "tidak dikenal"),
    (("summary: Diskominfo", "summary: !rahasia Diskominfo"), 4, "tidak dikenal"),
    (("category: Pemerintahan", "category: Pemerintahan\ntitle: Judul Kedua"), 6,
     "kunci 'title' ditulis dua kali (pertama di baris 2)"),
], ids=["month-13", "february-30", "hour-25", "python-tag", "unknown-tag", "duplicate-key"])
def test_a_value_yaml_cannot_build_is_a_numbered_problem_not_a_traceback(tmp_path, change, line, words):
    path = write(tmp_path, "2021-09-03-rapat.md", GOOD.replace(*change))
    [(found_line, message)] = problems_of(path)
    assert found_line == line and words in message, message

    # The command says it the same way, and exits 1.
    result = CliRunner().invoke(main, ["release", "check", str(path)])
    assert result.exit_code == 1 and f"{path}:{line}: " in result.output and "Traceback" not in result.output


def test_a_file_without_front_matter_or_with_a_bad_name(tmp_path):
    path = write(tmp_path, "rapat.md", "Hanya isi.\n")
    found = problems_of(path)
    assert (1, "nama berkas harus TTTT-BB-HH-slug.md, misalnya 2021-09-03-kunjungan-humas-dprd-muba.md") in found
    assert any("front matter tidak ada" in m for _, m in found)


def test_duplicate_slugs_are_reported_in_both_files(tmp_path):
    write(tmp_path, "2021-09-03-rapat.md", GOOD)
    write(tmp_path, "2021-09-04-rapat-lain.md", GOOD.replace("category: Pemerintahan", "category: Pemerintahan\nslug: rapat"))
    _, problems = check_releases(tmp_path, CATEGORIES)
    assert [(p.path.name, p.line) for p in problems] == [("2021-09-03-rapat.md", 1), ("2021-09-04-rapat-lain.md", 6)]
    assert all("slug 'rapat' sudah dipakai" in p.message for p in problems)


def test_a_translation_must_point_at_a_release_in_the_other_language(tmp_path):
    write(tmp_path, "2021-09-03-rapat.md", GOOD)
    write(tmp_path, "2021-09-03-meeting.md", GOOD.replace("category: Pemerintahan", "category: Pemerintahan\nlang: en\ntranslation_of: rapat"))
    write(tmp_path, "2021-09-03-salah.md", GOOD.replace("category: Pemerintahan", "category: Pemerintahan\ntranslation_of: tidak-ada"))
    _, problems = check_releases(tmp_path, CATEGORIES)
    assert [(p.path.name, p.line) for p in problems] == [("2021-09-03-salah.md", 6)]
    assert "tidak ada siaran pers dengan slug itu" in problems[0].message


def test_release_new_scaffolds_a_valid_draft_with_every_field(tmp_path):
    now = datetime(2026, 11, 26, 9, 15, tzinfo=timezone(timedelta(hours=7)))
    path = new_release(tmp_path, "Rapat Koordinasi: Layanan “Digital” 2026", now=now, category="Pemerintahan",
                       location="Kayuagung", unit="Diskominfo")
    assert path.name == "2026-11-26-rapat-koordinasi-layanan-digital-2026.md"
    release = read_release(path, CATEGORIES)
    assert release.problems == []
    assert release.meta.draft is True
    assert release.meta.title == "Rapat Koordinasi: Layanan “Digital” 2026"
    from seklik.newsroom.frontmatter import FIELDS

    for field in FIELDS:
        assert f"\n{field}:" in path.read_text()
    with pytest.raises(FileExistsError):
        new_release(tmp_path, "Rapat Koordinasi: Layanan “Digital” 2026", now=now)


def test_slugs_are_ascii_words_cut_at_a_word_boundary():
    assert slugify("Bupati OKI Resmikan Jembatan Ogan — Tahap II") == "bupati-oki-resmikan-jembatan-ogan-tahap-ii"
    long = slugify("kata " * 40)
    assert len(long) <= 60 and not long.endswith("-")


def test_the_cli_prints_path_line_message_and_exits_1(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = write(tmp_path, "2021-09-03-rapat.md", GOOD.replace("category: Pemerintahan", "category: Pemerintahan\npenulis: Budi"))
    result = CliRunner().invoke(main, ["release", "check", str(bad)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith("2021-09-03-rapat.md:6: kunci 'penulis' tidak dikenal")


def test_the_repository_releases_are_valid():
    result = CliRunner().invoke(main, ["release", "check"])
    assert result.exit_code == 0, result.output


def test_asset_names_must_be_plain_unique_and_not_pages(tmp_path):
    from PIL import Image

    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        Image.new("RGB", (4, 4)).save(tmp_path / folder / "foto.png")
    (tmp_path / "a" / "logo dinas.png").write_bytes((tmp_path / "a" / "foto.png").read_bytes())
    (tmp_path / "a" / "catatan.md").write_text("# catatan")
    path = write(tmp_path, "2021-09-03-rapat.md", GOOD.replace("category: Pemerintahan", """\
category: Pemerintahan
images:
  - {src: a/foto.png, alt: Satu}
  - {src: b/foto.png, alt: Dua}
  - {src: a/logo dinas.png, alt: Logo}
attachments:
  - {src: a/catatan.md, title: Catatan}"""))
    found = problems_of(path)
    assert (8, "nama berkas 'foto.png' sudah dipakai oleh a/foto.png; beri nama yang berbeda") in found
    assert any(line == 9 and "'logo dinas.png' hanya boleh berisi" in m for line, m in found)
    assert any(line == 11 and "'catatan.md' hanya boleh berisi" in m for line, m in found)
    assert len(found) == 3


def test_release_new_refuses_an_unknown_category_and_writes_nothing():
    from seklik.cli import ROOT

    before = sorted((ROOT / "content" / "releases").iterdir())
    result = CliRunner().invoke(main, ["release", "new", "Judul Uji", "--category", "Olahraga"])
    assert result.exit_code == 1
    assert "kategori 'Olahraga' tidak dikenal" in result.output
    assert sorted((ROOT / "content" / "releases").iterdir()) == before


def test_a_page_with_an_inline_script_that_is_not_the_themes_stops_the_build():
    import pytest as _pytest

    from seklik.newsroom.csp import UnknownInlineScript, with_policy

    theme = '<html><head><script>__md_scope=new URL(".",location)</script></head><body></body></html>'
    assert "'sha256-" in with_policy(theme)
    with _pytest.raises(UnknownInlineScript):
        with_policy('<html><head></head><body><script>fetch("/api/v1/users")</script></body></html>')
    data = '<html><head></head><body><script type="application/ld+json">{"a": 1}</script></body></html>'
    assert "'sha256-" not in with_policy(data)  # data blocks do not run
