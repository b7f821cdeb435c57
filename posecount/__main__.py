"""`python -m posecount` runs the command-line app."""

from posecount.cli import run

run()
