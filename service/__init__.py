"""The Sourcewise answering service: a FastAPI app over the knowledge store (``API.md``).

Run it with ``sourcewise serve``, or ``uvicorn service.app:app_factory --factory``.
"""
