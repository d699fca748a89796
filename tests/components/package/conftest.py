"""The provider the package's tests build through, and the schema it gives."""

import json

import pytest

from components.package.provider import PackageProvider


@pytest.fixture(scope="module")
def provider() -> PackageProvider:
    return PackageProvider()


@pytest.fixture(scope="module")
def schema(provider) -> dict:
    return json.loads(provider.schema)
