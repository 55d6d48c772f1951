"""Who may open each object route: one line per URL pattern that takes a parameter.

The isolation matrix (test_isolation_matrix.py) enumerates every pattern from the resolver and
fails when one with a path parameter is missing here. Adding a route? Add one line:

    Route("app:name", owners=RULE, code="object"),

`owners` names the actors who must get 2xx/3xx (everyone else 403/404/405, anonymous a login
redirect); `code`/`args` name fixture objects (built in objects.py) whose `code` fills the
pattern's parameters, `fixed` gives literal parameters. A pattern whose parameter is not an
object (a step slug, a format) or that is public by design goes in NOT_OBJECT_ROUTES with why.
"""

from dataclasses import dataclass, field

# --- Actors (built in objects.py) --------------------------------------------------------------
# school_a: liaison of school A (Xihu, leads a cluster); school_b: liaison of school B (Gongshu);
# cluster: staff of school C, a member of A's cluster (the objects below are not cluster ones);
# teacher_x: applied to and hired by school A; teacher_y: suggested to A's vacancy by matching;
# bureau_d1: Xihu bureau (A's district); bureau_d2: Gongshu bureau; municipal: city bureau;
# center: service center staff; anonymous: not signed in.
ACTORS = (
    "school_a",
    "school_b",
    "cluster",
    "teacher_x",
    "teacher_y",
    "bureau_d1",
    "bureau_d2",
    "municipal",
    "center",
    "anonymous",
)

# --- Owner rules -------------------------------------------------------------------------------
EVERYONE = frozenset(ACTORS)
SCHOOL_A = frozenset({"school_a"})
TEACHER_X = frozenset({"teacher_x"})
TEACHER_Y = frozenset({"teacher_y"})
ANY_TEACHER = frozenset({"teacher_x", "teacher_y"})
CENTER = frozenset({"center"})
TEACHER_X_OR_CENTER = frozenset({"teacher_x", "center"})
# Documents: the teacher, the center, and the hiring school once the teacher is hired.
DOCUMENT_READERS = frozenset({"teacher_x", "school_a", "center"})
# A hire's checklist: its school(s), its teacher, the center.
HIRE_PARTIES = frozenset({"school_a", "teacher_x", "center"})
# A cluster object of lead school A: member school C reads it.
MEMBER = frozenset({"cluster"})
LEAD_AND_MEMBER = SCHOOL_A | MEMBER
# The partner API: bearer tokens of API clients only, no browser session.
NO_SESSION = frozenset()
# A Xihu report: the Xihu bureau, the municipal bureau, the center.
XIHU_JURISDICTION = frozenset({"bureau_d1", "municipal", "center"})


@dataclass(frozen=True)
class Route:
    name: str
    owners: frozenset[str]
    code: str = ""  # the fixture object whose code fills <code>
    args: dict[str, str] = field(default_factory=dict)  # other parameters → fixture objects
    fixed: dict[str, str] = field(default_factory=dict)  # literal parameters
    # GET-only pages answer POST with 405 for everyone, owner included (and vice versa).
    methods: tuple[str, ...] = ("GET", "POST")
    # Actors who may read the object but not change it: their GET succeeds, their POST may
    # answer anything below 500 but must leave the database as it was.
    readers: frozenset[str] = frozenset()
    note: str = ""


