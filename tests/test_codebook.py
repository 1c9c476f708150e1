"""analysis/codebook.py: codebooks load and validate; every problem names the file, the frame and what is wrong."""

import copy
import hashlib
from pathlib import Path

import pytest

from analysis.codebook import Codebook, CodebookError, Pattern, load, parse

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"

SPEC_FRAMES = ["sputnik_moment", "us_china_rivalry", "open_source_cooperation", "export_controls", "cost_efficiency",
               "scaling_paradigm", "market_shock", "china_innovation", "security_risk", "ip_distillation"]


def test_bundled_codebook_has_the_ten_spec_frames_and_two_stance_targets():
    book = load(REPO / "codebooks" / "deepseek.yaml")
    assert book.frame_ids == SPEC_FRAMES
    assert [target.id for target in book.stance] == ["deepseek", "export_controls"]
    assert book.target("export_controls").frame == "export_controls"
    assert book.target("deepseek").labels == ("favor", "against", "neutral")
    assert book.target("export_controls").labels == ("support", "oppose", "neutral")
    assert book.language == "en"
    assert all(frame.description and frame.patterns for frame in book.frames)


def test_load_records_path_version_and_checksum():
    path = FIXTURES / "tiny_codebook.yaml"
    book = load(path)
    assert (book.name, book.version, book.path) == ("tiny", "0.1", str(path))
    assert book.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert book.negation_cues == ("not", "no") and book.negation_window == 2


def test_load_reads_every_pattern_kind_with_its_options():
    book = load(FIXTURES / "tiny_codebook.yaml")
    export, open_source = book.frames
    assert (export.id, export.label, export.description, export.threshold) == (
        "export_controls", "Export controls", "US restrictions on chips.", 2.0)
    assert export.patterns == (
        Pattern("phrase", "export controls", weight=2.0),
        Pattern("glob", "restrict*"),
        Pattern("regex", r"\bH[0-9]{3}\b"),
        Pattern("near", (("chips",), ("ban*", "curb*")), within=3),
    )
    assert open_source.patterns == (Pattern("phrase", "open-source"), Pattern("phrase", "share", inflect=True))
    assert open_source.exclude == (Pattern("phrase", "OpenAI"),)
    assert open_source.threshold == 1.0


def test_target_lookup_names_the_known_targets():
    book = load(FIXTURES / "tiny_codebook.yaml")
    with pytest.raises(KeyError, match="no stance target 'deepseek'"):
        book.target("deepseek")


def test_parse_defaults():
    book = parse({"frames": [{"id": "f", "label": "F", "description": "d", "patterns": ["ban"]}]}, source="books/x.yaml")
    assert isinstance(book, Codebook)
    assert (book.name, book.version, book.language, book.stance) == ("x", "unversioned", "en", ())
    assert book.frames[0].patterns == (Pattern("phrase", "ban", weight=1.0, inflect=False, negatable=False),)


def test_codebook_level_inflect_is_the_default_for_patterns():
    book = parse({"inflect": True, "frames": [{"id": "f", "label": "F", "description": "d",
                                               "patterns": ["ban", {"phrase": "chips", "inflect": False}]}]})
    assert [p.inflect for p in book.frames[0].patterns] == [True, False]


BASE = {
    "name": "t",
    "version": "1",
    "frames": [
        {"id": "export_controls", "label": "Export controls", "description": "US chip restrictions.", "patterns": ["ban"]},
        {"id": "open_source", "label": "Open source", "description": "Openness.", "patterns": ["open-source"]},
    ],
    "stance": {"export_controls": {"labels": ["support", "oppose"], "aliases": ["export controls"],
                                   "frame": "export_controls", "cues": {"oppose": ["futile"]}}},
}


def changed(change) -> dict:
    data = copy.deepcopy(BASE)
    change(data)
    return data


def frame2(**fields):
    """A change that updates the second frame ("open_source")."""
    return lambda data: data["frames"][1].update(fields)


