"""`@datarecord` behaves as the standard-library dataclass it replaces (coinloop/datarecord.py).

Every datarecord class of the package is compared with a twin built by `dataclasses.dataclass` from the
same fields: docstring, signature, fields, match args, params, and on instances repr, ==, hash, the
frozen errors (type and message), asdict/astuple/replace, copy and pickle. Small made-up classes cover
what the package does not use yet (default factories, init=False, __post_init__, own methods,
inheritance, the refusals).
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import pickle
import pkgutil
import sys
import typing
from dataclasses import FrozenInstanceError, field
from pathlib import Path

import pytest

import coinloop
from coinloop.datarecord import datarecord

SRC = Path(coinloop.__file__).parent
GENERATED = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__", "__getstate__",
             "__setstate__", "__dict__", "__weakref__", "__dataclass_fields__", "__dataclass_params__",
             "__match_args__", "__doc__", "__slots__")


def _is_datarecord(cls: object) -> bool:
    return isinstance(cls, type) and getattr(cls.__dict__.get("__eq__"), "__module__", None) == "coinloop.datarecord"


def _package_records() -> list[type]:
    """Every datarecord class defined at module level in a module that uses the decorator."""
    found = []
    for info in pkgutil.walk_packages([str(SRC)], "coinloop."):
        path = SRC.joinpath(*info.name.split(".")[1:])
        source = path / "__init__.py" if info.ispkg else path.with_suffix(".py")
        if "@datarecord" not in source.read_text(encoding="utf-8"):
            continue
        module = importlib.import_module(info.name)
        found += [c for c in vars(module).values() if _is_datarecord(c) and c.__module__ == info.name]
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


RECORDS = _package_records()


def _twin(cls: type) -> type:
    """The same class as the standard library's dataclass would build it."""
    own = cls.__dict__.get("__annotations__", {})
    ns: dict[str, object] = {"__annotations__": dict(own), "__module__": cls.__module__,
                             "__qualname__": cls.__qualname__}
    generated_doc = cls.__doc__.startswith(cls.__name__ + "(")
    ns["__doc__"] = None if generated_doc else cls.__doc__
    for name, value in cls.__dict__.items():
        if name in GENERATED or name in own or getattr(value, "__module__", None) == "coinloop.datarecord":
            continue
        ns[name] = value
    for name in own:
        f = cls.__dataclass_fields__.get(name)
        if f is None or f._field_type is not dataclasses._FIELD:     # a ClassVar: its value as written
            if name in cls.__dict__:
                ns[name] = cls.__dict__[name]
            continue
        ns[name] = field(default=f.default, default_factory=f.default_factory, init=f.init, repr=f.repr,
                         hash=f.hash, compare=f.compare, metadata=f.metadata or None)
    params = cls.__dataclass_params__
    return dataclasses.dataclass(frozen=params.frozen, slots="__slots__" in cls.__dict__)(
        type(cls.__name__, cls.__bases__, ns))


def _outcome(fn: typing.Callable[[], object]) -> tuple:
    try:
        return ("ok", fn())
    except Exception as exc:  # noqa: BLE001 - the outcome is compared, whatever it is
        return ("raised", type(exc), str(exc))


def _same_class_behaviour(ours: type, std: type) -> None:
    assert ours.__doc__ == std.__doc__
    assert str(inspect.signature(ours)) == str(inspect.signature(std))
    assert ours.__init__.__annotations__ == std.__init__.__annotations__
    assert ours.__match_args__ == std.__match_args__
    assert repr(ours.__dataclass_params__) == repr(std.__dataclass_params__)
    fields = [(f.name, f.default, f.default_factory, f.init, f.repr, f.hash, f.compare, f.kw_only, f.type)
              for f in dataclasses.fields(ours)]
    assert fields == [(f.name, f.default, f.default_factory, f.init, f.repr, f.hash, f.compare, f.kw_only, f.type)
                      for f in dataclasses.fields(std)]
    assert (ours.__hash__ is None) == (std.__hash__ is None)
    for f in dataclasses.fields(ours):      # class attributes: defaults (or slot descriptors) alike
        assert type(getattr(ours, f.name, None)) is type(getattr(std, f.name, None))
        if f.default is not dataclasses.MISSING and "__slots__" not in ours.__dict__:
            assert getattr(ours, f.name) == getattr(std, f.name)


