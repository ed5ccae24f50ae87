"""The HTML report in a real headless Chromium (Debian's chromium + chromium-driver, installed by `make test`)."""

import json
import shutil
import struct
import tempfile

import pytest

from pipeline.config import RunConfig
from pipeline.run import run
from tests.conftest import SEED, TARGET
from tests.test_corpus_run import ARTICLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="chromium and chromedriver are not installed"),
]


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1000,1400",
        f"--user-data-dir={tempfile.mkdtemp()}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def report(tmp_path_factory, tiny_model):
    """The seed plus a small dated corpus, one run, its report."""
    folder = tmp_path_factory.mktemp("report")
    corpus = folder / "in"
    corpus.mkdir()
    (corpus / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (corpus / "seed.meta.json").write_text(json.dumps({"date": "2019-03-15", "title": "Seed"}), encoding="utf-8")
    (corpus / "more.jsonl").write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    cfg = RunConfig(input=corpus, targets=[TARGET], model=tiny_model, output=folder / "out", report=True)
    result = run(cfg)
    return folder / "out" / "report.html", result


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_chart_and_tables_render(browser, report):
    from selenium.webdriver.common.by import By

    path, result = report
    browser.get(path.as_uri())
    assert browser.title == "stance report"
    chart = browser.find_element(By.CSS_SELECTOR, "svg.chart")
    assert chart.size["width"] > 500 and chart.size["height"] > 200
    series = browser.find_elements(By.CSS_SELECTOR, "svg.chart g.series")
    assert 2 <= len(series) <= 6
    dots = browser.find_elements(By.CSS_SELECTOR, "svg.chart circle")
    assert all(d.is_displayed() for d in dots) and len(dots) >= len(series)
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart polyline"), "an actor seen on several dates has a line"
    rows = browser.find_elements(By.CSS_SELECTOR, "table.actors tbody tr")
    assert len(rows) == len([s for s in result.summary if s.target == TARGET])
    assert "Mike Pompeo" in browser.find_element(By.CSS_SELECTOR, "table.actors").text
    marks = browser.find_elements(By.CSS_SELECTOR, "ul.evidence mark")
    assert marks and all(m.is_displayed() and m.text for m in marks)


def test_screenshot_of_the_chart(browser, report, tmp_path):
    from selenium.webdriver.common.by import By

    path, _ = report
    browser.get(path.as_uri())
    chart = browser.find_element(By.CSS_SELECTOR, "svg.chart")
    shot = chart.screenshot_as_png
    width, height = png_size(shot)
    assert (width, height) == (chart.size["width"], chart.size["height"])
    page = browser.get_screenshot_as_png()
    assert len(page) > 20_000  # a rendered page with text and a chart, not a blank one
    (tmp_path / "report.png").write_bytes(page)