# (change, frame named in the message or None, words of the problem)
INVALID = {
    "unknown top-level field": (lambda d: d.update(colour="red"), None, "unknown field 'colour' in top level"),
    "unknown frame field": (frame2(colour="red"), "open_source", "unknown field 'colour' in the frame"),
    "unknown pattern field": (frame2(patterns=[{"phrase": "open", "colour": "red"}]), "open_source",
                              "unknown field 'colour' in patterns #1"),
    "unknown exclude field": (frame2(exclude=[{"phrase": "OpenAI", "colour": "red"}]), "open_source",
                              "unknown field 'colour' in exclude #1"),
    "duplicate frame id": (frame2(id="export_controls"), "export_controls", "duplicate frame id (frame #2)"),
    "broken regex": (frame2(patterns=[{"regex": "(unclosed"}]), "open_source", "patterns #1: broken regex '(unclosed'"),
    "broken exclude regex": (frame2(exclude=[{"regex": "[a-"}]), "open_source", "exclude #1: broken regex '[a-'"),
    "missing description": (lambda d: d["frames"][1].pop("description"), "open_source", "missing 'description'"),
    "blank description": (frame2(description="   "), "open_source", "missing 'description'"),
    "missing label": (lambda d: d["frames"][1].pop("label"), "open_source", "missing 'label'"),
    "empty patterns": (frame2(patterns=[]), "open_source", "'patterns' must be a non-empty list"),
    "missing patterns": (lambda d: d["frames"][1].pop("patterns"), "open_source", "'patterns' must be a non-empty list"),
    "text weight": (frame2(patterns=[{"phrase": "open", "weight": "heavy"}]), "open_source",
                    "patterns #1: 'weight' must be a number (got 'heavy')"),
    "boolean weight": (frame2(patterns=[{"phrase": "open", "weight": True}]), "open_source",
                       "patterns #1: 'weight' must be a number (got True)"),
    "zero threshold": (frame2(threshold=0), "open_source", "'threshold' must be a positive number (got 0)"),
    "negative threshold": (frame2(threshold=-1), "open_source", "'threshold' must be a positive number (got -1)"),
    "text threshold": (frame2(threshold="high"), "open_source", "'threshold' must be a positive number (got 'high')"),
    "two kinds": (frame2(patterns=[{"phrase": "open", "glob": "open*"}]), "open_source",
                  "patterns #1 must have exactly one of phrase, glob, regex, near (has ['phrase', 'glob'])"),
    "no kind": (frame2(patterns=[{"weight": 2}]), "open_source", "patterns #1 must have exactly one of"),
    "empty phrase": (frame2(patterns=[{"phrase": "  "}]), "open_source", "patterns #1: 'phrase' must be a non-empty text"),
    "bad glob": (frame2(patterns=[{"glob": "open(s)"}]), "open_source", "patterns #1: glob 'open(s)' must be a word or phrase ending in '*'"),
    "inner star glob": (frame2(patterns=[{"glob": "re*strict"}]), "open_source", "patterns #1: glob 're*strict' must be a word or phrase ending in '*'"),
    "negation cues as one word": (lambda d: d.update(negation={"cues": "not"}), None, "'negation.cues' must be a non-empty list of words"),
    "negation window not a number": (lambda d: d.update(negation={"window": "three"}), None, "'negation.window' must be a positive whole number"),
    "stance cue that is not a word": (lambda d: d.update(stance={"t": {"labels": ["pro", "con"], "aliases": ["x"], "cues": {"pro": [False]}}}), None,
                                      "stance target 't': 'cues.pro' must be a list of words"),
    "near with one list": (frame2(patterns=[{"near": [["chips"]]}]), "open_source", "patterns #1: 'near' must be two non-empty lists"),
    "near with empty list": (frame2(patterns=[{"near": [["chips"], []]}]), "open_source", "'near' must be two non-empty lists"),
    "near with zero window": (frame2(patterns=[{"near": [["chips"], ["ban"]], "within": 0}]), "open_source",
                              "patterns #1: 'within' must be a positive whole number of words (got 0)"),
    "near with text window": (frame2(patterns=[{"near": [["chips"], ["ban"]], "within": "six"}]), "open_source",
                              "'within' must be a positive whole number of words (got 'six')"),
    "bad frame id": (frame2(id="Open-Source"), None, "frame #2 needs an 'id' of lower-case letters"),
    "no frames": (lambda d: d.pop("frames"), None, "'frames' must be a non-empty list"),
    "stance target of unknown frame": (lambda d: d["stance"]["export_controls"].update(frame="chips"), None,
                                       "stance target 'export_controls' refers to unknown frame 'chips'"),
    "unknown stance field": (lambda d: d["stance"]["export_controls"].update(colour="red"), None,
                             "unknown field 'colour' in stance target 'export_controls'"),
    "stance without aliases": (lambda d: d["stance"]["export_controls"].pop("aliases"), None,
                               "stance target 'export_controls' needs 'aliases'"),
    "stance with one label": (lambda d: d["stance"]["export_controls"].update(labels=["oppose"]), None,
                              "stance target 'export_controls' needs at least two 'labels'"),
    "cues for an unknown label": (lambda d: d["stance"]["export_controls"].update(cues={"angry": ["bad"]}), None,
                                  "'cues' must map some of its labels"),
    "unknown negation field": (lambda d: d.update(negation={"cues": ["not"], "size": 3}), None,
                               "unknown field 'size' in negation"),
}


@pytest.mark.parametrize(("change", "frame", "problem"), INVALID.values(), ids=list(INVALID))
def test_invalid_codebook_raises_an_error_naming_file_frame_and_problem(change, frame, problem):
    with pytest.raises(CodebookError) as raised:
        parse(changed(change), source="codebooks/broken.yaml")
    message = str(raised.value)
    place = f"codebooks/broken.yaml: frame '{frame}': " if frame else "codebooks/broken.yaml: "
    assert message.startswith(place), message
    assert problem in message


def test_top_level_that_is_not_a_mapping_is_rejected():
    with pytest.raises(CodebookError, match=r"^x\.yaml: the top level must be a mapping"):
        parse(["frames"], source="x.yaml")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("frames:\n  - id: f\n    label: [unclosed\n", "not valid YAML"),
        ("frames: [\n", "not valid YAML"),
        ("frames:\n  - id: f\n\tlabel: tab\n", "not valid YAML"),
    ],
)
def test_invalid_yaml_file_raises_an_error_naming_the_file(tmp_path, text, problem):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError) as raised:
        load(path)
    assert str(raised.value).startswith(f"{path}: {problem}")


def test_invalid_field_in_a_file_names_the_file(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("frames:\n  - id: f\n    label: F\n    description: d\n    patterns: [ban]\n    wieght: 2\n",
                    encoding="utf-8")
    with pytest.raises(CodebookError) as raised:
        load(path)
    assert str(raised.value).startswith(f"{path}: frame 'f': unknown field 'wieght' in the frame")


def test_missing_codebook_file_raises_codebook_error(tmp_path):
    with pytest.raises(CodebookError, match="cannot read codebook"):
        load(tmp_path / "absent.yaml")


def test_codebook_error_is_a_value_error():
    assert issubclass(CodebookError, ValueError)
