"""Versioned policy sets: YAML files of rules whose conditions are CEL expressions.

A policy set is a directory: `policyset.yaml` (version, mode, policy areas, the enforcement matrix,
review queues) plus any number of rule files. Loading validates everything once and reports the file,
line and rule id of each problem, so a policy manager can fix a file without reading Python.
The version recorded on every decision is the declared version plus a digest of the files, so an edit
that forgets to bump the version still yields a different, replayable version string.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cel
import yaml

from .errors import PolicyError
from .events import ACCOUNT_CATEGORIES
from .verdict import ACTIONS, LABELS

SUBJECT_TYPES = ("account", "content", "ad", "search", "interaction", "media", "monetization")
_RULE_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,80}$")
_RULE_KEYS = {"id", "area", "applies_to", "when", "actions", "labels", "queue", "mode", "explanation",
              "severity", "dsa", "description", "text"}


@dataclass(frozen=True)
class Queue:
    name: str
    capability: str
    roles: tuple[str, ...]
    sla_hours: float = 24.0
    senior_queue: str | None = None
    languages: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Rule:
    id: str
    area: str
    applies_to: frozenset[str]
    when: str
    actions: tuple[str, ...]
    labels: tuple[str, ...]
    queue: str | None
    mode: str
    explanation: str
    severity: int
    dsa: dict[str, Any]
    text: str
    file: str
    line: int
    program: Any = field(compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class Policy:
    """A loaded, validated policy set."""

    version: str
    declared_version: str
    mode: str
    areas: dict[str, dict[str, Any]]
    rules: tuple[Rule, ...]
    enforcement_matrix: dict[str, dict[str, tuple[str, ...]]]
    queues: dict[str, Queue]
    labels: tuple[str, ...]
    settings: dict[str, Any]
    source: str
    patterns: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # category -> policy area -> action -> replacement: per-area exceptions to `enforcement_matrix`.
    area_matrix: dict[str, dict[str, dict[str, tuple[str, ...]]]] = field(default_factory=dict)

    def matrix_for(self, category: str | None, area: str = "") -> dict[str, tuple[str, ...]]:
        """How actions of a rule in `area` change for an account of `category`."""
        base = self.enforcement_matrix.get(category or "", {})
        override = self.area_matrix.get(category or "", {}).get(area)
        return {**base, **override} if override else base

    @property
    def evidence_fields(self) -> dict[str, frozenset[str]]:
        """Which evidence fields of which signals the rules read (`signals.x.evidence.y`)."""
        return self._evidence_fields

    def rules_for(self, subject_type: str) -> tuple[Rule, ...]:
        return self._by_type.get(subject_type, ())

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def __post_init__(self) -> None:
        by_type: dict[str, list[Rule]] = {}
        for rule in self.rules:
            for t in rule.applies_to:
                by_type.setdefault(t, []).append(rule)
        object.__setattr__(self, "_by_type", {t: tuple(rs) for t, rs in by_type.items()})
        object.__setattr__(self, "_evidence_fields", evidence_fields(rule.when for rule in self.rules))


_EVIDENCE_PATH = re.compile(r"signals\.(\w+)\.evidence\.(\w+)")


def evidence_fields(expressions: Any) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for expression in expressions:
        for signal, field_name in _EVIDENCE_PATH.findall(expression):
            found.setdefault(signal, set()).add(field_name)
    return {k: frozenset(v) for k, v in found.items()}


class _LineLoader(yaml.SafeLoader):
    """Safe YAML loader that remembers the line of every mapping as `__line__`."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise PolicyError(f"YAML syntax error: {exc.problem}", file=str(path), line=line) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read the file: {exc}", file=str(path)) from None
    if data is None:
        return {"__line__": 1}
    if not isinstance(data, dict):
        raise PolicyError("the top level must be a mapping", file=str(path), line=1)
    return data


def _strip(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items() if k != "__line__"}
    if isinstance(obj, list):
        return [_strip(v) for v in obj]
    return obj


