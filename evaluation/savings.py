"""The savings estimate. Pure: counts and rupiah in, figures out.

For one OPD (or the city) and one month:

- office-days before WFH = staff x working days: every person-day of the month's
  approved rosters (leave included: before WFH the office was paid for those too);
- office-days avoided, *planned*: the person-days the approved rosters put at home
  (WFH) or anywhere (WFA);
- office-days avoided, *actual*, over the days already past: the check-ins made in WFH
  or WFA, plus the remote days planned for people who did not check in at all (they did
  not come to the office either). A WFO day missed is absence, not a saving;
- estimated saving = (monthly operating cost - fixed share) x avoided / office-days
  before, in rupiah, and as a percentage of the cost to compare with the target.

What it leaves out: the fixed share is one figure per OPD (servers, public-service
areas that stay open), costs do not fall in proportion inside the variable share
(half an office still needs its lights), and the bills (``costs.csv``), when imported,
are the check on the estimate.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Target:
    low: int
    high: int

    def judge(self, percent: float | None) -> str:
        """ "below", "within" or "above" the target range; "" when unknown."""
        if percent is None:
            return ""
        if percent < self.low:
            return "below"
        return "within" if percent <= self.high else "above"


@dataclass(frozen=True)
class MonthSavings:
    month: date
    before: int  # office-days before WFH, the whole month
    planned_avoided: int
    elapsed_before: int  # office-days before WFH of the days already past
    actual_avoided: int
    cost: int | None  # the monthly operating cost before WFH (rupiah)
    fixed_share: int  # percent of ``cost`` that WFH does not lower
    bill: int | None = None  # the month's actual cost, from costs.csv

    @property
    def variable_cost(self) -> float | None:
        return None if self.cost is None else self.cost * (100 - self.fixed_share) / 100

    @property
    def planned_percent(self) -> float | None:
        """The planned saving as a percentage of the operating cost."""
        if not self.before:
            return None
        return (100 - self.fixed_share) * self.planned_avoided / self.before

    @property
    def actual_percent(self) -> float | None:
        if not self.elapsed_before:
            return None
        return (100 - self.fixed_share) * self.actual_avoided / self.elapsed_before

    @property
    def planned_rupiah(self) -> int | None:
        if self.variable_cost is None or not self.before:
            return None
        return round(self.variable_cost * self.planned_avoided / self.before)

    @property
    def actual_rupiah(self) -> int | None:
        if self.variable_cost is None or not self.elapsed_before:
            return None
        return round(self.variable_cost * self.actual_avoided / self.elapsed_before)

    @property
    def bill_percent(self) -> float | None:
        """What the bill says was saved against the cost before WFH."""
        if self.bill is None or not self.cost:
            return None
        return 100 * (self.cost - self.bill) / self.cost


def combine(month: date, parts: list[MonthSavings], default_fixed_share: int) -> MonthSavings:
    """The city's month from its OPDs': the office-days add up over every OPD; the cost
    is that of the OPDs with a known cost, with their cost-weighted fixed share (the
    city default when none has a cost); the bill only when each of them has one."""
    costed = [p for p in parts if p.cost]
    cost = sum(p.cost for p in costed) if costed else None
    fixed = (
        round(100 - 100 * sum(p.variable_cost for p in costed) / cost)
        if cost
        else default_fixed_share
    )
    billed = bool(costed) and all(p.bill is not None for p in costed)
    return MonthSavings(
        month=month,
        before=sum(p.before for p in parts),
        planned_avoided=sum(p.planned_avoided for p in parts),
        elapsed_before=sum(p.elapsed_before for p in parts),
        actual_avoided=sum(p.actual_avoided for p in parts),
        cost=cost,
        fixed_share=fixed,
        bill=sum(p.bill for p in costed) if billed else None,
    )
