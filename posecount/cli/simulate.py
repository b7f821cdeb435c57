"""`python -m posecount.cli.simulate [--markdown] [--lang nl|en]`: the plan the program gives over 8 simulated
weeks, its reasons in English (default) or Dutch."""

from __future__ import annotations

from collections.abc import Sequence

from posecount.progress.simulate import KEYS, _done, default_story, markdown, simulate


def main(argv: Sequence[str] | None = None) -> None:
    import sys

    from rich.table import Table

    from posecount.cli.console import out

    args = list(sys.argv[1:] if argv is None else argv)
    lang = args[args.index("--lang") + 1] if "--lang" in args[:-1] else "en"
    weeks, _ = simulate(default_story())
    if "--markdown" in args:
        out.print(markdown(weeks, lang), markup=False, highlight=False, soft_wrap=True)
        return
    table = Table(title="posecount plan, simulated: the plan given each Monday, then what was done "
                  "((!) = consult the physiotherapist)", title_justify="left", show_lines=True)
    for col in ("week", "bridge", "side raise L", "side raise R", "step-up", "that week"):
        table.add_column(col)
    for w in weeks:
        by = {(t.exercise, t.side): t for t in w.plan.targets}
        cells = [f"{by[k].amount} {by[k].variant}{' (!)' if by[k].consult_physio else ''}\n[dim]{by[k].change}[/]"
                 for k in KEYS]
        table.add_row(f"{w.number} ({w.monday:%d %b})", *cells, _done(w) if w.number < len(weeks) else "")
    out.print(table)
    for w in weeks:
        out.print(f"\n[bold]week {w.number}[/] ({w.monday:%a %d %b %Y})")
        for t in w.plan.targets:
            side = f" {t.side}" if t.side else ""
            out.print(f"  {t.exercise}{side}: {t.amount} ({t.variant}) — {t.explain(lang)}")


if __name__ == "__main__":
    main()
