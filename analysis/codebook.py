"""Frame codebooks: load a YAML codebook, validate every field, and explain each error.

A codebook holds frames (id, label, description, patterns, exclusions, threshold)
and stance targets (aliases and cue words). Pattern kinds:

- `phrase`: words matched whole, case-insensitively; "-" also matches a space or
  nothing ("open-source" = "open source" = "opensource"); with `inflect: true`
  every word also matches its inflections (same Snowball stem: "ban" ->
  "bans", "banned", "banning"), except words written with a capital letter:
  names and acronyms ("National Security Council", "Uyghur") take a plural "s" only.
- `glob`: a word pattern where `*` is any run of word characters ("restrict*").
- `regex`: a Python regular expression, case-insensitive.
- `near`: two lists of phrases/globs that must occur within `within` words of each
  other (e.g. "chips" within 6 words of "ban*" or "restrict*").

Each pattern may carry `weight` (default 1) and `negatable: true` (a negation
cue such as "not" or "no" in the `negation.window` words before it cancels the
match). A frame is present in a paragraph when the summed weight of its distinct
matched patterns reaches its `threshold` (default 1); matches that overlap within a
frame count once, the heaviest (then the first) winning. `exclude` patterns cancel
any match of the frame they overlap ("OpenAI" is not "open").
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PATTERN_KINDS = ("phrase", "glob", "regex", "near")
_PATTERN_KEYS = {"weight", "inflect", "negatable", "within", "note"}
_FRAME_KEYS = {"id", "label", "description", "patterns", "exclude", "threshold", "not_when"}
_TOP_KEYS = {"name", "version", "language", "description", "inflect", "negation", "frames", "stance"}
_STANCE_KEYS = {"labels", "aliases", "frame", "cues", "frame_cues", "description", "pronouns"}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser where PyYAML has it: ~8x faster
    """YAML 1.2 booleans: only true/false. YAML 1.1 would read the cue word `no` (or `on`, `off`) as a boolean."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


class CodebookError(ValueError):
    """A codebook problem, with the file, the frame (where there is one) and what is wrong."""


@dataclass(frozen=True)
class Pattern:
    """One matching rule of a frame (see the module docstring for the kinds)."""

    kind: str
    value: str | tuple[tuple[str, ...], tuple[str, ...]]
    weight: float = 1.0
    inflect: bool = False
    negatable: bool = False
    within: int = 6

    @property
    def text(self) -> str:
        """Return the pattern as a codebook author wrote it (used as evidence labels)."""
        if self.kind == "near":
            left, right = self.value
            return f"{'|'.join(left)} ~{self.within}~ {'|'.join(right)}"
        return str(self.value)


@dataclass(frozen=True)
class Frame:
    """A frame: its id, label, description, patterns, exclusions and threshold."""

    id: str
    label: str
    description: str
    patterns: tuple[Pattern, ...]
    exclude: tuple[Pattern, ...] = ()
    threshold: float = 1.0


@dataclass(frozen=True)
class StanceTarget:
    """A stance target: the words naming it and the cue words for each label."""

    id: str
    labels: tuple[str, ...]
    aliases: tuple[str, ...]
    cues: dict[str, tuple[str, ...]]
    frame: str | None = None
    pronouns: tuple[str, ...] = ()
    frame_cues: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Codebook:
    """A validated codebook. `version` and `sha256` identify it in every report."""

    name: str
    version: str
    language: str
    frames: tuple[Frame, ...]
    stance: tuple[StanceTarget, ...] = ()
    negation_cues: tuple[str, ...] = ("not", "no", "never", "without", "nor", "neither", "hardly", "n't")
    negation_window: int = 3
    path: str = ""
    sha256: str = ""
    descriptions: dict[str, str] = field(default_factory=dict)

    @property
    def frame_ids(self) -> list[str]:
        return [frame.id for frame in self.frames]

    @property
    def stance_labels(self) -> dict[str, tuple[str, ...]]:
        """Return {stance target id: its labels in order}: what codings and charts may use."""
        return {target.id: tuple(target.labels) for target in self.stance}

    def target(self, target_id: str) -> StanceTarget:
        """Return the stance target `target_id`, or raise KeyError naming the known ones."""
        for target in self.stance:
            if target.id == target_id:
                return target
        raise KeyError(f"codebook {self.name!r} has no stance target {target_id!r} (has {[t.id for t in self.stance]})")


