"""The excellent quota of an assessment cycle, counted per pool (issue 14).

Practice keeps 优秀 generally within 20% of those assessed, and never above 25% (the higher share
needs the organisation department's approval); the county organisation department pools small
units so that a township with four seconded cadres is not refused outright. The cycle says how it
pools (the whole county, each township, each sending department), the usual share and the hard
ceiling. A pool's quota is its assessments times the share, rounded half up, but never more than
the ceiling allows (rounded down): four in a pool give one place (20% of 4 = 0.8 → 1, within 25%),
three give none (0.6 → 1 would be 33%).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.models import Unit
from staffing.models import Assessment, AssessmentCycle, AssessmentState, ExcellentPool, Grade, QuotaPool

EXCELLENT_QUOTA_USED_UP = _(
    "The excellent quota of the pool “%(pool)s” is used up: %(approved)s of its %(quota)s places are taken "
    "(%(total)s assessments; share %(percent)s%%, hard ceiling %(ceiling)s%%)."
)
QUOTA_REMAINING = _(
    "Pool “%(pool)s”: %(remaining)s of %(quota)s excellent places left "
    "(%(total)s assessments; share %(percent)s%%, hard ceiling %(ceiling)s%%)."
)


def quota_of(total: int, percent: int, ceiling: int) -> int:
    """``total`` × ``percent`` rounded half up, capped by ``total`` × ``ceiling`` rounded down."""
    return min((total * percent * 2 + 100) // 200, total * ceiling // 100)


@dataclass(frozen=True)
class ExcellentQuota:
    pool: Unit
    total: int
    approved: int
    percent: int
    ceiling: int

    @property
    def quota(self) -> int:
        return quota_of(self.total, self.percent, self.ceiling)

    @property
    def remaining(self) -> int:
        return max(self.quota - self.approved, 0)

    def params(self) -> dict:
        return {
            "pool": self.pool.name,
            "approved": self.approved,
            "quota": self.quota,
            "remaining": self.remaining,
            "total": self.total,
            "percent": self.percent,
            "ceiling": self.ceiling,
        }

    def __str__(self) -> str:
        return str(QUOTA_REMAINING % self.params())


def pool_unit_id(cycle: AssessmentCycle, assessment: Assessment) -> int:
    """The unit whose pool the assessment counts in, as the cycle pools."""
    if cycle.quota_pool == QuotaPool.TOWNSHIP:
        return assessment.host_unit_id
    if cycle.quota_pool == QuotaPool.SENDING_DEPARTMENT:
        return assessment.sending_unit_id
    return cycle.county_id


def _pool_q(cycle: AssessmentCycle, unit_id: int) -> Q:
    if cycle.quota_pool == QuotaPool.TOWNSHIP:
        return Q(host_unit_id=unit_id)
    if cycle.quota_pool == QuotaPool.SENDING_DEPARTMENT:
        return Q(sending_unit_id=unit_id)
    return Q()


# States that count in a pool's base: every assessment but one settled as 不定等次 (not graded).
COUNTED_STATES = (
    AssessmentState.DRAFT,
    AssessmentState.SUBMITTED,
    AssessmentState.RETURNED,
    AssessmentState.APPROVED,
)


def pool_quota(*, cycle: AssessmentCycle, unit_id: int) -> ExcellentQuota:
    """The numbers of one pool now: its assessments, its excellent grades approved, the settings."""
    assessments = Assessment.objects.filter(_pool_q(cycle, unit_id), cycle=cycle, state__in=COUNTED_STATES)
    total = assessments.count()
    approved = assessments.filter(state=AssessmentState.APPROVED, grade=Grade.EXCELLENT).count()
    return ExcellentQuota(
        pool=Unit.objects.get(pk=unit_id),
        total=total,
        approved=approved,
        percent=cycle.excellent_cap_percent,
        ceiling=cycle.excellent_ceiling_percent,
    )


def excellent_quota(*, assessment: Assessment) -> ExcellentQuota:
    """The quota of the pool the assessment counts in (shown where a supervisor grades)."""
    cycle = assessment.cycle
    return pool_quota(cycle=cycle, unit_id=pool_unit_id(cycle, assessment))


def cycle_pools(*, cycle: AssessmentCycle) -> list[ExcellentQuota]:
    """Every pool of the cycle with its numbers (the cycle's page)."""
    if cycle.quota_pool == QuotaPool.TOWNSHIP:
        field = "host_unit_id"
    elif cycle.quota_pool == QuotaPool.SENDING_DEPARTMENT:
        field = "sending_unit_id"
    else:
        return [pool_quota(cycle=cycle, unit_id=cycle.county_id)]
    unit_ids = cycle.assessments.order_by().values_list(field, flat=True).distinct()
    return sorted((pool_quota(cycle=cycle, unit_id=pk) for pk in unit_ids), key=lambda q: q.pool.path)


def pools_create(*, cycle: AssessmentCycle) -> None:
    """A row for every pool the cycle's assessments fall in (made when they are generated or the
    cycle's pooling changes, so approvals only lock, never insert)."""
    units = {pool_unit_id(cycle, assessment) for assessment in cycle.assessments.only("host_unit", "sending_unit")}
    ExcellentPool.objects.bulk_create(
        [ExcellentPool(cycle=cycle, unit_id=unit_id) for unit_id in units], ignore_conflicts=True
    )


def pool_lock(*, cycle: AssessmentCycle, unit_id: int) -> None:
    """Lock the pool's row until the transaction ends: approvals in one pool run one at a time,
    so the count they check is exact; other pools of the same cycle are not held up."""
    pool, _created = ExcellentPool.objects.get_or_create(cycle=cycle, unit_id=unit_id)
    ExcellentPool.objects.select_for_update().filter(pk=pool.pk).first()
