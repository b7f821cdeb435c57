"""The command line: the only part of posecount that imports typer or rich, or prints.

`app` is the typer application, `main(argv)` runs it and turns every error into one line,
`run()` is the console-script entry point.
"""

from posecount.cli.app import app, main, run

__all__ = ["app", "main", "run"]
