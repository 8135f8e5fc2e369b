"""Catalog API bodies."""

from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, Field, StringConstraints, model_validator

from app.schemas import StrictModel, storable

CatalogName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(storable),
]


class CatalogComponent(StrictModel):
    component: CatalogName = Field(description="Public name customers know, e.g. 'Notifications'.")
    internal: Annotated[list[CatalogName], Field(max_length=500)] = Field(
        default=[], description="Internal aliases: hosts, services, queues, repos."
    )


class CatalogBody(StrictModel):
    components: Annotated[list[CatalogComponent], Field(max_length=500)] = []
    people: Annotated[list[CatalogName], Field(max_length=2000)] = Field(
        default=[], description="Names of people who must never be named to customers."
    )

    @model_validator(mode="after")
    def _unique_components(self) -> Self:
        seen: set[str] = set()
        for entry in self.components:
            key = entry.component.casefold()
            if key in seen:
                raise ValueError(f"component {entry.component!r} is listed twice")
            seen.add(key)
        return self


class CatalogRead(BaseModel):
    scope: str
    components: list[CatalogComponent]
    people: list[str]