def load(path: str | Path) -> Codebook:
    """Return the validated codebook at `path`; raise `CodebookError` naming file, frame and problem."""
    path = Path(path)
    try:
        raw_bytes = path.read_bytes()
    except OSError as error:
        raise CodebookError(f"{path}: cannot read codebook ({error.strerror or error})") from None
    try:
        data = yaml.load(raw_bytes.decode("utf-8"), Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise CodebookError(f"{path}: not valid YAML: {error}") from None
    return parse(data, source=str(path), sha256=hashlib.sha256(raw_bytes).hexdigest())


def parse(data: object, *, source: str = "<codebook>", sha256: str = "") -> Codebook:
    """Return a validated codebook from already-parsed YAML data (see `load`)."""
    where = _Where(source)
    if not isinstance(data, dict):
        where.fail("the top level must be a mapping with 'name', 'version', 'frames'")
    where.unknown(data, _TOP_KEYS, "top level")
    frames_data = data.get("frames")
    if not isinstance(frames_data, list) or not frames_data:
        where.fail("'frames' must be a non-empty list")
    inflect_default = bool(data.get("inflect", False))
    frames: list[Frame] = []
    seen: set[str] = set()
    for number, item in enumerate(frames_data, start=1):
        frame = _frame(item, number, where, inflect_default)
        if frame.id in seen:
            where.fail(f"duplicate frame id (frame #{number})", frame.id)
        seen.add(frame.id)
        frames.append(frame)
    negation = data.get("negation") or {}
    if not isinstance(negation, dict):
        where.fail("'negation' must be a mapping with 'cues' and 'window'")
    where.unknown(negation, {"cues", "window"}, "negation")
    cues = negation.get("cues")
    if cues is not None and not (isinstance(cues, list) and cues and all(isinstance(c, str) and c.strip() for c in cues)):
        where.fail(f"'negation.cues' must be a non-empty list of words (got {cues!r})")
    window = negation.get("window")
    if window is not None and (not isinstance(window, int) or isinstance(window, bool) or window < 1):
        where.fail(f"'negation.window' must be a positive whole number of words (got {window!r})")
    stance = tuple(_stance(tid, item, where, seen) for tid, item in (data.get("stance") or {}).items())
    return Codebook(
        name=str(data.get("name") or Path(source).stem),
        version=str(data.get("version") or "unversioned"),
        language=str(data.get("language") or "en"),
        frames=tuple(frames),
        stance=stance,
        negation_cues=tuple(negation.get("cues") or Codebook.negation_cues),
        negation_window=int(negation.get("window") or Codebook.negation_window),
        path=source,
        sha256=sha256,
        descriptions={f.id: f.description for f in frames},
    )


class _Where:
    def __init__(self, source: str):
        self.source = source

    def fail(self, problem: str, frame: str | None = None):
        place = f"{self.source}: frame '{frame}'" if frame else self.source
        raise CodebookError(f"{place}: {problem}")

    def unknown(self, mapping: dict, allowed: set[str], context: str, frame: str | None = None) -> None:
        extra = sorted(set(map(str, mapping)) - allowed)
        if extra:
            self.fail(f"unknown field{'s' if len(extra) > 1 else ''} {', '.join(map(repr, extra))} in {context} "
                      f"(allowed: {', '.join(sorted(allowed))})", frame)


def _frame(item: object, number: int, where: _Where, inflect_default: bool) -> Frame:
    if not isinstance(item, dict):
        where.fail(f"frame #{number} must be a mapping")
    frame_id = item.get("id")
    if not isinstance(frame_id, str) or not _ID.match(frame_id):
        where.fail(f"frame #{number} needs an 'id' of lower-case letters, digits and underscores (got {frame_id!r})")
    where.unknown(item, _FRAME_KEYS, "the frame", frame_id)
    for key in ("label", "description"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            where.fail(f"missing '{key}' (a non-empty text)", frame_id)
    patterns = item.get("patterns")
    if not isinstance(patterns, list) or not patterns:
        where.fail("'patterns' must be a non-empty list", frame_id)
    threshold = item.get("threshold", 1.0)
    if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or threshold <= 0:
        where.fail(f"'threshold' must be a positive number (got {threshold!r})", frame_id)
    return Frame(
        id=frame_id,
        label=item["label"].strip(),
        description=" ".join(item["description"].split()),
        patterns=tuple(_pattern(p, i, where, frame_id, inflect_default) for i, p in enumerate(patterns, 1)),
        exclude=tuple(_pattern(p, i, where, frame_id, inflect_default, context="exclude") for i, p in enumerate(item.get("exclude") or [], 1)),
        threshold=float(threshold),
    )


def _pattern(item: object, number: int, where: _Where, frame_id: str, inflect_default: bool, *, context: str = "patterns") -> Pattern:
    label = f"{context} #{number}"
    if isinstance(item, str):
        item = {"phrase": item}
    if not isinstance(item, dict):
        where.fail(f"{label} must be a text or a mapping such as {{phrase: ...}}", frame_id)
    kinds = [k for k in PATTERN_KINDS if k in item]
    if len(kinds) != 1:
        where.fail(f"{label} must have exactly one of {', '.join(PATTERN_KINDS)} (has {kinds or 'none'})", frame_id)
    kind = kinds[0]
    where.unknown(item, _PATTERN_KEYS | {kind}, label, frame_id)
    weight = item.get("weight", 1.0)
    if not isinstance(weight, (int, float)) or isinstance(weight, bool):
        where.fail(f"{label}: 'weight' must be a number (got {weight!r})", frame_id)
    within = item.get("within", 6)
    if kind == "near" and (not isinstance(within, int) or within < 1):
        where.fail(f"{label}: 'within' must be a positive whole number of words (got {within!r})", frame_id)
    value = item[kind]
    if kind == "near":
        if not (isinstance(value, list) and len(value) == 2 and all(isinstance(side, list) and side and all(isinstance(t, str) and t.strip() for t in side) for side in value)):
            where.fail(f"{label}: 'near' must be two non-empty lists of words, e.g. [[chips], [ban*, restrict*]]", frame_id)
        value = (tuple(t.strip() for t in value[0]), tuple(t.strip() for t in value[1]))
    else:
        if not isinstance(value, str) or not value.strip():
            where.fail(f"{label}: '{kind}' must be a non-empty text", frame_id)
        value = value.strip()
        if kind == "regex":
            try:
                re.compile(value)
            except re.error as error:
                where.fail(f"{label}: broken regex {value!r}: {error}", frame_id)
        if kind == "glob" and not re.fullmatch(r"[\w'’ -]+\*", value):
            where.fail(f"{label}: glob {value!r} must be a word or phrase ending in '*' (e.g. restrict*)", frame_id)
    return Pattern(kind=kind, value=value, weight=float(weight), inflect=bool(item.get("inflect", inflect_default)),
                   negatable=bool(item.get("negatable", False)), within=int(within))


def _stance(target_id: str, item: object, where: _Where, frames: set[str]) -> StanceTarget:
    if not isinstance(item, dict):
        where.fail(f"stance target '{target_id}' must be a mapping")
    where.unknown(item, _STANCE_KEYS, f"stance target '{target_id}'")
    labels = tuple(item.get("labels") or ())
    if len(labels) < 2:
        where.fail(f"stance target '{target_id}' needs at least two 'labels'")
    cues = item.get("cues") or {}
    if not isinstance(cues, dict) or set(cues) - set(labels):
        where.fail(f"stance target '{target_id}': 'cues' must map some of its labels {list(labels)} to word lists")
    frame = item.get("frame")
    if frame is not None and frame not in frames:
        where.fail(f"stance target '{target_id}' refers to unknown frame {frame!r}")
    for name, words in [("aliases", item.get("aliases")), ("pronouns", item.get("pronouns")), *((f"cues.{k}", v) for k, v in cues.items())]:
        if words is not None and not (isinstance(words, list) and all(isinstance(w, str) and w.strip() for w in words)):
            where.fail(f"stance target '{target_id}': '{name}' must be a list of words (got {words!r})")
    aliases = tuple(item.get("aliases") or ())
    if not aliases:
        where.fail(f"stance target '{target_id}' needs 'aliases' (the words that name it)")
    frame_cues = item.get("frame_cues") or {}
    if not isinstance(frame_cues, dict) or set(frame_cues) - set(labels):
        where.fail(f"stance target '{target_id}': 'frame_cues' must map some of its labels {list(labels)} to frame ids")
    for label, ids in frame_cues.items():
        unknown = [f for f in (ids or []) if f not in frames]
        if unknown:
            where.fail(f"stance target '{target_id}': 'frame_cues.{label}' names unknown frame(s) {', '.join(map(str, unknown))}")
    return StanceTarget(id=str(target_id), labels=labels, aliases=aliases, cues={k: tuple(v or ()) for k, v in cues.items()},
                        frame=frame, pronouns=tuple(item.get("pronouns") or ()),
                        frame_cues={k: tuple(v or ()) for k, v in frame_cues.items()})
