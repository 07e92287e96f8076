"""Published projects for the browser tests' demo site (run in the site's environment by
tests/browser/conftest.py): two members, a shared partner, a KPI link with values, an SDG target."""

PROJECTS = """
import django; django.setup()
from datetime import date
from django.utils import timezone
from berekraft.action.models import Involvement, Organisation, Partnership, Project, ProjectSeries
from berekraft.catalogue.models import Goal, SdgTarget, Series
from berekraft.places.models import Place
now = timezone.now()
series = Series.objects.get(code="EN: EN: AQ: 1C/PM2.5")
org = Organisation.objects.create(name="Nasjonalt luftlaboratorium", kind="academia", published_at=now)
for code, title in (("5001", "Renere luft langs skoleveiene"), ("1506", "Luftmålere ved barnehagene")):
    p = Project.objects.create(
        member=Place.objects.get(code=code), title=title, summary="Mindre svevestøv der barn ferdes.",
        description="Vi måler svevestøv og stenger gater ved skolestart.\\n\\nMer: https://example.org/luft",
        status="ongoing", progress=35, start_date=date(2021, 8, 1), end_date=date(2026, 6, 30),
        budget_nok=2_400_000, responsible_unit="Miljøenheten", published_at=now,
    )
    p.goals.set(Goal.objects.filter(number__in=[3, 11]))
    p.sdg_targets.set(SdgTarget.objects.filter(code__in=["11.6", "3.9"]))
    ProjectSeries.objects.create(
        project=p, series=series, expected="down", expected_value=10, expected_year=2030
    )
    Partnership.objects.create(project=p, organisation=org, role="research")
    Involvement.objects.create(
        member=p.member, project=p, title="Verksted med elevrådet", method="workshop",
        start_date=date(2022, 3, 1), participants=40, groups=["children_youth", "immigrants"],
        published_at=now,
    )
"""
