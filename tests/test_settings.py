"""Settings: one frozen record per stage, defaults in one place, passed down from the pipeline."""
from __future__ import annotations

import ast
import inspect
from dataclasses import FrozenInstanceError, fields, replace
from pathlib import Path

import pytest

from newsprism import settings as all_settings
from newsprism.pipeline import analyze
from newsprism.settings import DEFAULT, Settings


def test_each_stage_has_one_frozen_settings_record_whose_fields_all_say_what_they_mean():
    for stage in fields(Settings):
        settings = getattr(DEFAULT, stage.name)
        with pytest.raises(FrozenInstanceError):
            setattr(settings, fields(settings)[0].name, None)
        source = inspect.getsource(type(settings))
        for node in ast.parse(source).body[0].body:
            if isinstance(node, ast.AnnAssign):  # a field: a comment on its line, or on the line above it
                lines = source.split("\n")[: node.lineno]
                assert "#" in lines[-1] or lines[-2].strip().startswith("#"), (
                    f"{type(settings).__module__}.Settings.{node.target.id} says nothing of what it means")
    assert all_settings.Settings() == DEFAULT


def test_the_pipeline_passes_each_stage_its_settings(seeds: Path, tmp_path: Path):
    """Settings given to ``analyze`` reach the stages, and findings kept for other settings
    are not read back as theirs."""
    told: list[int] = []

    def worth(stmts, articles, reuse, settings):
        told.append(len(stmts))
        return {}

    db = str(tmp_path / "s.db")
    default = analyze([seeds], db=db).report
    [story] = default["stories"]
    assert any(c["only_here"] for c in story["coverage"]) and story["summary"]
    mine = replace(DEFAULT, coverage=replace(DEFAULT.coverage, min_words=10_000),
                   summary=replace(DEFAULT.summary, worth=worth, position=0.0))
    [changed] = analyze([seeds], db=db, settings=mine).report["stories"]
    assert told, "the summary's concept worth came from the settings"
    assert not any(c["only_here"] for c in changed["coverage"])
    assert changed["reuse"] == story["reuse"]
    assert analyze([seeds], db=db).report == default
