"""Thresholds, the mannequin renderer and the tools that tune and check them."""