def _same_instance_behaviour(ours: type, std: type, seed: int = 1) -> None:
    required = [f for f in dataclasses.fields(ours) if f.init and f.default is dataclasses.MISSING
                and f.default_factory is dataclasses.MISSING]
    args = [seed * 100 + i for i in range(len(required))]
    other = [seed * 100 + 50 + i for i in range(len(required))]
    a, b, a2 = ours(*args), std(*args), ours(*other)
    assert repr(a) == repr(b)
    assert a == ours(*args) and not (a != ours(*args))
    assert (a == a2) == (std(*args) == std(*other))
    if ours.__eq__.__module__ == "coinloop.datarecord":
        assert a != b and b != a               # another class: never equal, as with dataclasses
    assert _outcome(lambda: hash(a)) == _outcome(lambda: hash(b))
    if a.__hash__ is not None and _outcome(lambda: hash(a))[0] == "ok":
        assert hash(a) == hash(ours(*args))
    names = [f.name for f in dataclasses.fields(ours)][:2]
    if "__slots__" not in ours.__dict__:
        names.append("not_a_field")
    for name in names:
        a, b = ours(*args), std(*args)
        assert _outcome(lambda a=a, n=name: setattr(a, n, 7)) == _outcome(lambda b=b, n=name: setattr(b, n, 7))
        assert repr(a) == repr(b)
        assert _outcome(lambda a=a, n=name: delattr(a, n)) == _outcome(lambda b=b, n=name: delattr(b, n))
    if "__slots__" in ours.__dict__ and ours.__dataclass_params__.frozen:
        # Python 3.11's frozen __setattr__ of a slots dataclass refers to the class from before its slots
        # were added, so a name that is no field fails with a TypeError from super(); ours says it is frozen
        with pytest.raises(FrozenInstanceError, match="cannot assign to field 'not_a_field'"):
            ours(*args).not_a_field = 7
        with pytest.raises((TypeError, FrozenInstanceError)):
            std(*args).not_a_field = 7
    a, b = ours(*args), std(*args)
    assert dataclasses.asdict(a) == dataclasses.asdict(b)
    assert dataclasses.astuple(a) == dataclasses.astuple(b)
    if required:
        first = required[0].name
        assert repr(dataclasses.replace(a, **{first: -1})) == repr(dataclasses.replace(b, **{first: -1}))
    assert copy.copy(a) == a and copy.deepcopy(a) == a
    if getattr(sys.modules[ours.__module__], ours.__qualname__, None) is ours:     # importable: pickles
        assert repr(pickle.loads(pickle.dumps(a))) == repr(a)
        assert pickle.loads(pickle.dumps(a)) == a


def test_the_package_uses_datarecord_on_the_start_up_path():
    names = {f"{c.__module__}.{c.__qualname__}" for c in RECORDS}
    assert len(RECORDS) >= 60
    assert {"coinloop.economy.model.Economy", "coinloop.save.wallet.Entry", "coinloop.core.missions.Board",
            "coinloop.areas.story.PaywallInfo"} <= names


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_each_record_matches_a_standard_dataclass(cls):
    std = _twin(cls)
    _same_class_behaviour(cls, std)
    _same_instance_behaviour(cls, std)


def _both(make_body: typing.Callable[[], dict[str, object]], bases: tuple[type, ...] = (),
          **options: object) -> tuple[type, type]:
    """The same class body built twice: by datarecord and by dataclasses (frozen unless said otherwise)."""
    frozen = options.pop("frozen", True)

    def build(deco: typing.Callable[[type], type]) -> type:
        ns = {"__module__": __name__, "__qualname__": "Made", **make_body()}
        return deco(type("Made", bases, ns))

    return (build(datarecord(frozen=frozen, **options)),  # type: ignore[call-overload]
            build(dataclasses.dataclass(frozen=frozen, **options)))


CASES = {
    "defaults and a factory": lambda: {
        "__annotations__": {"a": "int", "b": "str", "c": "list[int]", "d": "float"},
        "b": "x", "c": field(default_factory=list), "d": field(default=1.5, repr=False)},
    "init=False and compare=False": lambda: {
        "__annotations__": {"a": "int", "b": "int", "c": "dict", "d": "int"},
        "b": field(default=3, init=False), "c": field(default_factory=dict, init=False), "d": field(default=0, compare=False)},
    "no fields": lambda: {"__annotations__": {}},
    "one field, hash=False": lambda: {"__annotations__": {"a": "int", "b": "int"}, "b": field(default=2, hash=False)},
    "a ClassVar and a docstring": lambda: {
        "__annotations__": {"k": "typing.ClassVar[int]", "a": "int"}, "k": 4, "__doc__": "Documented."},
    "own __repr__ and __eq__": lambda: {
        "__annotations__": {"a": "int"}, "__repr__": lambda self: "mine", "__eq__": lambda self, other: True},
    "own __hash__": lambda: {"__annotations__": {"a": "int"}, "__hash__": lambda self: 7},
    "__post_init__": lambda: {
        "__annotations__": {"a": "int", "seen": "list"}, "seen": field(default_factory=list),
        "__post_init__": lambda self: self.seen.append(self.a)},
    "a property": lambda: {"__annotations__": {"a": "int"}, "double": property(lambda self: self.a * 2)},
}


