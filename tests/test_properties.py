"""Properties of the engine on input nobody wrote by hand (hypothesis).

1. Whatever is done to a valid file (a value of another type, a key deleted or written twice,
   random Unicode, a truncated text, a changed indentation, YAML's special characters…), reading
   and checking it never raises: `check` returns problems, each at a real place of the file and
   explained in French, which the three output formats print one per line; the command line
   exits with 0 or 1 and never prints a traceback.
2. Valid entries survive a round trip: YAML → model → export (YAML written by PyYAML, or JSON)
   → YAML → model gives the same model.

`pytest --hypothesis-show-statistics tests/test_properties.py` shows how many examples ran.
"""

import contextlib
import datetime
import io
import json
import re
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, Union

import pytest
import yaml
from annotated_types import Ge, Le, MinLen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import AfterValidator, BaseModel, StringConstraints, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo
from support import FIXTURE, small_referentiel

from engine import cli
from engine.check.checker import check
from engine.load.documents import LoadError, decode, parse
from engine.load.problems import Problem, render
from engine.model.format import KINDS, RESERVED_IDS, Bibliography, Entry, Glossary, Ref, Vocab, Vocabularies

FILES = sorted(path.relative_to(FIXTURE).as_posix() for path in FIXTURE.rglob("*.yaml"))
"""Every file of the small référentiel: entries of each kind and the shared data files."""
PROBLEM_LINE = re.compile(r"^[^\n:]+:\d+:\d+: ")
UNTRANSLATED = ("Input should", "valeur invalide (", "YAML invalide (", "YAML illisible")
"""Signs that a message was not written for contributors: pydantic's or libyaml's own words."""
QUOTED = re.compile(r"«[^»]*»")
"""A value quoted in a message: it may hold anything the file held."""
LINE_BREAKS = (b"\n", b"\r", "\x85".encode(), "\u2028".encode(), "\u2029".encode())
"""What libyaml counts as the end of a line."""


def in_french(message: str) -> bool:
    """The message was written for contributors (the values it quotes are left aside)."""
    return bool(message) and not any(sign in QUOTED.sub("", message) for sign in UNTRANSLATED)

