"""Checking the API's answers against its own OpenAPI schema (the contract callers build on).

The schema is OpenAPI 3.1, whose schemas are JSON Schema 2020-12, so the ``jsonschema`` that
drf-spectacular already depends on validates an answer against its operation's response schema,
``$ref``s resolved within the document."""

import re

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

BASE = "urn:api-schema"


class Contract:
    def __init__(self, document: dict):
        self.document = document
        self.registry = Registry().with_resource(
            BASE, Resource.from_contents(document, default_specification=DRAFT202012)
        )
        self.routes = [
            (re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$"), template)
            for template in document["paths"]
        ]
        self.exercised: set[tuple[str, str]] = set()

    def template(self, path: str) -> str:
        for pattern, template in self.routes:
            if pattern.match(path):
                return template
        raise AssertionError(f"{path} is in no path of the schema")

    def check(self, method: str, path: str, response) -> None:
        """The answer's status is documented for the operation, and its body matches the schema."""
        template = self.template(path)
        operation = self.document["paths"][template][method.lower()]
        status = str(response.status_code)
        assert status in operation["responses"], f"{method} {template} answered {status}, not documented"
        content = operation["responses"][status].get("content", {})
        assert "application/json" in content, f"{method} {template} {status} has no JSON schema"
        pointer = "/".join(
            part.replace("~", "~0").replace("/", "~1")
            for part in (
                "paths",
                template,
                method.lower(),
                "responses",
                status,
                "content",
                "application/json",
                "schema",
            )
        )
        validator = Draft202012Validator(
            {"$ref": f"{BASE}#/{pointer}"}, registry=self.registry, format_checker=FormatChecker()
        )
        errors = sorted(validator.iter_errors(response.json()), key=lambda error: list(error.path))
        assert not errors, f"{method} {template} {status}: " + "; ".join(
            f"{list(error.path)}: {error.message}" for error in errors[:5]
        )
        self.exercised.add((method.lower(), template))

    def operations(self) -> set[tuple[str, str]]:
        return {(method, template) for template, item in self.document["paths"].items() for method in item}
