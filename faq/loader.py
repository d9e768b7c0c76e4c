"""Load and validate the YAML knowledge base, reporting every problem with file, line and entry."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from faq.collector import paused
from faq.model import ACTIONS, AUDIENCES, Entry, KnowledgeBase, OutOfScope

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED_KEYS = (
    "id",
    "question",
    "alternate_questions",
    "answer",
    "category",
    "audience",
    "updated",
)
OPTIONAL_KEYS = ("tags", "related", "actions")
KNOWN_KEYS = REQUIRED_KEYS + OPTIONAL_KEYS
LIST_KEYS = ("alternate_questions", "tags", "related", "actions")
LEXICON_KEYS = ("synonyms", "out_of_scope")  # a file whose top level is a mapping of these
OUT_OF_SCOPE_KEYS = ("topic", "examples", "terms", "pointer")
YAML_SUFFIXES = (".yaml", ".yml")
# libyaml's parser is several times faster and keeps line numbers just the same.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class _Loaded:
    entry: Entry
    lines: dict[str, int]  # key -> line number, for precise messages
    phrasing_keys: tuple[str, ...]  # normalised phrasings, to spot the same one twice


@dataclass(frozen=True, order=True)
class Problem:
    """One validation problem, located as precisely as the YAML allows."""

    file: str
    line: int
    entry_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        who = f" entry '{self.entry_id}':" if self.entry_id else ""
        return f"{where}:{who} {self.message}"


class KnowledgeBaseInvalid(Exception):
    """The knowledge base has problems; `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        # By place; a file-level problem (no entry) sorts before an entry's on the same line.
        self.problems = sorted(
            problems, key=lambda p: (p.file, p.line, p.entry_id or "", p.message)
        )
        count = len(self.problems)
        summary = f"{count} problem{'s' if count != 1 else ''} in the FAQ knowledge base"
        super().__init__("\n".join([summary, *(str(p) for p in self.problems)]))


def faq_files(path: Path) -> list[Path]:
    """The YAML files making up the knowledge base at `path` (a file or a directory)."""
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())
    return [path]


def load_knowledge_base(path: Path | str) -> KnowledgeBase:
    """Load every entry under `path`; raise KnowledgeBaseInvalid listing all problems."""
    with paused():  # YAML nodes by the hundred thousand, no cycles: see faq.collector
        return _load_knowledge_base(Path(path))


def _load_knowledge_base(path: Path) -> KnowledgeBase:
    problems: list[Problem] = []
    if not path.exists():
        raise KnowledgeBaseInvalid([Problem(str(path), 0, None, "no such file or directory")])
    files = faq_files(path)
    if not files:
        raise KnowledgeBaseInvalid(
            [Problem(str(path), 0, None, "no .yaml files in this directory")]
        )
    entries: list[_Loaded] = []
    lexicon = _Lexicon()
    for file in files:
        entries.extend(_load_file(file, problems, lexicon))
    _check_across_entries(entries, problems)
    _check_lexicon(lexicon, entries, problems)
    if problems:
        raise KnowledgeBaseInvalid(problems)
    return KnowledgeBase(
        tuple(loaded.entry for loaded in entries),
        synonyms={term: variants for term, (variants, _) in lexicon.synonyms.items()},
        out_of_scope=tuple(lexicon.out_of_scope),
    )


@dataclass
class _Lexicon:
    synonyms: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)  # -> where
    out_of_scope: list[OutOfScope] = field(default_factory=list)


def _load_file(file: Path, problems: list[Problem], lexicon: _Lexicon) -> list[_Loaded]:
    name = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, 0, None, f"cannot read file: {exc}"))
        return []
    loader = _SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problems.append(Problem(name, line, None, f"invalid YAML: {exc.problem or exc.context}"))
        return []
    if root is None:
        problems.append(Problem(name, 1, None, "file is empty; expected a list of entries"))
        return []
    if isinstance(root, yaml.MappingNode) and any(
        isinstance(k, yaml.ScalarNode) and k.value in LEXICON_KEYS for k, _ in root.value
    ):
        _load_lexicon(loader, name, root, problems, lexicon)
        loader.dispose()
        return []
    if not isinstance(root, yaml.SequenceNode):
        line = root.start_mark.line + 1
        problems.append(
            Problem(name, line, None, "expected a list of entries (each starting '- id:')")
        )
        return []
    loaded = []
    for node in root.value:
        result = _load_entry(loader, name, node, problems)
        if result is not None:
            loaded.append(result)
    categories = {item.entry.category for item in loaded if item.entry.category}
    if len(categories) > 1:
        problems.append(
            Problem(
                name,
                1,
                None,
                "one file per category, but this file has "
                + ", ".join(f"'{category}'" for category in sorted(categories)),
            )
        )
    loader.dispose()
    return loaded


def _load_entry(
    loader: yaml.SafeLoader | yaml.CSafeLoader, file: str, node: yaml.Node, problems: list[Problem]
) -> _Loaded | None:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(file, line, None, "each entry must be a mapping of keys to values"))
        return None
    raw: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
        lines[key] = key_node.start_mark.line + 1
        if key in raw:
            problems.append(Problem(file, lines[key], None, f"key '{key}' appears twice"))
            continue
        try:
            raw[key] = loader.construct_object(value_node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            problems.append(
                Problem(file, lines[key], None, f"bad value for '{key}': {exc.problem}")
            )
            raw[key] = None
    entry_id = raw.get("id") if isinstance(raw.get("id"), str) else None
    found: list[Problem] = []

    def problem(key: str | None, message: str) -> None:
        found.append(Problem(file, lines.get(key, line) if key else line, entry_id, message))

    for key in raw:
        if key not in KNOWN_KEYS:
            hint = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            problem(key, f"unknown key '{key}'{suggestion}")
    for key in REQUIRED_KEYS:
        if key not in raw:
            problem(None, f"missing required field '{key}'")
    if "id" in raw and (entry_id is None or not ID_PATTERN.match(entry_id)):
        problem("id", f"id {raw['id']!r} must be a lowercase URL-safe slug like 'forgot-password'")
    for key in ("question", "answer", "category"):
        if key in raw and (not isinstance(raw[key], str) or not raw[key].strip()):
            problem(key, f"'{key}' must be non-empty text")
    if "audience" in raw and raw["audience"] not in AUDIENCES:
        problem(
            "audience", f"audience must be one of {', '.join(AUDIENCES)}, not {raw['audience']!r}"
        )
    if "updated" in raw and not isinstance(raw["updated"], date):
        problem("updated", f"'updated' must be a date like 2026-11-27, not {raw['updated']!r}")
    lists: dict[str, tuple[str, ...]] = {}
    for key in LIST_KEYS:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            problem(key, f"'{key}' must be a list of non-empty strings")
            value = []
        lists[key] = tuple(v.strip() for v in value)
    for action in lists["actions"]:
        if action not in ACTIONS:
            problem("actions", f"unknown action '{action}' (known: {', '.join(sorted(ACTIONS))})")
    question = raw.get("question") if isinstance(raw.get("question"), str) else ""
    keys = tuple(_phrasing_key(p) for p in (question, *lists["alternate_questions"]))
    seen: set[str] = set()
    for key, phrasing in zip(keys, (question, *lists["alternate_questions"]), strict=True):
        if key in seen:
            problem("alternate_questions", f"question {phrasing!r} is listed twice")
        seen.add(key)
    problems.extend(found)

    def text(key: str) -> str:
        value = raw.get(key)
        return value.strip() if isinstance(value, str) else ""

    # Built even when invalid, so that checks across entries still report everything at once.
    entry = Entry(
        id=entry_id or "",
        question=text("question"),
        answer=text("answer"),
        category=text("category"),
        alternate_questions=lists["alternate_questions"],
        audience=raw.get("audience", "everyone"),
        tags=lists["tags"],
        related=lists["related"],
        actions=lists["actions"],
        updated=raw.get("updated") if isinstance(raw.get("updated"), date) else None,
        source=f"{file}:{line}",
    )
    return _Loaded(entry, lines, keys)


def _phrasing_key(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip("?!. ")


def _check_across_entries(entries: list[_Loaded], problems: list[Problem]) -> None:
    first_seen: dict[str, Entry] = {}
    owners: dict[str, Entry] = {}
    for loaded in entries:
        entry, lines = loaded.entry, loaded.lines
        file, line = entry.source.rsplit(":", 1)
        if not entry.id:
            continue
        if entry.id in first_seen:
            other = first_seen[entry.id]
            problems.append(
                Problem(file, int(line), entry.id, f"duplicate id; first defined at {other.source}")
            )
            continue
        first_seen[entry.id] = entry
        for key, phrasing in zip(loaded.phrasing_keys, entry.phrasings, strict=True):
            if not key:
                continue
            owner = owners.setdefault(key, entry)
            if owner is not entry:
                problems.append(
                    Problem(
                        file,
                        lines.get("alternate_questions", int(line)),
                        entry.id,
                        f"question {phrasing!r} is also a question of entry '{owner.id}'",
                    )
                )
    for loaded in entries:
        entry, lines = loaded.entry, loaded.lines
        file, line = entry.source.rsplit(":", 1)
        for related in entry.related:
            if related == entry.id:
                problems.append(
                    Problem(
                        file, lines["related"], entry.id, "an entry cannot be related to itself"
                    )
                )
            elif related not in first_seen and lines.get("related"):
                problems.append(
                    Problem(
                        file,
                        lines["related"],
                        entry.id,
                        f"related entry '{related}' does not exist",
                    )
                )


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _texts(node: yaml.Node) -> list[tuple[str, int]] | None:
    """A YAML list of non-empty strings with the line of each, or None if it is not one."""
    if not isinstance(node, yaml.SequenceNode):
        return None
    found = []
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode) or item.tag != "tag:yaml.org,2002:str":
            return None
        if not item.value.strip():
            return None
        found.append((item.value.strip(), _line(item)))
    return found


def _load_lexicon(
    loader: yaml.SafeLoader | yaml.CSafeLoader,
    file: str,
    root: yaml.MappingNode,
    problems: list[Problem],
    lexicon: _Lexicon,
) -> None:
    # Plain scalars that YAML would read as booleans or numbers ("no", "on", 365) stay text here:
    # the lexicon is words, and a silent `False` would never match anything.
    seen: set[str] = set()
    for key_node, value_node in root.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
        line = _line(key_node)
        if key in seen:
            problems.append(Problem(file, line, None, f"key '{key}' appears twice"))
            continue
        seen.add(key)
        if key == "synonyms":
            _load_synonyms(file, value_node, problems, lexicon)
        elif key == "out_of_scope":
            _load_out_of_scope(file, value_node, problems, lexicon)
        else:
            hint = difflib.get_close_matches(key, LEXICON_KEYS, n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            problems.append(Problem(file, line, None, f"unknown key '{key}'{suggestion}"))


def _load_synonyms(file: str, node: yaml.Node, problems: list[Problem], lexicon: _Lexicon) -> None:
    if not isinstance(node, yaml.MappingNode):
        problems.append(
            Problem(file, _line(node), None, "'synonyms' must map a term to a list of words")
        )
        return
    for key_node, value_node in node.value:
        line = _line(key_node)
        term = key_node.value.strip() if isinstance(key_node, yaml.ScalarNode) else ""
        variants = _texts(value_node)
        if not term:
            problems.append(Problem(file, line, None, "a synonym term must be non-empty text"))
            continue
        if variants is None:
            problems.append(
                Problem(file, line, None, f"synonyms of '{term}' must be a list of non-empty text")
            )
            continue
        if term in lexicon.synonyms:
            first = lexicon.synonyms[term][1]
            problems.append(
                Problem(
                    file, line, None, f"synonym term '{term}' is defined twice; first at {first}"
                )
            )
            continue
        lexicon.synonyms[term] = (tuple(v for v, _ in variants), f"{file}:{line}")


def _load_out_of_scope(
    file: str, node: yaml.Node, problems: list[Problem], lexicon: _Lexicon
) -> None:
    if not isinstance(node, yaml.SequenceNode):
        problems.append(Problem(file, _line(node), None, "'out_of_scope' must be a list of topics"))
        return
    for item in node.value:
        line = _line(item)
        if not isinstance(item, yaml.MappingNode):
            problems.append(
                Problem(file, line, None, "each out_of_scope item must be a mapping (- topic: ...)")
            )
            continue
        fields: dict[str, yaml.Node] = {}
        for key_node, value_node in item.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            if key not in OUT_OF_SCOPE_KEYS:
                hint = difflib.get_close_matches(key, OUT_OF_SCOPE_KEYS, n=1)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
                problems.append(
                    Problem(file, _line(key_node), None, f"unknown key '{key}'{suggestion}")
                )
                continue
            fields[key] = value_node
        topic_node = fields.get("topic")
        topic = topic_node.value.strip() if isinstance(topic_node, yaml.ScalarNode) else ""
        if not topic:
            problems.append(Problem(file, line, None, "out_of_scope item needs a 'topic' (text)"))
        lists: dict[str, tuple[str, ...]] = {}
        for key in ("examples", "terms"):
            if key not in fields:
                lists[key] = ()
                continue
            found = _texts(fields[key])
            if found is None:
                problems.append(
                    Problem(
                        file, _line(fields[key]), None, f"'{key}' must be a list of non-empty text"
                    )
                )
                found = []
            lists[key] = tuple(text for text, _ in found)
        if topic and not lists["examples"] and not lists["terms"]:
            problems.append(
                Problem(file, line, None, f"out_of_scope topic '{topic}' has no examples or terms")
            )
        pointer_node = fields.get("pointer")
        pointer = ""
        if pointer_node is not None:
            if isinstance(pointer_node, yaml.ScalarNode) and pointer_node.value.strip():
                pointer = pointer_node.value.strip()
            else:
                problems.append(
                    Problem(file, _line(pointer_node), None, "'pointer' must be non-empty text")
                )
        lexicon.out_of_scope.append(
            OutOfScope(topic, lists["examples"], lists["terms"], pointer, f"{file}:{line}")
        )


def _check_lexicon(lexicon: _Lexicon, entries: list[_Loaded], problems: list[Problem]) -> None:
    owners = {key: loaded.entry for loaded in entries for key in loaded.phrasing_keys if key}
    for topic in lexicon.out_of_scope:
        file, line = topic.source.rsplit(":", 1)
        for example in topic.examples:
            owner = owners.get(_phrasing_key(example))
            if owner is not None:
                problems.append(
                    Problem(
                        file,
                        int(line),
                        None,
                        f"out-of-scope example {example!r} is also a question of entry "
                        f"'{owner.id}'",
                    )
                )
