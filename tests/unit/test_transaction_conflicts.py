"""A transaction that loses a race on real DynamoDB is a lost race, not a server error.

DynamoDB Local reports a concurrent write as a failed condition; AWS may
instead cancel with ``TransactionConflict``. That answer cannot be provoked on
the local server, so botocore's Stubber plays AWS's exact response here.
"""

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from chalicelib.adapters.table import ConditionFailed, Table


ELEMENT = {"ConditionCheck": {"TableName": "t", "Key": {"PK": {"S": "a"}, "SK": {"S": "b"}},
                              "ConditionExpression": "attribute_exists(PK)"}}


def cancelled(*codes):
    return {
        "service_error_code": "TransactionCanceledException",
        "service_message": "Transaction cancelled",
        "http_status_code": 400,
        "response_meta": {},
        "modeled_fields": {"CancellationReasons": [{"Code": c} for c in codes]},
    }


@pytest.mark.parametrize("codes", [("None", "TransactionConflict"), ("ConditionalCheckFailed", "None")])
def test_a_lost_race_is_a_condition_failure(codes):
    client = boto3.client("dynamodb", region_name="ap-southeast-3", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stub:
        stub.add_client_error("transact_write_items", **cancelled(*codes))
        with pytest.raises(ConditionFailed) as caught:
            Table("t", client).transact([ELEMENT])
    assert caught.value.reasons == [None if c == "None" else c for c in codes]


def test_other_cancellations_are_not_hidden():
    client = boto3.client("dynamodb", region_name="ap-southeast-3", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stub:
        stub.add_client_error("transact_write_items", **cancelled("ValidationError"))
        with pytest.raises(ClientError) as caught:
            Table("t", client).transact([ELEMENT])
    assert caught.value.response["Error"]["Code"] == "TransactionCanceledException"
