"""Seklik API: domain, services, storage adapters and HTTP blueprints.

This package is deployed to AWS Lambda with ``app.py`` (Chalice copies
``chalicelib/`` into the deployment package), so nothing here may import
from the development tooling in ``seklik/``.
"""

VERSION = "0.1.0"
