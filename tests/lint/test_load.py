"""The loader: YAML 1.2 scalars, string mapping keys, bundling of external refs, locations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.lint import iter_refs
from generator.load import load_spec
from tests.conftest import BuildPackage, minimal_spec

from ._helpers import FIXTURES

SPEC_HEAD = """\
openapi: 3.1.0
info:
  title: Scalars
  version: 1.0.0
security: []
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        200:
          description: OK
        404:
          description: Not found
"""


def _load_scalars(tmp_path: Path, scalars: dict[str, str]) -> dict[str, Any]:
    body = "".join(f"  {key}: {text}\n" for key, text in scalars.items())
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC_HEAD + "x-scalars:\n" + body, encoding="utf-8")
    values: dict[str, Any] = load_spec(path).document["x-scalars"]
    return values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # timestamps are not parsed: dates stay strings
        ("2023-01-15", "2023-01-15"),
        ("2023-01-15T10:20:30Z", "2023-01-15T10:20:30Z"),
        # YAML 1.1 booleans stay strings
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("n", "n"),
        ("No", "No"),
        ("ON", "ON"),
        # YAML 1.2 core booleans are booleans
        ("true", True),
        ("false", False),
        ("True", True),
        ("FALSE", False),
        # numbers and null
        ("42", 42),
        ("-7", -7),
        ("1.5", 1.5),
        ("null", None),
        ("~", None),
        ("'quoted'", "quoted"),
        ("'true'", "true"),
        # YAML 1.2 core schema: `12:30` is a string (YAML 1.1 read it as base 60: 750),
        # `1e3` is a float (YAML 1.1 needed a dot: "1e3" was a string)
        ("12:30", "12:30"),
        ("1e3", 1000.0),
    ],
)
def test_yaml_12_scalars(tmp_path: Path, text: str, expected: Any) -> None:
    value = _load_scalars(tmp_path, {"v": text})["v"]
    assert value == expected
    assert type(value) is type(expected)


def test_integer_response_keys_become_strings(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC_HEAD, encoding="utf-8")
    spec = load_spec(path)
    responses = spec.document["paths"]["/pets"]["get"]["responses"]
    assert list(responses) == ["200", "404"]
    assert all(type(key) is str for key in responses)
    # and an integer key is still located at its line
    assert spec.locate("/paths/~1pets/get/responses/404").line == 13


def test_non_string_keys_become_strings(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(
        SPEC_HEAD + "x-keys:\n  1.5: a\n  true: b\n  no: c\n  null: d\n  2023-01-15: e\n",
        encoding="utf-8",
    )
    keys = load_spec(path).document["x-keys"]
    assert keys == {"1.5": "a", "true": "b", "no": "c", "null": "d", "2023-01-15": "e"}


def test_json_spec_loads(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_text(
        json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}),
        encoding="utf-8",
    )
    assert load_spec(path).document["openapi"] == "3.0.3"


# bundling


def test_external_refs_are_bundled_into_components() -> None:
    spec = load_spec(FIXTURES / "multi" / "root.yaml")
    document = spec.document
    content = document["paths"]["/pets/{petId}"]["get"]["responses"]
    assert content["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/pet"
    }
    assert content["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    schemas = document["components"]["schemas"]
    assert set(schemas) == {"pet", "Error"}
    assert schemas["pet"]["required"] == ["id", "name"]
    assert schemas["pet"]["properties"]["born"]["example"] == "2023-01-15"
    assert schemas["Error"]["properties"]["message"] == {"type": "string", "example": "not found"}
    # the root's own components survive, and no reference leaves the document any more
    assert "apiKey" in document["components"]["securitySchemes"]
    assert all(ref.startswith("#/") for _, ref in iter_refs(document))
    assert {path.name for path in spec.files} == {"root.yaml", "pet.yaml", "common.yaml"}


def test_same_external_target_is_bundled_once(tmp_path: Path) -> None:
    (tmp_path / "pet.yaml").write_text("type: object\n", encoding="utf-8")
    (tmp_path / "root.yaml").write_text(
        SPEC_HEAD.replace(
            "          description: OK\n",
            "          description: OK\n"
            "          content:\n"
            "            application/json:\n"
            "              schema:\n"
            "                type: array\n"
            "                items:\n"
            "                  $ref: 'pet.yaml'\n"
            "            application/xml:\n"
            "              schema:\n"
            "                $ref: './pet.yaml'\n",
        ),
        encoding="utf-8",
    )
    document = load_spec(tmp_path / "root.yaml").document
    assert list(document["components"]["schemas"]) == ["pet"]


def test_name_clash_with_a_root_component_gets_a_new_name(tmp_path: Path) -> None:
    (tmp_path / "common.yaml").write_text(
        "components:\n  schemas:\n    Error:\n      type: string\n", encoding="utf-8"
    )
    text = SPEC_HEAD.replace(
        "          description: Not found\n",
        "          description: Not found\n"
        "          content:\n"
        "            application/json:\n"
        "              schema:\n"
        "                $ref: 'common.yaml#/components/schemas/Error'\n",
    )
    text += "components:\n  schemas:\n    Error:\n      type: object\n"
    (tmp_path / "root.yaml").write_text(text, encoding="utf-8")
    document = load_spec(tmp_path / "root.yaml").document
    schemas = document["components"]["schemas"]
    assert schemas["Error"] == {"type": "object"}
    responses = document["paths"]["/pets"]["get"]["responses"]
    new_ref = responses["404"]["content"]["application/json"]["schema"]["$ref"]
    assert new_ref != "#/components/schemas/Error"
    assert schemas[new_ref.rsplit("/", 1)[1]] == {"type": "string"}


# locations


def test_locate_maps_bundled_pointers_back_to_their_file() -> None:
    spec = load_spec(FIXTURES / "multi" / "root.yaml")
    common = FIXTURES / "multi" / "common.yaml"
    pet = FIXTURES / "multi" / "schemas" / "pet.yaml"

    where = spec.locate("/components/schemas/Error/properties/message")
    assert Path(where.file).resolve() == common.resolve()
    assert (where.line, where.col) == (11, 9)
    assert where.pointer == "/components/schemas/Error/properties/message"

    assert spec.locate("/components/schemas/Error").line == 4
    assert Path(spec.locate("/components/schemas/pet").file).resolve() == pet.resolve()
    where = spec.locate("/components/schemas/pet/properties/born/example")
    assert Path(where.file).resolve() == pet.resolve()
    assert (where.line, where.col) == (14, 5)


def test_locate_in_the_root_file() -> None:
    path = FIXTURES / "multi" / "root.yaml"
    spec = load_spec(path)
    where = spec.locate("/paths/~1pets~1{petId}/get/operationId")
    assert where.file == str(path)
    assert (where.line, where.col) == (11, 7)
    # a pointer that does not exist falls back to its deepest existing parent
    assert spec.locate("/paths/~1pets~1{petId}/get/nothing/here").line == 10
    assert spec.locate("").line == 2  # the document itself starts after the comment


def test_locate_inlined_external_path_item(tmp_path: Path) -> None:
    (tmp_path / "paths.yaml").write_text(
        "# path items\npets:\n  get:\n    operationId: listPets\n"
        "    responses:\n      '400':\n        description: Bad\n",
        encoding="utf-8",
    )
    (tmp_path / "root.yaml").write_text(
        "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\nsecurity: []\n"
        "paths:\n  /pets:\n    $ref: 'paths.yaml#/pets'\n",
        encoding="utf-8",
    )
    spec = load_spec(tmp_path / "root.yaml")
    assert spec.document["paths"]["/pets"]["get"]["operationId"] == "listPets"
    where = spec.locate("/paths/~1pets/get/operationId")
    assert Path(where.file).resolve() == (tmp_path / "paths.yaml").resolve()
    assert where.line == 4


def test_inlined_file_that_inlines_another_is_walked_once(tmp_path: Path) -> None:
    """paths.yaml's path item is inlined from items.yaml, whose schema is bundled as a
    component. The inlining walks what it adds; paths.yaml then walked it again, and read
    the new local `#/components/schemas/Pet` as a pointer into paths.yaml (E103)."""
    (tmp_path / "schemas.yaml").write_text("Pet:\n  type: string\n", encoding="utf-8")
    (tmp_path / "items.yaml").write_text(
        "pets:\n  get:\n    responses:\n      '200':\n        description: OK\n"
        "        content:\n          application/json:\n"
        "            schema:\n              $ref: 'schemas.yaml#/Pet'\n",
        encoding="utf-8",
    )
    (tmp_path / "paths.yaml").write_text(
        "all:\n  /pets:\n    $ref: 'items.yaml#/pets'\n", encoding="utf-8"
    )
    (tmp_path / "root.yaml").write_text(
        "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\nsecurity: []\n"
        "paths:\n  $ref: 'paths.yaml#/all'\n",
        encoding="utf-8",
    )
    spec = load_spec(tmp_path / "root.yaml")
    media = spec.document["paths"]["/pets"]["get"]["responses"]["200"]["content"]
    assert media["application/json"]["schema"] == {"$ref": "#/components/schemas/Pet"}
    assert spec.document["components"]["schemas"]["Pet"] == {"type": "string"}
    where = spec.locate("/paths/~1pets/get/responses/200/description")
    assert (Path(where.file).name, where.line) == ("items.yaml", 5)


def test_keys_beside_an_inlined_ref_stay_in_their_file(tmp_path: Path) -> None:
    """A path item's own keys win over the ones it inlines, and their file references are
    read from the path item's folder (they were read from the inlined file's too)."""
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "item.yaml").write_text(
        "summary: shared\nget:\n  responses:\n    '200':\n      description: OK\n",
        encoding="utf-8",
    )
    (tmp_path / "pet.yaml").write_text("type: string\n", encoding="utf-8")
    (tmp_path / "root.yaml").write_text(
        "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\nsecurity: []\n"
        "paths:\n  /pets:\n    $ref: 'shared/item.yaml'\n    summary: own\n"
        "    parameters:\n      - name: q\n        in: query\n"
        "        schema:\n          $ref: 'pet.yaml'\n",
        encoding="utf-8",
    )
    document = load_spec(tmp_path / "root.yaml").document
    item = document["paths"]["/pets"]
    assert item["summary"] == "own"
    assert item["get"]["responses"]["200"]["description"] == "OK"
    assert item["parameters"][0]["schema"] == {"$ref": "#/components/schemas/pet"}
    assert document["components"]["schemas"]["pet"] == {"type": "string"}


def _components_file_spec(tmp_path: Path, parameter_schema: str) -> Path:
    """`components: {$ref: components.yaml}`, whose entries reference pet.yaml."""
    (tmp_path / "pet.yaml").write_text(
        "Kind:\n  type: string\nPet:\n  type: object\n  properties:\n"
        "    kind:\n      $ref: '#/Kind'\n",
        encoding="utf-8",
    )
    (tmp_path / "components.yaml").write_text(
        "parameters:\n  Kind:\n    name: kind\n    in: query\n    schema:\n"
        f"      $ref: 'pet.yaml#/{parameter_schema}'\n"
        "schemas:\n  Pets:\n    type: array\n    items:\n      $ref: 'pet.yaml#/Pet'\n",
        encoding="utf-8",
    )
    (tmp_path / "root.yaml").write_text(
        "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\nsecurity: []\npaths: {}\n"
        "components:\n  $ref: 'components.yaml'\n",
        encoding="utf-8",
    )
    return tmp_path / "root.yaml"


@pytest.mark.parametrize("parameter_schema", ["Kind", "Pet"])
def test_inlined_components_keep_their_entries_and_gain_the_bundled_ones(
    tmp_path: Path, parameter_schema: str
) -> None:
    """Bundling pet.yaml registers schemas into the inlined components' own `schemas`, which
    must be in place before they are walked; and a registered schema is not walked again by
    the walk of `schemas` (as a part of components.yaml, its new local refs were E103)."""
    document = load_spec(_components_file_spec(tmp_path, parameter_schema)).document
    schemas = document["components"]["schemas"]
    assert sorted(schemas) == ["Kind", "Pet", "Pets"]
    assert schemas["Pets"]["items"] == {"$ref": "#/components/schemas/Pet"}
    assert schemas["Pet"]["properties"]["kind"] == {"$ref": "#/components/schemas/Kind"}
    parameter = document["components"]["parameters"]["Kind"]
    assert parameter["schema"] == {"$ref": f"#/components/schemas/{parameter_schema}"}


def test_locate_takes_whole_tokens_of_a_bundled_prefix(tmp_path: Path) -> None:
    """`/components/schemas/ErrorList` is not inside the bundled `/components/schemas/Error`."""
    (tmp_path / "common.yaml").write_text("Error:\n  type: string\n", encoding="utf-8")
    (tmp_path / "root.yaml").write_text(
        "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\nsecurity: []\npaths: {}\n"
        "components:\n  schemas:\n    ErrorList:\n      type: array\n"
        "      items:\n        $ref: 'common.yaml#/Error'\n",
        encoding="utf-8",
    )
    spec = load_spec(tmp_path / "root.yaml")
    assert "/components/schemas/Error" in spec.origins
    where = spec.locate("/components/schemas/ErrorList/items")
    assert (Path(where.file).name, where.line) == ("root.yaml", 11)
    where = spec.locate("/components/schemas/Error/type")
    assert (Path(where.file).name, where.line) == ("common.yaml", 2)


def _yaml_positions(text: str, pointers: list[str], tmp_path: Path) -> list[tuple[int, int]]:
    """Positions the YAML node tree gives (JSON is YAML): the reference for the JSON scanner."""
    from generator.load import SourceFile

    as_yaml = SourceFile(path=tmp_path / "same.yaml", display="same.yaml", text=text, data=None)
    return [as_yaml.position(pointer) for pointer in pointers]


@pytest.mark.parametrize("indent", [None, 2, "\t"])
def test_json_positions_match_the_yaml_node_tree(tmp_path: Path, indent: Any) -> None:
    """The on-demand JSON scanner locates the same line and column as composing YAML nodes."""
    from generator.load import walk_nodes

    spec_path = Path(__file__).resolve().parents[2] / "specs" / "paypal-billing-entities.yaml"
    document = load_spec(spec_path).document
    document["x-odd keys"] = {"a/b": [1, {"c~d": '\u00e9\u4e2d \\" {'}], "": {"e": None}}
    text = json.dumps(document, indent=indent, ensure_ascii=False)
    path = tmp_path / "spec.json"
    path.write_text(text, encoding="utf-8")
    spec = load_spec(path)
    pointers = [pointer for pointer, _, _ in walk_nodes(spec.document)]
    pointers += [
        "",
        "/x-odd keys/a~1b/1/c~0d",
        "/x-odd keys//e",
        "/paths/~1missing/get",  # absent: the deepest existing parent
        "/components/schemas/Nope/properties",
        "/x-odd keys/a~1b/7",
    ]
    found = [spec.root.position(pointer) for pointer in pointers]
    assert found == _yaml_positions(text, pointers, tmp_path)


@pytest.mark.parametrize(
    ("text", "may"),
    [
        ('$ref: "#/components/schemas/A"', False),
        ('{"$ref": "#/x", "$ref":"#/y"}', False),
        ("plain: 1", False),
        ("$ref: other.yaml#/A", True),
        ('"$ref":"x.json"', True),
        ("'$ref': './a.yaml'", True),
        ("{$ref: a.yaml}", True),
        ("$ref:\n  a.yaml", True),
        ('"\\u0024ref": "a.json"', True),  # an escaped key: bundle to be safe
        ("$ref: https://example.com/a.yaml", True),
    ],
)
def test_bundling_is_skipped_only_when_every_ref_is_local(text: str, may: bool) -> None:
    from generator.load import _may_reference_files

    assert _may_reference_files(text.encode()) is may


MERGED = """\
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Base: &base
      type: object
      description: the base
    Child:
      <<: *base
      description: the child
      title: Child
