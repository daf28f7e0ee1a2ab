"""The analyst's workbench: a local web app and JSON API over the library (`corroborate
serve`). Starlette, server-rendered Jinja2 pages, vendored script and style, no build step."""

from corroborate.web.app import create_app

__all__ = ["create_app"]
