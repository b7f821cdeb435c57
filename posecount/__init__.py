"""posecount: counts and checks the hip-osteoarthritis leaflet's exercises from video."""

import os as _os

# OpenCV and its FFmpeg print their own warnings on stderr ("moov atom not found", "partial
# file", "can't open camera by index"); posecount says what went wrong in one line instead.
# Read when cv2 is first imported; a value set by the user wins.
_os.environ.setdefault("OPENCV_LOG_LEVEL", "OFF")
_os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")

__version__ = "0.1.0"
