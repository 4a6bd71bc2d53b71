"""The Textual review app. `create_app` (app.py) builds it for the CLI and the tests.

The UI holds no review logic: every decision goes through `core.review.Review`, so it
is in the review store and the audit log the moment a key is pressed.
"""
