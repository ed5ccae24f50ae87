"""The HTML report in a real headless Chromium (Debian's chromium + chromium-driver, installed by `make test`)."""

import json
import os
import shutil
import struct
import tempfile
from pathlib import Path

import pytest

from pipeline.config import RunConfig
from pipeline.run.engine import run
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


OVERLAPS = """
const boxes = [...document.querySelectorAll(arguments[0])]
  .filter(e => e.offsetParent !== null)
  .map(e => [e.textContent, e.getBoundingClientRect()]);
const out = [];
for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
  const [a, r] = boxes[i], [b, s] = boxes[j];
  if (r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom) out.push([a, b]);
}
return [boxes.length, out];
"""
INSIDE = """
const page = document.documentElement.clientWidth;
return [...document.querySelectorAll('.x-axis span, .y-axis span')].filter(e => e.offsetParent !== null)
  .filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > page; }).map(e => e.textContent);
"""


@pytest.mark.parametrize("width", [1200, 420])
def test_chart_labels_never_overlap_and_stay_on_the_page(browser, report, width):
    path, _ = report
    browser.set_window_size(width, 1400)
    browser.get(path.as_uri())
    count, overlapping = browser.execute_script(OVERLAPS, ".x-axis span, .y-axis span, ul.legend li")
    assert count >= 5 and overlapping == []
    assert browser.execute_script(INSIDE) == []
    browser.set_window_size(1000, 1400)


TABLE_OUTSIDE = """
const page = document.documentElement.clientWidth;
return [...document.querySelectorAll('table.actors tr')].slice(0, 6).flatMap(row => [...row.children])
  .filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > page + 1).map(e => e.textContent);
"""


@pytest.mark.parametrize("width", [1200, 420])
def test_the_actor_table_fits_the_page_with_a_long_actor_name(browser, report, width):
    """An actor that is a long description ("coalition of nearly 40 groups - including ...") must not push the
    stance column off a phone's screen."""
    path, _ = report
    html = path.read_text(encoding="utf-8")
    first = html.index('<table class="actors">')
    long_name = "coalition of nearly 40 groups - including the American Academy of Pediatrics and Easter Seals"
    start = html.index(">", html.index("<a href=", first)) + 1
    end = html.index("</a>", start)
    wide = path.with_name("report-long-name.html")
    wide.write_text(html[:start] + long_name + html[end:], encoding="utf-8")
    browser.set_window_size(width, 1400)
    browser.get(wide.as_uri())
    assert browser.execute_script(TABLE_OUTSIDE) == []
    browser.set_window_size(1000, 1400)


def test_chart_and_tables_render(browser, report):
    from selenium.webdriver.common.by import By

    path, result = report
    browser.get(path.as_uri())
    assert browser.title == "stance report"
    chart = browser.find_element(By.CSS_SELECTOR, "svg.chart")
    assert chart.size["width"] > 500 and chart.size["height"] > 120
    series = browser.find_elements(By.CSS_SELECTOR, "svg.chart g.series")
    assert 2 <= len(series) <= 6
    legend = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "ul.legend li")]
    assert len(legend) == len(series) == len(set(legend))  # one entry per actor
    dots = browser.find_elements(By.CSS_SELECTOR, "svg.chart line.dot")
    assert all(d.is_displayed() for d in dots) and len(dots) >= len(series)
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart polyline"), "an actor seen on several dates has a line"
    rows = browser.find_elements(By.CSS_SELECTOR, "table.actors tbody tr")
    assert len(rows) == len([s for s in result.summary if s.target == TARGET])
    assert "Mike Pompeo" in browser.find_element(By.CSS_SELECTOR, "table.actors").text
    marks = browser.find_elements(By.CSS_SELECTOR, "ul.evidence mark")
    assert marks and all(m.is_displayed() and m.text for m in marks)
    link = browser.find_element(By.CSS_SELECTOR, "ul.legend a")  # the evidence is one click away
    name = link.text
    link.click()
    heading = browser.find_element(By.CSS_SELECTOR, ":target")
    assert heading.text.startswith(name) and heading.is_displayed()


def test_dates_lie_on_a_real_time_scale(browser, report):
    """Pompeo speaks on Feb 1, Feb 20 and Mar 15: the second gap (23 days) is longer than the first (19)."""
    from selenium.webdriver.common.by import By

    path, _ = report
    browser.get(path.as_uri())
    pompeo = browser.find_element(By.CSS_SELECTOR, 'svg.chart g.series[data-actor="Mike Pompeo"]')
    xs = sorted(float(c.get_attribute("x1")) for c in pompeo.find_elements(By.CSS_SELECTOR, "line.dot"))
    assert len(xs) == 3
    assert (xs[2] - xs[1]) / (xs[1] - xs[0]) == pytest.approx(23 / 19, rel=0.01)


def test_screenshots_at_two_widths(browser, report, tmp_path):
    path, _ = report
    for width in (1200, 420):
        browser.set_window_size(width, 1400)
        browser.get(path.as_uri())
        page = browser.get_screenshot_as_png()
        assert png_size(page)[0] > 0 and len(page) > 20_000  # a rendered page with text and a chart
        (tmp_path / f"report-{width}.png").write_bytes(page)
        if os.environ.get("STANCE_SHOTS"):
            (Path(os.environ["STANCE_SHOTS"]) / f"report-{width}.png").write_bytes(page)
    browser.set_window_size(1000, 1400)