def _str_list(value: Any, what: str, file: str, line: int, rule_id: str | None = None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PolicyError(f"`{what}` must be a list of strings", file=file, line=line, rule_id=rule_id)
    return tuple(value)


def load_policy(directory: str | Path) -> Policy:
    """Load and validate a policy set directory. Raises `PolicyError` on the first problem."""
    errors: list[PolicyError] = []
    policy = _load(Path(directory), errors)
    if errors:
        raise errors[0]
    return policy


def check_policy(directory: str | Path) -> list[PolicyError]:
    """Every problem in a policy set, each with its file, line and rule id (empty list: valid)."""
    errors: list[PolicyError] = []
    try:
        _load(Path(directory), errors)
    except PolicyError as exc:
        errors.append(exc)
    return errors


def _load(directory: Path, errors: list[PolicyError] | None = None) -> Policy:
    head_path = directory / "policyset.yaml"
    if not head_path.is_file():
        raise PolicyError("a policy set needs a policyset.yaml file", file=str(head_path))
    files = sorted(p for p in directory.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))
    digest = hashlib.sha256()
    for p in files:
        digest.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    head = _read_yaml(head_path)
    hp = str(head_path)
    declared = head.get("version")
    if not isinstance(declared, (str, int, float)) or not str(declared).strip():
        raise PolicyError("`version` is required (for example \"2026.11.0\")", file=hp, line=head["__line__"])
    mode = head.get("mode", "enforce")
    if mode not in ("enforce", "shadow"):
        raise PolicyError("`mode` must be `enforce` or `shadow`", file=hp, line=head["__line__"])
    areas = _areas(head, hp)
    labels = LABELS + _str_list(head.get("labels"), "labels", hp, head["__line__"])
    queues: dict[str, Queue] = {}
    rules: list[Rule] = []
    matrix, area_matrix = _matrix(head, hp, areas)
    settings = _strip(head.get("settings") or {})
    patterns: dict[str, re.Pattern[str]] = {}
    for path in files:
        doc = head if path == head_path else _read_yaml(path)
        _patterns(doc, str(path), patterns, errors)
        for q in _queues(doc, str(path)):
            if q.name in queues:
                raise PolicyError(f"queue {q.name!r} is declared twice", file=str(path), line=q.raw["__line__"])
            queues[q.name] = q
        raw_rules = doc.get("rules") or []
        if not isinstance(raw_rules, list):
            raise PolicyError("`rules` must be a list", file=str(path), line=doc["__line__"])
        for raw in raw_rules:
            try:
                rules.append(_rule(raw, str(path), areas, labels))
            except PolicyError as exc:
                if errors is None:
                    raise
                errors.append(exc)
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            _report(errors, PolicyError(f"rule id is also used at {seen[rule.id].file}:{seen[rule.id].line}",
                                        file=rule.file, line=rule.line, rule_id=rule.id))
        seen[rule.id] = rule
        if rule.queue and rule.queue not in queues:
            _report(errors, PolicyError(f"queue {rule.queue!r} is not declared in any `queues:` list",
                                        file=rule.file, line=rule.line, rule_id=rule.id))
    for q in queues.values():
        if q.senior_queue and q.senior_queue not in queues:
            _report(errors, PolicyError(f"senior queue {q.senior_queue!r} is not declared",
                                        file=q.raw.get("__file__"), line=q.raw["__line__"]))
    return Policy(version=f"{declared}+{digest.hexdigest()[:10]}", declared_version=str(declared),
                  mode=mode, areas=areas, rules=tuple(rules), enforcement_matrix=matrix, queues=queues,
                  labels=labels, settings=settings, source=str(directory), area_matrix=area_matrix,
                  patterns=patterns)


def _patterns(doc: dict[str, Any], file: str, out: dict[str, re.Pattern[str]],
              errors: list[PolicyError] | None) -> None:
    """`patterns:` maps a name to a regular expression, compiled once; the `text_patterns` detector
    reports which names match a text, so rules test `"name" in signals.text_patterns.value` instead
    of compiling a regex per evaluation with CEL's `matches()`."""
    raw = doc.get("patterns") or {}
    if not isinstance(raw, dict):
        _report(errors, PolicyError("`patterns` must map names to regular expressions", file=file,
                                    line=doc["__line__"]))
        return
    for name, expression in raw.items():
        if name == "__line__":
            continue
        line = raw["__line__"]
        try:
            if not isinstance(expression, str) or not re.fullmatch(r"[a-z0-9_]+", str(name)):
                raise re.error("a pattern needs a lowercase name and a string expression")
            if name in out:
                raise re.error(f"pattern {name!r} is declared twice")
            out[name] = re.compile(expression, re.IGNORECASE)
        except re.error as exc:
            _report(errors, PolicyError(f"pattern {name!r}: {exc}", file=file, line=line))


