"""The production deploy template: ``chalice package`` plus everything around the API.

Chalice knows only the Lambda function, its role and the REST API. The rest of
the production stack (the one DynamoDB table, the private documents bucket, the
newsroom's bucket behind CloudFront, least-privilege IAM and API Gateway's own
error responses) is written here as a CloudFormation *merge template*, which
``chalice package --merge-template`` deep-merges into its SAM output. The
result, ``sam.json`` beside ``deployment.zip``, describes the whole stack and
is what the operator deploys (see README); nothing here talks to AWS.

The table is generated from ``chalicelib.adapters.schema.TABLE_DEFINITION``,
the same definition ``seklik db init`` creates locally, so the two cannot drift.

How chalice merges: dictionaries are merged key by key, anything else (lists,
strings) is replaced by our value. So the roles' ``Policies`` lists below
replace chalice's (``policy-base.json``) entirely, and the functions'
environments keep chalice's variables except the ones we set.

Four functions come out of chalice: the API (``APIHandler``), the daily
expiry job (``DailyExpiry``, ``@app.schedule`` in app.py, which chalice turns
into a SAM ``Schedule`` event), the mail worker every minute (``SendMail``)
and the handler of SES's bounce and complaint reports (``MailEvents``, an SNS
subscription to the topic the SES configuration set reports to). Each gets its
own role and log group. Only the mail worker may send through SES; the API and
the job write mail into the table's outbox. The jobs have no S3 access and no
origin token, which they never need, and the mail functions no secret either.

One edit is made *after* chalice: the API's links in emails need the site's
address (``SEKLIK_SITE_URL``), which is CloudFront's domain; CloudFront needs
the REST API, and chalice's REST API names the function by ``Ref`` in every
route's integration. That is a dependency cycle, so the function gets a fixed
name and the integrations call it by that name (see ``_call_api_by_name``).
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from chalicelib.adapters import schema

from .newsroom.csp import HEADER_POLICY, PERMISSIONS_POLICY
from .provision import upload_cors_rule
from .stack import LOCAL_REGION, ROOT

FUNCTIONS_DIR = ROOT / "functions"
CHALICE_CONFIG = FUNCTIONS_DIR / ".chalice" / "config.json"
CHALICE_CACHE = FUNCTIONS_DIR / ".chalice" / "deployments"

# Logical ids that `chalice package` generates (chalice 1.34, autogen_policy
# false with iam_policy_file). We merge into these, so package() checks that
# they still exist after every run.
API_FUNCTION = "APIHandler"
API_ROLE = "ApiHandlerRole"
REST_API = "RestAPI"
# From `@app.schedule` on app.daily_expiry (chalice names them after the function).
JOB_FUNCTION = "DailyExpiry"
JOB_ROLE = "DailyExpiryRole"
# The expiry job walks every verified company and queues mail: more than an API call's 30 s.
JOB_TIMEOUT_SECONDS = 300
# From `@app.schedule` on app.send_mail and `@app.on_sns_message` on app.mail_events.
MAIL_FUNCTION = "SendMail"
MAIL_ROLE = "SendMailRole"
EVENTS_FUNCTION = "MailEvents"
EVENTS_ROLE = "MailEventsRole"
EVENTS_SUBSCRIPTION = "MailEventsSnsSubscription"  # the SAM event chalice adds to MailEvents
# A run stops starting sends after app.MAIL_RUN_SECONDS (45 s); this leaves room for the last one.
MAIL_TIMEOUT_SECONDS = 90
# Must match chalicelib.api.http.ORIGIN_VERIFY_HEADER.
ORIGIN_VERIFY_HEADER = "X-Seklik-Origin-Verify"
# chalice.json's api_gateway_stage: routes /api/v1/... live under the stage /api.
API_GATEWAY_STAGE = "api"

# AWS managed CloudFront policies (fixed ids, the same in every account).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
PUBLIC_SPENDING_PATH = "/api/v1/public/spending*"  # before /api/*: CloudFront takes the first pattern that matches

# The newsroom and the API share CloudFront's domain.
SITE_ORIGIN = {"Fn::Sub": "https://${Distribution.DomainName}"}

# Bucket, table and log-group names contain the stage; this keeps every name
# within AWS's limits (a bucket name is at most 63 characters).
STAGE_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,15}$")

# Properties with the same name and shape in boto3's create_table and in
# AWS::DynamoDB::Table. Anything else in TABLE_DEFINITION needs a deliberate
# translation here, so an unknown key stops packaging instead of being dropped.
SAME_IN_CLOUDFORMATION = {
    "AttributeDefinitions",
    "KeySchema",
    "GlobalSecondaryIndexes",
    "LocalSecondaryIndexes",
    "BillingMode",
    "TableClass",
}

# What the Lambda never runs, taken out of deployment.zip after chalice builds it: each with why it
# is safe. (bench/cold_start.py prints the size; 18.3 MB before, the goal is 15 MB.)
SLIMMED = (
    # Pillow's AVIF codec (3.4 MB compressed): Seklik reads and writes no AVIF, and Pillow loads
    # each codec as an optional plugin (an ImportError only leaves that format out).
    re.compile(r"pillow\.libs/libavif[^/]*|PIL/_avif\.[^/]*\.so"),
    # fontTools' Cython accelerators and their C sources (3.4 MB): each is the compiled copy of the
    # pure-Python module shipped beside it, which Python imports instead.
    re.compile(r"fontTools/.+\.(?:so|c)"),
)

CHALICE_TIMEOUT_SECONDS = 900
# The first line of chalice.constants.MISSING_DEPENDENCIES_TEMPLATE, printed
# (with exit status 0) when a requirement has no wheel for Lambda.
MISSING_WHEELS_WARNING = "Could not install dependencies"
OUTPUT_TAIL_LINES = 40


class DeployError(RuntimeError):
    """Packaging failed; the message says why. Printed without a traceback."""


# -- the public entry point ------------------------------------------------------------------


def package(stage: str, out: Path) -> Path:
    """Write ``sam.json`` and ``deployment.zip`` for ``stage`` into ``out``; return the template."""
    if not STAGE_PATTERN.match(stage):
        raise DeployError(
            f"stage {stage!r} is not allowed: use 1-16 lower-case letters, digits or hyphens, "
            "starting with a letter (it becomes part of table and bucket names)."
        )
    stage_env = _chalice_stage_environment(stage)
    secret_parameter = stage_env.get("SEKLIK_SECRET_PARAMETER") or f"/seklik/{stage}/signing-secret"
    if not secret_parameter.startswith("/"):
        raise DeployError(
            f"SEKLIK_SECRET_PARAMETER must be a full SSM path starting with '/', not {secret_parameter!r}."
        )

    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    template = build_merge_template(stage, secret_parameter)
    with tempfile.TemporaryDirectory(prefix="seklik-deploy-") as scratch:
        merge_file = Path(scratch) / "merge-template.json"
        merge_file.write_text(json.dumps(template, indent=2))
        _run_chalice_package(stage, merge_file, out)
    slim_package(out / "deployment.zip")

    sam = out / "sam.json"
    if not sam.exists():
        raise DeployError(f"chalice package finished but wrote no {sam}.")
    merged = json.loads(sam.read_text())
    _check_merged(merged)
    _call_api_by_name(merged, _function_name(stage, "api"))
    _tidy_mail_functions(merged)
    sam.write_text(json.dumps(merged, indent=2))
    return sam


def slim_package(archive: Path) -> int:
    """Rewrite the Lambda zip without the entries ``SLIMMED`` names; return the bytes saved."""
    if not archive.exists():
        raise DeployError(f"chalice package finished but wrote no {archive}.")
    before = archive.stat().st_size
    slimmed = archive.with_suffix(".slim.zip")
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(slimmed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if not any(pattern.fullmatch(info.filename) for pattern in SLIMMED):
                target.writestr(info, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
    slimmed.replace(archive)
    return before - archive.stat().st_size


def _chalice_stage_environment(stage: str) -> dict[str, str]:
    config = json.loads(CHALICE_CONFIG.read_text())
    if stage not in config.get("stages", {}):
        known = ", ".join(sorted(config.get("stages", {}))) or "none"
        raise DeployError(
            f"stage {stage!r} is not in functions/.chalice/config.json (stages there: {known}). "
            'Add it under "stages" first.'
        )
    return {**config.get("environment_variables", {}), **config["stages"][stage].get("environment_variables", {})}


def _chalice_command() -> list[str]:
    # The console script installed beside this interpreter (chalice has no
    # `python -m chalice`), so the venv's pinned chalice is the one that runs.
    script = Path(sys.executable).parent / "chalice"
    if not script.exists():
        raise DeployError(f"chalice is not installed beside {sys.executable}; run `make setup` first.")
    return [str(script)]


def _run_chalice_package(stage: str, merge_file: Path, out: Path) -> None:
    env = dict(os.environ)
    # chalice refuses to start without a region although the template it
    # writes is region-neutral (it uses ${AWS::Region}); any region will do.
    if not (env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")):
        env["AWS_DEFAULT_REGION"] = LOCAL_REGION
    env["SEKLIK_MAIL_EVENTS_TOPIC"] = mail_events_topic(stage)  # read by app.py's @app.on_sns_message
    command = [*_chalice_command(), "package", "--stage", stage, "--merge-template", str(merge_file), str(out)]
    started = time.monotonic()
    started_at = time.time()
    try:
        result = subprocess.run(
            command,
            cwd=FUNCTIONS_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=CHALICE_TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired as error:
        raise DeployError(
            f"chalice package did not finish within {CHALICE_TIMEOUT_SECONDS} s "
            f"(it downloads Linux wheels from PyPI):\n{_tail(error.output)}"
        ) from None
    if result.returncode != 0:
        raise DeployError(
            f"chalice package failed (exit {result.returncode}) after {time.monotonic() - started:.0f} s:\n"
            f"{_tail(result.stdout)}"
        )
    if MISSING_WHEELS_WARNING in result.stdout:
        _forget_broken_package(out, since=started_at)
        raise DeployError(
            "chalice found no Linux wheel for some of functions/requirements.txt, so the Lambda "
            f"package would not work:\n{_tail(result.stdout)}"
        )


def _forget_broken_package(out: Path, since: float) -> None:
    # chalice exits 0 here and caches the incomplete zip, so the next run would
    # reuse it without a word; remove the copies this run wrote.
    (out / "deployment.zip").unlink(missing_ok=True)
    for cached in CHALICE_CACHE.glob("*.zip"):
        if cached.stat().st_mtime >= since:
            cached.unlink(missing_ok=True)


def _tail(output: str | bytes | None) -> str:
    if isinstance(output, bytes):
        output = output.decode("utf-8", "replace")
    lines = (output or "").strip().splitlines()
    return "\n".join("    " + line for line in lines[-OUTPUT_TAIL_LINES:]) or "    (no output)"


def _function_name(stage: str, role: str) -> str:
    return f"seklik-{stage}-{role}"


def _call_api_by_name(template: dict, function_name: str) -> None:
    """Make the REST API reach the function by its fixed name instead of ``Ref``.

    Chalice writes ``${APIHandler.Arn}`` into every route's integration URI,
    so the REST API depends on the function. The function's environment
    needs CloudFront's domain (SEKLIK_SITE_URL) and CloudFront needs the REST
    API: a cycle CloudFormation refuses. The function has a fixed name (the
    merge template sets it), so its ARN can be written out instead.
    """
    reference = f"${{{API_FUNCTION}.Arn}}"
    arn = f"arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{function_name}"
    body = template["Resources"][REST_API]["Properties"]["DefinitionBody"]
    rewritten = 0
    for operations in body.get("paths", {}).values():
        for operation in operations.values():
            uri = operation.get("x-amazon-apigateway-integration", {}).get("uri")
            if isinstance(uri, dict) and reference in uri.get("Fn::Sub", ""):
                uri["Fn::Sub"] = uri["Fn::Sub"].replace(reference, arn)
                rewritten += 1
    if not rewritten or API_FUNCTION in json.dumps(template["Resources"][REST_API]):
        raise DeployError(
            f"chalice's {REST_API} no longer refers to {API_FUNCTION} the way seklik/deploy.py expects "
            "(an ${APIHandler.Arn} in each route's integration URI); see _call_api_by_name."
        )


def _tidy_mail_functions(template: dict) -> None:
    """Two edits the merge cannot make, since it only adds keys to chalice's dictionaries.

    The mail functions keep only the variables we give them (chalice adds the
    stage's bucket and secret, which they neither need nor may read), and the
    bounce handler subscribes to the topic by ``Ref`` (chalice writes an ARN
    string, so CloudFormation would not know to create the topic first).
    """
    resources = template["Resources"]
    for name, ours in ((MAIL_FUNCTION, _mail_function_overrides), (EVENTS_FUNCTION, _events_function_overrides)):
        wanted = ours("any")["Properties"]["Environment"]["Variables"]
        resources[name]["Properties"]["Environment"]["Variables"] = dict(wanted)
    events = resources[EVENTS_FUNCTION]["Properties"].get("Events", {})
    if EVENTS_SUBSCRIPTION not in events:
        raise DeployError(f"chalice no longer names the bounce handler's SNS event {EVENTS_SUBSCRIPTION}; "
                          "check seklik/deploy.py against `chalice package` output.")
    events[EVENTS_SUBSCRIPTION]["Properties"]["Topic"] = {"Ref": "MailEventsTopic"}


def _check_merged(template: dict) -> None:
    # A merge into a logical id chalice no longer generates would leave a
    # resource with properties but no Type; CloudFormation would reject it
    # much later, with a far less helpful message.
    untyped = sorted(name for name, resource in template.get("Resources", {}).items() if "Type" not in resource)
    if untyped:
        raise DeployError(
            f"the merge template changes resources chalice did not generate: {', '.join(untyped)}. "
            "Check the logical ids at the top of seklik/deploy.py against `chalice package` output."
        )


# -- the merge template ------------------------------------------------------------------------


def build_merge_template(stage: str, secret_parameter: str) -> dict:
    """The CloudFormation fragment that chalice merges into its SAM template."""
    return {
        "Description": f"Seklik ({stage}): API, table, documents bucket and the newsroom behind CloudFront",
        "Parameters": {
            "MailSenderIdentity": {
                "Type": "String",
                "Description": "The SES identity the API sends mail from: the verified domain "
                "(e.g. diskominfo.example.go.id) or a verified address.",
                "AllowedPattern": r"^[^\s/*]+$",
                "ConstraintDescription": "a domain or an email address, without wildcards",
            },
            "MailFrom": {
                "Type": "String",
                "Description": "The From of the API's emails, e.g. 'Diskominfo Kota Contoh "
                "<noreply@diskominfo.example.go.id>'. Its address must be MailSenderIdentity itself "
                "or an address in that domain.",
                "MinLength": 3,
                "AllowedPattern": r"^[^\r\n]*[^\s@<>]@[^\s@<>]+>?$",
                "ConstraintDescription": "an email address, optionally as 'Name <address>'",
            },
            "OriginVerifyToken": {
                "Type": "String",
                "NoEcho": True,
                "Description": "A random secret CloudFront adds to every /api/* request; the API refuses "
                "requests without it, so the execute-api URL cannot be used to bypass CloudFront "
                "(and to forge the visitor address that login throttling relies on).",
                "MinLength": 32,
                "AllowedPattern": "^[A-Za-z0-9_-]+$",
                "ConstraintDescription": "at least 32 characters of A-Z, a-z, 0-9, _ and -",
            },
        },
        "Resources": {
            "Table": _table(stage),
            "DocumentsBucket": _documents_bucket(stage),
            "DocumentsBucketPolicy": _tls_only_policy("DocumentsBucket"),
            "SiteBucket": _site_bucket(),
            "SiteBucketPolicy": _site_bucket_policy(),
            "SiteOriginAccessControl": _site_origin_access_control(),
            "DirectoryIndexFunction": _directory_index_function(),
            "SecurityHeadersPolicy": _security_headers_policy(),
            "Distribution": _distribution(stage),
            "ApiLogGroup": _log_group(_function_name(stage, "api")),
            "JobLogGroup": _log_group(_function_name(stage, "daily-expiry")),
            "MailLogGroup": _log_group(_function_name(stage, "send-mail")),
            "MailEventsLogGroup": _log_group(_function_name(stage, "mail-events")),
            "MailConfigurationSet": _mail_configuration_set(stage),
            "MailEventsTopic": _mail_events_topic(stage),
            "MailEventsTopicPolicy": _mail_events_topic_policy(),
            "MailEventDestination": _mail_event_destination(),
            API_FUNCTION: _api_function_overrides(stage, secret_parameter),
            API_ROLE: _api_role_overrides(stage, secret_parameter),
            JOB_FUNCTION: _job_function_overrides(stage, secret_parameter),
            JOB_ROLE: _job_role_overrides(stage, secret_parameter),
            MAIL_FUNCTION: _mail_function_overrides(stage),
            MAIL_ROLE: _mail_role_overrides(),
            EVENTS_FUNCTION: _events_function_overrides(stage),
            EVENTS_ROLE: _events_role_overrides(),
            REST_API: _rest_api_overrides(),
        },
        "Outputs": _outputs(),
    }


def _table(stage: str) -> dict:
    untranslated = set(schema.TABLE_DEFINITION) - SAME_IN_CLOUDFORMATION
    if untranslated:
        raise DeployError(
            f"schema.TABLE_DEFINITION has {', '.join(sorted(untranslated))}, which seklik/deploy.py "
            "does not translate to CloudFormation yet."
        )
    return {
        "Type": "AWS::DynamoDB::Table",
        # The table is the system of record: never delete or replace it with the stack.
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            # A fixed name (as in config.json): a key-schema change that would
            # replace the table fails loudly instead of creating an empty one.
            "TableName": f"seklik-{stage}",
            **copy.deepcopy(schema.TABLE_DEFINITION),
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "SSESpecification": {"SSEEnabled": True},
            "TimeToLiveSpecification": {"AttributeName": schema.TTL_ATTRIBUTE, "Enabled": True},
            "DeletionProtectionEnabled": True,
        },
    }


def _documents_bucket_name(stage: str) -> str:
    """The bucket's name as an Fn::Sub string.

    The name is derived, not left to CloudFormation, to avoid a dependency
    cycle: the bucket's CORS rule needs the CloudFront domain, CloudFront
    needs the REST API, the API needs the function, and the function (its
    environment and its role) would need the bucket if it used Ref.
    """
    return f"seklik-{stage}-documents-${{AWS::AccountId}}-${{AWS::Region}}"


def _documents_bucket_arn(stage: str, suffix: str = "") -> dict:
    return {"Fn::Sub": f"arn:${{AWS::Partition}}:s3:::{_documents_bucket_name(stage)}{suffix}"}


def _private_bucket_properties(noncurrent_days: int) -> dict:
    return {
        "PublicAccessBlockConfiguration": {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        },
        # ACLs off: the bucket owner owns every object, access is by policy only.
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        "VersioningConfiguration": {"Status": "Enabled"},
        # SSE-S3: encrypted at rest without KMS key policies for CloudFront or browsers.
        "BucketEncryption": {
            "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
        "LifecycleConfiguration": {
            "Rules": [
                {
                    "Id": "expire-old-versions",
                    "Status": "Enabled",
                    "NoncurrentVersionExpiration": {"NoncurrentDays": noncurrent_days},
                    "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
                }
            ]
        },
    }


def _documents_bucket(stage: str) -> dict:
    properties = _private_bucket_properties(noncurrent_days=365)
    # What a browser posted lands under incoming/ and is copied to its kept key on confirm;
    # a grant used again afterwards leaves an object there that nobody is served: clear it.
    properties["LifecycleConfiguration"]["Rules"].append(
        {"Id": "expire-incoming-uploads", "Status": "Enabled", "Prefix": "incoming/", "ExpirationInDays": 1,
         "NoncurrentVersionExpiration": {"NoncurrentDays": 1}})  # versioned: remove the old versions too
    # Report files and evidence packs are made again on request and handed out for five minutes.
    properties["LifecycleConfiguration"]["Rules"].append(
        {"Id": "expire-exports", "Status": "Enabled", "Prefix": "exports/", "ExpirationInDays": 7,
         "NoncurrentVersionExpiration": {"NoncurrentDays": 1}})
    return {
        "Type": "AWS::S3::Bucket",
        # Partners' legal documents: keep them if the stack goes away.
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "BucketName": {"Fn::Sub": _documents_bucket_name(stage)},
            **properties,
            # Pages on our CloudFront domain send files straight to S3 with a
            # presigned POST (cross-origin). Downloads are plain navigations to
            # a presigned GET and need no CORS. The same rule as `make run`'s.
            "CorsConfiguration": {
                "CorsRules": [_cors_rule(upload_cors_rule([SITE_ORIGIN]))]
            },
        },
    }


# boto3's put_bucket_cors keys (what provision.upload_cors_rule returns) → AWS::S3::Bucket CorsRule keys.
CORS_KEYS = {
    "ID": "Id",
    "AllowedOrigins": "AllowedOrigins",
    "AllowedMethods": "AllowedMethods",
    "AllowedHeaders": "AllowedHeaders",
    "ExposeHeaders": "ExposedHeaders",
    "MaxAgeSeconds": "MaxAge",
}


def _cors_rule(rule: dict) -> dict:
    unknown = set(rule) - set(CORS_KEYS)
    if unknown:
        raise DeployError(
            f"provision.upload_cors_rule has {', '.join(sorted(unknown))}, which seklik/deploy.py "
            "does not translate to CloudFormation yet."
        )
    return {CORS_KEYS[key]: value for key, value in rule.items()}


def _deny_insecure_transport(bucket: str) -> dict:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [
            {"Fn::GetAtt": [bucket, "Arn"]},
            {"Fn::Sub": f"${{{bucket}.Arn}}/*"},
        ],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def _tls_only_policy(bucket: str) -> dict:
    return {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": {"Ref": bucket},
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [_deny_insecure_transport(bucket)]},
        },
    }


def _site_bucket() -> dict:
    # The built newsroom; CloudFront is its only reader. Rebuilt on every
    # publish, so old versions are kept only long enough to roll back.
    return {"Type": "AWS::S3::Bucket", "Properties": _private_bucket_properties(noncurrent_days=30)}


def _site_bucket_policy() -> dict:
    policy = _tls_only_policy("SiteBucket")
    policy["Properties"]["PolicyDocument"]["Statement"].append(
        {
            "Sid": "AllowOurDistributionOnly",
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Action": "s3:GetObject",
            "Resource": {"Fn::Sub": "${SiteBucket.Arn}/*"},
            "Condition": {
                "StringEquals": {
                    "AWS:SourceArn": {
                        "Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}"
                    }
                }
            },
        }
    )
    return policy


def _site_origin_access_control() -> dict:
    return {
        "Type": "AWS::CloudFront::OriginAccessControl",
        "Properties": {
            "OriginAccessControlConfig": {
                "Name": {"Fn::Sub": "${AWS::StackName}-site"},
                "Description": "CloudFront signs its requests to the private site bucket",
                "OriginAccessControlOriginType": "s3",
                "SigningBehavior": "always",
                "SigningProtocol": "sigv4",
            }
        },
    }


# MkDocs (use_directory_urls) writes /page/index.html and links to /page/.
# S3 behind an origin access control has no directory indexes, and
# DefaultRootObject covers only "/", so map the URLs here; /page (no slash)
# is redirected so the page's relative links resolve.
DIRECTORY_INDEX_CODE = """\
function queryString(querystring) {
  var parts = [];
  for (var name in querystring) {
    var entry = querystring[name];
    var values = entry.multiValue ? entry.multiValue : [entry];
    for (var i = 0; i < values.length; i++) {
      parts.push(values[i].value === '' ? name : name + '=' + values[i].value);
    }
  }
  return parts.length ? '?' + parts.join('&') : '';
}

function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
  } else if (uri.lastIndexOf('.') < uri.lastIndexOf('/')) {
    return {
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: {location: {value: uri + '/' + queryString(request.querystring)}}
    };
  }
  return request;
}
"""


def _directory_index_function() -> dict:
    return {
        "Type": "AWS::CloudFront::Function",
        "Properties": {
            "Name": {"Fn::Sub": "${AWS::StackName}-directory-index"},
            "AutoPublish": True,
            "FunctionConfig": {"Comment": "Serve MkDocs directory URLs from S3", "Runtime": "cloudfront-js-2.0"},
            "FunctionCode": DIRECTORY_INDEX_CODE,
        },
    }


def _security_headers_policy() -> dict:
    return {
        "Type": "AWS::CloudFront::ResponseHeadersPolicy",
        "Properties": {
            "ResponseHeadersPolicyConfig": {
                "Name": {"Fn::Sub": "${AWS::StackName}-security-headers"},
                "Comment": "Security headers on every response, site and API alike",
                "SecurityHeadersConfig": {
                    "StrictTransportSecurity": {
                        "AccessControlMaxAgeSec": 63072000,
                        "IncludeSubdomains": True,
                        "Override": True,
                    },
                    "ContentTypeOptions": {"Override": True},
                    "FrameOptions": {"FrameOption": "DENY", "Override": True},
                    "ReferrerPolicy": {"ReferrerPolicy": "strict-origin-when-cross-origin", "Override": True},
                    # With each page's own <meta> script policy (seklik/newsroom/csp.py), as `seklik dev` sends.
                    "ContentSecurityPolicy": {"ContentSecurityPolicy": HEADER_POLICY, "Override": True},
                },
                "CustomHeadersConfig": {"Items": [
                    {"Header": "Permissions-Policy", "Value": PERMISSIONS_POLICY, "Override": True},
                ]},
            }
        },
    }


def _distribution(stage: str) -> dict:
    return {
        "Type": "AWS::CloudFront::Distribution",
        "Properties": {
            "DistributionConfig": {
                "Comment": f"Seklik {stage}: newsroom and /api/*",
                "Enabled": True,
                "HttpVersion": "http2and3",
                "IPV6Enabled": True,
                # North America, Europe and Asia, which includes the edge locations in Indonesia.
                "PriceClass": "PriceClass_200",
                "DefaultRootObject": "index.html",
                "Origins": [
                    {
                        "Id": "site",
                        "DomainName": {"Fn::GetAtt": ["SiteBucket", "RegionalDomainName"]},
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                        "OriginAccessControlId": {"Fn::GetAtt": ["SiteOriginAccessControl", "Id"]},
                    },
                    {
                        "Id": "api",
                        "DomainName": {"Fn::Sub": f"${{{REST_API}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}"},
                        # CloudFront keeps the viewer's path: /api/v1/x goes to
                        # the stage "api" as /api/api/v1/x, the route chalice defined.
                        "OriginPath": f"/{API_GATEWAY_STAGE}",
                        "OriginCustomHeaders": [
                            {"HeaderName": ORIGIN_VERIFY_HEADER, "HeaderValue": {"Ref": "OriginVerifyToken"}}
                        ],
                        "CustomOriginConfig": {
                            "OriginProtocolPolicy": "https-only",
                            "OriginSSLProtocols": ["TLSv1.2"],
                        },
                    },
                ],
                "DefaultCacheBehavior": {
                    "TargetOriginId": "site",
                    "ViewerProtocolPolicy": "redirect-to-https",
                    "Compress": True,
                    "CachePolicyId": CACHING_OPTIMIZED,
                    "ResponseHeadersPolicyId": {"Ref": "SecurityHeadersPolicy"},
                    "FunctionAssociations": [
                        {
                            "EventType": "viewer-request",
                            "FunctionARN": {"Fn::GetAtt": ["DirectoryIndexFunction", "FunctionMetadata.FunctionARN"]},
                        }
                    ],
                },
                "CacheBehaviors": [
                    {
                        # The public spending figures and open data are the same for every reader and
                        # carry their own Cache-Control (five minutes): cache them at the edge, with no
                        # cookie, header or query string in the key, and send none of them on.
                        "PathPattern": PUBLIC_SPENDING_PATH,
                        "TargetOriginId": "api",
                        "ViewerProtocolPolicy": "https-only",
                        "AllowedMethods": ["GET", "HEAD"],
                        "CachedMethods": ["GET", "HEAD"],
                        "Compress": True,
                        "CachePolicyId": CACHING_OPTIMIZED,
                        "ResponseHeadersPolicyId": {"Ref": "SecurityHeadersPolicy"},
                    },
                    {
                        "PathPattern": "/api/*",
                        "TargetOriginId": "api",
                        # A redirect would turn a POST into a GET; refuse plain HTTP instead.
                        "ViewerProtocolPolicy": "https-only",
                        "AllowedMethods": ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
                        "CachedMethods": ["GET", "HEAD"],
                        "Compress": True,
                        # Answers depend on the session cookie: never cache, pass
                        # everything but Host (API Gateway routes on its own host name).
                        "CachePolicyId": CACHING_DISABLED,
                        "OriginRequestPolicyId": ALL_VIEWER_EXCEPT_HOST_HEADER,
                        "ResponseHeadersPolicyId": {"Ref": "SecurityHeadersPolicy"},
                    }
                ],
            }
        },
    }


def _log_group(function_name: str) -> dict:
    # Created by us (not by Lambda on first use) so that each role can be
    # limited to its own log group and logs do not live forever.
    return {
        "Type": "AWS::Logs::LogGroup",
        "Properties": {"LogGroupName": f"/aws/lambda/{function_name}", "RetentionInDays": 365},
    }


def _environment(stage: str, secret_parameter: str) -> dict:
    """What both functions need: the table, the bucket, the secret and the mail settings."""
    return {
        "SEKLIK_TABLE": {"Ref": "Table"},
        "SEKLIK_DOCUMENTS_BUCKET": {"Fn::Sub": _documents_bucket_name(stage)},
        "SEKLIK_SECRET_PARAMETER": secret_parameter,
        # Links in emails point at the portal on the site.
        "SEKLIK_SITE_URL": {"Fn::Sub": "https://${Distribution.DomainName}/"},
        "SEKLIK_MAIL_FROM": {"Ref": "MailFrom"},
    }


def _api_function_overrides(stage: str, secret_parameter: str) -> dict:
    return {
        "Properties": {
            # Fixed, so that the REST API can name it without a Ref (see _call_api_by_name).
            "FunctionName": _function_name(stage, "api"),
            "Environment": {
                "Variables": {
                    **_environment(stage, secret_parameter),
                    # API Gateway sees CloudFront's address; login throttling
                    # needs the visitor's, which CloudFront forwards here.
                    "SEKLIK_CLIENT_IP_HEADER": "CloudFront-Viewer-Address",
                    "SEKLIK_ORIGIN_VERIFY_TOKEN": {"Ref": "OriginVerifyToken"},
                }
            },
            "LoggingConfig": {"LogGroup": {"Ref": "ApiLogGroup"}},
        }
    }


def _job_function_overrides(stage: str, secret_parameter: str) -> dict:
    return {
        "Properties": {
            "FunctionName": _function_name(stage, "daily-expiry"),
            "Environment": {"Variables": _environment(stage, secret_parameter)},
            "LoggingConfig": {"LogGroup": {"Ref": "JobLogGroup"}},
            "Timeout": JOB_TIMEOUT_SECONDS,
        }
    }


def _write_logs(log_group: str) -> dict:
    return {
        "Sid": "WriteOwnLogs",
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": {"Fn::GetAtt": [log_group, "Arn"]},
    }


def _use_the_table() -> dict:
    return {
        "Sid": "UseTheTable",
        "Effect": "Allow",
        # TransactWriteItems is authorised per item by these same actions.
        "Action": [
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:Query",
            "dynamodb:ConditionCheckItem",
            "dynamodb:BatchGetItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:DescribeTable",
        ],
        "Resource": [
            {"Fn::GetAtt": ["Table", "Arn"]},
            {"Fn::Sub": "${Table.Arn}/index/*"},
        ],
    }


def _read_signing_secret(secret_parameter: str) -> dict:
    return {
        "Sid": "ReadSigningSecret",
        "Effect": "Allow",
        # A SecureString under the AWS managed key aws/ssm needs no
        # kms:Decrypt here: that key's policy already allows use through SSM.
        "Action": "ssm:GetParameter",
        "Resource": {
            "Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter" + secret_parameter
        },
    }


def _send_mail() -> dict:
    return {
        "Sid": "SendMail",
        "Effect": "Allow",
        # SES v2 SendEmail (adapters/mail.py, raw MIME included) is authorised
        # as ses:SendEmail on the identity of the From address and on the
        # configuration set it names; SendRawEmail covers the v1 call.
        "Action": ["ses:SendEmail", "ses:SendRawEmail"],
        "Resource": [
            {"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${MailSenderIdentity}"},
            {"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}"
                        ":configuration-set/${MailConfigurationSet}"},
        ],
    }


def _role_policy(name: str, statements: list[dict]) -> dict:
    return {
        "Properties": {
            # Replaces chalice's list (built from policy-base.json) as a whole.
            "Policies": [
                {
                    "PolicyName": name,
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
                }
            ]
        }
    }


def _api_role_overrides(stage: str, secret_parameter: str) -> dict:
    return _role_policy(
        "SeklikApi",
        [
            _write_logs("ApiLogGroup"),
            _use_the_table(),
            {
                "Sid": "UseDocuments",
                "Effect": "Allow",
                # Presigned POST (upload) and GET (download) URLs act with these
                # permissions of the role; confirming an upload reads the object
                # and deletes a refused one.
                "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject"],
                "Resource": _documents_bucket_arn(stage, "/*"),
            },
            {
                "Sid": "CheckDocumentsBucket",
                "Effect": "Allow",
                # HeadBucket (the health check) is authorised by ListBucket.
                "Action": "s3:ListBucket",
                "Resource": _documents_bucket_arn(stage),
            },
            _read_signing_secret(secret_parameter),
        ],
    )


def _job_role_overrides(stage: str, secret_parameter: str) -> dict:
    # The services are built whole (wiring.get_services), which reads the
    # signing secret; the job itself only reads and writes the table (its mail is queued there).
    return _role_policy(
        "SeklikDailyExpiry",
        [_write_logs("JobLogGroup"), _use_the_table(), _read_signing_secret(secret_parameter)],
    )


# -- mail: the worker, SES's reports, and where they go ------------------------------------------


def mail_events_topic(stage: str) -> str:
    """The SNS topic's name; app.py reads it (SEKLIK_MAIL_EVENTS_TOPIC) when chalice packages it."""
    return f"seklik-{stage}-mail-events"


