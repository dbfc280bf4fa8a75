"""The published language of SIPD: what crosses a service boundary, one module per publisher.

Each module holds the publisher's events and the requests and answers of its RPCs, as pydantic
models and enums: data only, nothing that decides. A publisher validates strictly what it sends
(the models forbid unknown fields); a consumer reads tolerantly (``Event.read``, or
``model_validate(..., extra="ignore")``), so adding an optional field is a compatible change and a
breaking change is a new version published beside the old one. ``docs/asyncapi.yaml`` and
``docs/openapi.json`` are generated from these models.
"""
