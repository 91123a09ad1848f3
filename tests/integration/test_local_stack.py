"""The local servers behave like the AWS services the app relies on, and fail clearly."""

import socket
import subprocess
import sys

import pytest
import requests
from botocore.exceptions import ClientError

from seklik.stack import LocalStack, Ports, StackError, find_free_base
from tests.sockets import listening, off_loopback


def test_no_server_of_the_stack_listens_beyond_loopback(stack):
    pids = [server.process.pid for server in stack.servers]
    names = {server.process.pid: server.name for server in stack.servers}
    assert {names[pid] for pid, _ in listening(pids)} == {"dynamodb", "s3"}  # the check sees both
    assert [(names[pid], address) for pid, address in off_loopback(pids)] == []
    assert f"127.0.0.1:{stack.ports.dynamodb}" in [address for _, address in listening(pids)]


def test_the_s3_server_enforces_presigned_post_policies(stack):
    s3 = stack.s3_client()
    post = s3.generate_presigned_post(
        stack.bucket,
        "companies/c1/akta.pdf",
        Fields={"Content-Type": "application/pdf"},
        Conditions=[["content-length-range", 1, 1024], {"Content-Type": "application/pdf"}],
        ExpiresIn=120,
    )
    small = requests.post(post["url"], data=post["fields"], files={"file": ("a.pdf", b"%PDF-1.7 ok")}, timeout=10)
    assert small.status_code == 204
    too_big = requests.post(post["url"], data=post["fields"], files={"file": ("a.pdf", b"x" * 2048)}, timeout=10)
    assert too_big.status_code == 400 and "EntityTooLarge" in too_big.text
    other_key = dict(post["fields"], key="companies/c2/akta.pdf")
    forged = requests.post(post["url"], data=other_key, files={"file": ("a.pdf", b"%PDF")}, timeout=10)
    assert forged.status_code == 403
    assert s3.head_object(Bucket=stack.bucket, Key="companies/c1/akta.pdf")["ContentLength"] == len(b"%PDF-1.7 ok")


def test_the_s3_server_checks_signatures_and_keeps_the_bucket_private(stack):
    import boto3

    wrong = boto3.client(
        "s3", endpoint_url=stack.s3_url, aws_access_key_id="x", aws_secret_access_key="y", region_name="ap-southeast-3"
    )
    with pytest.raises(ClientError):
        wrong.list_objects_v2(Bucket=stack.bucket)
    assert requests.get(f"{stack.s3_url}/{stack.bucket}/companies/c1/akta.pdf", timeout=5).status_code == 403


def test_dynamodb_local_enforces_real_rules(stack, table_name):
    import boto3

    client = boto3.client("dynamodb")
    with pytest.raises(ClientError) as caught:
        client.describe_table(TableName="ab")  # names are 3-255 characters on AWS too
    assert caught.value.response["Error"]["Code"] == "ValidationException"


def test_a_port_in_use_is_reported_with_what_to_do(tmp_path):
    base = find_free_base()
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", base + 1))
        blocker.listen()
        with pytest.raises(StackError) as caught:
            LocalStack(var_dir=tmp_path, ports=Ports.from_base(base)).start()
    message = str(caught.value)
    assert str(base + 1) in message and "already in use" in message and "SERVICE_PORT_BASE" in message


def test_missing_java_is_reported_with_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(StackError) as caught:
        LocalStack(var_dir=tmp_path, ports=Ports.from_base(find_free_base())).start()
    assert "apt-get install -y openjdk-17-jdk-headless" in str(caught.value)


def test_seklik_dev_on_a_busy_port_exits_with_one_clear_line(tmp_path):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "seklik.cli", "dev", "--port", str(port), "--var-dir", str(tmp_path)],
            capture_output=True, text=True, timeout=60,
        )
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
