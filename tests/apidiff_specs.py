"""The spec the API diff tests edit: users listed with `list_users` (pages by `Link` header),
read with `get_user` and written with `update_user`.

`User` is only received, `UserUpdate` and `Role` only sent, `Address` both; `Legacy` is
used by nothing.
"""

from __future__ import annotations

from typing import Any

Spec = dict[str, Any]

BASE: Spec = {
    "openapi": "3.1.0",
    "info": {"title": "Users", "version": "1.0.0"},
    "servers": [{"url": "https://api.example.test"}],
    "security": [{"apiKey": []}],
    "paths": {
        "/users": {
            "get": {
                "operationId": "listUsers",
                "tags": ["users"],
                "parameters": [
                    {"name": "after", "in": "query", "schema": {"type": "string"}},
                    {"name": "per_page", "in": "query", "schema": {"type": "integer"}},
                ],
                "responses": {
                    "200": {
                        "description": "a page of users (the next one in the Link header)",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/User"},
                                }
                            }
                        },
                    }
                },
            }
        },
        "/users/{id}": {
            "get": {
                "operationId": "getUser",
                "tags": ["users"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"name": "score", "in": "query", "schema": {"type": "number"}},
                ],
                "responses": {
                    "200": {
                        "description": "the user",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/User"}}
                        },
                    },
                    "404": {"$ref": "#/components/responses/NotFound"},
                },
            },
            "patch": {
                "operationId": "updateUser",
                "tags": ["users"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/UserUpdate"}}
                    },
                },
                "responses": {
                    "204": {"description": "updated"},
                    "404": {"$ref": "#/components/responses/NotFound"},
                },
            },
        },
    },
    "components": {
        "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "X-Key"}},
        "responses": {
            "NotFound": {
                "description": "no such user",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        },
        "schemas": {
            "User": {
                "type": "object",
                "required": ["id", "email"],
                "properties": {
                    "id": {"type": "string"},
                    "email": {"type": "string"},
                    "age": {"type": "integer"},
                    "nickname": {"type": "string", "maxLength": 20},
                    "status": {"$ref": "#/components/schemas/Status"},
                    "address": {"$ref": "#/components/schemas/Address"},
                },
            },
            "UserUpdate": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "maxLength": 50},
                    "age": {"type": "number"},
                    "role": {"$ref": "#/components/schemas/Role"},
                    "address": {"$ref": "#/components/schemas/Address"},
                },
            },
            "Address": {"type": "object", "properties": {"city": {"type": "string"}}},
            "Status": {"type": "string", "enum": ["active", "blocked"]},
            "Role": {"type": "string", "enum": ["admin", "member"]},
            "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
            "Legacy": {"type": "object", "properties": {"x": {"type": "string"}}},
        },
    },
}
