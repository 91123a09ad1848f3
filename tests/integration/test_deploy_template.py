"""`seklik deploy package` writes a production template that cfn-lint accepts and that keeps our promises.

Runs the real `chalice package` (which fetches Lambda wheels from PyPI, about
5 s the first time, cached after) and the project's pinned cfn-lint. Nothing
is deployed and no AWS account is used.
"""

from __future__ import annotations

import graphlib
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from chalicelib.adapters import schema
from seklik.provision import upload_cors_rule

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "seklik.cli", *args],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def package_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("deploy")
    result = run_cli("deploy", "package", "--stage", "prod", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def template(package_dir) -> dict:
    return json.loads((package_dir / "sam.json").read_text())


@pytest.fixture(scope="module")
def resources(template) -> dict:
    return template["Resources"]


def resources_of_type(resources: dict, kind: str) -> dict:
    return {name: resource for name, resource in resources.items() if resource["Type"] == kind}


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def role_statements(resources: dict, function: str | None = None) -> list[dict]:
    """The statements of one function's role, or of every role."""
    if function is None:
        roles = resources_of_type(resources, "AWS::IAM::Role").values()
    else:
        (role_name,) = references(resources[function]["Properties"]["Role"])
        roles = [resources[role_name]]
    return [
        statement
        for role in roles
        for policy in role["Properties"]["Policies"]
        for statement in policy["PolicyDocument"]["Statement"]
    ]


def allowed(statements: list[dict], action: str) -> list:
    """The resources an Allow statement grants ``action`` on."""
    return [
        resource
        for statement in statements
        if statement["Effect"] == "Allow" and action in as_list(statement["Action"])
        for resource in as_list(statement["Resource"])
    ]


def references(node) -> set[str]:
    """The logical ids a piece of template refers to (Ref, Fn::GetAtt, Fn::Sub)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                found.add(value)
            elif key == "Fn::GetAtt":
                found.add(value[0] if isinstance(value, list) else value.split(".")[0])
            elif key == "Fn::Sub":
                text, variables = (value, {}) if isinstance(value, str) else value
                found |= {name.split(".")[0] for name in re.findall(r"\$\{([^!}][^}]*)\}", text)}
                found |= references(variables)
            else:
                found |= references(value)
    elif isinstance(node, list):
        for value in node:
            found |= references(value)
    return found


@pytest.mark.slow
def test_package_writes_the_template_and_the_lambda_zip(package_dir):
    assert (package_dir / "sam.json").is_file()
    assert (package_dir / "deployment.zip").stat().st_size > 0


@pytest.mark.slow
def test_the_slimmed_lambda_zip_still_prints_letters_and_exports_on_its_own(package_dir, tmp_path):
    """What was taken out (AVIF, fontTools' compiled copies) is not needed: the zip alone, without this
    machine's site-packages, imports the handler, prints an order letter and writes a workbook."""
    with zipfile.ZipFile(package_dir / "deployment.zip") as package:
        names = package.namelist()
        package.extractall(tmp_path / "lambda")
    assert not [n for n in names if "libavif" in n or (n.startswith("fontTools/") and n.endswith((".so", ".c")))]
    assert "fontTools/misc/bezierTools.py" in names and "fpdf/fpdf.py" in names
    # The zip first; this machine's packages only last, for the test's own helpers (pytest, pypdf): a
    # package found in the zip is imported from the zip whole, so nothing taken out comes back from here.
    script = (
        "import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]; sys.path.append(sys.argv[3])\n"
        "import io, app, openpyxl, PIL.Image, fontTools.misc.bezierTools as bezier\n"
        "from fontTools import subset, ttLib\n"
        "assert all(m.__file__.startswith(sys.argv[1]) for m in (app, openpyxl, PIL.Image, bezier, ttLib))\n"
        "from chalicelib.services.exports import Column, Table, xlsx\n"
        "from chalicelib.adapters.letters import render_order_letter\n"
        "from tests.unit.test_order_letter import make_letter\n"
        "from tests.samples import png\n"
        "assert render_order_letter(make_letter()).startswith(b'%PDF')\n"
        "book = xlsx([Table('Uji', (Column('A'),), ((1,),))])\n"
        "assert openpyxl.load_workbook(io.BytesIO(book)).active['A2'].value == 1\n"
        "assert PIL.Image.open(io.BytesIO(png())).size\n"
        "print('ok', app.__file__)"
    )
    import site

    ran = subprocess.run([sys.executable, "-I", "-S", "-c", script, str(tmp_path / "lambda"), str(ROOT),
                          site.getsitepackages()[0]],
                         capture_output=True, text=True, timeout=120,
                         env={"AWS_DEFAULT_REGION": "ap-southeast-3", "PATH": os.environ["PATH"]})
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert ran.stdout.startswith("ok") and str(tmp_path / "lambda") in ran.stdout


@pytest.mark.slow
def test_the_lambda_zip_carries_the_api_configuration_files(package_dir):
    # settings.py reads chalicelib/config/*.json beside itself (registration
    # options, order numbering and letterhead); chalice packages chalicelib
    # whole, and production sets no variable pointing elsewhere.
    config_dir = ROOT / "functions" / "chalicelib" / "config"
    expected = sorted(p.name for p in config_dir.glob("*.json"))
    assert {"registration.json", "orders.json"} <= set(expected)
    with zipfile.ZipFile(package_dir / "deployment.zip") as package:
        for name in expected:
            assert package.read(f"chalicelib/config/{name}") == (config_dir / name).read_bytes(), name


@pytest.mark.slow
def test_cfn_lint_accepts_the_template(package_dir):
    result = subprocess.run(
        # cfn-lint has no `python -m` entry point; use the venv's script.
        [str(Path(sys.executable).parent / "cfn-lint"), str(package_dir / "sam.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"cfn-lint found problems:\n{result.stdout}{result.stderr}"


@pytest.mark.slow
def test_table_is_the_one_in_schema_and_is_protected(resources):
    (table,) = resources_of_type(resources, "AWS::DynamoDB::Table").values()
    properties = table["Properties"]
    for key in ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode"):
        assert properties[key] == schema.TABLE_DEFINITION[key], key
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["SSESpecification"]["SSEEnabled"] is True
    assert properties["TimeToLiveSpecification"] == {"AttributeName": schema.TTL_ATTRIBUTE, "Enabled": True}
    assert properties["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"


@pytest.mark.slow
@pytest.mark.parametrize("function", ["APIHandler", "DailyExpiry"])
def test_the_api_and_the_job_use_the_stacks_table_bucket_secret_site_and_sender(resources, template, function):
    variables = resources[function]["Properties"]["Environment"]["Variables"]
    assert variables["SEKLIK_TABLE"] == {"Ref": "Table"}
    assert variables["SEKLIK_DOCUMENTS_BUCKET"] == resources["DocumentsBucket"]["Properties"]["BucketName"]
    assert variables["SEKLIK_SECRET_PARAMETER"] == "/seklik/prod/signing-secret"
    # Links in emails lead to the site CloudFront serves; mail comes from the operator's sender.
    assert variables["SEKLIK_SITE_URL"] == {"Fn::Sub": "https://${Distribution.DomainName}/"}
    assert variables["SEKLIK_MAIL_FROM"] == {"Ref": "MailFrom"}
    assert "Default" not in template["Parameters"]["MailFrom"]
    # Production mail goes through SES, never to a folder.
    assert "SEKLIK_MAIL_OUTBOX" not in variables


@pytest.mark.slow
def test_the_api_reads_releases_from_the_site_and_its_configuration_from_the_package(resources):
    from chalicelib.settings import DEFAULT_ORDERS_CONFIG, DEFAULT_REGISTRATION_CONFIG, Settings

    variables = resources["APIHandler"]["Properties"]["Environment"]["Variables"]
    # Unset, so settings derive <SEKLIK_SITE_URL>releases.json (the newsroom build's index on CloudFront)
    # and read the packaged config files.
    for name in ("SEKLIK_RELEASES_URL", "SEKLIK_ORDERS_CONFIG", "SEKLIK_REGISTRATION_CONFIG"):
        assert name not in variables, name
    site = "https://d111111abcdef8.cloudfront.net/"
    with pytest.MonkeyPatch.context() as patch:
        for name in ("SEKLIK_RELEASES_URL", "SEKLIK_ORDERS_CONFIG", "SEKLIK_REGISTRATION_CONFIG"):
            patch.delenv(name, raising=False)
        patch.setenv("SEKLIK_SITE_URL", site)
        settings = Settings.from_environ()
    assert settings.releases_url == site + "releases.json"
    assert (settings.orders_config, settings.registration_config) == (DEFAULT_ORDERS_CONFIG, DEFAULT_REGISTRATION_CONFIG)


@pytest.mark.slow
def test_documents_bucket_is_private_versioned_encrypted_and_tls_only(resources):
    bucket = resources["DocumentsBucket"]
    properties = bucket["Properties"]
    assert set(properties["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(properties["PublicAccessBlockConfiguration"]) == 4
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    assert properties["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert bucket["DeletionPolicy"] == "Retain"
    # The same rule `make run` puts on the local bucket, for the site's origin only.
    (cors,) = properties["CorsConfiguration"]["CorsRules"]
    assert cors["AllowedOrigins"] == [{"Fn::Sub": "https://${Distribution.DomainName}"}]
    assert cors["AllowedMethods"] == upload_cors_rule(["x"])["AllowedMethods"] == ["POST"]
    assert cors["MaxAge"] == upload_cors_rule(["x"])["MaxAgeSeconds"]
    # What browsers post lands under incoming/ and is copied on confirm; what a reused grant leaves goes.
    rules = {r["Id"]: r for r in properties["LifecycleConfiguration"]["Rules"]}
    assert rules["expire-incoming-uploads"] == {"Id": "expire-incoming-uploads", "Status": "Enabled",
                                                "Prefix": "incoming/", "ExpirationInDays": 1,
                                                "NoncurrentVersionExpiration": {"NoncurrentDays": 1}}
    from chalicelib.services.uploads import UploadDesk
    assert UploadDesk.INCOMING + "/" == rules["expire-incoming-uploads"]["Prefix"]
    # Report files are made again on request: they do not pile up.
    assert rules["expire-exports"]["Prefix"] == "exports/" and rules["expire-exports"]["ExpirationInDays"] == 7

    (policy,) = [
        p for p in resources_of_type(resources, "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": "DocumentsBucket"}
    ]
    denials = [
        s for s in policy["Properties"]["PolicyDocument"]["Statement"]
        if s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    ]
    assert denials, "no statement denies requests without TLS"


@pytest.mark.slow
def test_cloudfront_serves_the_site_privately_and_sends_api_calls_to_api_gateway(resources):
    (distribution,) = resources_of_type(resources, "AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    origins = {origin["Id"]: origin for origin in config["Origins"]}
    assert "OriginAccessControlId" in origins[config["DefaultCacheBehavior"]["TargetOriginId"]]
    (api,) = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    api_origin = origins[api["TargetOriginId"]]
    assert "execute-api" in api_origin["DomainName"]["Fn::Sub"]
    assert api_origin["OriginPath"] == "/api"
    assert "POST" in api["AllowedMethods"]
    assert api["ViewerProtocolPolicy"] == "https-only"

    # The public spending figures are cached at the edge (they say for how long), with no cookie in the key;
    # CloudFront takes the first pattern that matches, so theirs comes before /api/*.
    patterns = [b["PathPattern"] for b in config["CacheBehaviors"]]
    assert patterns.index("/api/v1/public/spending*") < patterns.index("/api/*")
    (public,) = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/v1/public/spending*"]
    assert public["TargetOriginId"] == api["TargetOriginId"] and public["AllowedMethods"] == ["GET", "HEAD"]
    assert public["CachePolicyId"] == "658327ea-f89d-4fab-a63d-7e88639e58f6"  # AWS managed CachingOptimized
    assert "OriginRequestPolicyId" not in public  # nothing of the viewer's (cookies included) goes on
    from seklik import openapi
    under = {path: ops for path, ops in openapi.load()["paths"].items() if path.startswith("/api/v1/public/spending")}
    assert len(under) == 4  # the same for everyone: only public reads live under the cached pattern
    assert all(set(ops) == {"get"} and ops["get"]["x-roles"] == "public" for ops in under.values())


@pytest.mark.slow
def test_only_cloudfront_can_call_the_api(resources, template):
    from chalicelib.api.http import ORIGIN_VERIFY_HEADER

    (distribution,) = resources_of_type(resources, "AWS::CloudFront::Distribution").values()
    (api_origin,) = [o for o in distribution["Properties"]["DistributionConfig"]["Origins"] if o["Id"] == "api"]
    assert api_origin["OriginCustomHeaders"] == [
        {"HeaderName": ORIGIN_VERIFY_HEADER, "HeaderValue": {"Ref": "OriginVerifyToken"}}
    ]
    variables = resources["APIHandler"]["Properties"]["Environment"]["Variables"]
    assert variables["SEKLIK_ORIGIN_VERIFY_TOKEN"] == {"Ref": "OriginVerifyToken"}
    assert variables["SEKLIK_CLIENT_IP_HEADER"] == "CloudFront-Viewer-Address"
    assert template["Parameters"]["OriginVerifyToken"]["NoEcho"] is True


@pytest.mark.slow
def test_api_gateway_answers_unknown_paths_with_our_error_shape(resources):
    responses = resources["RestAPI"]["Properties"]["GatewayResponses"]
    missing = responses["MISSING_AUTHENTICATION_TOKEN"]
    assert missing["StatusCode"] == "404"
    body = json.loads(missing["ResponseTemplates"]["application/json"])
    assert body["error"]["code"] == "NOT_FOUND" and body["error"]["details"] == []
    assert {"DEFAULT_4XX", "DEFAULT_5XX"} <= set(responses)


@pytest.mark.slow
def test_the_api_role_has_no_wildcard_actions_or_resources(resources):
    statements = role_statements(resources)
    actions = [action for statement in statements for action in as_list(statement["Action"])]
    assert actions and not [a for a in actions if a == "*" or a.endswith(":*")]
    for statement in statements:
        services = {action.split(":")[0] for action in as_list(statement["Action"])}
        if services & {"dynamodb", "s3"}:
            assert "*" not in as_list(statement["Resource"]), statement
    assert "dynamodb:Scan" not in actions


@pytest.mark.slow
def test_the_api_role_may_handle_document_objects_and_only_queues_mail(resources):
    statements = role_statements(resources, "APIHandler")
    objects = {"Fn::Sub": "arn:${AWS::Partition}:s3:::seklik-prod-documents-${AWS::AccountId}-${AWS::Region}/*"}
    # Presigned POST and GET act with the role's rights; confirming reads, a refused file is deleted.
    # The same rights cover every prefix the API uses: partners' documents, proofs of publication
    # (orders/), signed agreements (agreements/) and the order letters it writes itself (letters/).
    for action in ("s3:PutObject", "s3:GetObject", "s3:DeleteObject"):
        assert allowed(statements, action) == [objects], action
    # HeadObject (does the letter exist yet?) answers 404 rather than 403 only with ListBucket.
    assert allowed(statements, "s3:ListBucket") == [{"Fn::Sub": objects["Fn::Sub"].removesuffix("/*")}]
    # Its mail goes into the outbox in the table, in the transaction of the change; the worker sends it.
    assert not [a for s in statements for a in as_list(s["Action"]) if a.startswith("ses:")]


@pytest.mark.slow
def test_the_daily_job_runs_at_midnight_in_jakarta_with_only_what_it_needs(resources):
    properties = resources["DailyExpiry"]["Properties"]
    assert properties["Handler"] == "app.daily_expiry"
    (event,) = properties["Events"].values()
    assert event == {"Type": "Schedule", "Properties": {"Schedule": "cron(0 17 * ? * *)"}}  # 17:00 UTC = 00:00 WIB
    assert properties["Timeout"] >= 300
    assert "SEKLIK_ORIGIN_VERIFY_TOKEN" not in properties["Environment"]["Variables"]
    (log_group,) = references(properties["LoggingConfig"])
    assert resources[log_group]["Properties"]["RetentionInDays"] == 365

    statements = role_statements(resources, "DailyExpiry")
    actions = {action for statement in statements for action in as_list(statement["Action"])}
    assert {"dynamodb:Query", "dynamodb:PutItem", "ssm:GetParameter"} <= actions
    assert not [a for a in actions if a.startswith(("s3:", "ses:"))], "the job touches no documents and queues its mail"
    assert allowed(statements, "logs:PutLogEvents") == [{"Fn::GetAtt": [log_group, "Arn"]}]


@pytest.mark.slow
def test_the_mail_worker_runs_every_minute_and_alone_may_send_through_ses(resources, template):
    properties = resources["SendMail"]["Properties"]
    assert properties["Handler"] == "app.send_mail"
    (event,) = properties["Events"].values()
    assert event == {"Type": "Schedule", "Properties": {"Schedule": "rate(1 minute)"}}
    assert properties["Timeout"] > 45  # app.MAIL_RUN_SECONDS: a run stops starting sends after 45 s
    # Only what the worker reads: the table, the sender, the configuration set that reports bounces, and
    # the site (its releases.json says what is newly published; subscribers' links point at it).
    assert properties["Environment"]["Variables"] == {
        "SEKLIK_TABLE": {"Ref": "Table"}, "SEKLIK_MAIL_FROM": {"Ref": "MailFrom"},
        "SEKLIK_MAIL_CONFIGURATION_SET": {"Ref": "MailConfigurationSet"},
        "SEKLIK_SITE_URL": {"Fn::Sub": "https://${Distribution.DomainName}/"}}
    (log_group,) = references(properties["LoggingConfig"])
    assert resources[log_group]["Properties"]["RetentionInDays"] == 365

    statements = role_statements(resources, "SendMail")
    actions = {action for statement in statements for action in as_list(statement["Action"])}
    assert actions == {"logs:CreateLogStream", "logs:PutLogEvents", "dynamodb:GetItem", "dynamodb:PutItem",
                       "dynamodb:Query", "ses:SendEmail", "ses:SendRawEmail", "ses:GetAccount"}
    targets = [r["Fn::Sub"] for r in allowed(statements, "ses:SendEmail")]
    assert [t for t in targets if t.endswith(":identity/${MailSenderIdentity}")]
    assert [t for t in targets if t.endswith(":configuration-set/${MailConfigurationSet}")]
    # The one role in the stack that may send.
    senders = [name for name, role in resources_of_type(resources, "AWS::IAM::Role").items()
               if any("ses:SendEmail" in as_list(s["Action"]) for p in role["Properties"]["Policies"]
                      for s in p["PolicyDocument"]["Statement"])]
    assert senders == ["SendMailRole"]


@pytest.mark.slow
def test_bounces_and_complaints_reach_their_handler_through_the_configuration_sets_topic(resources):
    (destination,) = resources_of_type(resources, "AWS::SES::ConfigurationSetEventDestination").values()
    assert destination["Properties"]["ConfigurationSetName"] == {"Ref": "MailConfigurationSet"}
    event_destination = destination["Properties"]["EventDestination"]
    assert sorted(event_destination["MatchingEventTypes"]) == ["bounce", "complaint"]
    assert event_destination["SnsDestination"] == {"TopicARN": {"Ref": "MailEventsTopic"}}
    (policy,) = resources_of_type(resources, "AWS::SNS::TopicPolicy").values()
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "ses.amazonaws.com"} and statement["Action"] == "sns:Publish"
    assert statement["Condition"] == {"StringEquals": {"AWS:SourceAccount": {"Ref": "AWS::AccountId"}}}

    handler = resources["MailEvents"]["Properties"]
    assert handler["Handler"] == "app.mail_events"
    (event,) = handler["Events"].values()
    assert event == {"Type": "SNS", "Properties": {"Topic": {"Ref": "MailEventsTopic"}}}
    assert handler["Environment"]["Variables"] == {"SEKLIK_TABLE": {"Ref": "Table"}}
    actions = {a for s in role_statements(resources, "MailEvents") for a in as_list(s["Action"])}
    assert actions == {"logs:CreateLogStream", "logs:PutLogEvents", "dynamodb:GetItem", "dynamodb:PutItem",
                       "dynamodb:Query"}


@pytest.mark.slow
def test_the_template_has_no_dependency_cycle(resources):
    # CloudFormation refuses a cycle only when the stack is deployed, and
    # cfn-lint does not see one through the REST API's definition: the API's
    # environment names CloudFront, CloudFront names the REST API, so the
    # REST API must not name the function (seklik.deploy._call_api_by_name).
    graph = {}
    for name, resource in resources.items():
        depends_on = resource.get("DependsOn", [])
        graph[name] = (references(resource) | set(as_list(depends_on))) & set(resources)
    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        pytest.fail(f"dependency cycle: {' -> '.join(error.args[1])}")
    assert "APIHandler" not in references(resources["RestAPI"])
    assert "Distribution" in references(resources["APIHandler"]["Properties"]["Environment"])


def test_an_unknown_stage_is_refused_with_a_message_and_no_traceback(tmp_path):
    result = run_cli("deploy", "package", "--stage", "nosuchstage", "--out", str(tmp_path))
    assert result.returncode == 1
    assert "nosuchstage" in result.stderr and "config.json" in result.stderr
    assert "Traceback" not in result.stderr


def test_packaging_stops_when_chalice_no_longer_names_the_api_function_as_expected():
    from seklik.deploy import DeployError, _call_api_by_name

    integration = {"type": "aws_proxy", "uri": {"Fn::Sub": "arn:${AWS::Partition}:apigateway:...:${Other.Arn}/x"}}
    template = {"Resources": {"RestAPI": {"Properties": {"DefinitionBody": {
        "paths": {"/api/v1/health": {"get": {"x-amazon-apigateway-integration": integration}}}}}}}}
    with pytest.raises(DeployError, match="_call_api_by_name"):
        _call_api_by_name(template, "seklik-prod-api")


def test_the_shared_cors_rule_is_translated_key_by_key_or_refused():
    from seklik.deploy import DeployError, _cors_rule

    rule = upload_cors_rule(["https://a.example"])
    translated = _cors_rule(rule)
    assert len(translated) == len(rule)
    assert translated["AllowedOrigins"] == ["https://a.example"]
    assert translated["MaxAge"] == rule["MaxAgeSeconds"]
    with pytest.raises(DeployError, match="NewKey"):
        _cors_rule({**upload_cors_rule(["x"]), "NewKey": 1})


def test_cloudfront_sends_the_same_security_headers_as_seklik_dev(resources):
    from seklik.devserver import STATIC_HEADERS

    config = resources["SecurityHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    policy = config["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert policy == STATIC_HEADERS["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy and "base-uri 'none'" in policy
    (permissions,) = [h for h in config["CustomHeadersConfig"]["Items"] if h["Header"] == "Permissions-Policy"]
    assert permissions["Value"] == STATIC_HEADERS["Permissions-Policy"]
