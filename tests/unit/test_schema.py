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
        from chalicelib.adapters.companies import CompanyStore
        from chalicelib.adapters.cooperation import CooperationStore
        from chalicelib.adapters.table import Table

        stores = {"Table": Table, "CompanyStore": CompanyStore, "CooperationStore": CooperationStore}
        assert owner in stores and name, row
        assert hasattr(stores[owner], name), f"{row}: {owner}.{name} does not exist"
