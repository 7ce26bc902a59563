"""The report's chart: years verified per statement of a contract (bars) and the entitlement to date
(a line on its own axis), laid out so that it stays legible over 36 months and more.

"Years verified" is the figure `run` prints beside each statement (`orchestration/summary.py`): the
outcome-years of the contract's participants that are complete, kept per statement in
`audit.statement_cohort`. Month labels are thinned to at most `MAX_LABELS` (every k-th month,
always the statement's own); bar values are written only while there are at most 12 bars, each bar
carries a tooltip with its figures. This module computes the geometry; the template draws it.
"""

from __future__ import annotations

from decimal import Decimal

from orchestration.summary import kroner

WIDTH, HEIGHT = 760, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 96, 24, 44
MAX_LABELS = 12
VALUES_UP_TO = 12


def _nice_ceiling(value: Decimal | int) -> Decimal:
    """1, 2, 2.5 or 5 × a power of ten, at least `value` (and at least 1)."""
    value = Decimal(value)
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted()
    for step in (1, 2, Decimal("2.5"), 5, 10):
        ceiling = Decimal(step).scaleb(exponent)
        if ceiling >= value:
            return ceiling
    return Decimal(10).scaleb(exponent)


def _short_dkk(value: Decimal) -> str:
    if value >= 1_000_000:
        return f"{(value / 1_000_000).normalize():f} M"
    if value >= 1_000:
        return f"{(value / 1_000).normalize():f} k"
    return f"{value.normalize():f}"


def years_verified_chart(points: list[dict], current: str) -> dict | None:
    """The geometry of the chart for `points` (month, years_verified or None, entitlement), the
    statement's month `current` highlighted; None when there are no points."""
    if not points:
        return None
    n = len(points)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    peak = int(_nice_ceiling(max((p["years_verified"] or 0) for p in points)))
    money_peak = _nice_ceiling(max((Decimal(p["entitlement"]) for p in points), default=Decimal(0)))
    slot = plot_w / n
    bar = max(min(slot * 0.7, 48), 2)
    step = -(-n // MAX_LABELS)   # ceil: label every step-th month
    bars, labels, line = [], [], []
    for i, p in enumerate(points):
        verified = p["years_verified"]
        h = plot_h * (verified or 0) / peak
        x = LEFT + slot * i + (slot - bar) / 2
        cx = x + bar / 2
        is_current = p["month"] == current
        ent = Decimal(p["entitlement"])
        bars.append({"x": f"{x:.1f}", "y": f"{base - h:.1f}", "w": f"{bar:.1f}", "h": f"{h:.1f}",
                     "current": is_current, "cx": f"{cx:.1f}", "value_y": f"{base - h - 4:.1f}",
                     "value": "" if verified is None else str(verified),
                     "show_value": verified is not None and (n <= VALUES_UP_TO or is_current),
                     "title": f"{p['month']}: years verified "
                              f"{'not recorded' if verified is None else verified}, "
                              f"entitlement to date {kroner(ent)} DKK"})
        if i % step == 0 or is_current:
            labels.append({"x": f"{cx:.1f}", "text": p["month"], "current": is_current})
        line.append(f"{cx:.1f},{base - float(plot_h * ent / money_peak):.1f}")
    # drop a regular label that would touch the statement's own
    current_x = next((float(lab["x"]) for lab in labels if lab["current"]), None)
    if current_x is not None:
        labels = [lab for lab in labels if lab["current"] or abs(float(lab["x"]) - current_x) >= 44]
    ticks = [{"y": f"{base - plot_h * k / 4:.1f}", "left": str(peak * k // 4) if peak * k % 4 == 0 else "",
              "right": _short_dkk(money_peak * k / 4)} for k in range(5)]
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right_x": WIDTH - RIGHT, "top": TOP, "base": base,
            "bars": bars, "labels": labels, "line": " ".join(line), "ticks": ticks,
            "missing": sum(p["years_verified"] is None for p in points), "n": n}
