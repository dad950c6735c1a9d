"""`@datarecord`: a standard-library dataclass, built for less start-up CPU.

`@datarecord` is `@dataclass(frozen=True)` (`@datarecord(frozen=False)`: `@dataclass`; `slots=True` as there):
the same fields (`dataclasses.fields`, `replace`, `asdict` and `match` work), the same `__init__`
(signature, defaults, `default_factory`, `__post_init__`), and the same `__repr__`, `__eq__`,
`__hash__`, frozen `__setattr__`/`__delattr__` (`FrozenInstanceError`, same messages), pickling and
generated `__doc__`. tests/unit/test_datarecord.py checks every datarecord of the package against a
standard-library twin.

Why: the standard library compiles the source text of each generated method (`exec`): six for a
frozen class, about 0.5 M instructions each. The ~65 classes imported before the hub is filled
cost ~190 M instructions, an eighth of `coinloop play`'s start-up (README, "Tests and benchmarks").
Here the fields are processed by `dataclasses` itself (with no method to generate), `__init__` is
compiled from one short text, and the other methods are closures over each class's field names,
compiled once with this module.

Not supported (a TypeError at class creation, never a silent difference): keyword-only fields and
`InitVar` pseudo-fields; `order` and `unsafe_hash` are no parameters.
"""

from __future__ import annotations

import dataclasses
import inspect
import reprlib
import typing
from dataclasses import MISSING, Field, FrozenInstanceError
from operator import attrgetter
from typing import Any, Callable, TypeVar, overload

T = TypeVar("T")

__all__ = ["datarecord"]

_NO_DOC = "\x00datarecord: no docstring\x00"    # set while dataclasses runs: it would compute one, slowly


class _HasDefaultFactory:
    """The `__init__` default of a `default_factory` field (as in dataclasses: shown as <factory>)."""

    def __repr__(self) -> str:
        return "<factory>"


_HAS_DEFAULT_FACTORY = _HasDefaultFactory()


@overload
def datarecord(cls: type[T], /) -> type[T]: ...
@overload
def datarecord(*, frozen: bool = True, slots: bool = False) -> Callable[[type[T]], type[T]]: ...


@typing.dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, Field))
def datarecord(cls: type[T] | None = None, /, *, frozen: bool = True,
               slots: bool = False) -> type[T] | Callable[[type[T]], type[T]]:
    """`@dataclass(frozen=True)` (or `frozen=False`, `slots=True`), with the same behaviour."""

    def wrap(c: type[T]) -> type[T]:
        return _process(c, frozen, slots)

    return wrap if cls is None else wrap(cls)


def _process(cls: type[T], frozen: bool, slots: bool) -> type[T]:
    body = cls.__dict__
    class_hash = body.get("__hash__", MISSING)
    explicit_hash = not (class_hash is MISSING or (class_hash is None and "__eq__" in body))
    if frozen:
        for name in ("__setattr__", "__delattr__"):
            if name in body:
                raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
    bases = [getattr(b, "__dataclass_params__") for b in cls.__mro__[-1:0:-1]  # noqa: B009 - a dataclass's
             if hasattr(b, "__dataclass_fields__")]
    frozen_base = any(p.frozen for p in bases)
    if bases and frozen_base and not frozen:
        raise TypeError("cannot inherit non-frozen dataclass from a frozen one")
    if bases and frozen and not frozen_base:
        raise TypeError("cannot inherit frozen dataclass from a non-frozen one")
    no_doc = not body.get("__doc__")
    if no_doc:
        cls.__doc__ = _NO_DOC
    # dataclasses collects the fields (its own rules: defaults, field(), ClassVar, base classes, slots);
    # with nothing to generate, it compiles nothing (under a frozen base, its __setattr__ and
    # __delattr__; and it refuses a mutable class there)
    cls = dataclasses.dataclass(cls, init=False, repr=False, eq=False, frozen=frozen_base, slots=slots)
    fields = dataclasses.fields(cls)        # type: ignore[arg-type]  # a dataclass now
    for f in fields:
        if f.kw_only:
            raise TypeError(f"datarecord {cls.__qualname__}: keyword-only field {f.name!r} is not supported")
    for f in cls.__dataclass_fields__.values():     # type: ignore[attr-defined]  # with the pseudo-fields
        if "InitVar" in str(f.type):
            raise TypeError(f"datarecord {cls.__qualname__}: InitVar {f.name!r} is not supported")
    params = cls.__dataclass_params__       # type: ignore[attr-defined]  # set by dataclasses above
    params.init = params.repr = params.eq = True
    params.frozen = frozen
    body = cls.__dict__
    own_init = "__init__" not in body
    if own_init:
        setattr(cls, "__init__", _init(cls, fields, frozen))  # noqa: B010 - a method set on the class
    names = tuple(f.name for f in fields)
    methods: dict[str, Callable[..., Any]] = {
        "__repr__": _repr([f.name for f in fields if f.repr]),
        "__eq__": _eq(_getter([f.name for f in fields if f.compare])),
    }
    if frozen:
        methods["__setattr__"], methods["__delattr__"] = _frozen(cls, names)
    for name, fn in methods.items():
        if name not in body:
            fn.__qualname__ = f"{cls.__qualname__}.{fn.__name__}"
            setattr(cls, name, fn)
    if frozen and slots:    # as dataclasses does: unpickling sets the slots without __setattr__
        for name, fn in (("__getstate__", _getstate), ("__setstate__", _setstate)):
            if name not in body:
                setattr(cls, name, fn)
    if not explicit_hash:       # a __hash__ written in the class stays (as with dataclasses)
        if frozen:
            hashed = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]
            fn = _hash(_getter(hashed))
            fn.__qualname__ = f"{cls.__qualname__}.__hash__"
            cls.__hash__ = fn       # type: ignore[assignment]  # the class's own method, set after creation
        else:
            cls.__hash__ = None     # type: ignore[assignment]  # mutable and compared by value: unhashable
    if no_doc:
        cls.__doc__ = cls.__name__ + _signature_text(cls, fields, own_init)
    return cls