def _mail_configuration_set(stage: str) -> dict:
    # Every send names this set, so SES reports its bounces and complaints to the topic below.
    return {"Type": "AWS::SES::ConfigurationSet", "Properties": {"Name": f"seklik-{stage}"}}


def _mail_events_topic(stage: str) -> dict:
    return {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": mail_events_topic(stage)}}


def _mail_events_topic_policy() -> dict:
    return {
        "Type": "AWS::SNS::TopicPolicy",
        "Properties": {
            "Topics": [{"Ref": "MailEventsTopic"}],
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "SesReportsOnlyFromThisAccount",
                    "Effect": "Allow",
                    "Principal": {"Service": "ses.amazonaws.com"},
                    "Action": "sns:Publish",
                    "Resource": {"Ref": "MailEventsTopic"},
                    "Condition": {"StringEquals": {"AWS:SourceAccount": {"Ref": "AWS::AccountId"}}},
                }],
            },
        },
    }


def _mail_event_destination() -> dict:
    return {
        "Type": "AWS::SES::ConfigurationSetEventDestination",
        "DependsOn": ["MailEventsTopicPolicy"],
        "Properties": {
            "ConfigurationSetName": {"Ref": "MailConfigurationSet"},
            "EventDestination": {
                "Name": "bounces-and-complaints",
                "Enabled": True,
                "MatchingEventTypes": ["bounce", "complaint"],
                "SnsDestination": {"TopicARN": {"Ref": "MailEventsTopic"}},
            },
        },
    }


