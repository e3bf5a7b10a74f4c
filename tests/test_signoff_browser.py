"""The sign-off HTML opened in a real browser: Debian's headless Chromium, driven by Playwright, offline.

Playwright's own browser download cannot work here (and is never run): the test points Playwright at
`/usr/bin/chromium`, which `.ci/bootstrap` installs when it can. Without it, or without the `playwright`
package, the test skips and says which is missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from evalkit.report.signoff import write_signoff
from tests.test_signoff import SCRIPT, make_report

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def test_signoff_html_renders_in_headless_chromium(tmp_path: Path) -> None:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip(f"{CHROMIUM} is not installed (.ci/bootstrap installs Debian's chromium as root)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (dev extra)")
    report = make_report()
    files = write_signoff(report, tmp_path / "signoff")

    requests: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
            page = context.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(files.html.as_uri(), wait_until="load")

            rows = page.locator("#verdicts tbody tr")
            assert rows.count() == len(report.categories)
            for i, gate in enumerate(report.categories):
                row = rows.nth(i)
                assert f"verdict-{gate.verdict}" in (row.get_attribute("class") or "").split()
                cells = row.locator("td").all_inner_texts()
                assert cells[0] == gate.category and cells[2] == gate.verdict
                assert page.locator(f"section.verdict-{gate.verdict} .verdict-big").first.is_visible()

            images: list[dict[str, Any]] = page.evaluate(
                """() => Array.from(document.images).map(img => ({
                    scheme: img.currentSrc.split(':')[0], complete: img.complete,
                    width: img.naturalWidth, height: img.naturalHeight, alt: img.alt }))"""
            )
            assert len(images) >= 6
            for img in images:
                assert img["scheme"] == "data" and img["complete"], img["alt"]
                assert img["width"] > 0 and img["height"] > 0, img["alt"]

            # The model's answer is shown as text, and nothing ran: no dialog, no script element.
            assert page.locator("pre.answer", has_text=SCRIPT).count() == 1
            assert page.locator("script").count() == 0
            shot = tmp_path / "signoff.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()

    assert dialogs == []
    assert errors == [], "no console error (a CSP violation would show here)"
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == [], "nothing fetched from a network"
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
