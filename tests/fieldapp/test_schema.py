def test_the_schema_documents_every_error_response(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
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


def test_the_api_docs_are_served_without_any_other_host(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "cdn" not in page.lower() and "https://" not in page
