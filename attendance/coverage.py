"""Live coverage of the service posts: who is at the office today, and which alerts
to open, keep or close. Pure: plain data in, a plan out.

A post is *short* on a day when fewer of its people are at the office than its
``min_onsite``, whatever the cause (a sick colleague, leave, a change of plan): at the
office means an expected mode of WFO (``expected.expected_day``: the approved roster's
entry, else the default WFO on a working day without leave), checked in or not yet in,
and not marked absent. ``selectors.post_coverage`` counts that for every post in one
query; ``services.check_coverage`` writes the plan below and tells the heads.

The post-minimum arithmetic itself is ``scheduling.roster.PostDay``'s: a post is short
live when the plan broke its minimum (``short``) or when too few of its people are
working at all (``understaffed``); both leave fewer than ``min_onsite`` at the office.
"""

from dataclasses import dataclass, field

from scheduling.roster import Post, PostDay


@dataclass(frozen=True)
class PostCoverage:
    """One service post on one day, as the coverage check counts it."""

    opd_id: int
    day: PostDay  # the post, its people working that day, those at the office

    @property
    def post(self) -> Post:
        return self.day.post

    @property
    def onsite(self) -> int:
        return self.day.onsite

    @property
    def minimum(self) -> int:
        return self.day.post.min_onsite

    @property
    def short(self) -> bool:
        """Fewer at the office than the post's minimum."""
        return self.day.short or self.day.understaffed


@dataclass(frozen=True)
class StoredAlert:
    id: int
    post_id: int
    open: bool


@dataclass
class AlertPlan:
    """What the check writes. ``create`` and ``reopen`` are the newly short posts whose
    heads are told; ``refresh`` keeps an open alert's figures current; ``close`` ends
    the alerts of posts that are covered again."""

    create: list[PostCoverage] = field(default_factory=list)
    reopen: list[tuple[StoredAlert, PostCoverage]] = field(default_factory=list)
    refresh: list[tuple[StoredAlert, PostCoverage]] = field(default_factory=list)
    close: list[tuple[StoredAlert, PostCoverage]] = field(default_factory=list)

    @property
    def newly_short(self) -> list[PostCoverage]:
        return self.create + [cover for _alert, cover in self.reopen]


def plan_alerts(coverage: list[PostCoverage], stored: dict[int, StoredAlert]) -> AlertPlan:
    """Compare each post's coverage with its stored alert of the day (post id -> alert)."""
    plan = AlertPlan()
    for cover in coverage:
        alert = stored.get(cover.post.id)
        if cover.short:
            if alert is None:
                plan.create.append(cover)
            elif not alert.open:
                plan.reopen.append((alert, cover))
            else:
                plan.refresh.append((alert, cover))
        elif alert is not None and alert.open:
            plan.close.append((alert, cover))
    return plan