def _report(errors: list[PolicyError] | None, exc: PolicyError) -> None:
    if errors is None:
        raise exc
    errors.append(exc)


def _areas(head: dict[str, Any], file: str) -> dict[str, dict[str, Any]]:
    raw = head.get("areas")
    if not isinstance(raw, dict) or len(raw) <= 1:
        raise PolicyError("`areas` must map each policy area to its settings (severity 1–5)",
                          file=file, line=head["__line__"])
    areas = {}
    for name, spec in raw.items():
        if name == "__line__":
            continue
        spec = spec or {}
        severity = spec.get("severity", 1) if isinstance(spec, dict) else None
        if not isinstance(severity, int) or not 1 <= severity <= 5:
            raise PolicyError(f"area {name!r} needs an integer `severity` from 1 to 5", file=file,
                              line=spec.get("__line__", raw["__line__"]) if isinstance(spec, dict) else raw["__line__"])
        areas[name] = _strip(spec)
    return areas


def _matrix(head: dict[str, Any], file: str, areas: dict[str, Any]) -> tuple[
        dict[str, dict[str, tuple[str, ...]]], dict[str, dict[str, dict[str, tuple[str, ...]]]]]:
    """Category -> action -> replacement, plus per-area exceptions under a category's `areas:` key."""
    raw = head.get("enforcement_matrix") or {}
    matrix: dict[str, dict[str, tuple[str, ...]]] = {}
    area_matrix: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {}
    for category, mapping in raw.items():
        if category == "__line__":
            continue
        line = mapping.get("__line__", raw["__line__"]) if isinstance(mapping, dict) else raw["__line__"]
        if category not in ACCOUNT_CATEGORIES:
            raise PolicyError(f"unknown account category {category!r} in the enforcement matrix; "
                              f"expected one of {', '.join(ACCOUNT_CATEGORIES)}", file=file, line=line)
        if not isinstance(mapping, dict):
            raise PolicyError("each matrix entry maps an action to its replacement actions", file=file, line=line)
        by_area = mapping.get("areas") or {}
        matrix[category] = _replacements({k: v for k, v in mapping.items() if k != "areas"}, category, file, line)
        if not isinstance(by_area, dict):
            raise PolicyError(f"enforcement_matrix.{category}.areas maps a policy area to replacements",
                              file=file, line=line)
        for area, area_mapping in by_area.items():
            if area == "__line__":
                continue
            if area not in areas or not isinstance(area_mapping, dict):
                raise PolicyError(f"enforcement_matrix.{category}.areas: {area!r} must be a policy area "
                                  "mapping actions to replacements", file=file, line=line)
            area_matrix.setdefault(category, {})[area] = _replacements(area_mapping, f"{category}.{area}", file,
                                                                      area_mapping.get("__line__", line))
    return matrix, area_matrix


def _replacements(mapping: dict[str, Any], where: str, file: str, line: int) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for action, replacement in mapping.items():
        if action == "__line__":
            continue
        repl = _str_list(replacement, f"enforcement_matrix.{where}.{action}", file, line)
        for a in (action, *repl):
            if a not in ACTIONS:
                raise PolicyError(f"unknown action {a!r} in the enforcement matrix", file=file, line=line)
        out[action] = repl
    return out


