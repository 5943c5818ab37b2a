"""Boundaries: read, validate and measure with geopandas; emit display geometry for plotly.

Display geometry is simplified (Douglas-Peucker on lon/lat, tolerance per level) and its
exterior rings are made **clockwise** (`shapely.orient_polygons(..., exterior_cw=True)`):
plotly's geo traces (d3) draw a counter-clockwise ring as "the globe minus the polygon"
(see shared/docs/STACK.md). Areas are measured in an equal-area projection (EPSG:6933).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

EQUAL_AREA = "EPSG:6933"


@dataclass(frozen=True)
class Layer:
    level: str  # province / district / subdistrict
    file: str  # under data/geo/
    code_col: str  # plain-digit DOPA code column
    parent_col: str | None
    tolerance: float  # simplification tolerance in degrees for display


LAYERS = (
    Layer("province", "thailand_provinces.geojson", "PROV_CODE", None, 0.005),
    Layer("district", "thailand_districts.geojson", "AMP_CODE", "PROV_CODE", 0.002),
    Layer("subdistrict", "chumphon_subdistricts.geojson", "TAM_CODE", "AMP_CODE", 0.0005),
)


class GeoError(ValueError):
    pass


def read_layer(geo_dir: Path, layer: Layer) -> gpd.GeoDataFrame:
    path = geo_dir / layer.file
    gdf = gpd.read_file(path)
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise GeoError(f"{path.name}: expected WGS84 lon/lat (EPSG:4326), got {gdf.crs}")
    codes = gdf[layer.code_col].astype(str)
    problems = []
    for i, (code, geom) in enumerate(zip(codes, gdf.geometry), start=1):
        if geom is None or geom.is_empty:
            problems.append(f"{path.name} feature {i} ({code}): empty geometry")
        elif not geom.is_valid:
            problems.append(f"{path.name} feature {i} ({code}): invalid geometry ({shapely.is_valid_reason(geom)})")
    dup = codes[codes.duplicated()].tolist()
    if dup:
        problems.append(f"{path.name}: duplicate codes {dup}")
    if problems:
        raise GeoError("; ".join(problems))
    gdf = gdf.assign(code=codes)
    gdf["area_km2"] = gdf.geometry.to_crs(EQUAL_AREA).area / 1e6
    return gdf


def display_geojson(gdf: gpd.GeoDataFrame, tolerance: float) -> list[str]:
    """One GeoJSON geometry string per row: simplified, valid, exterior rings clockwise."""
    simple = shapely.simplify(gdf.geometry.values, tolerance, preserve_topology=True)
    simple = shapely.make_valid(simple)
    oriented = shapely.orient_polygons(simple, exterior_cw=True)
    return [json.dumps(shapely.geometry.mapping(g), separators=(",", ":")) for g in oriented]


def load_geo_cached(geo_dir: Path, cache_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``load_geo``, remembered under ``cache_dir`` by the content of the boundary files and of
    this module: boundaries seldom change, and reading them is a third of a build (a refresh
    after an approval should not pay it). A changed file or rule is a new key; a damaged cache
    file is read again from the GeoJSON."""
    import hashlib
    import pickle

    h = hashlib.sha256(Path(__file__).read_bytes())
    for layer in LAYERS:
        h.update((geo_dir / layer.file).read_bytes() if (geo_dir / layer.file).is_file() else b"-")
    path = cache_dir / f"geo-{h.hexdigest()[:20]}.pkl"
    try:
        with open(path, "rb") as f:
            return pickle.load(f)  # our own file, written below
    except Exception:  # noqa: BLE001  (missing or damaged, whatever unpickling raised: read the GeoJSON again)
        pass
    result = load_geo(geo_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    for old in cache_dir.glob("geo-*.pkl"):  # boundaries or rules changed: the old key is dead
        if old != path:
            old.unlink(missing_ok=True)
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp")  # builds sharing a cache never write one file
    with open(tmp, "wb") as f:
        pickle.dump(result, f)
    tmp.replace(path)
    return result


def load_geo(geo_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (areas, shapes): areas(level, code, parent_code, area_km2, name_th, name_en),
    shapes(area_level, area_code, geojson)."""
    areas, shapes = [], []
    for layer in LAYERS:
        gdf = read_layer(geo_dir, layer)
        th = [c for c in gdf.columns if c.endswith("_TH") and c.startswith(f"ADM{LAYERS.index(layer) + 1}")]
        en = [c for c in gdf.columns if c.endswith("_EN") and c.startswith(f"ADM{LAYERS.index(layer) + 1}")]
        areas.append(
            pd.DataFrame(
                {
                    "area_level": layer.level,
                    "area_code": gdf["code"],
                    "parent_code": gdf[layer.parent_col].astype(str) if layer.parent_col else None,
                    "area_km2": gdf["area_km2"].round(3),
                    "geo_name_th": gdf[th[0]],
                    "geo_name_en": gdf[en[0]],
                }
            )
        )
        shapes.append(
            pd.DataFrame(
                {
                    "area_level": layer.level,
                    "area_code": gdf["code"],
                    "geojson": display_geojson(gdf, layer.tolerance),
                }
            )
        )
    return pd.concat(areas, ignore_index=True), pd.concat(shapes, ignore_index=True)
