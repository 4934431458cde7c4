"""Running a proposed policy (``Scenario``) over the organisation: the readiness of
every OPD with the proposal and with the policies in force, side by side."""

import logging
import time
from dataclasses import asdict
from datetime import date, timedelta

from django.utils import timezone

from opd.models import CostSettings, Employee, Opd
from scheduling import roster as rules
from scheduling.calendar import parse_weekdays, week_start
from scheduling.services.build import weeks_inputs

from .models import Scenario
from .readiness import HeldPost, OpdReadiness, assess_opd, combine

logger = logging.getLogger(__name__)

MAX_WEEKS = 13  # a quarter
# Up to this many active employees a scenario is computed within the request (a city);
# above it, by the queue with a progress bar (a province).
IN_REQUEST_STAFF = 5000


def mondays(start: date, end: date) -> list[date]:
    first = week_start(start)
    return [first + timedelta(weeks=n) for n in range((week_start(end) - first).days // 7 + 1)]


def policy_rule(scenario: Scenario) -> rules.PolicyRule:
    return rules.PolicyRule(
        id=0,
        start=scenario.start,
        end=scenario.end,
        mode=scenario.mode,
        wfh_ratio=float(scenario.wfh_ratio),
        weekdays=parse_weekdays(scenario.weekdays),
        max_remote_days=scenario.max_remote_days_per_week,
    )


def runs_in_request() -> bool:
    return Employee.objects.filter(active=True).count() <= IN_REQUEST_STAFF


def run_scenario(scenario_id: int) -> Scenario:
    """Compute and store a scenario's figures; progress is saved as it goes."""
    started = time.perf_counter()
    Scenario.objects.filter(pk=scenario_id).update(state=Scenario.State.RUNNING, progress=0)
    scenario = Scenario.objects.get(pk=scenario_id)
    try:
        result = _compute(scenario)
    except Exception:
        Scenario.objects.filter(pk=scenario_id).update(state=Scenario.State.FAILED)
        logger.exception("scenario %s failed", scenario_id)
        raise
    Scenario.objects.filter(pk=scenario_id).update(
        state=Scenario.State.DONE,
        progress=100,
        result=result,
        summary={side: asdict(city(result["opds"], side)) for side in ("proposed", "in_force")},
        computed_at=timezone.now(),
        seconds=round(time.perf_counter() - started, 2),
    )
    return Scenario.objects.get(pk=scenario_id)


def _compute(scenario: Scenario) -> dict:
    weeks = mondays(scenario.start, scenario.end)
    inputs = weeks_inputs(weeks, None)
    opds = list(
        Opd.objects.order_by("code").values(
            "id", "code", "name", "essential", "monthly_operating_cost", "fixed_cost_share_percent"
        )
    )
    settings = CostSettings.current()
    essential = set(scenario.essential_opds.values_list("pk", flat=True))
    rule = policy_rule(scenario)
    within = (scenario.start, scenario.end)
    rows, step = [], max(1, len(opds) // 20)
    for index, opd in enumerate(opds):
        opd_weeks = [inputs[(monday, opd["id"])][1] for monday in weeks]
        fixed = opd["fixed_cost_share_percent"]
        rows.append(
            {
                "id": opd["id"],
                "code": opd["code"],
                "name": opd["name"],
                "essential_now": opd["essential"],
                "essential": opd["id"] in essential,
                "cost": opd["monthly_operating_cost"],
                "fixed": settings.fixed_share_percent if fixed is None else fixed,
                "proposed": asdict(
                    assess_opd(opd_weeks, (rule,), essential=opd["id"] in essential, within=within)
                ),
                "in_force": asdict(assess_opd(opd_weeks, within=within)),
            }
        )
        if index % step == 0:  # committed at once when run by the queue
            Scenario.objects.filter(pk=scenario.pk).update(
                progress=min(99, 100 * (index + 1) // len(opds))
            )
    return {"weeks": [m.isoformat() for m in weeks], "opds": rows}


def readiness(data: dict) -> OpdReadiness:
    """An ``OpdReadiness`` back from a stored result."""
    return OpdReadiness(
        **{**data, "held_posts": tuple(HeldPost(**held) for held in data["held_posts"])}
    )


def city(rows: list[dict], side: str) -> OpdReadiness:
    return combine([readiness(row[side]) for row in rows])


def present(scenario: Scenario) -> dict:
    """What the page and the XLSX show: per OPD and for the city, the proposal and the
    policies in force side by side, with the savings each would bring."""
    rows = []
    totals = {"proposed": [0.0, 0], "in_force": [0.0, 0]}  # rupiah saved, cost
    for row in scenario.result.get("opds", []):
        sides = {}
        for side in ("proposed", "in_force"):
            figures = readiness(row[side])
            percent = figures.saving_percent(row["fixed"])
            rupiah = round(row["cost"] * percent / 100) if row["cost"] and percent else None
            if row["cost"]:
                totals[side][0] += rupiah or 0
                totals[side][1] += row["cost"]
            sides[side] = {"figures": figures, "saving": percent, "rupiah": rupiah}
        rows.append({**row, **sides})
    city_sides = {}
    for side in ("proposed", "in_force"):
        figures = city(scenario.result.get("opds", []), side)
        saved, cost = totals[side]
        city_sides[side] = {
            "figures": figures,
            "saving": 100 * saved / cost if cost else None,
            "rupiah": round(saved) if cost else None,
        }
    return {"rows": rows, "city": city_sides}
