"""A video's recording date (metadata, else the file's date) and reports of several videos side by side."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timezone
from pathlib import Path

import numpy as np
import pytest

from posecount import profiles
from posecount.cli import main
from posecount.media.metadata import Recorded, creation_time, parse_creation_time, recording_date
from posecount.pose.tracks import TrackRecorder
from tests import synth
from tests.report_synth import Clip, make_clip


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Clip:
    return make_clip(tmp_path_factory.mktemp("clip"))


def _video_with_tags(path: Path, tags: dict[str, str]) -> Path:
    import av

    with av.open(str(path), "w") as box:
        box.metadata.update(tags)
        stream = box.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(3):
            box.mux(stream.encode(av.VideoFrame.from_ndarray(np.full((48, 64, 3), 40 * i, np.uint8), format="bgr24")))
        box.mux(stream.encode(None))
    return path


def _dated(path: Path, day: str) -> Path:
    stamp = datetime.fromisoformat(f"{day}T12:00:00").timestamp()
    os.utime(path, (stamp, stamp))
    return path


def test_creation_times_are_parsed_and_placeholders_ignored():
    assert parse_creation_time("2026-11-28T09:15:00.000000Z") == datetime(2026, 11, 28, 9, 15, tzinfo=timezone.utc)
    assert parse_creation_time("2026-11-28 23:30:00").tzinfo == timezone.utc  # no offset: UTC
    for unset in ("", None, "1970-01-01T00:00:00.000000Z", "1904-01-01T00:00:00Z", "0000-00-00", "yesterday"):
        assert parse_creation_time(unset) is None
    # The phone's local time wins over the container's UTC one.
    found = creation_time([{"creation_time": "2026-11-28T23:30:00Z"},
                           {"com.apple.quicktime.creationdate": "2026-11-29T00:30:00+0100"}])
    assert found.isoformat() == "2026-11-29T00:30:00+01:00"


def test_recording_date_from_metadata_else_the_file_else_given(tmp_path):
    tagged = _dated(_video_with_tags(tmp_path / "tagged.mp4", {"creation_time": "2026-11-20T12:00:00Z"}), "2026-11-30")
    plain = _dated(_video_with_tags(tmp_path / "plain.mp4", {}), "2026-11-28")
    assert recording_date(tagged) == Recorded(date(2026, 11, 20), "metadata")
    assert recording_date(plain) == Recorded(date(2026, 11, 28), "file")
    assert recording_date(plain, date(2026, 1, 2)) == Recorded(date(2026, 1, 2), "given")
    (tmp_path / "x.npz").write_bytes(b"PK")  # a pose track: no container to read
    assert recording_date(_dated(tmp_path / "x.npz", "2026-10-01")) == Recorded(date(2026, 10, 1), "file")


def test_report_header_says_the_date_came_from_the_video(clip, tmp_path):
    """A pose track reported with its video: the video's creation time, not the track's file date."""
    tagged = _video_with_tags(tmp_path / "tagged.mp4", {"creation_time": "2026-11-20T12:00:00Z"})
    from posecount.report.build import make_report

    html = make_report(clip.track_path, exercise="bridge", video=tagged).html
    assert re.search(r'id="who">recorded 2026-11-2[01] \(from the video\)</p>', html)


def _side_raise_track(path: Path) -> Path:
    rec = TrackRecorder((640, 480), 15.0, "side.mp4", "pose_landmarker_full", "ab" * 32)
    for t_s, pose in synth.side_clip(2):
        rec.add(t_s, pose, people=1)
    return rec.build([]).save(path)


def test_several_videos_of_a_profile_side_by_side_oldest_first(clip, tmp_path, capsys):
    newer = _dated(Path(clip.track_path), "2026-11-20")
    older = tmp_path / "older.npz"
    older.write_bytes(newer.read_bytes())
    _dated(older, "2026-11-05")
    profiles.create("anna")
    out = tmp_path / "both.html"
    code = main(["report", str(newer), str(older), "-e", "bridge", "--profile", "anna", "-o", str(out),
                 "--no-progress"])
    assert code == 0, capsys.readouterr().err
    html = out.read_text(encoding="utf-8")
    first, second = html.split('id="video-1"', 1)[1].split('id="video-2"', 1)
    assert "recorded 2026-11-05 (file date)" in first and "recorded 2026-11-20 (file date)" in second
    assert 'id="rep-table-1"' in first and 'id="rep-table-2"' in second and 'id="rep-table"' not in html
    assert "Profile: anna · recorded 2026-11-05 to 2026-11-20" in html
    assert html.count("<article") == 2 and "2 videos side by side" in html


def test_several_videos_need_one_exercise_and_no_single_video_options(clip, tmp_path, capsys):
    side = _side_raise_track(tmp_path / "side.npz")
    out = tmp_path / "mixed.html"
    code = main(["report", str(clip.track_path), str(side), "-o", str(out), "--no-progress"])
    assert code == 2 and "one exercise per report" in capsys.readouterr().err and not out.exists()
    code = main(["report", str(clip.track_path), str(side), "--recorded", "2026-11-01", "-o", str(out)])
    assert code == 2 and "--recorded are for a report of one source" in capsys.readouterr().err
    code = main(["report", str(clip.track_path), "session:latest", "-o", str(out), "--no-progress"])
    assert code == 2 and "stored session is reported on its own" in capsys.readouterr().err


def test_a_batch_report_names_the_manifests_profile_and_date(tmp_path):
    from posecount.batch.runner import VideoJob, _context

    video = _dated(_video_with_tags(tmp_path / "v.mp4", {}), "2026-11-02")
    job = VideoJob(str(video), "v.mp4", "k", "s", "bridge", "m", "full", "0" * 64, profile="anna",
                   recorded="2026-11-01")
    context = _context(job, video)
    assert (context.profile, context.recorded, context.history) == ("anna", Recorded(date(2026, 11, 1), "given"), False)
    context = _context(VideoJob(**{**job.__dict__, "profile": "", "recorded": ""}), video)
    assert (context.profile, context.recorded) == (None, Recorded(date(2026, 11, 2), "file"))
