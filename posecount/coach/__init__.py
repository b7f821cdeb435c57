"""The live coach: counts along in front of a webcam, hands-free, in Dutch or English."""
