"""What the API answers and accepts (pydantic, through django-ninja). Names follow the site:
``member`` is a place code, ``series`` and ``indicator`` are codes (with their URL ``slug``)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class GoalOut(Schema):
    number: int
    name: str
    colour: str
    series: int  # linked series
    scored_members: int
    median: float | None  # the network median of the members' latest goal scores, % of target


class GoalDetailOut(GoalOut):
    indicators: list[str]
    series_codes: list[str]


class FrameworkNodeOut(Schema):
    code: str
    level: str
    parent: str | None
    name: str
    order: int


class SeriesOut(Schema):
    code: str
    slug: str
    name: str
    unit: str
    direction: str
    goals: list[int]


class IndicatorOut(Schema):
    code: str
    slug: str
    name: str
    type: str
    unit: str
    direction: str
    dimension: str
    sub_dimension: str
    category: str
    goals: list[int]
    series: list[SeriesOut]


class TargetOut(Schema):
    series: str
    scope: str  # default, network or local
    network: str | None
    place: str | None
    value: float | None
    lower: float | None
    upper: float | None
    baseline: float | None
    year: int | None
    source: str  # the citation or decision the target comes from
    note: str


class FormulaOut(Schema):
    numerator: str
    denominator: str
    scale: int


class IndicatorDetailOut(IndicatorOut):
    definition: str
    formula: FormulaOut
    sdg_indicators: str
    targets: list[TargetOut]
    data_sources: list[str]


class PlaceChangeOut(Schema):
    date: date
    kind: str  # renumber, split or merge
    from_place: str
    to_place: str
    weight: float
    note: str


class PlaceOut(Schema):
    code: str
    kind: str
    name: str
    name_nb: str
    parent: str | None
    population: int | None
    valid_from: date | None
    valid_to: date | None
    changes: list[PlaceChangeOut]


class MemberOut(Schema):
    code: str
    name: str
    kind: str  # kommune or fylkeskommune
    joined: date | None
    left: date | None


class NetworkOut(Schema):
    code: str
    name: str


class NetworkDetailOut(NetworkOut):
    members: list[MemberOut]


class ObservationOut(Schema):
    id: int
    member: str
    series: str
    indicator: str
    year: int
    value: float | None  # the published value
    quality: str
    source: str
    data_origin: str
    demonstration_data: bool
    # The working status for a caller who may see it (editor of the member, verifier, admin); a
    # published value is "verified" for everyone else.
    status: str
    working_value: float | None = None
    version: int | None = None  # send it back as If-Match to change the value
    note: str | None = None
    comment: str | None = None  # the verifier's, when returned


class SeriesScoreOut(Schema):
    member: str
    series: str
    year: int
    value: float
    direction: str
    target: float | None
    target_lower: float | None
    target_upper: float | None
    baseline: float | None
    target_year: int | None
    target_scope: str
    achievement: float | None
    points: int | None
    status: str
    normalised: float | None
    bound: float | None
    base_year: int | None
    base_value: float | None
    cagr: float | None
    cagr_required: float | None
    trend_ratio: float | None
    trend: str
    peer_mean: float | None
    peer_count: int | None
    network_index: float | None
    rank: int | None
    quartile: int | None


class AggregateScoreOut(Schema):
    member: str
    level: str
    code: str
    year: int
    points: int
    max_points: int
    percent: float | None
    band: int | None
    scored: int
    not_scored: int
    reported: int
    catalogue_count: int
    coverage: float
    normalised: float | None
    rank: int | None


class CoverageRowOut(Schema):
    member: str
    name: str
    totals: dict[str, int]
    cells: dict[str, str]  # series code → verified, submitted, draft, returned or missing


class CoverageOut(Schema):
    year: int
    years: list[int]
    totals: dict[str, int]
    rows: list[CoverageRowOut]


class ValueIn(Schema):
    """A value as typed in the workspace's form: text, decimal comma allowed; empty is "not reported"."""

    value: str
    numerator: str = ""
    denominator: str = ""
    quality: str = ""
    data_origin: str = ""
    source: str = ""
    note: str = ""


class CountOut(Schema):
    count: int


class ReturnIn(Schema):
    comment: str


class VerifyIn(Schema):
    ids: list[int]


class ProblemOut(Schema):
    where: str
    what: str
    fix: str
    severity: str


class ImportOut(Schema):
    file: str
    reader: str
    dry_run: bool
    rows: int
    new: int
    changed: int
    unchanged: int
    batch: int | None
    warnings: list[ProblemOut]


class TokenOut(Schema):
    name: str
    user: str
    expires_at: datetime
