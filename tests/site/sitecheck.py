"""Look at a built Jupyter Book the way a reader does: in a real browser, page by page.

``check_site`` serves a build folder on 127.0.0.1, drives headless Chromium (through
Playwright, pointed at the system's browser) through the given pages and returns what a reader
would find broken on each: console errors, failed or outside requests, formulas MathJax did not
typeset, images that did not load, internal links or anchors that lead nowhere. It saves a
screenshot of every page in light and in dark mode. ``search`` runs the site's own search page.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urldefrag, urljoin, urlsplit

import yaml

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# As root Chromium needs --no-sandbox; the other switches stop it from calling home.
BROWSER_ARGS = (
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--metrics-recording-only",
    "--no-first-run",
)
PAGE_TIMEOUT_MS = 30_000
# TeX that MathJax should have replaced; searched for outside code blocks only.
RAW_TEX = re.compile(
    r"\$\$|\\\(|\\\)|\\\[|\\\]|\\(?:frac|sum|lambda|norm|begin|end|mathbb|left|right|lVert)\b"
)
# What a glued NumPy scalar looks like when it was not converted to a Python number first.
NUMPY_REPR = re.compile(r"np\.(?:float|int|uint|bool|complex)\w*\(|np\.(?:True|False)_")

VISIBLE_TEXT_JS = """() => {
  const skip = "pre, code, script, style, mjx-container, .highlight, .MathJax";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (parent && !parent.closest(skip) && parent.offsetParent !== null) {
      parts.push(walker.currentNode.nodeValue);
    }
  }
  return parts.join(" ");
}"""

MATH_JS = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  const nodes = Array.from(document.querySelectorAll("div.math, span.math"));
  return {
    total: nodes.length,
    untypeset: nodes.filter(n => !n.querySelector("mjx-container")).length,
    errors: Array.from(document.querySelectorAll("mjx-merror"))
      .map(e => e.getAttribute("data-mjx-error") || e.textContent),
  };
}"""

IMAGES_JS = """async () => {
  const images = Array.from(document.images);
  for (const img of images) { img.loading = "eager"; }
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  return {
    total: images.length,
    broken: images.filter(img => !img.complete || img.naturalWidth === 0)
      .map(img => img.getAttribute("src")),
  };
}"""

# Sphinx lists results one by one, then rewrites the summary: "Search finished, found ..." or
# "Your search did not match any documents".
SEARCH_FINISHED_JS = """() => {
  const summary = document.querySelector("#search-results p.search-summary");
  // English, or Sphinx's Chinese ("搜索完成" finished, "没有任何文档" no document matched)
  return summary && /finished|did not match|搜索完成|没有/.test(summary.textContent);
}"""

LINKS_JS = """() => ({
  links: Array.from(document.querySelectorAll("a[href]")).map(a => a.href),
  ids: Array.from(document.querySelectorAll("[id], a[name]")).map(e => e.id || e.name),
})"""


@dataclass
class PageReport:
    """What one page showed; ``problems`` is empty when a reader would see nothing wrong."""

    path: str
    mode: str = "light"
    theme: str = ""
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    math_total: int = 0
    untypeset_math: int = 0
    math_errors: list[str] = field(default_factory=list)
    raw_tex: list[str] = field(default_factory=list)
    numpy_reprs: list[str] = field(default_factory=list)
    image_total: int = 0
    broken_images: list[str] = field(default_factory=list)
    broken_links: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list, repr=False)
    ids: set[str] = field(default_factory=set, repr=False)

    @property
    def problems(self) -> dict[str, object]:
        checks = {
            "console errors": self.console_errors,
            "failed requests": self.failed_requests,
            "requests outside the site": self.outside_requests,
            "formulas not typeset": self.untypeset_math,
            "MathJax errors": self.math_errors,
            "raw TeX in the text": self.raw_tex,
            "NumPy reprs in the text": self.numpy_reprs,
            "images not loaded": self.broken_images,
            "broken internal links": self.broken_links,
        }
        return {name: found for name, found in checks.items() if found}


def find_browser() -> str:
    """Path of the Chromium to drive: ``$CHROMIUM`` if set, else the first one on ``PATH``."""
    chosen = os.environ.get("CHROMIUM")
    if chosen:
        if not Path(chosen).is_file():
            raise FileNotFoundError(f"CHROMIUM={chosen!r} is not a file")
        return chosen
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise FileNotFoundError(
        "no Chromium found: `make browser` installs Debian's chromium, or set CHROMIUM"
    )


