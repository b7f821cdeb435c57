"""posecount: counts and checks the hip-osteoarthritis leaflet's exercises from video."""

__version__ = "0.1.0"
