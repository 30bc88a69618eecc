"""The API's errors: one documented body (`ApiError`) and, in the schema, the errors every
operation can answer besides its own, and which operations answer anonymous callers."""

import pytest

pytestmark = pytest.mark.django_db


def test_input_that_does_not_validate_gets_422_with_the_messages_per_field(client):
    response = client.get("/api/plans/", {"year": "tjugotjugotvå"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The input does not validate."
    assert list(body["errors"]) == ["query.year"]


def test_the_schema_lists_the_errors_every_operation_can_answer(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    listing, one = paths["/api/plans/"]["get"], paths["/api/plans/{key}"]["get"]
    write = paths["/api/followup/periods/{key}/{kind}/{item_key}/status"]["put"]
    assert {"200", "401", "422", "429"} == set(listing["responses"])
    assert {"200", "401", "404", "422", "429"} == set(one["responses"])
    assert {"400", "401", "403", "404", "409", "422", "429"} < set(write["responses"])
    error = one["responses"]["404"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/ApiError"}


def test_the_schema_says_which_operations_answer_without_credentials(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {} in paths["/api/plans/"]["get"]["security"]
    write = paths["/api/followup/periods/{key}/{kind}/{item_key}/status"]["put"]
    assert write["security"] == [{"SessionAuth": []}]