def toc_pages(toc_file: Path) -> list[str]:
    """HTML paths (relative to the site root) of every file in a Jupyter Book ``_toc.yml``."""
    toc = yaml.safe_load(Path(toc_file).read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))
            for part in entry.get("parts", []):
                walk(part.get("chapters"))

    walk(toc.get("chapters"))
    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    return [re.sub(r"\.(md|ipynb)$", "", name) + ".html" for name in files]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free port of 127.0.0.1; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _StaticPage(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif tag == "a" and name == "href":
                self.hrefs.append(value)


def read_static_page(html_file: Path) -> _StaticPage:
    """The ids and link targets (``href`` as written) of an HTML file, without a browser."""
    page = _StaticPage()
    page.feed(Path(html_file).read_text(encoding="utf-8"))
    return page


def _watch(page, report: PageReport, base_url: str) -> None:
    def on_console(message):
        if message.type == "error":
            report.console_errors.append(message.text)

    def on_request(request):
        if not request.url.startswith((base_url, "data:", "blob:", "about:")):
            report.outside_requests.append(request.url)

    def on_response(response):
        if response.status >= 400:
            report.failed_requests.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: report.console_errors.append(str(error)))
    page.on("request", on_request)
    page.on("response", on_response)
    page.on(
        "requestfailed",
        lambda request: report.failed_requests.append(f"{request.failure} {request.url}"),
    )


def _inspect(page, report: PageReport) -> None:
    report.theme = page.evaluate("() => document.documentElement.dataset.theme")
    math = page.evaluate(MATH_JS)
    report.math_total = math["total"]
    report.untypeset_math = math["untypeset"]
    report.math_errors = math["errors"]
    text = page.evaluate(VISIBLE_TEXT_JS)
    report.raw_tex = sorted(set(RAW_TEX.findall(text)))
    report.numpy_reprs = sorted(set(NUMPY_REPR.findall(text)))
    images = page.evaluate(IMAGES_JS)
    report.image_total = images["total"]
    report.broken_images = images["broken"]
    found = page.evaluate(LINKS_JS)
    report.links = found["links"]
    report.ids = set(found["ids"])


def _visit(context, base_url: str, path: str, mode: str, screenshots: Path | None):
    report = PageReport(path, mode)
    page = context.new_page()
    _watch(page, report, base_url)
    page.goto(base_url + path, wait_until="load", timeout=PAGE_TIMEOUT_MS)
    _inspect(page, report)
    if screenshots is not None:
        name = path.removesuffix(".html").replace("/", "__") + f".{mode}.png"
        page.screenshot(path=str(screenshots / name), full_page=True)
    page.close()
    return report


def _check_links(reports: list[PageReport], base_url: str, site: Path) -> None:
    """Mark links to a missing file, or to an anchor the target page does not have."""
    reports = [report for report in reports if report.mode == reports[0].mode]
    visited = {report.path: report.ids for report in reports}
    static_ids: dict[str, set[str]] = {}
    for report in reports:
        page_url = base_url + report.path
        for link in report.links:
            target, fragment = urldefrag(link)
            if not target.startswith(base_url):
                continue
            relative = urlsplit(target).path[len(urlsplit(base_url).path) :] or "index.html"
            if relative.endswith("/"):
                relative += "index.html"
            file = site / relative
            if not file.is_file():
                report.broken_links.append(link)
                continue
            if not fragment or file.suffix != ".html":
                continue
            if relative in visited:
                ids = visited[relative]
            else:
                ids = static_ids.setdefault(relative, read_static_page(file).ids)
            if fragment not in ids:
                report.broken_links.append(urljoin(page_url, link))


def check_site(
    site: Path,
    pages: list[str],
    screenshots: Path | None = None,
    block: str | None = None,
    modes: tuple[str, ...] = ("light", "dark"),
) -> list[PageReport]:
    """Visit ``pages`` of the built site in ``site`` and report what is broken on each.

    Parameters
    ----------
    site : Path
        The build folder (``_build/html``).
    pages : list of str
        Paths relative to ``site``, e.g. from ``toc_pages``.
    screenshots : Path, optional
        Folder for a full-page screenshot of every page in each mode.
    block : str, optional
        The browser refuses every URL that contains this text (to see how a page fails
        without, say, MathJax).
    modes : tuple of str
        Colour schemes the browser asks for; the theme follows them.

    Returns
    -------
    list of PageReport
        One per page and mode, in the order of ``modes``, then of ``pages``.
    """
    from playwright.sync_api import sync_playwright

    site = Path(site)
    if screenshots is not None:
        Path(screenshots).mkdir(parents=True, exist_ok=True)
    with serve(site) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_browser(), args=BROWSER_ARGS)
        try:
            reports = []
            for mode in modes:
                context = browser.new_context(
                    color_scheme=mode, viewport={"width": 1280, "height": 900}
                )
                if block:
                    context.route(lambda url: block in url, lambda route: route.abort())
                reports += [_visit(context, base_url, path, mode, screenshots) for path in pages]
                context.close()
            _check_links(reports, base_url, site)
        finally:
            browser.close()
    return reports


def search(site: Path, query: str) -> list[str]:
    """Paths of the pages that the site's search page lists for ``query``."""
    from playwright.sync_api import sync_playwright

    with serve(Path(site)) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_browser(), args=BROWSER_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{base_url}search.html?q={quote(query)}", wait_until="load")
            page.wait_for_function(SEARCH_FINISHED_JS, timeout=PAGE_TIMEOUT_MS)
            hrefs = page.eval_on_selector_all(
                "#search-results ul.search li a", "links => links.map(a => a.href)"
            )
        finally:
            browser.close()
    return sorted({urlsplit(href).path.lstrip("/") for href in hrefs})
