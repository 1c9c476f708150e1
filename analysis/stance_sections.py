"""The stance sections of the report pages, one call per section, for every stance target of the codebook.

Each section function saves its charts and tables (through the notebook's `Run`)
and returns what the page shows, in order, for `display(*...)`: the loop over the
codebook's targets lives here, so the notebooks stay free of code.
"""

from __future__ import annotations

from . import aggregate, figures, methods, stance_stats
from .codebook import Codebook
from .session import Run


def by_outlet(run: Run, groups) -> list:
    """Return, per target: a heading, the stacked stance bars by outlet and their table (`stance_shares_<target>`).

    `groups` is the scoped paragraphs with outlets pooled (`aggregate.pool_outlets`).
    """
    shown = []
    for target in run.codebook.stance:
        labels = list(target.labels)
        scope = f"Only paragraphs carrying the {target.frame} frame are scored." if target.frame else "Every paragraph is scored."
        table = aggregate.stance_shares(groups, run.stance, target.id, labels)
        shown += [run.say(f"Toward {target.id}", level=3),
                  run.show(figures.stance_bars(table, labels, title=f"Stance toward {target.id} (share of paragraphs)"), table, f"stance_{target.id}"),
                  run.table(table, f"stance_shares_{target.id}", note=methods.note("stance", target=target.id, labels=target.labels, scope=scope))]
    return shown


def intervals_and_trend(run: Run, groups) -> list:
    """Return, per target: the label shares by outlet with 95% article-bootstrap intervals, then (with dated
    paragraphs) the shares over time; both tables are exported (`stance_intervals_<target>`, `stance_over_time_<target>`)."""
    shown = []
    for target in run.codebook.stance:
        labels = list(target.labels)
        intervals = run.export(stance_stats.stance_intervals(groups, run.stance, target.id, labels), f"stance_intervals_{target.id}")
        shown.append(run.show(stance_stats.interval_chart(intervals, labels, title=f"Stance toward {target.id} by outlet"),
                              intervals, f"stance_intervals_{target.id}"))
        over_time = run.export(stance_stats.stance_over_time(run.scoped, run.stance, target.id, labels), f"stance_over_time_{target.id}")
        if len(over_time):
            shown.append(run.show(stance_stats.over_time_chart(over_time, labels, title=f"Stance toward {target.id} over time"),
                                  over_time, f"stance_over_time_{target.id}"))
    return shown


def by_frame(run: Run) -> list:
    """Return, per target: a heading, the stance bars within each frame that has scored paragraphs, and their table."""
    shown = []
    for target in run.codebook.stance:
        labels = list(target.labels)
        table = aggregate.stance_by_frame(run.scoped, run.frames, run.stance, target.id, labels, run.codebook.frame_ids)
        table = table[table["paragraphs"] > 0]
        chart = figures.stance_bars(table, labels, by="frame", names=run.frame_labels, keep_order=True,
                                    title=f"Stance toward {target.id} within each frame")
        shown += [run.say(f"Toward {target.id}, by frame", level=3),
                  run.show(chart, table, f"stance_{target.id}_by_frame"),
                  run.table(table, f"stance_{target.id}_by_frame", note=methods.note("stance_by_frame", target=target.id, labels=target.labels))]
    return shown


def target_labels(codebook: Codebook) -> dict[str, list[str]]:
    """Return {target id: its labels in order}, as `figures.stance_panels` takes them."""
    return {target: list(labels) for target, labels in codebook.stance_labels.items()}


def panels_note(targets: dict[str, list[str]]) -> str:
    """Return the method note under the stance panels of an outlet profile (`targets` from `target_labels`)."""
    return methods.note("stance", target=", ".join(targets), labels="; ".join(f"{k}: {', '.join(v)}" for k, v in targets.items()),
                        scope="Targets tied to a frame are scored only in paragraphs carrying that frame.")