MUTATIONS = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROUND_TRIPS = settings(max_examples=400, deadline=None,
                       suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the small référentiel, shared by the examples: each one restores what it changed."""
    return small_referentiel(tmp_path_factory.mktemp("proprietes"))


@contextlib.contextmanager
def changed(root: Path, name: str, data: bytes) -> Iterator[Path]:
    """The référentiel with one file replaced, for the time of one example."""
    path = root / name
    original = path.read_bytes()
    path.write_bytes(data)
    try:
        yield root
    finally:
        path.write_bytes(original)


# --- Mutations of the text of a valid file ----------------------------------------------------

YAML_SPECIALS = [":", ": ", "-", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!", "!!python/object:os.system ",
                 "!!binary ", "|", ">-", "#", "'", '"', "%", "@", "`", "? ", "---\n", "...\n", "\t", "\\", "\x00",
                 "\ufeff", "\r", "\x1b", "\u202e", "<script>", "](javascript:x)", "{: onclick=x }", "~", "null",
                 "<<: *a", "&#106;", "\n", "\n  ", "\n- ", "0x1F", ".nan", "1e999", "9" * 400]
OTHER_VALUES = ["[a, b]", "{a: b}", "12", "-1", "1.5", "", "~", "true", "no", "'2019-02-30'", "[]", "{}", "*a",
                "&a x", "!!str x", "|\n  bloc", ">-\n  plié", '"\\u0000"', "«", "9" * 5000]


@st.composite
def text_mutation(draw: st.DrawFn, text: str) -> str:
    """The text of a file after one change at a random place."""
    lines = text.split("\n")
    index = draw(st.integers(0, len(lines) - 1))
    line = lines[index]
    position = draw(st.integers(0, len(text)))
    kind = draw(st.sampled_from(["delete", "duplicate", "indent", "insert", "special", "truncate", "value",
                                 "swap"]))
    if kind == "delete":
        del lines[index]
    elif kind == "duplicate":
        lines.insert(index, line)
    elif kind == "indent":
        stripped = line.lstrip(" ")
        lines[index] = draw(st.sampled_from(["", " ", "  ", "   ", "    ", "\t", " \t"])) + stripped
    elif kind == "swap":
        other = draw(st.integers(0, len(lines) - 1))
        lines[index], lines[other] = lines[other], lines[index]
    elif kind == "value" and ":" in line:
        key = line.split(":", 1)[0]
        lines[index] = f"{key}: {draw(st.sampled_from(OTHER_VALUES) | st.text(max_size=20))}"
    else:
        piece = draw(st.text(min_size=1, max_size=12)) if kind == "insert" else draw(st.sampled_from(YAML_SPECIALS))
        if kind == "truncate":
            return text[:position]
        return text[:position] + piece + text[position:]
    return "\n".join(lines)


@st.composite
def mutated_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """One file of the small référentiel, changed one to four times."""
    name = draw(st.sampled_from(FILES))
    text = (FIXTURE / name).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        text = draw(text_mutation(text))
    encoding = draw(st.sampled_from(["utf-8"] * 8 + ["latin-1", "utf-16", "utf-8-sig"]))
    return name, text.encode(encoding, errors="replace")


# --- Mutations of the values of a valid file -------------------------------------------------

def paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """The path of every value of loaded data, the root included."""
    found = [prefix]
    if isinstance(data, dict):
        found += [path for key, value in data.items() for path in paths(value, (*prefix, key))]
    elif isinstance(data, list):
        found += [path for index, value in enumerate(data) for path in paths(value, (*prefix, index))]
    return found


def replaced(data: Any, path: tuple, change: typing.Callable[[Any], Any]) -> Any:
    if not path:
        return change(data)
    head, rest = path[0], path[1:]
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[head] = replaced(data[head], rest, change)
    return copy


ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)


@st.composite
def value_change(draw: st.DrawFn, value: Any) -> Any:
    """The value changed: another type, random Unicode inserted, truncated, a key deleted or added."""
    options = ["type"]
    if isinstance(value, str):
        options += ["unicode", "truncate", "long"]
    if isinstance(value, dict) and value:
        options += ["delete", "add"]
    if isinstance(value, list) and value:
        options += ["drop", "repeat"]
    kind = draw(st.sampled_from(options))
    if kind == "unicode":
        position = draw(st.integers(0, len(value)))
        return value[:position] + draw(st.text(min_size=1, max_size=10)) + value[position:]
    if kind == "truncate":
        return value[:draw(st.integers(0, len(value)))]
    if kind == "long":
        return value * draw(st.integers(2, 50)) + "x" * draw(st.sampled_from([0, 7000]))
    if kind == "delete":
        key = draw(st.sampled_from(sorted(value)))
        return {name: item for name, item in value.items() if name != key}
    if kind == "add":
        return {**value, draw(st.text(min_size=1, max_size=10)): draw(ANY_VALUE)}
    if kind == "drop":
        return value[1:]
    if kind == "repeat":
        return value + value
    return draw(ANY_VALUE)


@st.composite
def changed_values(draw: st.DrawFn) -> tuple[str, str]:
    """One file of the small référentiel with one to three of its values changed, written back as YAML."""
    name = draw(st.sampled_from(FILES))
    data = parse((FIXTURE / name).read_text(encoding="utf-8"), name).data
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths(data)))
        data = replaced(data, path, lambda value: draw(value_change(value)))
    return name, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def assert_only_engine_problems(root: Path) -> None:
    """`check` returns problems (it raises nothing), each at a real place, in French, printable on one line."""
    problems = check(root).problems
    lengths = {path.relative_to(root).as_posix(): sum(path.read_bytes().count(end) for end in LINE_BREAKS) + 1
               for path in root.rglob("*.yaml") if path.is_file()}
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.file in lengths, problem
        assert 1 <= problem.line <= lengths[problem.file] and problem.column >= 1, problem
        assert in_french(problem.message), problem
    human = render(problems, "human").splitlines()
    assert len(human) == len(problems) and all(PROBLEM_LINE.match(line) for line in human)
    assert all(line.startswith(("::error ", "::warning ")) for line in render(problems, "github").splitlines())
    assert len(json.loads(render(problems, "json"))) == len(problems)


@MUTATIONS
@given(change=mutated_file())
def test_a_mutated_file_only_ever_gives_problems(root: Path, change: tuple[str, bytes]):
    name, data = change
    with changed(root, name, data):
        assert_only_engine_problems(root)


@MUTATIONS
@given(change=changed_values())
def test_values_of_the_wrong_type_or_shape_only_ever_give_problems(root: Path, change: tuple[str, str]):
    name, text = change
    with changed(root, name, text.encode()):
        assert_only_engine_problems(root)


@settings(max_examples=200, deadline=None)
@given(change=mutated_file(), fmt=st.sampled_from(["human", "json", "github"]))
def test_the_command_line_exits_0_or_1_and_never_prints_a_traceback(root: Path, change: tuple[str, bytes],
                                                                      fmt: str):
    name, data = change
    output, errors = io.StringIO(), io.StringIO()
    with changed(root, name, data), contextlib.redirect_stdout(output), contextlib.redirect_stderr(errors):
        code = cli.main(["--racine", str(root), "check", "--format", fmt])
    assert code in (0, 1)
    assert "Traceback" not in output.getvalue() + errors.getvalue()


@settings(max_examples=1000, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_reading_any_bytes_gives_a_document_or_a_french_load_error(raw: bytes):
    try:
        parse(decode(raw, "f.yaml"), "f.yaml")
    except LoadError as error:
        assert error.problem.line >= 1 and error.problem.column >= 1
        assert in_french(error.problem.message), error.problem


# --- Valid entries, generated from the models --------------------------------------------------

ID = st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,3}", fullmatch=True).filter(
    lambda ident: len(ident) >= 2 and ident not in RESERVED_IDS)
WORDS = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Co", "Cn")), min_size=1, max_size=40)
MARKDOWN = st.sampled_from([
    "**gras**", "*italique*", "[un lien](https://exemple.org/a_(b))", "\n\n", "\n- un point\n", "« citation »",
    "l'apostrophe", "50 %", " # ", ": ", " - ", "'", '"', "\\", "\t", "1. ", "> ", "`code`", "<", "&", "{", "null",
    "~", "true", "2019", "0x1F", "\u2028", "\u00a0", "é", "œ", "Ω", "文字", "🙂",
])
TEXT = st.lists(WORDS | MARKDOWN, min_size=1, max_size=6).map("".join)


def _date(day: datetime.date, precision: int) -> str:
    return day.isoformat()[: (4, 7, 10)[precision]]


DATE = st.builds(_date, st.dates(datetime.date(1800, 1, 1), datetime.date(2100, 12, 31)), st.integers(0, 2))


def _unwrap(annotation: Any, metadata: list[Any]) -> tuple[Any, list[Any]]:
    """The type under Annotated (its constraints gathered), and whether None is allowed."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation, *extra = typing.get_args(annotation)
        for item in extra:
            metadata = [*metadata, *(item.metadata if isinstance(item, FieldInfo) else [item])]
    return annotation, metadata


def values(annotation: Any, metadata: list[Any]) -> st.SearchStrategy[Any]:
    """Valid values for a field of the format, from its type and its constraints."""
    annotation, metadata = _unwrap(annotation, metadata)
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return st.none() | values(options[0], metadata)
    if origin is list:
        minimum = max([item.min_length for item in metadata if isinstance(item, MinLen)], default=0)
        return st.lists(values(typing.get_args(annotation)[0], []), min_size=minimum, max_size=minimum + 2)
    if origin is Literal:
        return st.sampled_from(typing.get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return mappings(annotation)
    if annotation is bool:
        return st.booleans()
    low = next((item.ge for item in metadata if isinstance(item, Ge)), None)
    high = next((item.le for item in metadata if isinstance(item, Le)), None)
    if annotation is int:
        assert isinstance(low, int | None) and isinstance(high, int | None), (low, high)
        return st.integers(min_value=low, max_value=high)
    if annotation is float:
        assert isinstance(low, int | float | None) and isinstance(high, int | float | None), (low, high)
        return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)
    assert annotation is str, annotation
    return strings(metadata)


def strings(metadata: list[Any]) -> st.SearchStrategy[str]:
    """Valid strings: ids for ids and references, dates for dates, and Markdown-ish text for every text
    (a quotation is the same text between « »: the filter keeps what the field accepts)."""
    validators = [item.func.__name__ for item in metadata if isinstance(item, AfterValidator)]
    pattern = next((item.pattern for item in metadata
                    if isinstance(item, StringConstraints) and isinstance(item.pattern, str) and item.pattern), None)
    if any("date" in name for name in validators):
        return DATE
    if any(isinstance(item, (Ref, Vocab)) for item in metadata) or (pattern and pattern.startswith("^[a-z0-9]")):
        candidates = ID  # references and vocabulary ids: their existence is checked between files
    elif pattern:
        candidates = st.from_regex(pattern.replace("+$", "{1,40}$"), fullmatch=True)
    else:
        candidates = TEXT | TEXT.map(lambda text: f"« {text} »")
    adapter = TypeAdapter(typing.Annotated[str, *metadata])
    return candidates.filter(lambda value: _valid(adapter, value))


def _valid(adapter: TypeAdapter, value: Any) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


def mappings(model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """The data of a valid instance of a model: its required fields, and some of the others."""
    fields = {name: values(info.annotation, info.metadata) for name, info in model.model_fields.items()}
    required = {name: fields[name] for name, info in model.model_fields.items() if info.is_required()}
    optional = {name: fields[name] for name in fields if name not in required}
    data = st.fixed_dictionaries(required, optional=optional)
    if model.__pydantic_decorators__.model_validators:  # rules between fields: keep the data they accept
        adapter = TypeAdapter(model)
        return data.filter(lambda value: _valid(adapter, value))
    return data


MODELS: list[type[BaseModel]] = [*KINDS.values(), Vocabularies, Glossary, Bibliography]
ENTRIES = st.one_of([st.tuples(st.just(model), mappings(model)) for model in MODELS])
"""A model of the format and the data of a valid instance of it."""


def yaml_text(model: BaseModel) -> str:
    return yaml.safe_dump(model.model_dump(mode="json"), allow_unicode=True, sort_keys=False)


@ROUND_TRIPS
@given(ENTRIES)
def test_valid_entries_round_trip_through_yaml_and_json(entry: tuple[type[BaseModel], dict[str, Any]]):
    model, data = entry
    written = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    loaded = model.model_validate(parse(written, "entree.yaml").data)
    assert loaded == model.model_validate(data)
    again = model.model_validate(parse(yaml_text(loaded), "entree.yaml").data)
    assert again == loaded
    assert model.model_validate(json.loads(loaded.model_dump_json())) == loaded


def test_the_fixture_entries_round_trip_too():
    for name in FILES:
        model = next((kind for kind in KINDS.values() if name.startswith(kind.folder + "/")), None)
        model = model or {"data/vocabulaires.yaml": Vocabularies, "data/glossaire.yaml": Glossary,
                          "data/bibliographie.yaml": Bibliography}[name]
        loaded = model.model_validate(parse((FIXTURE / name).read_text(encoding="utf-8"), name).data)
        assert model.model_validate(parse(yaml_text(loaded), name).data) == loaded, name
        if isinstance(loaded, Entry):
            assert loaded.id == Path(name).stem