"""


@pytest.mark.parametrize("keep_nodes", [False, True])
def test_positions_are_the_same_from_the_parsed_nodes_and_a_new_compose(
    tmp_path: Path, keep_nodes: bool
) -> None:
    """The lint keeps the node tree the YAML was parsed from (one compose instead of two);
    parsing moves a `<<` merge's keys into the mapping, first: the mapping's own key is
    still the one a diagnostic points at."""
    path = tmp_path / "merged.yaml"
    path.write_text(MERGED, encoding="utf-8")
    spec = load_spec(path, keep_nodes=keep_nodes)
    assert spec.document["components"]["schemas"]["Child"]["description"] == "the child"
    position = spec.root.position
    assert position("/components/schemas/Child/description") == (11, 7)
    assert position("/components/schemas/Child/title") == (12, 7)
    assert position("/components/schemas/Base/type") == (7, 7)
    assert position("/components/schemas/Child/nothing") == (9, 5)


ANCHORS_SPEC = """\
openapi: 3.1.0
info: {title: Anchors, version: "1"}
paths:
  /tags:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#tag"}
      parameters:
        - $ref: parameter.yaml
      responses:
        "200": {description: OK}
components:
  schemas:
    Tag: {$anchor: tag, type: string}
    Other:
      type: object
      properties:
        label: {$ref: "#tag"}
        size: {$ref: "#size"}
        term: {$ref: "parameter.yaml#term"}
      $defs:
        size: {$anchor: size, type: integer}
    Box:
      $id: box.json
      type: object
      properties:
        item: {$ref: "#item"}
        same: {$ref: "#/properties/item"}
      $defs:
        item: {$anchor: item, type: number}
    Crate:
      $id: crate.json
      type: object
      properties:
        item: {$ref: "#item"}
      $defs:
        item: {$anchor: item, type: boolean}
