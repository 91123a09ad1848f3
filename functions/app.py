"""Seklik API (AWS Chalice). Creates the app and registers the blueprints; nothing else.

Routes live in ``chalicelib/api/``, one blueprint per resource; see
ARCHITECTURE.md for the layers behind them.
"""

from chalice import Chalice

from chalicelib.api import auth, health, media, users, verification
from chalicelib.api.http import normalise_framework_errors

app = Chalice(app_name="seklik")
app.register_middleware(normalise_framework_errors, "http")

for module in (health, auth, users, media, verification):
    app.register_blueprint(module.routes.blueprint)