def _queues(doc: dict[str, Any], file: str) -> list[Queue]:
    out = []
    for raw in doc.get("queues") or []:
        line = raw.get("__line__", doc["__line__"]) if isinstance(raw, dict) else doc["__line__"]
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise PolicyError("each queue needs a `name`", file=file, line=line)
        roles = _str_list(raw.get("roles"), "roles", file, line)
        if not roles:
            raise PolicyError(f"queue {raw['name']!r} must list the `roles` that may work it", file=file, line=line)
        sla = raw.get("sla_hours", 24)
        if not isinstance(sla, (int, float)) or sla <= 0:
            raise PolicyError("`sla_hours` must be a positive number", file=file, line=line)
        out.append(Queue(name=raw["name"], capability=str(raw.get("capability", raw["name"])), roles=roles,
                         sla_hours=float(sla), senior_queue=raw.get("senior_queue"),
                         languages=_str_list(raw.get("languages"), "languages", file, line),
                         regions=_str_list(raw.get("regions"), "regions", file, line),
                         areas=_str_list(raw.get("areas"), "areas", file, line),
                         raw={**raw, "__file__": file}))
    return out


def _rule(raw: Any, file: str, areas: dict[str, Any], labels: tuple[str, ...]) -> Rule:
    if not isinstance(raw, dict):
        raise PolicyError("each rule must be a mapping", file=file)
    line = raw["__line__"]
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise PolicyError("`id` must be lowercase letters, digits, `_`, `.` or `-`", file=file, line=line)
    unknown = set(raw) - _RULE_KEYS - {"__line__"}
    if unknown:
        raise PolicyError(f"unknown keys {sorted(unknown)}; allowed: {sorted(_RULE_KEYS)}", file=file,
                          line=line, rule_id=rule_id)
    area = raw.get("area")
    if area not in areas:
        raise PolicyError(f"`area` must be one of the areas in policyset.yaml: {', '.join(areas)}",
                          file=file, line=line, rule_id=rule_id)
    applies_to = _str_list(raw.get("applies_to"), "applies_to", file, line, rule_id)
    if not applies_to or set(applies_to) - set(SUBJECT_TYPES):
        raise PolicyError(f"`applies_to` must list subject types from {', '.join(SUBJECT_TYPES)}",
                          file=file, line=line, rule_id=rule_id)
    when = raw.get("when")
    if not isinstance(when, str) or not when.strip():
        raise PolicyError("`when` must be a CEL expression", file=file, line=line, rule_id=rule_id)
    try:
        program = cel.compile(when)
    except ValueError as exc:
        raise PolicyError(f"`when` is not valid CEL: {exc}", file=file, line=line, rule_id=rule_id) from None
    actions = _str_list(raw.get("actions"), "actions", file, line, rule_id)
    for a in actions:
        if a not in ACTIONS:
            raise PolicyError(f"unknown action {a!r}; known actions: {', '.join(ACTIONS)}", file=file,
                              line=line, rule_id=rule_id)
    rule_labels = _str_list(raw.get("labels"), "labels", file, line, rule_id)
    for lab in rule_labels:
        if lab not in labels:
            raise PolicyError(f"unknown label {lab!r}; declare it under `labels:` in policyset.yaml",
                              file=file, line=line, rule_id=rule_id)
    if not actions and not rule_labels and not raw.get("queue"):
        raise PolicyError("a rule needs `actions`, `labels` or a `queue`", file=file, line=line, rule_id=rule_id)
    mode = raw.get("mode", "enforce")
    if mode not in ("enforce", "shadow"):
        raise PolicyError("`mode` must be `enforce` or `shadow`", file=file, line=line, rule_id=rule_id)
    explanation = raw.get("explanation")
    if not isinstance(explanation, str) or not explanation.strip():
        raise PolicyError("`explanation` is required: users and reviewers read it", file=file, line=line,
                          rule_id=rule_id)
    severity = raw.get("severity", areas[area].get("severity", 1))
    if not isinstance(severity, int) or not 1 <= severity <= 5:
        raise PolicyError("`severity` must be an integer from 1 to 5", file=file, line=line, rule_id=rule_id)
    dsa = _strip(raw.get("dsa") or areas[area].get("dsa") or {})
    return Rule(id=rule_id, area=area, applies_to=frozenset(applies_to), when=when.strip(), actions=actions,
                labels=rule_labels, queue=raw.get("queue"), mode=mode, explanation=explanation.strip(),
                severity=severity, dsa=dsa, text=str(raw.get("text") or raw.get("description") or ""),
                file=file, line=line, program=program)