"""

ANCHORS_PARAMETER = """\
name: filter
in: query
schema:
  type: object
  properties:
    term: {$anchor: term, type: string}
    again: {$ref: "#term"}
"""


def test_anchor_references_become_pointers(tmp_path: Path) -> None:
    """`#name` names the schema declaring `$anchor: name` in the same resource (the
    document, or the nearest schema with an `$id`); `file#name` one in another file; a
    `#/…` pointer inside an `$id` schema is relative to that schema."""
    (tmp_path / "parameter.yaml").write_text(ANCHORS_PARAMETER, encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(ANCHORS_SPEC, encoding="utf-8")
    document = load_spec(tmp_path / "spec.yaml").document
    schemas = document["components"]["schemas"]
    body = document["paths"]["/tags"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/Tag"}
    assert schemas["Other"]["properties"]["label"] == {"$ref": "#/components/schemas/Tag"}
    assert schemas["Other"]["properties"]["size"] == {
        "$ref": "#/components/schemas/Other/$defs/size"
    }
    # the same name in two resources: each reference takes the one of its own resource
    assert schemas["Box"]["properties"]["item"] == {"$ref": "#/components/schemas/Box/$defs/item"}
    assert schemas["Crate"]["properties"]["item"] == {
        "$ref": "#/components/schemas/Crate/$defs/item"
    }
    assert schemas["Box"]["properties"]["same"] == {
        "$ref": "#/components/schemas/Box/properties/item"
    }
    term = resolve_ref(document, schemas["Other"]["properties"]["term"]["$ref"])
    assert term == {"$anchor": "term", "type": "string"}
    parameter = document["paths"]["/tags"]["post"]["parameters"][0]
    again = resolve_ref(document, parameter["schema"]["properties"]["again"]["$ref"])
    assert again == {"$anchor": "term", "type": "string"}


def resolve_ref(document: dict[str, Any], ref: str) -> Any:
    """The node a local `#/…` reference names."""
    from generator.load import resolve_pointer

    assert ref.startswith("#/"), ref
    return resolve_pointer(document, ref)


def test_an_anchor_no_schema_declares_is_refused_where_it_is_written(tmp_path: Path) -> None:
    from generator.diagnostics import SpecError

    (tmp_path / "parameter.yaml").write_text(ANCHORS_PARAMETER, encoding="utf-8")
    spec = ANCHORS_SPEC.replace('"parameter.yaml#term"', '"parameter.yaml#count"')
    (tmp_path / "spec.yaml").write_text(spec, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec(tmp_path / "spec.yaml")
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "E103"
    assert "$anchor 'count'" in diagnostic.message
    assert diagnostic.location.line == 22


EMBEDDED_IDS_SPEC = """\
openapi: 3.1.0
info: {title: Embedded ids, version: "1"}
paths: {}
components:
  schemas:
    Holder:
      type: object
      properties:
        box:
          $id: box.json
          type: object
          properties:
            item: {$ref: "#/$defs/item"}
            size: {type: integer}
          $defs:
            item: {$anchor: thing, type: integer}
    Other:
      type: object
      properties:
        again: {$ref: box.json}
        size: {$ref: "box.json#/properties/size"}
        thing: {$ref: "box.json#thing"}
