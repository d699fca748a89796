"""The tolerant readers every rule reads engine-style properties with."""

from __future__ import annotations

import pytest

from policy.readers import as_int, as_list, containers, of_type, parse_json, refers_to, statements

from .builders import res


@pytest.mark.parametrize(
    ("value", "expected"), [(None, []), ("a", ["a"]), (("a", "b"), ["a", "b"]), ([1], [1])]
)
def test_as_list_takes_nothing_one_value_or_many(value, expected):
    assert as_list(value) == expected


@pytest.mark.parametrize(("value", "expected"), [("30", 30), (7, 7), (None, -1), ("x", -1)])
def test_as_int_falls_back_to_the_default(value, expected):
    assert as_int(value, -1) == expected


def test_json_documents_may_come_as_text_or_parsed():
    assert parse_json('{"a": 1}') == {"a": 1} == parse_json({"a": 1})
    assert parse_json("{not json") is None


def test_statements_of_a_policy_document_skip_what_is_not_a_statement():
    document = '{"Statement": [{"Effect": "Allow"}, "junk"]}'
    assert statements(document) == [{"Effect": "Allow"}]
    assert statements({"Statement": {"Effect": "Deny"}}) == [{"Effect": "Deny"}]
    assert statements(None) == []


def test_containers_of_a_task_definition():
    assert containers({"containerDefinitions": '[{"name": "web"}, 3]'}) == [{"name": "web"}]
    assert containers({}) == []


def test_a_resource_is_referred_to_by_id_arn_name_or_urn():
    bucket = res("aws:s3/bucket:Bucket", "media", id="media-1", arn="arn:aws:s3:::media-1")
    for reference in ("media-1", "arn:aws:s3:::media-1", "media", bucket.urn):
        assert refers_to(reference, bucket)
    assert not refers_to("other", bucket)
    assert not refers_to(None, bucket)


def test_of_type_keeps_the_resources_of_the_given_types():
    subnet, vpc = res("aws:ec2/subnet:Subnet", "s"), res("aws:ec2/vpc:Vpc", "v")
    assert of_type([subnet, vpc], "aws:ec2/vpc:Vpc") == [vpc]
