"""The one table definition is complete and consistent."""

from chalicelib.adapters import schema


def test_every_key_attribute_is_defined_exactly_once():
    defined = [a["AttributeName"] for a in schema.TABLE_DEFINITION["AttributeDefinitions"]]
    used = {k["AttributeName"] for k in schema.TABLE_DEFINITION["KeySchema"]}
    for index in schema.TABLE_DEFINITION["GlobalSecondaryIndexes"]:
        used |= {k["AttributeName"] for k in index["KeySchema"]}
    assert sorted(defined) == sorted(used)
    assert len(defined) == len(set(defined))


def test_secret_and_personal_values_are_hashed_before_they_become_keys():
    key = schema.session_key("the-raw-session-token")
    assert "the-raw-session-token" not in key["PK"]
    assert "rina@example.go.id" not in schema.attempt_partition("ACCOUNT", "rina@example.go.id")


def test_every_served_access_pattern_names_the_function_that_serves_it():
    served = [line for line in schema.__doc__.splitlines() if line.startswith("| ✓")]
    assert served, "the access-pattern table lost its served rows"
    for row in served:
        function = row.rstrip(" |").rsplit("|", 1)[-1].strip().strip("`")
        owner, _, name = function.partition(".")
        import importlib
        import inspect
        import pkgutil

        from chalicelib import adapters

        stores = {name: cls for module in pkgutil.iter_modules(adapters.__path__)
                  for name, cls in inspect.getmembers(importlib.import_module(f"chalicelib.adapters.{module.name}"),
                                                      inspect.isclass)
                  if name == "Table" or name.endswith("Store")}
        assert owner in stores and name, row
        assert hasattr(stores[owner], name), f"{row}: {owner}.{name} does not exist"


def test_key_prefixes_are_written_only_in_schema_py():
    """Adapters, services and routes build every key through schema's functions, never by hand."""
    import re
    from pathlib import Path

    import chalicelib

    root = Path(chalicelib.__file__).parent
    prefix = re.compile(r"""f?["'][A-Z][A-Z_]{2,}#""")
    found = [f"{path.relative_to(root)}:{n}: {line.strip()}"
             for path in root.rglob("*.py") if path.name != "schema.py" and path.parent.name != "domain"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if prefix.search(line)]
    assert not found, "build these keys with a function of adapters/schema.py:\n" + "\n".join(found)
