"""Bad input on the command line: one line on stderr, a non-zero exit, never a traceback."""

from __future__ import annotations

import cv2
import numpy as np

from posecount.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code: int, err: str, pattern: str) -> None:
    assert code != 0
    assert "Traceback" not in err
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("posecount: error:"), err
    assert pattern in lines[0], err


def test_missing_file(capsys, tmp_path):
    code, _, err = run(capsys, "analyze", str(tmp_path / "nope.mp4"), "--exercise", "bridge")
    assert_one_line_error(code, err, "not found")


def test_empty_file(capsys, tmp_path):
    (tmp_path / "empty.mp4").touch()
    code, _, err = run(capsys, "analyze", str(tmp_path / "empty.mp4"), "--exercise", "bridge")
    assert_one_line_error(code, err, "empty")


def test_text_file_named_mp4(capsys, tmp_path):
    (tmp_path / "text.mp4").write_text("not a video at all\n" * 50)
    code, _, err = run(capsys, "analyze", str(tmp_path / "text.mp4"), "--exercise", "bridge")
    assert_one_line_error(code, err, "text.mp4")


def test_image_instead_of_video(capsys, tmp_path):
    cv2.imwrite(str(tmp_path / "photo.jpg"), np.zeros((50, 50, 3), np.uint8))
    code, _, err = run(capsys, "analyze", str(tmp_path / "photo.jpg"), "--exercise", "bridge")
    assert_one_line_error(code, err, "single image")


def test_unknown_exercise(capsys, small_video):
    code, _, err = run(capsys, "analyze", str(small_video), "--exercise", "yoga")
    assert_one_line_error(code, err, "yoga")


def test_unknown_exercise_to_follow_in_a_track(capsys, small_video, tmp_path):
    code, _, err = run(capsys, "track", str(small_video), "-o", str(tmp_path / "t.npz"), "--exercise", "yoga")
    assert_one_line_error(code, err, "yoga")
    assert not (tmp_path / "t.npz").exists()


def test_unknown_option_is_a_usage_error(capsys):
    code, _, err = run(capsys, "analyze", "x.mp4", "--frobnicate")
    assert_one_line_error(code, err, "--frobnicate")


def test_output_path_that_is_a_folder(capsys, small_video, tmp_path):
    code, _, err = run(capsys, "analyze", str(small_video), "--exercise", "bridge", "-o", str(tmp_path))
    assert_one_line_error(code, err, "is a folder")


def test_output_in_missing_folder(capsys, small_video, tmp_path):
    code, _, err = run(capsys, "analyze", str(small_video), "--exercise", "bridge",
                       "-o", str(tmp_path / "no" / "such" / "r.json"))
    assert_one_line_error(code, err, "does not exist")


def test_model_file_with_wrong_hash(capsys, small_video, tmp_path):
    import zipfile

    task = tmp_path / "pose_landmarker_full.task"
    with zipfile.ZipFile(task, "w") as zf:
        zf.writestr("pose_detector.tflite", b"x")
        zf.writestr("pose_landmarks_detector.tflite", b"y")
    (tmp_path / "pose_landmarker_full.task.sha256").write_text("1" * 64)
    code, _, err = run(capsys, "analyze", str(small_video), "--exercise", "bridge", "--model", str(task))
    assert_one_line_error(code, err, "fails its checksum")


def test_corrupt_track(capsys, tmp_path):
    (tmp_path / "run.npz").write_bytes(b"\x00" * 100)
    code, _, err = run(capsys, "analyze", str(tmp_path / "run.npz"), "--exercise", "bridge")
    assert_one_line_error(code, err, "not a readable pose track")


def test_the_real_process_prints_one_line_without_native_noise(tmp_path):
    # In-process tests do not see what OpenCV and FFmpeg write to the stderr file descriptor
    # itself ("moov atom not found", "can't open camera by index"): a real process does.
    import subprocess
    import sys

    (tmp_path / "text.mp4").write_text("not a video at all\n" * 50)
    cases = [(["analyze", str(tmp_path / "text.mp4"), "--exercise", "bridge"], "cannot be read as a video"),
             (["live", "--camera", "7", "--no-window", "--quiet", "--no-save"], "no camera")]
    for args, pattern in cases:
        proc = subprocess.run([sys.executable, "-m", "posecount", *args], capture_output=True, text=True,
                              timeout=120, cwd=tmp_path)
        assert_one_line_error(proc.returncode, proc.stderr, pattern)
