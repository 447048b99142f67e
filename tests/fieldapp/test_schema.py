from django.urls import reverse

OPENAPI = "application/vnd.oai.openapi+json"


def test_the_schema_documents_every_error_response(client, volunteer):
    client.force_login(volunteer)
    response = client.get("/api/schema/", HTTP_ACCEPT=OPENAPI)
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert "/api/v1/people/" in paths and "/api/v1/sites/" in paths
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method not in {"get", "post", "patch", "put", "delete"}:
                continue
            codes = set(operation["responses"])
            assert {"400", "401", "403"} <= codes, (path, method, codes)
            if method in {"post", "patch"}:
                assert "409" in codes
            if "{" in path:
                assert "404" in codes
    assert "Error" in schema["components"]["schemas"]


def test_the_api_docs_are_served_without_any_other_host(client, volunteer):
    client.force_login(volunteer)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "cdn" not in page.lower() and "https://" not in page


def test_the_schema_needs_a_signed_in_user(api_client, db):
    assert api_client.get("/api/schema/", HTTP_ACCEPT=OPENAPI).status_code == 401


def test_the_api_docs_send_a_signed_out_visitor_to_sign_in(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
