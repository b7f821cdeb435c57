"""`posecount annotate`: same frames and timing as the input, blurred faces by default, a named codec."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from posecount.cli.report_commands import register
from posecount.errors import OutputError
from posecount.media.writer import VideoWriter
from tests.report_synth import FPS, Clip, face_variance, make_clip


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Clip:
    return make_clip(tmp_path_factory.mktemp("clip"))


def app() -> typer.Typer:
    a = typer.Typer()
    register(a)
    return a


def annotate(video: Path, out: Path, *extra: str):
    return CliRunner().invoke(app(), ["annotate", str(video), "-o", str(out), "--no-progress", *extra])


def read_frames(path: Path, every: int = 1) -> tuple[list[np.ndarray], float, int]:
    cap = cv2.VideoCapture(str(path))
    frames, i = [], 0
    while True:
        ok, img = cap.read()
        if not ok:
            break
        if i % every == 0:
            frames.append(img)
        i += 1
    fps = cap.get(cv2.CAP_PROP_FPS)
    cap.release()
    return frames, fps, i


@pytest.fixture(scope="module")
def annotated(clip, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("annotated")
    out = {}
    for name, extra in (("blur", ()), ("clear", ("--no-blur",))):
        path = folder / f"{name}.mp4"
        res = annotate(clip.video, path, "--track", str(clip.track_path), "-e", "bridge", *extra)
        assert res.exit_code == 0, res.output + repr(res.exception)
        assert "codec H.264 (libx264)" in res.output, res.output
        out[name] = path
    return out


def test_written_as_h264_yuv420p_with_the_index_first(annotated):
    """Browsers play H.264 in yuv420p; 'faststart' puts the index (moov) before the frames (mdat)."""
    import av

    for path in annotated.values():
        with av.open(str(path)) as box:
            stream = box.streams.video[0]
            assert stream.codec_context.name == "h264" and stream.codec_context.pix_fmt == "yuv420p"
        cap = cv2.VideoCapture(str(path))
        fourcc = int(cap.get(cv2.CAP_PROP_FOURCC)).to_bytes(4, "little").decode("ascii", "replace").lower()
        cap.release()
        assert fourcc in ("avc1", "h264")
        head = path.read_bytes()
        assert 0 < head.find(b"moov") < head.find(b"mdat")


def test_timestamps_are_those_of_the_input(clip, annotated):
    import av

    def times(path):
        with av.open(str(path)) as box:
            return [float(f.time) for f in box.decode(video=0)]

    t_in = times(clip.video)
    for path in annotated.values():
        t_out = times(path)
        assert len(t_out) == len(t_in) and t_out == pytest.approx([t - t_in[0] for t in t_in], abs=1e-3)


def test_without_h264_it_falls_back_to_mp4v_and_says_so(tmp_path, monkeypatch):
    from posecount.media import writer

    def missing():
        raise ValueError("PyAV is not installed")

    monkeypatch.setattr(writer, "h264_encoder", missing)
    with VideoWriter(tmp_path / "x.mp4", 10.0, (64, 48)) as w:
        for _ in range(3):
            w.write(np.zeros((48, 64, 3), np.uint8))
    assert w.codec == "mp4v" and "browsers do not" in w.warning and "PyAV is not installed" in w.warning
    assert read_frames(tmp_path / "x.mp4")[2] == 3


def test_h264_of_an_odd_size_is_padded_to_even_and_keeps_every_frame(tmp_path):
    with VideoWriter(tmp_path / "odd.mp4", 29.97, (65, 49)) as w:
        for i in range(7):
            w.write(np.full((49, 65, 3), 20 * i, np.uint8))
    assert w.codec == "h264" and w.warning == ""
    frames, fps, n = read_frames(tmp_path / "odd.mp4")
    assert n == 7 and frames[0].shape == (50, 66, 3) and fps == pytest.approx(29.97, rel=1e-3)


def test_same_frame_count_and_timing_as_the_input(clip, annotated):
    _, fps_in, n_in = read_frames(clip.video)
    for path in annotated.values():
        _, fps_out, n_out = read_frames(path)
        assert n_out == n_in == len(clip.frames)
        assert fps_out == pytest.approx(fps_in, rel=1e-3) and fps_out == pytest.approx(FPS, rel=1e-3)


def test_face_blurred_by_default_and_kept_with_no_blur(clip, annotated):
    every = 25
    source, _, _ = read_frames(clip.video, every)
    blurred, _, _ = read_frames(annotated["blur"], every)
    clear, _, _ = read_frames(annotated["clear"], every)
    for k, (src, b, c) in enumerate(zip(source, blurred, clear)):
        pose = clip.frames[k * every][1]
        v_src, v_b, v_c = (face_variance(x, pose) for x in (src, b, c))
        assert v_b < 0.3 * v_src, f"frame {k * every}: face not blurred ({v_b:.0f} vs {v_src:.0f})"
        assert v_c > 0.8 * v_src, f"frame {k * every}: --no-blur changed the face ({v_c:.0f} vs {v_src:.0f})"


def test_drawings_are_on_the_frames(clip, annotated):
    source, _, _ = read_frames(clip.video, 50)
    drawn, _, _ = read_frames(annotated["blur"], 50)
    for src, out in zip(source, drawn):
        # The count panel top-left (the person lies lower) darkens the frame around its large digits.
        assert np.median(out[15:60, 15:120]) < 0.7 * np.median(src[15:60, 15:120])
    # Green angle arc/arms: the measured hip angle is drawn (BGR green dominant pixels appear).
    b, g, r = (drawn[2][..., i].astype(int) for i in range(3))
    assert ((g > 200) & (r < 150) & (b < 150)).sum() > 50


def test_writer_falls_back_and_names_the_codec(tmp_path):
    with VideoWriter(tmp_path / "x.mp4", 10.0, (64, 48), codecs=("zzzz", "mp4v")) as w:
        for _ in range(3):
            w.write(np.zeros((48, 64, 3), np.uint8))
        w.write(np.zeros((10, 10, 3), np.uint8))  # a wrong size is resized, never dropped
    assert w.codec == "mp4v" and w.frames == 4 and "MPEG-4" in w.codec_name
    assert read_frames(tmp_path / "x.mp4")[2] == 4
    with pytest.raises(OutputError):
        VideoWriter(tmp_path / "y.mp4", 10.0, (64, 48), codecs=("zzzz",))


def test_refuses_an_output_that_is_not_mp4(clip, tmp_path):
    res = annotate(clip.video, tmp_path / "out.avi", "--track", str(clip.track_path))
    assert res.exit_code != 0 and isinstance(res.exception, OutputError)
    assert not (tmp_path / "out.avi").exists()


@pytest.mark.slow
def test_annotate_a_real_video_with_mediapipe(shared_videos, tmp_path):
    video = shared_videos / "side_raise_chloe_2.mp4"
    out = tmp_path / "chloe.mp4"
    res = annotate(video, out, "-e", "side-raise", "--lang", "nl")
    assert res.exit_code == 0, res.output + repr(res.exception)
    frames_in, fps_in, n_in = read_frames(video)
    frames_out, fps_out, n_out = read_frames(out)
    assert n_out == n_in and fps_out == pytest.approx(fps_in, rel=1e-3)
    assert frames_out[0].shape == frames_in[0].shape
    assert not list(tmp_path.glob(".*part*")), "no temporary file left behind"