def _mail_function_overrides(stage: str) -> dict:
    return {
        "Properties": {
            "FunctionName": _function_name(stage, "send-mail"),
            # Only what get_mail_worker and get_subscriptions read: no bucket, no secret. The site's
            # address is for the newsroom's releases.json (new releases to announce) and the links.
            "Environment": {"Variables": {
                "SEKLIK_TABLE": {"Ref": "Table"},
                "SEKLIK_SITE_URL": {"Fn::Sub": "https://${Distribution.DomainName}/"},
                "SEKLIK_MAIL_FROM": {"Ref": "MailFrom"},
                "SEKLIK_MAIL_CONFIGURATION_SET": {"Ref": "MailConfigurationSet"},
            }},
            "LoggingConfig": {"LogGroup": {"Ref": "MailLogGroup"}},
            "Timeout": MAIL_TIMEOUT_SECONDS,
        }
    }


def _events_function_overrides(stage: str) -> dict:
    return {
        "Properties": {
            "FunctionName": _function_name(stage, "mail-events"),
            "Environment": {"Variables": {"SEKLIK_TABLE": {"Ref": "Table"}}},
            "LoggingConfig": {"LogGroup": {"Ref": "MailEventsLogGroup"}},
        }
    }


def _mail_role_overrides() -> dict:
    return _role_policy("SeklikSendMail", [
        _write_logs("MailLogGroup"),
        _use_outbox(),
        _send_mail(),
        {
            "Sid": "ReadSendingRate",
            "Effect": "Allow",
            # The worker paces itself to the account's MaxSendRate; GetAccount has no resource of its own.
            "Action": "ses:GetAccount",
            "Resource": "*",
        },
    ])


