"""U4SSC's six data-quality levels (Verification Manual p.162, template column T), in one place.

The keys are what is stored (Observation.quality); the labels are what people read and may type.
"""

from __future__ import annotations

from berekraft.core.catalogue import Names

QUALITY_LEVELS: dict[str, Names] = {
    "measured": Names("Accurate measurements", "Nøyaktige målinger", "Nøyaktige målingar"),
    "survey": Names(
        "Extrapolated from a survey of inhabitants",
        "Ekstrapolert fra innbyggerundersøkelse",
        "Ekstrapolert frå innbyggjarundersøking",
    ),
    "higher_level": Names(
        "Extrapolated from higher-level data",
        "Ekstrapolert fra data på høyere nivå",
        "Ekstrapolert frå data på høgare nivå",
    ),
    "assumptions": Names(
        "Estimation based on assumptions", "Estimat basert på antakelser", "Estimat basert på føresetnader"
    ),
    "personal": Names("Personal estimation", "Personlig anslag", "Personleg overslag"),
    "unknown": Names(
        "Unknown methodology, not traceable", "Ukjent metode, ikke sporbar", "Ukjend metode, ikkje sporbar"
    ),
}


def quality_label(key: str) -> str:
    """The text a workbook's drop-down shows for a key ("" for an unknown key)."""
    names = QUALITY_LEVELS.get(key)
    return f"{names.nb} / {names.en}" if names else ""


def _forms() -> dict[str, str]:
    forms: dict[str, str] = {}
    for key, n in QUALITY_LEVELS.items():
        for form in (key, n.en, n.nb, n.nn, quality_label(key), key.replace("_", " "), key.replace("_", "-")):
            forms[form.casefold()] = key
    return forms


_FORMS = _forms()


def quality_key(text: str) -> str:
    """The key for a quality as typed or picked (key, any label, the drop-down text); anything else
    comes back as given (stripped), for validation to judge."""
    return _FORMS.get(" ".join(text.split()).casefold(), text.strip())