@pytest.mark.parametrize("frozen", [True, False])
@pytest.mark.parametrize("case", list(CASES))
def test_made_up_classes_match_the_standard_library(case, frozen):
    ours, std = _both(CASES[case], frozen=frozen)
    _same_class_behaviour(ours, std)
    _same_instance_behaviour(ours, std)


def test_slots_match_the_standard_library():
    ours, std = _both(lambda: {"__annotations__": {"a": "int", "b": "str"}, "b": "x"}, slots=True)
    assert ours.__slots__ == std.__slots__ == ("a", "b")
    _same_class_behaviour(ours, std)
    a = ours(1)
    assert not hasattr(a, "__dict__")
    assert a.__getstate__() == std(1).__getstate__() == [1, "x"]
    copied = copy.deepcopy(a)
    assert copied == a and copied is not a


def test_post_init_runs_once():
    ours, _std = _both(CASES["__post_init__"])
    assert ours(5).seen == [5]


def test_inheriting_a_frozen_dataclass():
    @dataclasses.dataclass(frozen=True)
    class Base:
        key: str
        shown: bool = True

    @datarecord
    class Child(Base):
        title: str = ""

    @dataclasses.dataclass(frozen=True)
    class StdChild(Base):
        title: str = ""

    assert str(inspect.signature(Child)) == str(inspect.signature(StdChild))
    assert repr(Child("k", title="t")) == repr(StdChild("k", title="t")).replace("StdChild", "Child")
    assert Child("k") == Child("k") and hash(Child("k")) == hash(StdChild("k"))
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'key'"):
        Child("k").key = "x"

    @datarecord
    class Grandchild(Child):
        more: int = 0

    assert Grandchild("k", more=2) == Grandchild("k", True, "", 2) != Grandchild("k")
    assert dataclasses.fields(Grandchild)[-1].name == "more"


@pytest.mark.parametrize(("body", "options", "message"), [
    ({"__annotations__": {"a": "int", "b": "int"}, "a": 1}, {}, "non-default argument 'b' follows default argument"),
    ({"__annotations__": {"a": "int"}, "__setattr__": lambda self, n, v: None}, {},
     "Cannot overwrite attribute __setattr__"),
])
def test_refusals_match_the_standard_library(body, options, message):
    with pytest.raises(TypeError, match=message):
        _both(lambda: dict(body), **options)
    with pytest.raises(TypeError, match=message):
        dataclasses.dataclass(frozen=True)(type("Made", (), {"__module__": __name__, **body}))


def test_mutable_inheritance_rules_match_the_standard_library():
    frozen_base = datarecord(type("FrozenBase", (), {"__module__": __name__, "__annotations__": {"a": "int"}}))
    with pytest.raises(TypeError, match="cannot inherit non-frozen dataclass from a frozen one"):
        datarecord(frozen=False)(type("Sub", (frozen_base,), {"__module__": __name__}))
    mutable_base = datarecord(frozen=False)(type("MutableBase", (), {"__module__": __name__,
                                                                     "__annotations__": {"a": "int"}}))
    with pytest.raises(TypeError, match="cannot inherit frozen dataclass from a non-frozen one"):
        datarecord(type("Sub", (mutable_base,), {"__module__": __name__}))


def test_keyword_only_fields_and_init_vars_are_refused():
    with pytest.raises(TypeError, match="keyword-only field 'a' is not supported"):
        datarecord(type("Made", (), {"__module__": __name__, "__annotations__": {"a": "int"},
                                     "a": field(kw_only=True)}))
    with pytest.raises(TypeError, match="InitVar 'b' is not supported"):
        datarecord(type("Made", (), {"__module__": __name__,
                                     "__annotations__": {"a": "int", "b": "dataclasses.InitVar[int]"}}))
