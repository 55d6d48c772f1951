"""Credit writes: star levels from evaluations, credit records and their life cycle."""

from .appeals import (
    objection_decide,
    objection_extend,
    objection_submit,
    repair_request_decide,
    repair_request_submit,
)
from .exchange import credit_import_apply
from .housekeeping import credit_file_open, credit_record_delete, credit_records_sweep
from .recognition import nomination_propose, nomination_submit, nomination_withdraw
from .records import (
    credit_record_approve,
    credit_record_check,
    credit_record_propose,
    credit_record_revoke,
    credit_record_withdraw,
    record_default_display_until,
)
from .stars import (
    evaluation_result_record,
    evaluation_result_withdraw,
    star_level_recompute,
    star_levels_recompute,
    star_levels_recompute_all,
    star_rule_save,
)

__all__ = [
    "credit_import_apply",
    "credit_file_open",
    "credit_record_approve",
    "credit_record_check",
    "credit_record_delete",
    "credit_record_propose",
    "credit_record_revoke",
    "credit_record_withdraw",
    "credit_records_sweep",
    "evaluation_result_record",
    "evaluation_result_withdraw",
    "nomination_propose",
    "nomination_submit",
    "nomination_withdraw",
    "objection_decide",
    "objection_extend",
    "objection_submit",
    "record_default_display_until",
    "repair_request_decide",
    "repair_request_submit",
    "star_level_recompute",
    "star_levels_recompute",
    "star_levels_recompute_all",
    "star_rule_save",
]
