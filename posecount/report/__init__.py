"""The physiotherapist's view: the HTML report (`build.make_report`) and the annotated video
(`annotate.write_annotated`); `commands.register(app)` adds `report` and `annotate` to the CLI."""