ROUTES: tuple[Route, ...] = (
    # notifications
    Route(
        "notifications:mark_read",
        TEACHER_X,
        code="notification",
        methods=("POST",),
        note="someone else's notification answers 404, as if it did not exist",
    ),
    # schools
    Route("schools:staff_deactivate", SCHOOL_A, code="membership_a", methods=("POST",)),
    Route("schools:staff_make_liaison", SCHOOL_A, code="membership_a", methods=("POST",)),
    Route("schools:partner_edit", SCHOOL_A, code="partner_a"),
    Route("schools:partner_delete", SCHOOL_A, code="partner_a", methods=("POST",)),
    # teachers
    Route("teachers:document_download", DOCUMENT_READERS, code="document_x", methods=("GET",)),
    Route("teachers:document_preview", CENTER, code="document_x", methods=("GET",)),
    # vacancies
    Route("vacancies:detail", EVERYONE, code="vacancy_a", methods=("GET",)),
    Route("vacancies:school_detail", SCHOOL_A, code="vacancy_a", methods=("GET",)),
    Route("vacancies:edit", SCHOOL_A, code="vacancy_a"),
    Route("vacancies:submit", SCHOOL_A, code="vacancy_a", methods=("POST",)),
    Route("vacancies:withdraw", SCHOOL_A, code="vacancy_a", methods=("POST",)),
    Route("vacancies:close", SCHOOL_A, code="vacancy_a", methods=("POST",)),
    Route("vacancies:copy", SCHOOL_A, code="vacancy_a", methods=("POST",)),
    Route("vacancies:saved_search_delete", TEACHER_X, code="saved_search_x", methods=("POST",)),
    # applications: teacher side
    Route("applications:apply", ANY_TEACHER, code="vacancy_a", methods=("POST",)),
    Route("applications:teacher_detail", TEACHER_X, code="application_x", methods=("GET",)),
    Route("applications:teacher_vacancy", TEACHER_X, code="application_x", methods=("GET",)),
    Route("applications:withdraw", TEACHER_X, code="application_x", methods=("POST",)),
    Route("applications:accept", TEACHER_X, code="application_x", methods=("POST",)),
    Route("applications:decline", TEACHER_X, code="application_x", methods=("POST",)),
    Route("applications:teacher_rank", TEACHER_X, code="application_x", methods=("POST",)),
    Route(
        "applications:choose_slot",
        TEACHER_X,
        code="application_x",
        args={"slot": "slot_x"},
        methods=("POST",),
    ),
    # applications: school side
    Route("applications:applicants", SCHOOL_A, code="vacancy_a", methods=("GET",)),
    Route("applications:applicants_csv", SCHOOL_A, code="vacancy_a", methods=("GET",)),
    Route("applications:school_detail", SCHOOL_A, code="application_x", methods=("GET",)),
    Route("applications:shortlist", SCHOOL_A, code="application_x", methods=("POST",)),
    Route("applications:reject", SCHOOL_A, code="application_x", methods=("POST",)),
    Route("applications:interview", SCHOOL_A, code="application_x", methods=("POST",)),
    Route("applications:offer", SCHOOL_A, code="application_x", methods=("POST",)),
    Route("applications:school_rank", SCHOOL_A, code="application_x", methods=("POST",)),
    # employment
    Route("employment:hire", SCHOOL_A, code="application_x"),
    Route("employment:agreement_new", SCHOOL_A, code="application_x"),
    Route("employment:school_detail", SCHOOL_A, code="employment_x"),
    # evaluations
    Route("evaluations:school_detail", SCHOOL_A, code="evaluation_x"),
    Route("evaluations:school_survey", SCHOOL_A, code="evaluation_x"),
    Route("evaluations:teacher_detail", TEACHER_X, code="evaluation_x", methods=("GET",)),
    Route("evaluations:teacher_survey", TEACHER_X, code="evaluation_x"),
    Route("evaluations:center_detail", CENTER, code="evaluation_x"),
    Route(
        "evaluations:center_assess",
        CENTER,
        args={"school_code": "school_a"},
        fixed={"quarter": "2026Q3"},
    ),
    # credit
    Route("credit:record", TEACHER_X, code="record_x"),
    Route("credit:file", TEACHER_X_OR_CENTER, code="credit_file_x", methods=("GET",)),
    # matching: center
    Route("matching:run_detail", CENTER, code="run", methods=("GET",)),
    Route("matching:run_progress", CENTER, code="run", methods=("GET",)),
    Route("matching:run_push", CENTER, code="run", methods=("POST",)),
    Route(
        "matching:why_not_teacher",
        CENTER,
        code="run",
        args={"teacher_code": "teacher_y"},
        methods=("GET",),
    ),
    Route(
        "matching:why_not_vacancy",
        CENTER,
        code="run",
        args={"vacancy_code": "vacancy_a"},
        methods=("GET",),
    ),
    # matching: schools and teachers
    Route("matching:school_candidates", SCHOOL_A, code="vacancy_a", methods=("GET",)),
    Route("matching:school_candidates_panel", SCHOOL_A, code="vacancy_a", methods=("GET",)),
    Route("matching:school_candidate", SCHOOL_A, code="recommendation_y", methods=("GET",)),
    Route("matching:school_invite", SCHOOL_A, code="recommendation_y", methods=("POST",)),
    Route("matching:school_dismiss", SCHOOL_A, code="recommendation_y", methods=("POST",)),
    Route("matching:teacher_suggestion", TEACHER_Y, code="recommendation_y", methods=("GET",)),
    Route("matching:teacher_apply", TEACHER_Y, code="recommendation_y", methods=("POST",)),
    Route("matching:teacher_decline", TEACHER_Y, code="recommendation_y", methods=("POST",)),
    # reports
    Route("reports:build", XIHU_JURISDICTION, code="report_xihu", methods=("GET",)),
    Route(
        "reports:download",
        XIHU_JURISDICTION,
        code="report_xihu",
        fixed={"kind": "xlsx"},
        methods=("GET",),
    ),
    # guidance
    Route("guidance:checklist", HIRE_PARTIES, code="employment_x", methods=("GET",)),
    Route("guidance:timeline", HIRE_PARTIES, code="employment_x", methods=("GET",)),
    Route(
        "guidance:situation",
        SCHOOL_A,
        code="employment_x",
        methods=("POST",),
        note="the lead school states whether the teacher is already in China",
    ),
    Route(
        "guidance:step_mark",
        frozenset({"school_a", "teacher_x"}),
        code="employment_x",
        args={"procedure_code": "procedure"},
        methods=("POST",),
        readers=CENTER,
    ),
    Route(
        "guidance:step_reopen",
        frozenset({"school_a", "teacher_x"}),
        code="employment_x",
        args={"procedure_code": "procedure"},
        methods=("POST",),
    ),
    # data exchange: the center's own export files (session), and the partner API, which no
    # browser session may use (bearer tokens only: see test_exchange_api_isolation)
    Route(
        "exchange:export_download",
        CENTER,
        code="export_job_center",
        fixed={"part": "file"},
        methods=("GET",),
    ),
    *(
        Route(name, NO_SESSION, code=code, methods=("GET",))
        for name, code in (
            ("exchange_api:employment-detail", "employment_x"),
            ("exchange_api:school-detail", "school_a"),
            ("exchange_api:visit-detail", "visit_a"),
            ("exchange_api:credit-record-detail", "record_x"),
            ("exchange_api:export_detail", "export_job_client"),
            ("exchange_api:export_file", "export_job_client"),
            ("exchange_api:export_schema", "export_job_client"),
        )
    ),
    # cluster objects of school A shared with member school C: the member reads, the lead acts
    Route("vacancies:school_detail", LEAD_AND_MEMBER, code="cluster_vacancy", methods=("GET",)),
    Route("vacancies:edit", SCHOOL_A, code="cluster_vacancy"),
    Route("applications:applicants", SCHOOL_A, code="cluster_vacancy", readers=MEMBER),
    Route(
        "applications:school_detail",
        LEAD_AND_MEMBER,
        code="cluster_application",
        methods=("GET",),
    ),
    Route("applications:shortlist", SCHOOL_A, code="cluster_application", methods=("POST",)),
    Route("employment:school_detail", SCHOOL_A, code="cluster_employment", readers=MEMBER),
    Route(
        "guidance:checklist",
        frozenset({"school_a", "cluster", "center"}),
        code="cluster_employment",
        methods=("GET",),
    ),
    Route(
        "guidance:step_mark",
        SCHOOL_A,
        code="cluster_employment",
        args={"procedure_code": "procedure"},
        methods=("POST",),
        readers=frozenset({"cluster", "center"}),
    ),
    # center pages whose parameter is a choice, not an object
    Route("credit:recognition", CENTER, fixed={"kind": "permit"}),
    Route(
        "credit:export",
        CENTER,
        fixed={"kind": "restrictions", "fmt": "csv"},
        methods=("GET",),
    ),
    Route("matching:pair_search", CENTER, fixed={"kind": "teacher"}, methods=("GET",)),
)

# Patterns with a parameter that names no object, or that are public by design (with why).
NOT_OBJECT_ROUTES: dict[str, str] = {
    "schools:invitation_accept": "the token is the secret: whoever holds the invitation link",
    "schools:registration_confirm": "the signed token in the confirmation email is the secret",
    "teachers:profile_step": "a step of the signed-in teacher's own profile (no object code)",
    "guidance:procedure": "published bilingual guidance, public by design",
}
