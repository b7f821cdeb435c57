"""Frame sources: timestamps, downscaling, rotation, and every kind of bad input."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from posecount.errors import InputError, SourceNotFound
from posecount.media.sources import ImageFolderSource, VideoSource, _MonotonicClock, open_source
from tests.conftest import write_video


def test_video_frames_stream_with_increasing_timestamps(small_video):
    with VideoSource(small_video) as src:
        frames = list(src)
    assert len(frames) == 30
    times = np.array([f.t_s for f in frames])
    assert times[0] == 0.0 and np.all(np.diff(times) > 0)
    np.testing.assert_allclose(np.diff(times), 1 / 30, atol=2e-3)
    assert src.info.size_wh == (160, 120) and src.info.fps == pytest.approx(30.0)
    assert src.info.warnings == []


def test_large_frames_are_downscaled_once(tmp_path):
    path = write_video(tmp_path / "big.mp4", n_frames=5, size_wh=(1280, 720))
    with VideoSource(path, max_side=640) as src:
        frames = list(src)
    assert src.info.size_wh == (640, 360)
    assert frames[0].image.shape == (360, 640, 3)


@pytest.mark.parametrize("turn,shape", [(90, (160, 120, 3)), (180, (120, 160, 3)), (270, (160, 120, 3))])
def test_manual_rotation_turns_frames(small_video, turn, shape):
    with VideoSource(small_video, rotate=turn) as src:
        first = next(iter(src))
    assert first.image.shape == shape
    assert src.info.rotation_deg == turn


def test_repeated_timestamps_are_repaired():
    clock = _MonotonicClock(fps=25)
    out = [clock(t) for t in (0.0, 0.04, 0.04, 0.04, 0.2)]
    assert all(b > a for a, b in zip(out, out[1:]))
    assert clock.repaired == 2


def test_missing_empty_text_and_image_inputs_are_clear(tmp_path):
    with pytest.raises(SourceNotFound, match="not found"):
        open_source(tmp_path / "missing.mp4")
    empty = tmp_path / "empty.mp4"
    empty.touch()
    with pytest.raises(InputError, match="empty"):
        open_source(empty)
    text = tmp_path / "notes.mp4"
    text.write_text("this is not a video\n" * 20)
    with pytest.raises(InputError, match="cannot be read as a video|no readable frames"):
        list(open_source(text))
    image = tmp_path / "photo.png"
    cv2.imwrite(str(image), np.zeros((20, 20, 3), np.uint8))
    with pytest.raises(InputError, match="single image"):
        open_source(image)


def test_single_frame_video_is_refused(tmp_path):
    one = write_video(tmp_path / "one.mp4", n_frames=1)
    with pytest.raises(InputError, match="single frame"):
        list(open_source(one))


def test_truncated_video_gives_what_could_be_read_and_a_warning(tmp_path):
    path = write_video(tmp_path / "cut.avi", n_frames=90, fourcc="MJPG")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with VideoSource(path) as src:
        frames = list(src)
    assert 10 < len(frames) < 90
    assert any("ended early" in w for w in src.info.warnings)


def test_image_folder_plays_in_name_order(tmp_path):
    for i in range(4):
        img = np.full((30, 40, 3), i * 60, np.uint8)
        cv2.imwrite(str(tmp_path / f"f{i:03d}.png"), img)
    (tmp_path / "readme.txt").write_text("ignored")
    src = ImageFolderSource(tmp_path, fps=10)
    frames = list(src)
    assert [f.t_s for f in frames] == pytest.approx([0.0, 0.1, 0.2, 0.3])
    assert [int(f.image[0, 0, 0]) for f in frames] == [0, 60, 120, 180]


def test_empty_folder_and_missing_camera_are_clear(tmp_path):
    with pytest.raises(InputError, match="holds no images"):
        open_source(tmp_path)
    with pytest.raises(SourceNotFound, match="no camera"):
        open_source("7")


def _with_rotation_matrix(path, degrees_cw: int):
    """Writes a display matrix into the mp4's track header, as phones do for portrait video."""
    import struct

    one, minus = 0x00010000, -0x00010000
    matrices = {90: (0, one, 0, minus, 0, 0), 270: (0, minus, 0, one, 0, 0), 180: (minus, 0, 0, 0, minus, 0)}
    a, b, u, c, d, v = matrices[degrees_cw]
    data = bytearray(path.read_bytes())
    box = data.find(b"tkhd") - 4
    offset = box + (48 if data[box + 8] == 0 else 60)
    data[offset:offset + 36] = struct.pack(">9i", a, b, u, c, d, v, 0, 0, 0x40000000)
    path.write_bytes(bytes(data))
    return path


def test_phone_rotation_metadata_is_honoured(tmp_path):
    path = _with_rotation_matrix(write_video(tmp_path / "phone.mp4", n_frames=12, size_wh=(160, 120)), 90)
    with VideoSource(path) as src:
        frames = list(src)
    assert src.info.size_wh == (120, 160)  # portrait, as the phone showed it
    assert frames[0].image.shape == (160, 120, 3) and len(frames) == 12
    assert src.info.rotation_deg == 90
