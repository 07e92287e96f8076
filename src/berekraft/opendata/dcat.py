"""A DCAT-AP-NO catalogue (data.norge.no's profile of DCAT-AP, https://data.norge.no/specification/
dcat-ap-no) of the published datasets, as an rdflib graph: Turtle at /catalog.ttl, JSON-LD at
/catalog.jsonld, for data.norge.no to harvest.

Datasets: the network's whole data, and one per KPI. Each carries the profile's mandatory
properties (title, description, identifier, publisher, theme; a distribution's access URL and
format) and the recommended ones we can fill honestly: licence, temporal and spatial coverage,
keywords, landing page, language, modified. Themes are the EU data themes (the vocabulary
DCAT-AP-NO names): economy → ECON, environment → ENVI, society and culture → SOCI, and REGI
(regions and cities) for all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from berekraft.opendata.rows import Published

EU = "http://publications.europa.eu/resource/authority/"
THEME = Namespace(EU + "data-theme/")
FILE_TYPE = Namespace(EU + "file-type/")
LANGUAGE = Namespace(EU + "language/")
NORWAY = URIRef(EU + "country/NOR")
DIMENSION_THEMES = {"EC": "ECON", "EN": "ENVI", "SC": "SOCI"}
# Licences DCAT-AP-NO asks for by the EU licence vocabulary's URI.
EU_LICENCES = {
    "https://creativecommons.org/licenses/by/4.0/": EU + "licence/CC_BY_4_0",
    "https://creativecommons.org/publicdomain/zero/1.0/": EU + "licence/CC0",
    "https://data.norge.no/nlod/no/2.0": EU + "licence/NLOD_2_0",
}
IANA = "https://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class Distribution:
    url: str  # absolute
    title: str
    media_type: str  # IANA, e.g. "text/csv"
    file_type: str  # EU file-type code, e.g. "CSV", "JSON", "ZIP", "XLSX"
    conforms_to: str = ""  # the specification it follows (a URL)


@dataclass(frozen=True)
class DatasetEntry:
    identifier: str  # absolute URI, also the dataset's node
    title: str
    description: str
    landing_page: str
    dimensions: tuple[str, ...]  # EC / EN / SC
    keywords: tuple[str, ...]
    distributions: Sequence[Distribution]
    published: Published


def _licence(url: str) -> URIRef:
    return URIRef(EU_LICENCES.get(url, url))


def catalogue_graph(
    *, base: str, title: str, description: str, language: str, entries: Sequence[DatasetEntry]
) -> Graph:
    """The catalogue of ``entries``; ``base`` is the site's absolute root URL (ends with /)."""
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    lang = language if language in ("nb", "nn", "en") else "nb"
    catalogue = URIRef(base + "catalog")
    publisher = URIRef(base + "#publisher")
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(entries[0].published.publisher if entries else "", lang=lang)))
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCTERMS.identifier, Literal(str(catalogue))))
    graph.add((catalogue, DCTERMS.title, Literal(title, lang=lang)))
    graph.add((catalogue, DCTERMS.description, Literal(description, lang=lang)))
    graph.add((catalogue, DCTERMS.publisher, publisher))
    graph.add((catalogue, FOAF.homepage, URIRef(base)))
    graph.add((catalogue, DCTERMS.language, LANGUAGE.NOR))
    if entries:
        graph.add((catalogue, DCTERMS.license, _licence(entries[0].published.licence_url)))
    for entry in entries:
        graph.add((catalogue, DCAT.dataset, _dataset(graph, entry, publisher, lang)))
    return graph


def jsonld(graph: Graph) -> str:
    """The graph as JSON-LD, its nodes in the order of their ids: rdflib writes them in the order
    of a set, which changes from process to process (the hash seed), so the same catalogue would
    not give the same file twice (the turtle writer sorts its own)."""
    nodes = json.loads(graph.serialize(format="json-ld"))
    if isinstance(nodes, list):
        nodes.sort(key=lambda node: str(node.get("@id", "")) if isinstance(node, dict) else "")
    return json.dumps(nodes, indent=2, ensure_ascii=False)


def _dataset(graph: Graph, entry: DatasetEntry, publisher: URIRef, lang: str) -> URIRef:
    node = URIRef(entry.identifier)
    data = entry.published
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(entry.identifier)))
    graph.add((node, DCTERMS.title, Literal(entry.title, lang=lang)))
    graph.add((node, DCTERMS.description, Literal(entry.description, lang=lang)))
    graph.add((node, DCTERMS.publisher, publisher))
    graph.add((node, DCAT.landingPage, URIRef(entry.landing_page)))
    graph.add((node, DCTERMS.language, LANGUAGE.NOR))
    graph.add((node, DCTERMS.spatial, NORWAY))
    graph.add((node, DCTERMS.accessRights, URIRef(EU + "access-right/PUBLIC")))
    for code in ("REGI", *sorted({DIMENSION_THEMES[d] for d in entry.dimensions if d in DIMENSION_THEMES})):
        graph.add((node, DCAT.theme, THEME[code]))
    for word in entry.keywords:
        graph.add((node, DCAT.keyword, Literal(word, lang=lang)))
    if data.updated is not None:
        graph.add((node, DCTERMS.modified, Literal(data.updated.date().isoformat(), datatype=XSD.date)))
    years = data.years
    if years:
        # A blank node named from the dataset: the same data give the same file (a random name
        # would differ between two makings of one catalogue, as JSON-LD writes it out).
        period = BNode("temporal-" + hashlib.sha256(entry.identifier.encode()).hexdigest()[:16])
        graph.add((node, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        graph.add((period, DCAT.startDate, Literal(f"{years[0]}-01-01", datatype=XSD.date)))
        graph.add((period, DCAT.endDate, Literal(f"{years[-1]}-12-31", datatype=XSD.date)))
    licence = _licence(data.licence_url)
    for d in entry.distributions:
        dist = URIRef(d.url)
        graph.add((node, DCAT.distribution, dist))
        graph.add((dist, RDF.type, DCAT.Distribution))
        graph.add((dist, DCTERMS.title, Literal(d.title, lang=lang)))
        graph.add((dist, DCAT.accessURL, dist))
        graph.add((dist, DCAT.downloadURL, dist))
        graph.add((dist, DCAT.mediaType, URIRef(IANA + d.media_type)))
        graph.add((dist, DCTERMS["format"], FILE_TYPE[d.file_type]))
        graph.add((dist, DCTERMS.license, licence))
        if d.conforms_to:
            graph.add((dist, DCTERMS.conformsTo, URIRef(d.conforms_to)))
    return node
