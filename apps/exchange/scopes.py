"""The fixed scope codes an API client can hold and the dataset each one opens."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    EMPLOYMENTS = "employments", _("Employment register (with changes)")
    VISITS = "visits", _("Short-term exchange visits")
    SCHOOLS = "schools", _("Schools")
    CREDIT = "credit", _("Credit records (commendations and restrictions)")
    STATISTICS = "statistics", _("Statistics")
    IDENTITY = "identity", _("Identity numbers in clear (passport and permit numbers)")


class Dataset(models.TextChoices):
    EMPLOYMENTS = "employments", _("Employments")
    VISITS = "visits", _("Exchange visits")
    SCHOOLS = "schools", _("Schools")
    CREDIT = "credit", _("Credit records")


# The scope a dataset needs; `identity` opens no dataset by itself, it unmasks numbers in them.
DATASET_SCOPES: dict[str, str] = {
    Dataset.EMPLOYMENTS: Scope.EMPLOYMENTS,
    Dataset.VISITS: Scope.VISITS,
    Dataset.SCHOOLS: Scope.SCHOOLS,
    Dataset.CREDIT: Scope.CREDIT,
}
