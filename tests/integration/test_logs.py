"""Request logs are structured JSON and carry no personal data."""

import io
import json
import logging

from chalicelib.logs import JsonFormatter


def test_each_request_logs_one_json_line_without_personal_data(api, make_user):
    user, password = make_user(email="rahasia.pribadi@example.go.id", name="Nama Pribadi")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("seklik.api")
    logger.addHandler(handler)
    try:
        api.login(user.email, "salah-kata-sandi-nya")
        api.login(user.email, password)
        api.get("/api/v1/auth/me")
    finally:
        logger.removeHandler(handler)

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(l["route"], l["status"]) for l in lines] == [
        ("/api/v1/auth/login", 401),
        ("/api/v1/auth/login", 200),
        ("/api/v1/auth/me", 200),
    ]
    assert lines[2]["user_id"] == user.id
    assert all(isinstance(l["duration_ms"], float) for l in lines)
    text = stream.getvalue()
    for secret in (user.email, "Nama Pribadi", password, "salah-kata-sandi-nya", api.cookie, "127.0.0.1"):
        assert secret not in text