def _events_role_overrides() -> dict:
    return _role_policy("SeklikMailEvents", [_write_logs("MailEventsLogGroup"), _use_outbox()])


def _use_outbox() -> dict:
    # The mail functions read, write (one item or a transaction of puts) and query; they delete nothing.
    return {
        "Sid": "UseTheOutbox",
        "Effect": "Allow",
        "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
        "Resource": [
            {"Fn::GetAtt": ["Table", "Arn"]},
            {"Fn::Sub": "${Table.Arn}/index/*"},
        ],
    }


def _error_body(code: str, message: str) -> str:
    # The API's one error shape (chalicelib/errors.py), for errors API
    # Gateway answers itself before our code runs.
    return json.dumps({"error": {"code": code, "message": message, "details": []}}, ensure_ascii=False)


def _gateway_response(code: str, message: str, status: str | None = None) -> dict:
    response = {
        "ResponseTemplates": {"application/json": _error_body(code, message)},
        "ResponseParameters": {"Headers": {"Cache-Control": "'no-store'"}},
    }
    if status:
        response["StatusCode"] = status
    return response


def _rest_api_overrides() -> dict:
    return {
        "Properties": {
            # SAM writes these into the API definition, so a change redeploys
            # the stage (separate AWS::ApiGateway::GatewayResponse resources
            # would wait for the next unrelated deployment to take effect).
            "GatewayResponses": {
                # An unknown path or method: API Gateway says 403 "Missing
                # Authentication Token", which misleads; it is a 404.
                "MISSING_AUTHENTICATION_TOKEN": _gateway_response(
                    "NOT_FOUND", "Alamat API ini tidak ada. Lihat referensi API di /referensi-api/.", "404"
                ),
                "THROTTLED": _gateway_response(
                    "TOO_MANY_REQUESTS", "Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi."
                ),
                "REQUEST_TOO_LARGE": _gateway_response("BODY_TOO_LARGE", "Permintaan terlalu besar."),
                "DEFAULT_4XX": _gateway_response("BAD_REQUEST", "Permintaan tidak dapat diproses."),
                "DEFAULT_5XX": _gateway_response(
                    "INTERNAL_ERROR", "Terjadi kesalahan pada server. Coba lagi beberapa saat lagi."
                ),
            },
        }
    }


def _outputs() -> dict:
    return {
        "SiteURL": {
            "Description": "The newsroom and the API (under /api/v1/)",
            "Value": {"Fn::Sub": "https://${Distribution.DomainName}"},
        },
        "DistributionId": {
            "Description": "For CloudFront invalidations after publishing the site",
            "Value": {"Ref": "Distribution"},
        },
        "SiteBucketName": {"Description": "Where the built site is published", "Value": {"Ref": "SiteBucket"}},
        "DocumentsBucketName": {"Description": "Private partner documents", "Value": {"Ref": "DocumentsBucket"}},
        "TableName": {"Description": "The one DynamoDB table", "Value": {"Ref": "Table"}},
    }
