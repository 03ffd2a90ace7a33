"""`_lenient.construct`, the runtime's building of a response off the spec, tested once as
plain Python on hand-written models: the cases generated packages rarely reach."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Discriminator, Field, RootModel, Tag

from generator.runtime._lenient import _where, construct
from generator.runtime._types import ApiModel, discriminate_by, holds_lenient


class Node(ApiModel):
    name: str
    child: Node | None = None


class Naming(ApiModel):
    class_: str | None = Field(default=None, alias="class")
    class_2: str | None = Field(default=None, alias="class_")
    camel: int | None = Field(
        default=None, alias="Camel", validation_alias=AliasChoices("Camel", "camel")
    )


class Defaults(ApiModel):
    day: datetime.date | None = Field(default="2024-01-02", validate_default=True)
    tags: list[str] = Field(default=["a"])
    pair: tuple[int, str] | None = None
    many: tuple[int, ...] | None = None


class Cat(ApiModel):
    kind: Literal["cat"]
    lives: Annotated[int, Field(le=9)]


class Dog(ApiModel):
    kind: Literal["dog"]
    bark: str


class Pets(ApiModel):
    pet: Cat | Dog = Field(discriminator="kind")
    free: RootModel[Any] | None = None


def test_aliases_come_before_names() -> None:
    built = construct(Naming, {"class": "a", "class_": "b", "camel": "x"})
    assert (built.class_, built.class_2, built.camel) == ("a", "b", "x")
    assert built.model_fields_set == {"class_", "class_2", "camel"}


def test_defaults_are_built_and_copied() -> None:
    first, second = construct(Defaults, {"pair": ["1", 2]}), construct(Defaults, {})
    assert first.day == datetime.date(2024, 1, 2)  # validate_default: a date, not the text
    assert first.pair == (1, 2)  # each position as its type says, else as received
    first.tags.append("b")
    assert second.tags == ["a"] and second.model_fields_set == set()
    assert construct(Defaults, {"many": ["1", "x"]}).many == (1, "x")
    assert construct(Defaults, ["no", "object"]) == ["no", "object"]  # kept, not emptied


def test_a_string_discriminator_picks_the_member() -> None:
    pets = construct(Pets, {"pet": {"kind": "dog", "lives": 12}, "free": {"any": 1}})
    assert isinstance(pets.pet, Dog) and pets.pet.bark is None
    assert pets.pet.model_extra == {"lives": 12}
    assert isinstance(pets.free, RootModel) and pets.free.root == {"any": 1}
    cat = construct(Pets, {"pet": {"kind": "cat", "lives": 12}}).pet
    assert isinstance(cat, Cat) and cat.lives == 12  # over the bound, kept


class Animal(ApiModel):
    kind: str
    name: str | None = None


class Lion(Animal):
    kind: Literal["lion"]


class Seal(Animal):
    kind: Literal["seal"]


Tagged = Annotated[
    Annotated[Cat, Tag("cat")] | Annotated[Dog, Tag("dog")], Discriminator(discriminate_by("kind"))
]
Zoo = Annotated[Lion | Seal, Field(discriminator="kind")]


def test_an_unknown_tag_gives_no_member() -> None:
    # a tag added since the spec: not the first member (`isinstance(x, Cat)` for a bird)
    bird = {"kind": "bird", "name": "Tweety"}
    assert construct(Pets, {"pet": bird}).pet == bird
    assert construct(Tagged, bird) == bird
    assert construct(list[Tagged], [bird, {"kind": "dog"}])[0] == bird
    # the model every member derives from, when there is one
    built = construct(Zoo, {"kind": "otter", "name": "Olive", "paws": 4})
    assert type(built) is Animal and built.kind == "otter" and built.model_extra == {"paws": 4}
    # a known tag still picks its member; no tag at all, the member sharing most keys
    assert isinstance(construct(Tagged, {"kind": "cat", "lives": "x"}), Cat)
    assert isinstance(construct(Tagged, {"bark": "woof"}), Dog)
    assert isinstance(construct(Zoo, {"kind": "seal", "name": 3}), Seal)


def test_deep_bodies_do_not_exhaust_the_stack() -> None:
    body: dict[str, Any] = {"name": "leaf"}
    for level in range(2000):
        body = {"name": level, "child": body}
    built = construct(Node, body)
    depth = 0
    while built is not None and isinstance(built, Node):
        built, depth = built.child, depth + 1
    assert depth > 50  # built as deep as the limit, then kept as received


def test_built_models_are_recorded_and_copies_too() -> None:
    built = construct(Node, {"name": 1})
    assert holds_lenient(built) and holds_lenient([{"x": built}])
    assert holds_lenient(built.model_copy()) and holds_lenient(built.model_copy(deep=True))
    assert not holds_lenient(Node(name="valid"))


def test_where_shows_fields_and_masks_keys_from_the_body() -> None:
    assert _where(Pets, ("pet", "dog", "bark")) == "pet.dog.bark"
    assert _where(Node, ("child", "child", "name")) == "child.child.name"
    assert _where(dict[str, Node], ("someone@example.test", "name")) == "*.name"
    assert _where(list[Naming], (3, "Camel")) == "3.Camel"
    assert _where(Naming, ("unknown",)) == "*" and _where(Node, ()) == "(body)"


class Leaf(ApiModel):
    when: datetime.datetime
    size: Annotated[int, Field(ge=0)]


class Tree(ApiModel):
    name: str
    leaves: list[Leaf] = Field(default=[])
    child: Tree | None = None


def test_a_part_that_matches_is_validated_whole() -> None:
    """Only what does not match is built field by field: a nested model that matches its
    schema is the instance validation gives (and not one recorded as built leniently)."""
    leaf = {"when": "2024-01-02T03:04:05Z", "size": 1}
    built = construct(Tree, {"leaves": [leaf], "child": {"name": "c", "leaves": [leaf]}})
    assert built.name is None and holds_lenient(built)  # `name` is missing: built leniently
    assert built.child == Tree.model_validate({"name": "c", "leaves": [leaf]})
    assert not holds_lenient(built.child)
    assert built.leaves[0].when == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)


def test_a_deep_body_is_validated_a_bounded_number_of_times(monkeypatch: Any) -> None:
    """A body that fails at every level (each `Tree` lacks `name`) is not validated again at
    each of them with all it holds (a 1 MB body could take seconds): models deeper than
    `_VALIDATED_DEPTH` are built field by field only, so each value is validated a bounded
    number of times, however deep the body."""
    from generator.runtime import _lenient

    seen: list[int] = []
    validate = _lenient.validate_received  # type: ignore[attr-defined]

    def counting(type_: Any, value: Any) -> Any:
        seen.append(_size(value))
        return validate(type_, value)

    monkeypatch.setattr(_lenient, "validate_received", counting)
    leaves = [{"when": "2024-01-02T03:04:05Z", "size": 1}] * 20
    body: dict[str, Any] = {"leaves": leaves}
    for _ in range(60):
        body = {"leaves": leaves, "child": body}
    built = construct(Tree, body)
    deepest = built
    for _ in range(60):
        deepest = deepest.child
    assert deepest.leaves[0].size == 1 and deepest.name is None  # all of it built
    # each level's leaves validated as a part (20 each), and the few levels near the top
    # validated whole with what they hold: ~6x the body's values, where validating each of
    # the 60 levels whole was ~31x
    assert sum(seen) < 10 * _size(body)


def _size(value: Any) -> int:
    """How many values `value` is made of."""
    if isinstance(value, dict):
        return 1 + sum(_size(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_size(v) for v in value)
    return 1