"""


def test_references_to_an_embedded_id_name_that_schema_not_a_file(tmp_path: Path) -> None:
    """`box.json` is the `$id` of a schema the document holds: no file is looked for (there
    is none: E103 before), and `#/…` inside that schema is relative to it."""
    (tmp_path / "spec.yaml").write_text(EMBEDDED_IDS_SPEC, encoding="utf-8")
    schemas = load_spec(tmp_path / "spec.yaml").document["components"]["schemas"]
    box = "#/components/schemas/Holder/properties/box"
    assert schemas["Other"]["properties"] == {
        "again": {"$ref": box},
        "size": {"$ref": box + "/properties/size"},
        "thing": {"$ref": box + "/$defs/item"},
    }
    assert schemas["Holder"]["properties"]["box"]["properties"]["item"] == {
        "$ref": box + "/$defs/item"
    }


def test_a_loaded_file_keeps_its_bytes_not_its_text(tmp_path: Path) -> None:
    """GitHub's spec holds an emoji: its text takes four bytes a character (52 MB for 13 MB
    of JSON), kept all through generation for nothing. The file keeps its bytes; a position
    asked for later decodes the text again."""
    text = '{"openapi": "3.1.0",\n "info": {"title": "t \\ud83d\\ude00 😀", "version": "1"},\n "paths": {}}'
    path = tmp_path / "spec.json"
    path.write_text(text, encoding="utf-8")
    spec = load_spec(path)
    assert spec.root.text == "" and spec.root.raw == text.encode()
    assert spec.root.position("/info/version") == (2, 40)
    assert spec.root.full_text() == text
    assert spec.root.mentions(b"\xf0\x9f\x98\x80") and not spec.root.mentions(b"$anchor")


def test_percent_escaped_local_references_are_read_as_their_pointers(tmp_path: Path) -> None:
    """A URI fragment is percent-decoded before it is read as a pointer (RFC 6901 §6), so
    `Foo%20Bar` and `Foo Bar` name one schema, and 14 directory specs (DigitalOcean's 618)
    write path items' pointers as `~1%7Bid%7D`. The loader spells each as the pointer it
    reads as; an example's `$ref` key is data and stays as written."""
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things/{id}": {"parameters": [{"$ref": "#/components/parameters/I%64"}]},
            "/other/{id}": {"parameters": [{"$ref": "#/paths/~1things~1%7Bid%7D/parameters/0"}]},
        },
        "components": {
            "parameters": {"Id": {"name": "id", "in": "path", "required": True}},
            "schemas": {
                "Foo Bar": {"type": "object", "example": {"$ref": "#/x%20y"}},
                "A/B": {"$ref": "#/components/schemas/A%2FB~1C"},
                "Use": {"$ref": "#/components/schemas/Foo%20Bar"},
                "Odd": {"$ref": "#/components/schemas/100%"},
            },
        },
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(document))
    spec = load_spec(path)
    paths, schemas = spec.document["paths"], spec.document["components"]["schemas"]
    assert paths["/things/{id}"]["parameters"] == [{"$ref": "#/components/parameters/Id"}]
    assert paths["/other/{id}"]["parameters"] == [{"$ref": "#/paths/~1things~1{id}/parameters/0"}]
    assert schemas["Use"] == {"$ref": "#/components/schemas/Foo Bar"}
    assert schemas["Foo Bar"]["example"] == {"$ref": "#/x%20y"}
    # `%2F` decodes to a separator, `~1` to a slash inside a token (escaped again)
    assert schemas["A/B"] == {"$ref": "#/components/schemas/A/B~1C"}
    # a `%` that escapes nothing is itself; spelled `%25`, as a pointer built from the name
    # `100%` is, which reads back as it (a name `%41` was looked up as `A`: hostile sweep)
    assert schemas["Odd"] == {"$ref": "#/components/schemas/100%25"}


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("spec.json", '{"$ref": "#/components/schemas/Foo\\u0025' + '20Bar"}'),
        ("spec.yaml", '$ref:\n        "#/components/schemas/Foo%20Bar"'),
        ("spec.yaml", '"\\x24ref": "#/components/schemas/Foo%20Bar"'),
    ],
)
def test_an_escaped_reference_however_it_is_spelled_is_read_as_its_pointer(
    tmp_path: Path, name: str, text: str
) -> None:
    """The bytes were searched for `$ref: "#…%XX`: an escape written `\\u0025` in JSON, a
    `\\x24ref` key or the value on the next line made a second model again (hostile audit
    13)."""
    schemas = '"Foo Bar": {"type": "object"}, "Use": ' + text.replace("\n", "\n")
    if name.endswith(".json"):
        body = (
            '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},'
            ' "components": {"schemas": {' + schemas + "}}}"
        )
    else:
        body = (
            'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {}\ncomponents:\n'
            "  schemas:\n    Foo Bar: {type: object}\n    Use:\n      " + text + "\n"
        )
    path = tmp_path / name
    path.write_text(body)
    use = load_spec(path).document["components"]["schemas"]["Use"]
    assert use == {"$ref": "#/components/schemas/Foo Bar"}


