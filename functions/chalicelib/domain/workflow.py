"""A workflow as data: every state, every verb, and where each verb may lead.

Each aggregate with states (a company, a document, an agreement, an order,
a slot's proof, a negotiated rate line; invoices and payments next) declares
one ``Workflow`` in its domain module: a table of verbs, each listing the
states it may start from and the state it leads to. Entities move only
through ``Workflow.target``, which refuses an illegal move with a stable code
and an Indonesian sentence that names the state (``TransitionRefused``), so a
service never decides by itself whether a move is legal, and a test can walk
every (state, verb) pair.

A verb may leave the state as it is (``editing``, ``ordering``): it then only
says *in which states* something is allowed, with its own refusal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, Mapping, TypeVar

from ..errors import SeklikError

S = TypeVar("S", bound=Enum)

# Every workflow declared anywhere, so tests can walk them all and check their codes are documented.
REGISTRY: list["Workflow"] = []


class TransitionRefused(SeklikError):
    """A verb that the current state does not allow: 409 with a stable code and the reason in words."""

    def __init__(self, code: str, message: str):
        super().__init__(code, message, 409)


@dataclass(frozen=True)
class Verb(Generic[S]):
    """One verb: from which states it may be done, where it leads, and how a refusal reads.

    ``to`` is None for a verb that keeps the state. ``refusal`` is formatted
    with ``{state}``: the label of the state it was tried from.
    """

    name: str
    sources: frozenset
    to: S | None
    code: str
    refusal: str

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(self.sources))


def _label(state: Enum) -> str:
    return getattr(state, "label", state.value)


@dataclass(frozen=True, eq=False)  # each table is one object: compared and hashed by identity
class Workflow(Generic[S]):
    name: str
    states: type[S]
    verbs: Mapping[str, Verb[S]] = field(default_factory=dict)

    @classmethod
    def of(cls, name: str, states: type[S], *verbs: Verb[S]) -> "Workflow[S]":
        table = {verb.name: verb for verb in verbs}
        if len(table) != len(verbs):
            raise ValueError(f"{name}: a verb is declared twice")
        for verb in verbs:
            unknown = [s for s in verb.sources | ({verb.to} if verb.to else set()) if not isinstance(s, states)]
            if unknown:
                raise ValueError(f"{name}.{verb.name}: {unknown} are not {states.__name__}")
        workflow = cls(name, states, table)
        REGISTRY.append(workflow)
        return workflow

    def allows(self, state: S, verb: str) -> bool:
        return state in self._verb(verb).sources

    def target(self, state: S, verb: str, **context) -> S:
        """The state ``verb`` leads to from ``state``, or TransitionRefused saying why not.

        ``context`` fills the refusal's other placeholders (an agreement's number, …).
        """
        spec = self._verb(verb)
        if state not in spec.sources:
            raise TransitionRefused(spec.code, spec.refusal.format(state=_label(state), **context))
        return spec.to if spec.to is not None else state

    def require(self, state: S, verb: str, **context) -> None:
        """Refuse unless ``verb`` may be done in ``state`` (for verbs that keep the state)."""
        self.target(state, verb, **context)

    def verbs_from(self, state: S) -> list[str]:
        return [name for name, verb in self.verbs.items() if state in verb.sources]

    def transitions(self) -> dict[tuple[S, str], S]:
        """The whole table: (state, verb) → state, for every legal pair."""
        return {(state, name): verb.to if verb.to is not None else state
                for name, verb in self.verbs.items() for state in verb.sources}

    def _verb(self, verb: str) -> Verb[S]:
        try:
            return self.verbs[verb]
        except KeyError:
            raise ValueError(f"{self.name} has no verb {verb!r}") from None
