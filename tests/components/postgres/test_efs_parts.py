"""What EfsPostgres gives its file system and access point, as plain values."""

import pytest

from components.postgres.efs import EFS_THROUGHPUT_MODES
from components.postgres.efs_parts import access_point_inputs, file_system_inputs
from components.postgres.task_parts import access_point_posix_user, access_point_root


@pytest.mark.parametrize("mode", EFS_THROUGHPUT_MODES)
def test_the_file_system_is_encrypted_general_purpose_of_the_asked_throughput(mode):
    inputs = file_system_inputs("db", mode)
    assert inputs["encrypted"] is True
    assert inputs["performance_mode"] == "generalPurpose"
    assert inputs["throughput_mode"] == mode
    assert inputs["tags"] == {"Name": "db-data"}


def test_the_access_point_enters_the_file_system_as_postgres_at_its_data_directory():
    inputs = access_point_inputs("db", "fs-1")
    assert inputs["file_system_id"] == "fs-1"
    assert inputs["posix_user"] == access_point_posix_user()
    assert inputs["root_directory"] == access_point_root()
    assert inputs["tags"] == {"Name": "db-postgres"}
