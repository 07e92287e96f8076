"""An in-memory PxWebApi v2 for the SSB client tests: answers /config, metadata and data requests
from stored JSON-stat cubes through httpx.MockTransport, and records every request."""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BASE = "https://data.ssb.no/api/pxwebapi/v2"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def subset(cube: dict[str, Any], selection: dict[str, list[str]]) -> dict[str, Any]:
    """The cube restricted to explicit codes (variables not selected must have one category)."""
    ids, sizes = cube["id"], cube["size"]
    index = {i: cube["dimension"][i]["category"]["index"] for i in ids}
    chosen = {i: selection.get(i, list(index[i])) for i in ids}
    strides = [math.prod(sizes[k + 1 :]) for k in range(len(ids))]
    values, status = [], {}
    for n, combo in enumerate(itertools.product(*(chosen[i] for i in ids))):
        flat = sum(index[i][c] * s for i, c, s in zip(ids, combo, strides, strict=True))
        values.append(cube["value"][flat])
        if str(flat) in cube.get("status", {}):
            status[str(n)] = cube["status"][str(flat)]
    dimension = {}
    for i in ids:
        raw = json.loads(json.dumps(cube["dimension"][i]))
        raw["category"]["index"] = {c: k for k, c in enumerate(chosen[i])}
        raw["category"]["label"] = {c: raw["category"]["label"][c] for c in chosen[i]}
        dimension[i] = raw
    return {
        **cube,
        "size": [len(chosen[i]) for i in ids],
        "dimension": dimension,
        "value": values,
        "status": status,
    }


@dataclass
class FakeSsb:
    cubes: dict[str, dict[str, Any]]
    config: dict[str, Any] = field(default_factory=lambda: load("ssb/config.json"))
    # (method, path suffix) → responses to give first, before the normal answer
    scripted: dict[tuple[str, str], list[httpx.Response | Exception]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    clock: Callable[[], float] | None = None
    times: list[float] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.clock is not None:
            self.times.append(self.clock())
        path = request.url.path.removeprefix("/api/pxwebapi/v2")
        queue = self.scripted.get((request.method, path))
        if queue:
            answer = queue.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        if path == "/config":
            return httpx.Response(200, json=self.config, headers=self.headers)
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "tables" and parts[1] in self.cubes:
            cube = self.cubes[parts[1]]
            if parts[2] == "metadata":
                meta = {k: v for k, v in cube.items() if k not in ("value", "status")}
                return httpx.Response(200, json=meta, headers=self.headers)
            body = json.loads(request.content)
            selection = {s["variableCode"]: s["valueCodes"] for s in body["selection"]}
            return httpx.Response(200, json=subset(cube, selection), headers=self.headers)
        return httpx.Response(
            404, json={"type": "Not found", "title": f"No table {parts[1:2]}", "status": 404}
        )

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handle))

    def data_requests(self) -> list[dict[str, list[str]]]:
        return [
            {s["variableCode"]: s["valueCodes"] for s in json.loads(r.content)["selection"]}
            for r in self.requests
            if r.method == "POST"
        ]


class FakeClock:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(seconds, 0)


def timing(clock: FakeClock) -> dict[str, Callable[..., Any]]:
    return {"clock": clock, "sleep": clock.sleep}
