"""Writes to the catalogue. ``catalogue_load`` makes the database match the packaged catalogue
(idempotent: running it twice changes nothing the second time)."""

from __future__ import annotations

from django.db import transaction

from berekraft.catalogue.models import FrameworkNode, Goal, Indicator, Series, Target
from berekraft.core.catalogue import Catalogue


@transaction.atomic
def catalogue_load(*, catalogue: Catalogue) -> dict[str, int]:
    """Upsert goals, framework, indicators, series and default targets; returns counts."""
    goals = {}
    for g in catalogue.goals:
        goals[g.number], _ = Goal.objects.update_or_create(
            number=g.number,
            defaults={
                "name_en": g.names.en,
                "name_nb": g.names.nb,
                "name_nn": g.names.nn,
                "colour": g.colour,
            },
        )
    nodes: dict[str, FrameworkNode] = {}
    for n in catalogue.nodes:
        nodes[n.code], _ = FrameworkNode.objects.update_or_create(
            code=n.code,
            defaults={
                "level": n.level,
                "parent": nodes.get(n.parent),
                "order": n.order,
                "name_en": n.names.en,
                "name_nb": n.names.nb,
                "name_nn": n.names.nn,
            },
        )
    series_count = 0
    for i in catalogue.indicators:
        indicator, _ = Indicator.objects.update_or_create(
            code=i.code,
            defaults={
                "category": nodes[i.category],
                "name_en": i.names.en,
                "name_nb": i.names.nb,
                "name_nn": i.names.nn,
                "type": i.type,
                "kind": i.kind,
                "unit_en": i.unit.en,
                "unit_nb": i.unit.nb,
                "unit_nn": i.unit.nn,
                "numerator": i.numerator.en,
                "numerator_nb": i.numerator.nb,
                "numerator_nn": i.numerator.nn,
                "denominator": i.denominator.en,
                "denominator_nb": i.denominator.nb,
                "denominator_nn": i.denominator.nn,
                "scale": i.scale,
                "direction": i.direction,
                "sdg_indicators": ";".join(i.sdg_indicators),
                "definition_en": i.definition.en,
                "definition_nb": i.definition.nb,
                "definition_nn": i.definition.nn,
                "source": i.source,
                "confidence": i.confidence,
                "note": i.note,
                "order": i.order,
            },
        )
        indicator.goals.set([goals[g] for g in i.goals])
        for s in i.series:
            Series.objects.update_or_create(
                code=s.code,
                defaults={
                    "indicator": indicator,
                    "key": s.key,
                    "name_en": s.names.en,
                    "name_nb": s.names.nb,
                    "name_nn": s.names.nn,
                    "direction": s.direction or "",
                    "unit": s.unit,
                    "order": s.order,
                },
            )
            series_count += 1
    series = {s.code: s for s in Series.objects.all()}
    for t in catalogue.targets:
        Target.objects.update_or_create(
            series=series[t.series],
            scope=Target.Scope.DEFAULT,
            defaults={
                "value": t.value,
                "lower": t.lower,
                "upper": t.upper,
                "baseline": t.baseline,
                "year": t.year,
                "source": t.source,
                "note": t.note,
            },
        )
    return {
        "goals": len(goals),
        "framework": len(nodes),
        "indicators": len(catalogue.indicators),
        "series": series_count,
        "targets": len(catalogue.targets),
    }


@transaction.atomic
def sdg_targets_load() -> dict[str, int]:
    """Upsert the 169 SDG targets from the packaged file (idempotent); needs the goals loaded."""
    from berekraft.catalogue.models import SdgTarget
    from berekraft.core.sdg_targets import load_sdg_targets

    goals = {g.number: g for g in Goal.objects.all()}
    for t in load_sdg_targets():
        SdgTarget.objects.update_or_create(
            code=t.code,
            defaults={
                "goal": goals[t.goal],
                "text_en": t.text_en,
                "text_nb": t.text_nb,
                "text_nn": t.text_nn,
                "source_en": t.source_en,
                "source_nb": t.source_nb,
                "source_nn": t.source_nn,
                "order": t.order,
            },
        )
    return {"SDG targets": len(load_sdg_targets())}
