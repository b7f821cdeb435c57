"""The app in a real browser (headless Chromium from Debian, driven by Playwright): a video file as
the camera, home → start bridge → the count reaches the video's reps → end screen → pain 2 → the
history shows the session; the exercise screen's layout in en and nl; one owner of the camera.

Needs Chromium (`apt-get install -y chromium`; CI installs it) and MediaPipe, hence `slow`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests import app_server

pytestmark = pytest.mark.slow

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
                 if p and Path(p).exists()), None)
VIDEO = Path(__file__).parent / "fixtures" / "videos" / "fx_bridge_side.mp4"  # 2 bridges, 19.4 s
VIEWPORT = {"width": 1280, "height": 720}
PANELS = ("#ex-title", "#count", "#hold", "#cue", ".controls", "#placement")


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                                              "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture
def app(private_user_data):
    running = app_server.start(source=str(VIDEO), realtime=False)  # every frame, as `analyze` sees them
    yield running
    running.stop()


def _boxes_do_not_meet(a: dict, b: dict) -> bool:
    return a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"] or \
        a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]


def check_layout(page) -> None:
    """The count is at least a sixth of the screen high; nothing is drawn over the camera image."""
    page.wait_for_function("window.posecount.frameTimes.length > 0", timeout=30_000)
    count = page.locator("#count").bounding_box()
    assert count["height"] >= VIEWPORT["height"] / 6, count
    frame = page.locator("#frame").bounding_box()
    assert frame["width"] > VIEWPORT["width"] / 3
    for selector in PANELS:
        box = page.locator(selector).bounding_box()
        if box:  # hidden panels have none
            assert _boxes_do_not_meet(box, frame), (selector, box, frame)


def test_a_patient_does_a_session_without_a_keyboard(browser, app, tmp_path, pose_tracks):
    """…and the count is the one `analyze` gives (here from the session's recorded pose track)."""
    from calibration.evaluate import Clip
    from posecount.analysis.analyzer import analyze_track

    expected = analyze_track(pose_tracks.track(Clip(VIDEO.stem, VIDEO, "bridge", 2, ())), "bridge").reps
    assert len(expected) == 2
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(app.url)
    page.locator("button.start[data-exercise=bridge]").click()
    page.wait_for_selector("#exercise:not([hidden])")
    check_layout(page)
    page.screenshot(path=str(tmp_path / "exercise.png"))
    page.wait_for_selector("#end:not([hidden])", timeout=120_000)  # the video ends: the session too
    assert page.locator("#summary").inner_text().startswith(f"{len(expected)} bridges")
    status, state = app.call("/api/session/state?client=" + page.evaluate("sessionStorage.getItem('posecount-client')"))
    assert state["total"] == len(expected) and state["end_reason"] == "end of video"
    page.screenshot(path=str(tmp_path / "end.png"))
    page.locator("#pain button[data-value='2']").click()
    page.wait_for_function("document.getElementById('saved').textContent.length > 0")
    page.keyboard.press("7")  # the keyboard works too: pain is given, so this is effort
    page.locator("#back").click()
    page.wait_for_selector("#home:not([hidden])")
    row = page.locator("#sessions tr").nth(1).inner_text()
    assert "Bridge" in row and "\t2\t2" in row.replace(" ", "\t"), row
    status, home = app.call("/api/home")
    assert home["last_sessions"][0]["pain"] == 2 and home["last_sessions"][0]["effort"] == 7


def test_dutch_layout_one_camera_owner_and_stop_keeps_the_count(browser, app):
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(app.url.replace("?", "?lang=nl&"))
    page.locator("#lang").click() if page.locator("#lang").inner_text() == "Nederlands" else None
    page.locator("button.start[data-exercise=bridge]").click()
    page.wait_for_selector("#exercise:not([hidden])")
    assert page.locator("#stop").inner_text() == "Stoppen"
    check_layout(page)
    other = browser.new_page(viewport=VIEWPORT)  # a second tab: another owner
    other.goto(app.url)
    other.locator("button.start[data-exercise=bridge]").click()
    other.wait_for_selector("#message:not([hidden])")
    assert "camera" in other.locator("#message").inner_text().lower()
    page.locator("#stop").click()
    page.wait_for_selector("#end:not([hidden])", timeout=60_000)
    assert page.locator("#end h1").inner_text() == "Goed gedaan"


def _wait_for(app, client: str, until, timeout_s: float = 120.0) -> dict:
    import time

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status, state = app.call(f"/api/session/state?client={client}")
        if status == 200 and until(state):
            return state
        time.sleep(0.3)
    raise AssertionError(f"timed out; last state {state}")


def test_the_server_stopping_mid_set_keeps_what_was_counted(private_user_data):
    from posecount.progress.history import load_sessions

    app = app_server.start(source=str(VIDEO), realtime=False)
    try:
        assert app.call("/api/session/start", {"exercise": "bridge", "client": "a"})[0] == 200
        _wait_for(app, "a", lambda s: (s.get("total") or 0) >= 1)
    finally:
        app.stop()  # as Ctrl-C does
    sessions = load_sessions()
    assert len(sessions) == 1 and sessions[0].count() >= 1 and sessions[0].kind == "live"


def test_a_tab_gone_quiet_ends_the_session_and_saves_it(private_user_data):
    from posecount.progress.history import load_sessions

    app = app_server.start(source=str(VIDEO), realtime=False, abandoned_s=1.0)
    try:
        assert app.call("/api/session/start", {"exercise": "bridge", "client": "a"})[0] == 200
        state = _wait_for(app, "a", lambda s: (s.get("total") or 0) >= 1)
        import time

        time.sleep(3.0)  # nobody asks: the tab was closed
        session = app.server.config.app.state.app.session if hasattr(app.server.config.app, "state") else None
        assert session is not None and not session.running and session.coach.stop_reason == "tab closed"
        assert state["total"] >= 1
    finally:
        app.stop()
    sessions = load_sessions()
    assert len(sessions) == 1 and sessions[0].count() >= 1


def test_no_camera_is_a_message_on_screen(browser, private_user_data):
    app = app_server.start(source="9")  # no camera at index 9
    try:
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(app.url)
        page.locator("button.start[data-exercise=bridge]").click()
        page.wait_for_selector("#message:not([hidden])", timeout=60_000)
        assert "no camera found" in page.locator("#message").inner_text()
    finally:
        app.stop()


def test_physiotherapist_clicked_while_the_home_screen_loads_stays_open(browser, private_user_data):
    # CI, 2026-12-02: "Physiotherapist" clicked while /api/home was still answering; the home
    # screen, arriving after, covered the physiotherapist's view (its name field not visible).
    app = app_server.start()
    try:
        page = browser.new_page(viewport=VIEWPORT)
        held = []
        page.route("**/api/home*", lambda route: held.append(route))  # the home screen's data waits here
        page.goto(app.url)
        for _ in range(200):
            if held:
                break
            page.wait_for_timeout(50)
        assert held, "the home screen never asked for its data"
        page.locator("#to-physio").click()
        assert page.locator("#new-name").is_visible()
        held[0].continue_()
        page.wait_for_selector("#targets .card", state="attached", timeout=30_000)  # home's data came
        page.wait_for_timeout(200)
        assert page.locator("#physio").is_visible() and page.locator("#new-name").is_visible()
        assert page.locator("#home").is_hidden()
    finally:
        app.stop()


def test_a_physiotherapist_opens_a_recorded_video_and_reads_its_report(browser, private_user_data):
    """Profile → drop a phone video → progress → the report and the annotated video play in the app."""
    video = Path(__file__).parent / "fixtures" / "videos" / "fx_step_up_front_left.mp4"  # 3 step-ups
    app = app_server.start()
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(app.url)
        page.locator("#to-physio").click()
        page.locator("#new-name").fill("Anna / de Vries")  # a slash: refused on screen
        page.locator("#add-profile").click()
        page.wait_for_function("document.getElementById('profile-error').textContent.length > 0")
        assert "slash" in page.locator("#profile-error").inner_text()
        page.locator("#new-name").fill("Anna de Vries")
        page.locator("#add-profile").click()
        page.wait_for_function("document.getElementById('profile').value === 'Anna de Vries'")
        page.locator("#file").set_input_files(str(video))
        page.wait_for_selector("#viewer:not([hidden])", timeout=240_000)
        card = page.locator("#videos .card").first.inner_text()
        assert "3 × step-up" in card, card
        report = page.frame_locator("#report")
        assert report.locator("table").count() >= 1
        assert "Anna de Vries" in report.locator("body").inner_text()
        page.wait_for_function("document.getElementById('player').readyState >= 2", timeout=30_000)
        assert page.evaluate("document.getElementById('player').videoWidth") > 0
        page.screenshot(path=str(Path(private_user_data) / "physio.png"), full_page=True)
    finally:
        app.stop()
    # the job's files stay in the profile, for the list of its videos by date after a restart
    folder = Path(private_user_data) / "profiles" / "Anna de Vries" / "videos"
    job = next(folder.iterdir())
    assert {"report.html", "annotated.mp4", "analysis.json", "meta.json"} <= {p.name for p in job.iterdir()}
