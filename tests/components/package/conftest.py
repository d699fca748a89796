"""The package provider the tests build the schema and the components through."""

import pytest

from components.package.provider import PackageProvider


@pytest.fixture(scope="module")
def provider() -> PackageProvider:
    return PackageProvider()
