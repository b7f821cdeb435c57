"""Benchmark of the app's exercise screen: frames per second shown in the browser and the delay from
the camera delivering a frame (and from it being ready: pose found, skeleton drawn) to the browser
having it decoded, with a video file as a
30 fps camera (paced at its own rate, frames dropped when the loop is slow, as with a camera).

    python -m calibration.bench_app [VIDEO] [--seconds 15]

Starts the app in this process, opens headless Chromium (Debian's, via Playwright), starts a bridge
session and reads the page's own measurements (`window.posecount.latency`, `.frameTimes`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

DEFAULT_VIDEO = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "videos" / "fx_bridge_side.mp4"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m calibration.bench_app", description=__doc__.split("\n")[0])
    ap.add_argument("video", nargs="?", type=Path, default=DEFAULT_VIDEO)
    ap.add_argument("--seconds", type=float, default=15.0)
    args = ap.parse_args(argv)
    os.environ.setdefault("POSECOUNT_DATA_DIR", tempfile.mkdtemp(prefix="posecount-bench-"))
    from playwright.sync_api import sync_playwright

    from tests import app_server

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    app = app_server.start(source=str(args.video.resolve()), realtime=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(app.url)
            page.locator("button.start[data-exercise=bridge]").click()
            page.wait_for_function("window.posecount.frameTimes.length > 5", timeout=60_000)
            page.evaluate("for (const k of ['latency', 'captureLatency', 'frameTimes']) window.posecount[k].length = 0")
            client = page.evaluate("sessionStorage.getItem('posecount-client')")
            first = app.call(f"/api/session/state?client={client}")[1]["frames"]
            t0 = time.perf_counter()
            time.sleep(args.seconds)
            last = app.call(f"/api/session/state?client={client}")[1]["frames"]
            coach_fps = (last - first) / (time.perf_counter() - t0)
            latency = page.evaluate("window.posecount.latency.slice()")
            capture = page.evaluate("window.posecount.captureLatency.slice()")
            times = page.evaluate("window.posecount.frameTimes.slice()")
            browser.close()
    finally:
        app.stop()
    if len(times) < 3:
        print("too few frames arrived to measure")
        return 1
    fps = (len(times) - 1) * 1000 / (times[-1] - times[0])
    print(f"{args.video.name}: {fps:.1f} frames/s shown in the browser over {args.seconds:.0f} s "
          f"(the coach handled {coach_fps:.1f} frames/s)")
    for name, values in (("camera frame -> browser (decoded)", capture), ("frame ready -> browser", latency)):
        lat = sorted(values)
        print(f"  {name}: median {statistics.median(lat):.0f} ms, 95th percentile "
              f"{lat[int(0.95 * (len(lat) - 1))]:.0f} ms, max {lat[-1]:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
