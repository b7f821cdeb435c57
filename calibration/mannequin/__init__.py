"""The mannequin renderer: a jointed human figure doing the leaflet's exercises, with known truth.

`body` holds the skeleton and its sizes, `poses` turns exercise parameters into 3D joints,
`motion` turns a declarative script into per-frame parameters and rep truth, `camera` and
`draw` turn joints into an image, `scenarios` lists the labelled clips.
"""