def test_an_escape_that_is_no_utf8_resolves_nothing() -> None:
    """`%FF` decoded to U+FFFD and named a schema `Foo\ufffd` (hostile audit 13)."""
    from generator.load import split_pointer

    with pytest.raises(ValueError):
        split_pointer("#/components/schemas/Foo%FF")


def test_a_schema_whose_name_holds_a_percent_escape_is_referenced_escaped(
    build_package: BuildPackage, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`#/components/schemas/%2542` names the schema `%42` (the fragment is decoded once);
    it was decoded twice, to `B`, and the spec refused (E105). `%41` itself names `A`."""
    schemas = {
        "%42": {"type": "object", "properties": {"percent": {"type": "string"}}},
        "A": {"type": "object", "properties": {"plain": {"type": "string"}}},
        "Both": {
            "type": "object",
            "properties": {
                "first": {"$ref": "#/components/schemas/%2542"},
                "second": {"$ref": "#/components/schemas/%41"},
            },
        },
    }
    spec = minimal_spec(schemas)
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    assert main(["generate", str(path), "--output", str(tmp_path / "out")]) == 0
    assert "E105" not in capsys.readouterr().err
    models = build_package(spec).models
    fields = models.Both.model_fields
    assert "percent" in fields["first"].annotation.__args__[0].model_fields
    assert "plain" in fields["second"].annotation.__args__[0].model_fields
