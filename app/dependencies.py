"""Annotated dependency aliases shared by routers."""

from typing import Annotated

from fastapi import Depends, Request

from app.config import Settings


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
