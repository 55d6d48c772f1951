"""The center's workplace for teachers (Django admin)."""

from .document import DocumentAdmin
from .teacher import TeacherAdmin

__all__ = ["DocumentAdmin", "TeacherAdmin"]
