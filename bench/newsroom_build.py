"""Benchmark: build the newsroom with N synthetic releases, beside a plain Material blog build.

Usage:  .venv/bin/python bench/newsroom_build.py [--sizes 1000 5000] [--skip-blog]

For each N it writes N synthetic releases into a temporary copy of the site,
builds it exactly as `seklik site build` does (MkDocs + the newsroom plugin +
Pagefind), and prints: build seconds, ms per release, peak memory, site size,
the bytes a browser downloads for one search query (measured in Debian's
chromium against the built site served as CloudFront serves it: gzip for
HTML/CSS/JS/JSON; for a rare word and for a word in most releases), and the gzip weight of one release page
(HTML + CSS + JS, no images), and what a phone downloads for the home page and the release list with their
photos (the newest releases carry one). Then it builds the same N posts with Material's
own blog plugin in the same run and prints the same timing figures and the
ratio. Nothing here asserts: the goals are read off the printed table
(issue: 5,000 releases ≤ 90 s and ≤ 0.6× the blog build; one query ≤ 300 KB;
a release page ≤ 150 KB gzip; a list page ≤ 300 KB with photos on a phone).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ["Pemerintahan", "Kunjungan Kerja", "Layanan Publik", "Kesehatan", "Pendidikan", "Ekonomi"]
WORDS = (
    "pemerintah kabupaten dinas komunikasi informatika layanan publik masyarakat desa kecamatan bupati "
    "wakil rapat koordinasi program kegiatan pembangunan jalan jembatan sekolah puskesmas kesehatan "
    "pendidikan ekonomi pasar petani nelayan anggaran tahun daerah sosialisasi pelatihan digital "
    "informasi media wartawan kerja sama peresmian kunjungan pelaksanaan evaluasi capaian target warga"
).split()


def synthetic_body(rng: random.Random, words: int = 400) -> str:
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18)))
        sentences.append(sentence.capitalize() + ".")
    paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
    return "\n\n".join(paragraphs)


PHOTOS = 60  # the newest releases carry a photo each (a camera's 1600 × 1067 JPEG), as the lists show them


def synthetic_photo(path: Path, rng: random.Random) -> None:
    """A JPEG of about a camera photo's weight: gradients and shapes, with grain."""
    from PIL import Image, ImageDraw, ImageFilter

    image = Image.new("RGB", (1600, 1067), tuple(rng.randrange(60, 200) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(1600), rng.randrange(1067)
        draw.ellipse((x, y, x + rng.randrange(50, 500), y + rng.randrange(50, 400)),
                     fill=tuple(rng.randrange(256) for _ in range(3)))
    image = image.filter(ImageFilter.GaussianBlur(6))
    grain = Image.effect_noise((1600, 1067), 24).convert("RGB")
    Image.blend(image, grain, 0.12).save(path, "JPEG", quality=85)


def write_releases(folder: Path, count: int, seed: int = 7) -> list[tuple[str, str, str, list[str], str]]:
    """Writes release files, the newest PHOTOS with a photo; returns (date, slug, category, tags, body) for the
    blog copy."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    posts = []
    for n in range(count):
        day = 1 + n % 28
        month = 1 + (n // 28) % 12
        year = 2010 + n // (28 * 12)
        slug = f"siaran-pers-nomor-{n}"
        category = CATEGORIES[n % len(CATEGORIES)]
        tags = [rng.choice(WORDS), rng.choice(WORDS)]
        body = synthetic_body(rng)
        if n == count // 2:
            body += "\n\nKata penanda zamrudkatulistiwa untuk pengukuran pencarian."
        date = f"{year:04d}-{month:02d}-{day:02d}"
        photo = ""
        if n >= count - PHOTOS:
            (folder / f"{date}-{slug}").mkdir(exist_ok=True)
            synthetic_photo(folder / f"{date}-{slug}" / "foto.jpg", rng)
            photo = f"images:\n  - src: {date}-{slug}/foto.jpg\n    alt: Foto kegiatan nomor {n}\n"
        (folder / f"{date}-{slug}.md").write_text(textwrap.dedent(f"""\
            ---
            title: "Siaran pers nomor {n}: {rng.choice(WORDS)} {rng.choice(WORDS)}"
            date: {date}T09:00:00+07:00
            summary: "Ringkasan siaran pers nomor {n} tentang {rng.choice(WORDS)} dan {rng.choice(WORDS)}."
            category: {category}
            tags: [{tags[0]}, {tags[1]}]
            location: Kayuagung
            """) + photo + "---\n\n" + body + "\n", encoding="utf-8")
        posts.append((date, slug, category, tags, body))
    return posts


_RUN_MEASURED = """
import json, resource, sys, time
started = time.perf_counter()
exec(sys.argv[1])
elapsed = time.perf_counter() - started
peak_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print("MEASURED " + json.dumps({"seconds": elapsed, "peak_mb": peak_kb / 1024}))
"""


def measured(code: str, cwd: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", _RUN_MEASURED, code], cwd=cwd, capture_output=True, text=True,
                            env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    line = next(l for l in result.stdout.splitlines() if l.startswith("MEASURED "))
    return json.loads(line[len("MEASURED "):])


def site_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def build_newsroom(work: Path, count: int) -> tuple[dict, Path, list]:
    shutil.copytree(ROOT / "docs", work / "docs", ignore=shutil.ignore_patterns("adr"))
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    posts = write_releases(work / "releases", count)
    code = (
        "from pathlib import Path; from seklik.site import build_site; "
        f"build_site(Path({str(work / 'site')!r}), Path({str(work / 'mkdocs.yml')!r}), "
        f"plugins=[{{'newsroom': {{'releases_dir': {str(work / 'releases')!r}, 'categories': {CATEGORIES!r}}}}}], "
        f"hooks=[{str(ROOT / 'seklik' / 'newsroom' / 'api_reference.py')!r}])"
    )
    return measured(code, work), work / "site", posts


def build_blog(work: Path, posts: list) -> tuple[dict, Path]:
    posts_dir = work / "docs" / "blog" / "posts"
    posts_dir.mkdir(parents=True)
    (work / "docs" / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    (work / "docs" / "index.md").write_text("# Beranda\n", encoding="utf-8")
    for date, slug, category, tags, body in posts:
        (posts_dir / f"{slug}.md").write_text(
            f"---\ndate: {date}\ncategories: [{category}]\ntags: [{tags[0]}, {tags[1]}]\n---\n\n# {slug}\n\n{body}\n",
            encoding="utf-8")
    (work / "mkdocs.yml").write_text(textwrap.dedent("""\
        site_name: Blog baseline
        site_url: https://seklik.example.go.id/
        theme: {name: material, language: id}
        plugins: [blog]
        """), encoding="utf-8")
    code = ("from mkdocs.config import load_config; from mkdocs.commands.build import build; "
            f"build(load_config({str(work / 'mkdocs.yml')!r}, site_dir={str(work / 'site')!r}))")
    return measured(code, work), work / "site"


# CloudFront compresses these types (Compress: true); Pagefind's own index files
# are gzip already and are served as they are.
COMPRESSED_TYPES = {".html", ".css", ".js", ".json", ".xml", ".svg"}


class _LikeCloudFront(SimpleHTTPRequestHandler):
    """Static files, gzip-encoded where CloudFront would encode them."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in COMPRESSED_TYPES or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)


@contextmanager
def served_page(site: Path, **page_options):
    """A chromium page (and the site's address) against the site served as CloudFront serves it; the page counts
    the bytes of each response it receives in ``page.sizes``."""
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_LikeCloudFront, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True,
                args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"])
            page = browser.new_page(**page_options)
            page.sizes = {}
            page.on("requestfinished", lambda r: page.sizes.__setitem__(r.url, r.sizes()["responseBodySize"]))
            yield page, f"http://127.0.0.1:{server.server_address[1]}"
            browser.close()
    finally:
        server.shutdown()


def search_bytes(site: Path, query: str = "zamrudkatulistiwa") -> tuple[int, int]:
    """(bytes transferred for the search page's search code and one query, bytes for the query alone) in chromium."""
    with served_page(site) as (page, base):
        page.goto(f"{base}/cari/")
        page.locator(".pagefind-ui__search-input").wait_for()
        page.wait_for_load_state("networkidle")
        before = dict(page.sizes)
        page.locator(".pagefind-ui__search-input").fill(query)
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=30_000)
        page.wait_for_load_state("networkidle")
        sizes = dict(page.sizes)
    search_urls = [u for u in sizes if "/pagefind/" in u]
    query_only = sum(v for u, v in sizes.items() if u not in before)
    return sum(sizes[u] for u in search_urls), query_only


def list_page_on_a_phone(site: Path, path: str) -> tuple[int, int]:
    """(KB a phone downloads for a list page as it opens, KB once scrolled to its end): chromium at 375 × 812 CSS
    px and a device pixel ratio of 2, served as CloudFront serves it (photos lazy-load as they come into view)."""
    with served_page(site, viewport={"width": 375, "height": 812}, device_scale_factor=2) as (page, base):
        page.goto(f"{base}/{path}")
        page.wait_for_load_state("networkidle")
        opened = sum(page.sizes.values())
        for _ in range(40):
            page.mouse.wheel(0, 800)
            page.wait_for_timeout(50)
        page.wait_for_load_state("networkidle")
        scrolled = sum(page.sizes.values())
    return opened // 1024, scrolled // 1024


def release_page_gzip(site: Path) -> int:
    page = next((site / "rilis").glob("*/*/*/index.html"))
    html = page.read_text(encoding="utf-8")
    total = len(gzip.compress(html.encode()))
    for ref in re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html):
        target = (page.parent / ref.split("?")[0]).resolve()
        if target.is_file():
            total += len(gzip.compress(target.read_bytes()))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--skip-blog", action="store_true", help="only the newsroom build")
    args = parser.parse_args()

    rows = []
    for count in args.sizes:
        with tempfile.TemporaryDirectory(prefix="seklik-bench-") as tmp:
            ours, site, posts = build_newsroom(Path(tmp) / "newsroom", count)
            all_search, query_only = search_bytes(site)
            common_search, common_query = search_bytes(site, "pemerintah")  # in most releases
            row = {
                "N": count,
                "newsroom s": ours["seconds"],
                "ms/release": ours["seconds"] * 1000 / count,
                "newsroom peak MB": ours["peak_mb"],
                "site MB": site_bytes(site) / 1e6,
                "search KB (page+query)": all_search / 1024,
                "one query KB": query_only / 1024,
                "search KB, common word": common_search / 1024,
                "release page gzip KB": release_page_gzip(site) / 1024,
                "list page on a phone KB (opened, scrolled)": list_page_on_a_phone(site, "rilis/"),
                "home on a phone KB (opened, scrolled)": list_page_on_a_phone(site, ""),
            }
            if not args.skip_blog:
                blog, blog_site = build_blog(Path(tmp) / "blog", posts)
                row.update({"blog s": blog["seconds"], "blog peak MB": blog["peak_mb"],
                            "blog site MB": site_bytes(blog_site) / 1e6,
                            "newsroom/blog": ours["seconds"] / blog["seconds"]})
            rows.append(row)
            print(json.dumps(row), flush=True)

    print()
    keys = list(rows[0])
    print(" | ".join(keys))
    for row in rows:
        print(" | ".join(f"{row.get(k, float('nan')):.2f}" if isinstance(row.get(k), float) else str(row.get(k))
                         for k in keys))


if __name__ == "__main__":
    main()
