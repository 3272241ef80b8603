"""Test infrastructure shared by the client tests.

- :mod:`support.server`: a real HTTP server on 127.0.0.1 that mocks an OpenAPI document and/or
  answers scripted responses, recording every request.
- :mod:`support.prism`: Stoplight Prism in mock mode behind a recording proxy, reporting the
  requests that violate the spec.
- :mod:`support.openapi`: loading a spec, ``$ref`` resolution, routing;
  :mod:`support.examples`: response bodies from its examples or synthesised from its schemas;
  :mod:`support.messages`: recorded requests and scripted responses.
"""
