"""Page weight: a question page and everything a first visit loads, as transferred.

The HTML comes compressed by Django's GZipMiddleware; assets come from WhiteNoise, which
serves the gzip and brotli files collectstatic made. Which assets a first visit loads is read
from the page (stylesheets, scripts, icons), from the scripts (their `import`s) and from the
stylesheets (`url(...)` in rules whose classes the page uses).
"""

import http.client
import re
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin

from .report import table, verdict
from .server import Server

PAGE_TARGET = 6 * 1024
FIRST_VISIT_TARGET = 120 * 1024
XGOV_PAGE = 4.9 * 1024
XGOV_FIRST_VISIT = 266 * 1024
QUESTION_PAGES = [
    "/services/apply-for-a-blue-badge/where-do-you-live",
    "/services/report-a-road-problem/is-it-dangerous",
    "/services/council-tax-single-person-discount/how-many-adults",
]

_TAG = re.compile(r"<(link|script|img)\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r'([a-zA-Z-]+)\s*=\s*"([^"]*)"')
_IMPORT = re.compile(r"""\bimport\s*(?:[\w*{}\s,$]*\bfrom\s*)?\(?\s*["']([^"']+)["']""")
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*url\([^{}]*)\}")
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")
_CLASS = re.compile(r'class="([^"]*)"')


@dataclass
class Fetched:
    status: int
    size: int  # bytes on the wire (body)
    encoding: str
    cache: str
    body: bytes  # uncompressed


def fetch(server: Server, path: str, accept: str) -> Fetched:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": accept})
        resp = conn.getresponse()
        data = resp.read()
    finally:
        conn.close()
    encoding = resp.getheader("Content-Encoding") or "identity"
    if encoding == "gzip":
        body = zlib.decompress(data, 31)
    elif encoding == "br":
        import brotli

        body = brotli.decompress(data)
    else:
        body = data
    return Fetched(resp.status, len(data), encoding, resp.getheader("Cache-Control") or "", body)


@dataclass
class Asset:
    path: str
    why: str
    loaded: bool  # on a first visit of a desktop browser


def _assets(html: str, page: str) -> list[Asset]:
    found: list[Asset] = []
    for tag, attrs in _TAG.findall(html):
        a = dict(_ATTR.findall(attrs))
        tag = tag.lower()
        if tag == "link" and "href" in a:
            rel = a.get("rel", "")
            if rel == "stylesheet":
                found.append(Asset(urljoin(page, a["href"]), "stylesheet", True))
            elif rel in {"icon", "shortcut icon"}:
                # Browsers fetch one favicon: the SVG one where offered (sizes="any").
                svg = a.get("type") == "image/svg+xml" or a["href"].split("?")[0].endswith(".svg")
                found.append(
                    Asset(urljoin(page, a["href"]), f"icon {a.get('sizes', '')}".strip(), svg)
                )
            elif rel == "modulepreload":
                found.append(Asset(urljoin(page, a["href"]), "modulepreload", True))
            else:
                found.append(Asset(urljoin(page, a["href"]), rel or "link", False))
        elif tag in {"script", "img"} and "src" in a:
            found.append(
                Asset(urljoin(page, a["src"]), tag + (f" {a['type']}" if "type" in a else ""), True)
            )
    if not any(x.why.startswith("icon") and x.loaded for x in found):
        icons = [x for x in found if x.why.startswith("icon")]
        if icons:
            icons[0].loaded = True
        else:
            found.append(Asset("/favicon.ico", "default favicon", True))
    return found


def _css_urls(css: str, css_path: str, classes: set[str]) -> list[Asset]:
    out: dict[str, Asset] = {}
    for selectors, block in _CSS_RULE.findall(css):
        if selectors.strip().startswith("@"):
            continue
        used = False
        for selector in selectors.split(","):
            names = set(re.findall(r"\.([\w-]+)", selector))
            if names and names <= classes:
                used = True
        for url in _CSS_URL.findall(block):
            if url.startswith("data:"):
                continue
            path = urljoin(css_path, url)
            known = out.get(path)
            out[path] = Asset(path, "css url()", used or bool(known and known.loaded))
    return list(out.values())


def run(server: Server) -> list[str]:
    print("\n== weight: question page and first visit, compressed as transferred ==")
    errors: list[str] = []
    rows = []
    pages: list[tuple[str, Fetched, Fetched]] = []
    for path in QUESTION_PAGES:
        gz, raw = fetch(server, path, "gzip"), fetch(server, path, "identity")
        if gz.status != 200:
            errors.append(f"GET {path}: HTTP {gz.status}")
            continue
        pages.append((path, gz, raw))
        rows.append(
            [
                path,
                f"{raw.size:,}",
                f"{gz.size:,}",
                gz.encoding,
                f"≤ {PAGE_TARGET:,}",
                verdict(gz.size <= PAGE_TARGET),
            ]
        )
    if not pages:
        return errors
    print(table(["question page", "HTML B", "sent B", "as", "target B", ""], rows))
    path, page_gz, _ = pages[0]
    html = page_gz.body.decode()
    classes = {c for attr in _CLASS.findall(html) for c in attr.split()}
    queue = _assets(html, path)
    seen: set[str] = set()
    rows = []
    total_gz = total_br = total_raw = 0
    notes: list[str] = []
    for _ in range(200):  # bounded walk over the assets and what they pull in
        if not queue:
            break
        asset = queue.pop(0)
        if asset.path in seen:
            continue
        seen.add(asset.path)
        gz, br, raw = (fetch(server, asset.path, a) for a in ("gzip", "br", "identity"))
        if raw.status != 200:
            if asset.loaded:
                errors.append(f"GET {asset.path}: HTTP {raw.status} ({asset.why})")
            rows.append(
                [
                    asset.path,
                    asset.why,
                    "yes" if asset.loaded else "no",
                    f"HTTP {raw.status}",
                    "",
                    "",
                    "",
                ]
            )
            continue
        if asset.loaded:
            total_raw += raw.size
            total_gz += gz.size
            total_br += br.size if br.encoding == "br" else gz.size
            name = asset.path.rsplit("/", 1)[-1]
            if "immutable" not in gz.cache and not re.search(r"\.[0-9a-f]{12}\.", name):
                notes.append(
                    f"{asset.path} ({asset.why}) has no hashed name: Cache-Control {gz.cache!r}"
                )
        rows.append(
            [
                asset.path,
                asset.why,
                "yes" if asset.loaded else "no",
                f"{raw.size:,}",
                f"{gz.size:,}" + ("" if gz.encoding == "gzip" else f" ({gz.encoding})"),
                f"{br.size:,}" if br.encoding == "br" else "-",
                "immutable" if "immutable" in gz.cache else (gz.cache or "-"),
            ]
        )
        if not asset.loaded:
            continue
        text = raw.body.decode(errors="replace")
        if asset.path.endswith((".js", ".mjs")):
            queue += [
                Asset(urljoin(asset.path, m), f"import from {name}", True)
                for m in _IMPORT.findall(text)
            ]
        elif asset.path.endswith(".css"):
            queue += _css_urls(text, asset.path, classes)
    print()
    print(table(["asset of " + path, "why", "loaded", "raw B", "gzip B", "br B", "cache"], rows))
    first_gz = page_gz.size + total_gz
    first_br = page_gz.size + total_br
    print()
    summary = [
        [
            "question page (gzip)",
            f"{page_gz.size:,}",
            f"≤ {PAGE_TARGET:,}",
            verdict(page_gz.size <= PAGE_TARGET),
            f"{XGOV_PAGE:,.0f}",
        ],
        [
            "first visit, gzip (page + loaded assets)",
            f"{first_gz:,}",
            f"≤ {FIRST_VISIT_TARGET:,}",
            verdict(first_gz <= FIRST_VISIT_TARGET),
            f"{XGOV_FIRST_VISIT:,.0f}",
        ],
        [
            "first visit, brotli assets (HTTPS browsers)",
            f"{first_br:,}",
            f"≤ {FIRST_VISIT_TARGET:,}",
            verdict(first_br <= FIRST_VISIT_TARGET),
            "",
        ],
        ["first visit, uncompressed", f"{len(page_gz.body) + total_raw:,}", "", "", ""],
    ]
    print(table(["weight", "bytes", "target", "", "XGovFormBuilder"], summary))
    print(
        "'loaded' is a desktop browser's first visit: one favicon (SVG preferred), no apple-touch-icon; CSS url()s count when the page uses their classes."
    )
    for note in notes:
        print(f"  note: {note}")
    return errors