def _init(cls: type, fields: tuple[Field[Any], ...], frozen: bool) -> Callable[..., None]:
    """The `__init__` dataclasses would write, compiled from one short text."""
    env: dict[str, Any] = {"__dataclass_builtins_object__": object,
                           "__dataclass_HAS_DEFAULT_FACTORY__": _HAS_DEFAULT_FACTORY}
    args: list[str] = []
    lines: list[str] = []
    seen_default = False
    for f in fields:
        dflt = f"__dataclass_dflt_{f.name}__"
        if f.init:
            if f.default is not MISSING or f.default_factory is not MISSING:
                seen_default = True
            elif seen_default:
                raise TypeError(f"non-default argument {f.name!r} follows default argument")
        if f.default_factory is not MISSING:
            env[dflt] = f.default_factory
            value = f"{dflt}() if {f.name} is __dataclass_HAS_DEFAULT_FACTORY__ else {f.name}" if f.init else f"{dflt}()"
        elif f.init:
            value = f.name
        else:
            continue            # a class attribute holds its default, as with dataclasses
        if f.init:
            if f.default_factory is not MISSING:
                args.append(f"{f.name}=__dataclass_HAS_DEFAULT_FACTORY__")
            elif f.default is not MISSING:
                env[dflt] = f.default
                args.append(f"{f.name}={dflt}")
            else:
                args.append(f.name)
        if frozen:
            lines.append(f"__dataclass_builtins_object__.__setattr__(self,{f.name!r},{value})")
        else:
            lines.append(f"self.{f.name}={value}")
    if hasattr(cls, "__post_init__"):
        lines.append("self.__post_init__()")
    text = f"def __init__(self,{','.join(args)}):\n " + ("\n ".join(lines) or "pass") + "\n"
    exec(text, env)     # our own text, from field names, as dataclasses does
    fn: Callable[..., None] = env["__init__"]
    fn.__qualname__ = f"{cls.__qualname__}.__init__"
    fn.__annotations__ = {**{f.name: f.type for f in fields if f.init}, "return": None}
    return fn


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of these attributes (what dataclasses compares and hashes)."""
    if not names:
        return lambda _self: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda self: (one(self),)
    return attrgetter(*names)


def _repr(names: list[str]) -> Callable[[Any], str]:
    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:  # noqa: N807 - the method's own name
        return self.__class__.__qualname__ + "(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in names) + ")"

    return __repr__


def _eq(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:  # noqa: N807 - the method's own name
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


def _hash(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:  # noqa: N807 - the method's own name
        return hash(values(self))

    return __hash__


def _frozen(cls: type[Any], names: tuple[str, ...]) -> tuple[Callable[..., None], Callable[..., None]]:
    def __setattr__(self: Any, name: str, value: Any) -> None:  # noqa: N807 - the method's own name
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:  # noqa: N807 - the method's own name
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __setattr__, __delattr__


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, f.name) for f in dataclasses.fields(self)]


def _setstate(self: Any, state: list[Any]) -> None:
    for f, value in zip(dataclasses.fields(self), state):
        object.__setattr__(self, f.name, value)


def _signature_text(cls: type, fields: tuple[Field[Any], ...], own_init: bool) -> str:
    """`str(inspect.signature(cls))` without ` -> None`, the docstring dataclasses gives a class without
    one. Written out for our `__init__` over string annotations (`from __future__ import annotations`):
    inspect is slow."""
    if not own_init or not all(isinstance(f.type, str) for f in fields if f.init):
        try:
            return str(inspect.signature(cls)).replace(" -> None", "")
        except (TypeError, ValueError):
            return ""
    parts = []
    for f in fields:
        if not f.init:
            continue
        text = f"{f.name}: {f.type!r}"
        if f.default_factory is not MISSING:
            text += " = <factory>"
        elif f.default is not MISSING:
            text += f" = {f.default!r}"
        parts.append(text)
    return "(" + ", ".join(parts) + ")"
