"""The procedures seeded on a new installation (center staff keep them current in admin).

Numbers of days are not written into the texts: the time limit shown with each procedure comes
from the policy settings, so the page and every checklist agree after a setting changes.
"""

PROVINCIAL_PORTAL = "https://www.zjzwfw.gov.cn/"
WORK_PERMIT_SYSTEM = "https://fuwu.most.gov.cn/lhgzweb/"
IMMIGRATION = "https://www.nia.gov.cn/"
VISA = "https://www.visaforchina.cn/"
LAST_CHECKED = "2026-12-01"

EXIT_ENTRY_LAW = {
    "en": "Exit and Entry Administration Law of the People's Republic of China (2012)",
    "zh_hans": "《中华人民共和国出境入境管理法》（2012年）",
}
WORK_RULES = {
    "en": "Provisions on the Administration of Foreigners Working in China; Foreigner's Work "
    "Permit Service Guide (2017)",
    "zh_hans": "《外国人在中国就业管理规定》；《外国人来华工作许可服务指南（暂行）》（2017年）",
}
HANGZHOU_MEASURES = {
    "en": "Hangzhou implementation measures for foreign teachers (Hangzhou General Office "
    "letter [2017] No. 6)",
    "zh_hans": "杭州市外籍教师引进和管理实施办法（杭政办函〔2017〕6号）",
}


def _t(en: str, zh: str) -> dict:
    return {"en": en, "zh_hans": zh}


PASSPORT = _t("Passport", "护照")
PHOTO = _t("Recent passport-style photo", "近期证件照片")
CONTRACT = _t("Employment contract with the school", "与学校签订的聘用合同")
WORK_PERMIT_CARD = _t("Foreigner's work permit card", "外国人工作许可证")

PROCEDURES: list[dict] = [
    {
        "slug": "work-permit-notice",
        "stage": "before_arrival",
        "applicant": "school",
        "categories": "1,2,3",
        "situation": "from_abroad",
        "completed_by": "arrival",
        "limit": ("work_permit_decision_working_days", "working_days", "application"),
        "title": _t(
            "Notice of work permit for a foreigner (before entry)", "外国人来华工作许可通知"
        ),
        "summary": _t(
            "The school applies online for the notice the teacher needs to get a Z visa.",
            "学校在网上为外籍教师申请来华工作许可通知，教师凭此办理Z字签证。",
        ),
        "conditions": _t(
            "The school is a registered employer; the teacher meets the admission standard "
            "(degree, teaching experience or certificate, clean criminal record, health, age).",
            "学校为依法登记的用人单位；教师符合准入标准（学历、教学经历或资格证书、无犯罪记录、"
            "身体健康、年龄）。",
        ),
        "fees": _t("No fee for the work permit.", "工作许可不收费。"),
        "authority": _t(
            "Hangzhou Science and Technology Bureau (foreign experts office)",
            "杭州市科学技术局（外国专家工作处）",
        ),
        "link": WORK_PERMIT_SYSTEM,
        "legal_basis": WORK_RULES,
        "steps": [
            _t(
                "The school registers in the foreigner work permit system and submits the "
                "teacher's materials online.",
                "学校在外国人来华工作管理服务系统注册并在线提交教师材料。",
            ),
            _t(
                "The office checks the materials and decides; the time limit counts from the "
                "day the application is accepted.",
                "受理机构审查并作出决定；时限自受理之日起计算。",
            ),
            _t(
                "The school downloads the notice and sends it to the teacher for the visa.",
                "学校下载工作许可通知并交给教师办理签证。",
            ),
        ],
        "materials": [
            {**PASSPORT, "notes": _t("Valid beyond the contract.", "有效期长于合同期。")},
            {
                **_t("Highest degree certificate", "最高学位证书"),
                "notes": _t(
                    "Apostille or consular legalisation, with a Chinese translation.",
                    "需经海牙认证或使领馆认证，并附中文译文。",
                ),
            },
            {
                **_t("Criminal-record certificate", "无犯罪记录证明"),
                "notes": _t(
                    "From the country of nationality or residence; apostille or consular "
                    "legalisation.",
                    "由国籍国或居住国出具，需海牙认证或使领馆认证。",
                ),
                "validity": "criminal_record",
            },
            {
                **_t("Health certificate", "体检证明"),
                "notes": _t(
                    "From a recognised hospital, in the official form.",
                    "由认可医院按规定格式出具。",
                ),
                "validity": "health",
            },
            {
                **_t(
                    "Proof of teaching experience or a teaching certificate",
                    "教学经历证明或教师资格证书",
                ),
                "notes": _t(
                    "TEFL/TESOL/CELTA of 120 hours or more.", "TEFL/TESOL/CELTA须满120学时。"
                ),
            },
            CONTRACT | {"notes": _t("Signed by both sides.", "双方签字。")},
            PHOTO | {"notes": _t("", "")},
        ],
    },
    {
        "slug": "z-visa",
        "stage": "before_arrival",
        "applicant": "teacher",
        "categories": "1,2,3",
        "situation": "from_abroad",
        "completed_by": "arrival",
        "title": _t("Work visa (Z visa)", "工作签证（Z字签证）"),
        "summary": _t(
            "The teacher applies at a Chinese embassy or consulate with the work permit notice.",
            "教师持工作许可通知向中国驻外使领馆申请Z字签证。",
        ),
        "conditions": _t(
            "A valid notice of work permit issued by the Chinese authorities.",
            "持有中国主管部门签发的有效来华工作许可通知。",
        ),
        "fees": _t(
            "Visa fees depend on nationality; see the embassy or visa centre.",
            "签证费用因国籍而异，以使领馆或签证中心公布为准。",
        ),
        "authority": _t(
            "Chinese embassy, consulate or visa application centre abroad",
            "中国驻外使领馆或签证申请服务中心",
        ),
        "link": VISA,
        "legal_basis": EXIT_ENTRY_LAW,
        "steps": [
            _t("Fill in the online visa application form.", "在线填写签证申请表。"),
            _t(
                "Hand in the form, passport and notice at the embassy or visa centre.",
                "向使领馆或签证中心递交申请表、护照和工作许可通知。",
            ),
            _t(
                "Enter China with the Z visa before it expires; tell the school the date and time.",
                "在签证有效期内入境，并告知学校入境日期和时间。",
            ),
        ],
        "materials": [
            PASSPORT
            | {
                "notes": _t(
                    "At least 6 months' validity and blank pages.", "有效期6个月以上并有空白页。"
                )
            },
            _t("Notice of work permit for a foreigner", "外国人来华工作许可通知")
            | {"notes": _t("", "")},
            PHOTO | {"notes": _t("", "")},
        ],
    },
    {
        "slug": "accommodation-registration",
        "stage": "arrival",
        "applicant": "both",
        "categories": "",
        "situation": "any",
        "limit": ("accommodation_registration_hours", "hours", "moving_in"),
        "title": _t("Accommodation registration", "境外人员住宿登记"),
        "summary": _t(
            "Whoever houses the teacher registers the stay with the local police station.",
            "外籍教师入住后，由住宿提供方或本人向当地派出所办理住宿登记。",
        ),
        "conditions": _t(
            "Required every time the teacher moves in somewhere other than a hotel (a hotel "
            "registers its guests itself).",
            "每次入住宾馆以外的住所都须登记（宾馆由其自行登记）。",
        ),
        "fees": _t("Free.", "免费。"),
        "authority": _t(
            "The police station where the accommodation is, or online",
            "住所所在地公安派出所，或网上办理",
        ),
        "link": PROVINCIAL_PORTAL,
        "legal_basis": _t(
            "Exit and Entry Administration Law, Article 39",
            "《中华人民共和国出境入境管理法》第三十九条",
        ),
        "limit_note": _t(
            "Counted in hours from moving in, Beijing time: an arrival at 23:30 must be "
            "registered by 23:30 the next day.",
            "按北京时间自入住时起计算小时：23:30入住，须在次日23:30前登记。",
        ),
        "steps": [
            _t(
                "Take the passport and the lease or the school's housing letter to the police "
                "station, or register online.",
                "携带护照和租房合同或学校住房证明到派出所登记，或在网上登记。",
            ),
            _t(
                "Keep the registration form: the residence permit application asks for it.",
                "保存住宿登记表，申请居留许可时需要提供。",
            ),
        ],
        "materials": [
            PASSPORT | {"notes": _t("With the entry stamp.", "含入境章。")},
            _t("Lease or housing certificate", "租房合同或住房证明") | {"notes": _t("", "")},
            _t("Landlord's identity card (copy)", "房东身份证复印件")
            | {"notes": _t("For rented housing.", "租住房屋时提供。")},
        ],
    },
    {
        "slug": "work-permit-card",
        "stage": "arrival",
        "applicant": "school",
        "categories": "1,2,3,5",
        "situation": "any",
        "completed_by": "work_permit",
        "limit": ("work_permit_card_days", "days", "arrival"),
        "uncertain": True,
        "title": _t("Foreigner's work permit card", "外国人工作许可证"),
        "summary": _t(
            "After entry the school applies for the work permit card itself.",
            "教师入境后，学校申请办理外国人工作许可证。",
        ),
        "conditions": _t(
            "The teacher entered with a Z visa (or, for a graduate of a Chinese university, "
            "is changing status inside China).",
            "教师持Z字签证入境（在华高校毕业生可在境内变更）。",
        ),
        "fees": _t("No fee.", "不收费。"),
        "authority": _t(
            "Hangzhou Science and Technology Bureau (foreign experts office)",
            "杭州市科学技术局（外国专家工作处）",
        ),
        "link": WORK_PERMIT_SYSTEM,
        "legal_basis": WORK_RULES,
        "limit_note": _t(
            "The national guide gives 15 days from entry; some local offices ask for 10. Ask "
            "the office that handles the school.",
            "国家服务指南为入境后15日内；部分地方要求10日内，请向受理机构确认。",
        ),
        "steps": [
            _t(
                "Submit the application online with the entry record.",
                "在线提交申请并上传入境记录。",
            ),
            _t(
                "Hand in the originals if the office asks for them; collect the card.",
                "如受理机构要求，递交原件核验；领取工作许可证。",
            ),
            _t(
                "Record the card number and expiry in the portal's register.",
                "在本平台登记工作许可证号码和有效期。",
            ),
        ],
        "materials": [
            PASSPORT | {"notes": _t("With the Z visa and the entry stamp.", "含Z字签证和入境章。")},
            CONTRACT | {"notes": _t("", "")},
            _t("Accommodation registration form", "住宿登记表") | {"notes": _t("", "")},
            PHOTO | {"notes": _t("", "")},
        ],
    },
    {
        "slug": "residence-permit",
        "stage": "arrival",
        "applicant": "teacher",
        "categories": "1,2,3,5",
        "situation": "any",
        "completed_by": "residence_permit",
        "limit": ("residence_permit_days", "days", "arrival"),
        "title": _t("Work-type residence permit", "工作类居留许可"),
        "summary": _t(
            "With the work permit card, the teacher applies for the residence permit at the "
            "exit-entry administration.",
            "教师持工作许可证向出入境管理部门申请工作类居留许可。",
        ),
        "conditions": _t(
            "A work permit card, accommodation registration and a health check.",
            "已取得工作许可证、办理住宿登记并完成体检。",
        ),
        "fees": _t(
            "A fee set by the immigration administration, depending on the permit's length.",
            "按出入境管理部门规定的标准收费，视居留期限而定。",
        ),
        "authority": _t(
            "Exit-entry administration of the Hangzhou Public Security Bureau",
            "杭州市公安局出入境管理局",
        ),
        "link": IMMIGRATION,
        "legal_basis": _t(
            "Exit and Entry Administration Law, Article 30",
            "《中华人民共和国出境入境管理法》第三十条",
        ),
        "steps": [
            _t("Book an appointment and fill in the application form.", "预约并填写申请表。"),
            _t(
                "Hand in the materials; the passport stays with the office while it decides.",
                "递交材料；审批期间护照由受理机构留存。",
            ),
            _t(
                "Collect the passport with the permit and record it in the portal's register.",
                "领取贴有居留许可的护照，并在本平台登记。",
            ),
        ],
        "materials": [
            PASSPORT | {"notes": _t("", "")},
            WORK_PERMIT_CARD | {"notes": _t("", "")},
            _t("Accommodation registration form", "住宿登记表") | {"notes": _t("", "")},
            {
                **_t("Health check report", "健康检查报告"),
                "notes": _t(
                    "From the Zhejiang International Travel Healthcare Center, or a foreign "
                    "report verified there.",
                    "由浙江国际旅行卫生保健中心出具，或经其核验的境外体检报告。",
                ),
                "validity": "health",
            },
            PHOTO | {"notes": _t("", "")},
        ],
    },
    {
        "slug": "health-certificate",
        "stage": "arrival",
        "applicant": "teacher",
        "categories": "",
        "situation": "any",
        "limit": ("residence_permit_days", "days", "arrival"),
        "title": _t("Health certificate", "健康证明"),
        "summary": _t(
            "A health check accepted by the immigration and work permit offices; it is needed "
            "before the residence permit.",
            "出入境和工作许可部门认可的体检证明，须在申请居留许可前取得。",
        ),
        "conditions": _t(
            "A foreign report must be issued within the validity period and verified in "
            "Hangzhou; otherwise the check is done again here.",
            "境外体检报告须在有效期内并在杭州核验，否则须在杭州重新体检。",
        ),
        "fees": _t("Set by the healthcare center.", "按保健中心标准收费。"),
        "authority": _t(
            "Zhejiang International Travel Healthcare Center", "浙江国际旅行卫生保健中心"
        ),
        "link": PROVINCIAL_PORTAL,
        "legal_basis": EXIT_ENTRY_LAW,
        "steps": [
            _t(
                "Book the check or the verification of a foreign report.",
                "预约体检或境外报告核验。",
            ),
            _t("Attend fasting, with passport and photos.", "空腹携带护照和照片前往。"),
            _t("Collect the certificate.", "领取健康证明。"),
        ],
        "materials": [
            PASSPORT | {"notes": _t("", "")},
            {
                **_t("Foreign health report (if any)", "境外体检报告（如有）"),
                "notes": _t("Original, with the X-ray and blood test.", "原件，含胸片和血检结果。"),
                "validity": "health",
            },
        ],
    },
    {
        "slug": "permit-changes",
        "stage": "during",
        "applicant": "both",
        "categories": "",
        "situation": "any",
        "completed_by": "work_permit",
        "limit": ("change_registration_days", "days", "renewal"),
        "title": _t("Changes to permit details", "工作许可和居留许可信息变更"),
        "summary": _t(
            "When the employer, position, passport or contract term changes, the permits are "
            "changed too.",
            "用人单位、岗位、护照或合同期限发生变化时，须相应变更许可信息。",
        ),
        "conditions": _t(
            "Any change to what is printed on the work permit card or the residence permit.",
            "工作许可证或居留许可上记载事项发生变化。",
        ),
        "fees": _t(
            "No fee for the work permit; residence permit fee as set.",
            "工作许可不收费；居留许可按标准收费。",
        ),
        "authority": _t(
            "Science and Technology Bureau (work permit); exit-entry administration "
            "(residence permit)",
            "市科技局（工作许可）；出入境管理部门（居留许可）",
        ),
        "link": WORK_PERMIT_SYSTEM,
        "legal_basis": _t(
            "Exit and Entry Administration Law, Article 32",
            "《中华人民共和国出境入境管理法》第三十二条",
        ),
        "steps": [
            _t("Record the change in the portal's register.", "在本平台登记变更。"),
            _t(
                "Apply to change the work permit, then the residence permit.",
                "先申请变更工作许可，再变更居留许可。",
            ),
        ],
        "materials": [
            PASSPORT | {"notes": _t("", "")},
            WORK_PERMIT_CARD | {"notes": _t("", "")},
            _t("Document showing the change", "变更证明材料")
            | {"notes": _t("E.g. the renewed contract.", "如续签的合同。")},
        ],
    },
    {
        "slug": "work-permit-renewal",
        "stage": "during",
        "applicant": "school",
        "categories": "1,2,3,5",
        "situation": "any",
        "limit": ("permit_renewal_days_before_expiry", "before_expiry", "work_permit_expiry"),
        "title": _t("Renewal of the work permit", "工作许可延期"),
        "summary": _t(
            "If the contract continues past the card's expiry, the school applies to extend it.",
            "合同期超出工作许可证有效期的，学校须申请延期。",
        ),
        "conditions": _t("A renewed or continuing contract.", "已续签或仍在履行的聘用合同。"),
        "fees": _t("No fee.", "不收费。"),
        "authority": _t("Hangzhou Science and Technology Bureau", "杭州市科学技术局"),
        "link": WORK_PERMIT_SYSTEM,
        "legal_basis": WORK_RULES,
        "steps": [
            _t("Apply online with the renewed contract.", "在线提交续签合同等材料。"),
            _t("Record the new expiry in the portal's register.", "在本平台登记新的有效期。"),
        ],
        "materials": [
            WORK_PERMIT_CARD | {"notes": _t("", "")},
            CONTRACT | {"notes": _t("The renewed contract.", "续签的合同。")},
            _t("Annual evaluation by the school", "学校年度考核意见") | {"notes": _t("", "")},
        ],
    },
    {
        "slug": "residence-permit-renewal",
        "stage": "during",
        "applicant": "teacher",
        "categories": "",
        "situation": "any",
        "limit": (
            "permit_renewal_days_before_expiry",
            "before_expiry",
            "residence_permit_expiry",
        ),
        "title": _t("Renewal of the residence permit", "居留许可延期"),
        "summary": _t(
            "After the work permit is extended, the teacher applies to extend the residence "
            "permit.",
            "工作许可延期后，教师申请居留许可延期。",
        ),
        "conditions": _t("An extended work permit.", "工作许可已延期。"),
        "fees": _t("As set by the immigration administration.", "按出入境管理部门标准收费。"),
        "authority": _t(
            "Exit-entry administration of the Hangzhou Public Security Bureau",
            "杭州市公安局出入境管理局",
        ),
        "link": IMMIGRATION,
        "legal_basis": _t(
            "Exit and Entry Administration Law, Article 32",
            "《中华人民共和国出境入境管理法》第三十二条",
        ),
        "steps": [
            _t("Apply at the exit-entry administration.", "向出入境管理部门提出申请。"),
            _t("Record the new permit in the portal's register.", "在本平台登记新的居留许可。"),
        ],
        "materials": [
            PASSPORT | {"notes": _t("", "")},
            WORK_PERMIT_CARD | {"notes": _t("Extended.", "已延期。")},
            PHOTO | {"notes": _t("", "")},
        ],
    },
    {
        "slug": "work-permit-cancellation",
        "stage": "leaving",
        "applicant": "school",
        "categories": "1,2,3,5",
        "situation": "any",
        "limit": ("work_permit_cancellation_working_days", "working_days", "contract_end"),
        "title": _t("Cancellation of the work permit", "工作许可注销"),
        "summary": _t(
            "When the contract ends or is terminated, the school cancels the work permit.",
            "聘用合同期满或解除后，学校须办理工作许可注销。",
        ),
        "conditions": _t(
            "The contract ended, was terminated early, or the teacher moved to another employer.",
            "合同期满、提前解除或教师转至其他用人单位。",
        ),
        "fees": _t("No fee.", "不收费。"),
        "authority": _t("Hangzhou Science and Technology Bureau", "杭州市科学技术局"),
        "link": WORK_PERMIT_SYSTEM,
        "legal_basis": WORK_RULES,
        "steps": [
            _t("Apply for cancellation online.", "在线申请注销。"),
            _t(
                "Give the teacher the cancellation certificate for a later employer.",
                "将注销证明交给教师，供其今后受聘时使用。",
            ),
        ],
        "materials": [
            WORK_PERMIT_CARD | {"notes": _t("", "")},
            _t("Proof the contract ended", "合同终止或解除证明") | {"notes": _t("", "")},
        ],
    },
    {
        "slug": "departure-report",
        "stage": "leaving",
        "applicant": "school",
        "categories": "",
        "situation": "any",
        "completed_by": "departure",
        "limit": ("change_registration_days", "days", "contract_end"),
        "uncertain": True,
        "title": _t("Reporting the departure", "离境报告"),
        "summary": _t(
            "The school reports that the teacher has left the post and, where it applies, "
            "left China.",
            "学校报告外籍教师离岗及离境情况。",
        ),
        "conditions": _t("The employment ended.", "聘用关系已终止。"),
        "fees": _t("Free.", "免费。"),
        "authority": _t(
            "Exit-entry administration; district education bureau", "出入境管理部门；区县教育局"
        ),
        "link": PROVINCIAL_PORTAL,
        "legal_basis": HANGZHOU_MEASURES,
        "limit_note": _t(
            "The rules say 'promptly'; the portal counts the days allowed for registering a "
            "change.",
            "规定为“及时”报告；本平台按登记变更的天数计算。",
        ),
        "steps": [
            _t("Record the departure in the portal's register.", "在本平台登记离境。"),
            _t("Tell the exit-entry administration if it asks.", "按出入境管理部门要求报告。"),
        ],
        "materials": [
            _t("Departure date and flight or travel details", "离境日期和航班或行程信息")
            | {"notes": _t("", "")},
        ],
    },
    {
        "slug": "intern-residence-permit",
        "stage": "arrival",
        "applicant": "both",
        "categories": "4",
        "situation": "any",
        "completed_by": "residence_permit",
        "limit": ("residence_permit_days", "days", "arrival"),
        "title": _t(
            "Internship annotation on a study-type residence permit", "学习类居留许可加注“实习”"
        ),
        "summary": _t(
            "An enrolled student interns on a study-type residence permit annotated "
            "'internship', valid for the internship period and extendable to the maximum.",
            "在读外国学生凭加注“实习”的学习类居留许可实习，有效期为实习期，可延长至上限。",
        ),
        "conditions": _t(
            "An internship agreement between the intern's university and the school, reviewed "
            "by the service center; the internship period and its maximum are policy settings.",
            "实习生所在高校与学校签订实习协议并经服务中心审核；实习期及其上限见政策设置。",
        ),
        "fees": _t("As set by the immigration administration.", "按出入境管理部门标准收费。"),
        "authority": _t(
            "Exit-entry administration of the Hangzhou Public Security Bureau",
            "杭州市公安局出入境管理局",
        ),
        "link": IMMIGRATION,
        "legal_basis": HANGZHOU_MEASURES,
        "steps": [
            _t(
                "Upload the internship agreement in the portal; the center reviews it.",
                "在本平台上传实习协议，由服务中心审核。",
            ),
            _t(
                "Apply for the annotation with the approved agreement.",
                "凭审核通过的协议申请加注。",
            ),
            _t(
                "Record the permit in the register; extend it before the period ends if needed.",
                "在登记簿中登记许可；如需延长，在期满前办理。",
            ),
        ],
        "materials": [
            PASSPORT | {"notes": _t("", "")},
            _t("Internship agreement", "实习协议")
            | {"notes": _t("Approved by the center.", "经服务中心审核。")},
            _t("Certificate of enrolment", "在读证明") | {"notes": _t("", "")},
        ],
    },
    {
        "slug": "china-graduate-route",
        "stage": "before_arrival",
        "applicant": "school",
        "categories": "5",
        "situation": "any",
        "limit": ("china_graduate_window_months", "months", "graduation"),
        "title": _t(
            "Graduate route: master's graduates of Chinese universities",
            "在华高校外国留学生毕业生就业",
        ),
        "summary": _t(
            "International students with a master's degree or higher from a Chinese university "
            "may be hired directly within the window after graduation.",
            "在华高校获得硕士及以上学位的外国留学生，毕业后规定期限内可直接受聘。",
        ),
        "conditions": _t(
            "Master's degree or higher; good grades; a qualifying major or certificate (pilot: "
            "Hangzhou universities).",
            "硕士及以上学位；成绩优良；专业或证书符合要求（试点：杭州高校）。",
        ),
        "fees": _t("No fee for the work permit.", "工作许可不收费。"),
        "authority": _t("Hangzhou Science and Technology Bureau", "杭州市科学技术局"),
        "link": WORK_PERMIT_SYSTEM,
        "legal_basis": WORK_RULES,
        "steps": [
            _t(
                "The school applies for the work permit without prior work experience.",
                "学校为其申请工作许可，不要求工作经历。",
            ),
            _t(
                "The graduate changes the study residence permit to a work-type one.",
                "毕业生将学习类居留许可变更为工作类居留许可。",
            ),
        ],
        "materials": [
            _t("Degree certificate from the Chinese university", "在华高校学位证书")
            | {"notes": _t("", "")},
            _t("Transcript", "成绩单") | {"notes": _t("", "")},
            PASSPORT | {"notes": _t("", "")},
        ],
    },
    {
        "slug": "short-term-work",
        "stage": "before_arrival",
        "applicant": "school",
        "categories": "",
        "situation": "from_abroad",
        "on_checklist": False,
        "title": _t("Short-term work in China (up to 90 days)", "短期来华工作（90日以内）"),
        "summary": _t(
            "Work of at most the short-term limit (a policy setting) needs a short-term work "
            "permit and a Z visa; no residence permit.",
            "工作期限不超过短期上限（见政策设置）的，办理短期工作许可和Z字签证，无须办理居留许可。",
        ),
        "conditions": _t(
            "A defined task such as a short course or an exchange project.",
            "有明确的短期工作任务，如短期课程或交流项目。",
        ),
        "fees": _t("No fee for the permit.", "许可不收费。"),
        "authority": _t("Hangzhou Science and Technology Bureau", "杭州市科学技术局"),
        "link": WORK_PERMIT_SYSTEM,
        "legal_basis": WORK_RULES,
        "steps": [
            _t(
                "The school applies for a short-term work permit notice.",
                "学校申请短期工作许可通知。",
            ),
            _t("The teacher applies for the Z visa with it.", "教师凭通知申请Z字签证。"),
        ],
        "materials": [
            PASSPORT | {"notes": _t("", "")},
            _t("Invitation or work task letter", "邀请函或工作任务书") | {"notes": _t("", "")},
        ],
    },
    {
        "slug": "long-term-permit-recommendation",
        "stage": "during",
        "applicant": "school",
        "categories": "",
        "situation": "any",
        "on_checklist": False,
        "title": _t("Recommendation for a long-term work permit", "长期工作许可推荐"),
        "summary": _t(
            "Teachers with a sustained high star level may be recommended: service center → "
            "education bureau → science and technology bureau.",
            "星级持续较高的外籍教师可获推荐：服务中心→教育局→科技局。",
        ),
        "conditions": _t(
            "The star level, quarters and years in Hangzhou set in the policy settings; no "
            "active credit restriction.",
            "符合政策设置中的星级、季度和在杭工作年限要求；无有效信用限制记录。",
        ),
        "fees": _t("Free.", "免费。"),
        "authority": _t(
            "Service center; Hangzhou Education Bureau; Science and Technology Bureau",
            "服务中心；杭州市教育局；杭州市科学技术局",
        ),
        "link": PROVINCIAL_PORTAL,
        "legal_basis": HANGZHOU_MEASURES,
        "steps": [
            _t("The center lists eligible teachers.", "服务中心列出符合条件的教师。"),
            _t("The education bureau endorses the list.", "教育局审核同意。"),
            _t(
                "The science and technology bureau grants longer work permits.",
                "科技局办理较长期限的工作许可。",
            ),
        ],
        "materials": [
            _t("Quarterly evaluation record", "季度考核记录")
            | {"notes": _t("From the portal.", "由本平台导出。")},
        ],
    },
    {
        "slug": "cluster-teaching-plan",
        "stage": "arrival",
        "applicant": "school",
        "categories": "",
        "situation": "any",
        "cluster_only": True,
        "completed_by": "teaching_plan",
        "limit": ("change_registration_days", "days", "contract_start"),
        "uncertain": True,
        "title": _t(
            "Cluster contract: file the teaching plan", "片区聘用：教学计划报区县教育局备案"
        ),
        "summary": _t(
            "For a teacher shared by a cluster, the lead school files the teaching plan with "
            "the district education bureau.",
            "片区共享外籍教师的，由牵头学校将教学计划报区县教育局备案。",
        ),
        "conditions": _t(
            "A cluster contract signed by all the schools.", "各校共同签订的片区聘用合同。"
        ),
        "fees": _t("Free.", "免费。"),
        "authority": _t("District or county education bureau", "区县教育局"),
        "link": PROVINCIAL_PORTAL,
        "legal_basis": HANGZHOU_MEASURES,
        "limit_note": _t(
            "No statutory figure: the portal counts the days allowed for registering a change.",
            "无法定时限：本平台按登记变更的天数计算。",
        ),
        "steps": [
            _t("Agree the weekly hours per school.", "确定各校每周课时。"),
            _t("File the plan and record it in the register.", "报备教学计划并在登记簿中登记。"),
        ],
        "materials": [
            _t("Teaching plan", "教学计划")
            | {"notes": _t("Signed by every school.", "各校签章。")},
        ],
    },
    {
        "slug": "cluster-hire-report",
        "stage": "arrival",
        "applicant": "school",
        "categories": "",
        "situation": "any",
        "cluster_only": True,
        "completed_by": "hire_reported",
        "limit": ("change_registration_days", "days", "contract_start"),
        "uncertain": True,
        "title": _t("Cluster contract: report the hire", "片区聘用：向出入境和外国专家部门报告"),
        "summary": _t(
            "The lead school reports the cluster hire to the exit-entry and foreign-experts "
            "bureaus.",
            "牵头学校向出入境管理部门和外国专家部门报告片区聘用情况。",
        ),
        "conditions": _t("A cluster contract.", "片区聘用合同。"),
        "fees": _t("Free.", "免费。"),
        "authority": _t(
            "Exit-entry administration; Science and Technology Bureau",
            "出入境管理部门；市科学技术局",
        ),
        "link": PROVINCIAL_PORTAL,
        "legal_basis": HANGZHOU_MEASURES,
        "limit_note": _t(
            "No statutory figure: the portal counts the days allowed for registering a change.",
            "无法定时限：本平台按登记变更的天数计算。",
        ),
        "steps": [
            _t("Send the report with the contract.", "连同合同一并报告。"),
            _t("Record the report's reference in the register.", "在登记簿中登记报告编号。"),
        ],
        "materials": [
            CONTRACT | {"notes": _t("Signed by all the schools.", "各校共同签订。")},
        ],
    },
]


def load_procedures(apps) -> None:
    """Create the seeded procedures (skipping slugs that exist); used by a data migration."""
    Procedure = apps.get_model("guidance", "Procedure")
    Step = apps.get_model("guidance", "ProcedureStep")
    Material = apps.get_model("guidance", "ProcedureMaterial")
    text_fields = ("title", "summary", "conditions", "fees", "authority", "legal_basis")
    for order, data in enumerate(PROCEDURES, start=1):
        if Procedure.objects.filter(slug=data["slug"]).exists():
            continue
        setting, unit, start = data.get("limit", ("", "", ""))
        values = {
            "slug": data["slug"],
            "stage": data["stage"],
            "applicant": data["applicant"],
            "categories": data["categories"],
            "situation": data["situation"],
            "cluster_only": data.get("cluster_only", False),
            "on_checklist": data.get("on_checklist", True),
            "completed_by": data.get("completed_by", ""),
            "link": data["link"],
            "limit_setting": setting,
            "limit_unit": unit,
            "limit_starts_from": start,
            "limit_uncertain": data.get("uncertain", False),
            "sort_order": order * 10,
            "last_checked_on": LAST_CHECKED,
        }
        for name in (*text_fields, "limit_note"):
            texts = data.get(name) or {"en": "", "zh_hans": ""}
            values[name] = texts["en"]
            values[f"{name}_en"] = texts["en"]
            values[f"{name}_zh_hans"] = texts["zh_hans"]
        procedure = Procedure.objects.create(**values)
        Step.objects.bulk_create(
            Step(
                procedure=procedure,
                position=position,
                text=step["en"],
                text_en=step["en"],
                text_zh_hans=step["zh_hans"],
            )
            for position, step in enumerate(data["steps"], start=1)
        )
        Material.objects.bulk_create(
            Material(
                procedure=procedure,
                position=position,
                name=material["en"],
                name_en=material["en"],
                name_zh_hans=material["zh_hans"],
                notes=material["notes"]["en"],
                notes_en=material["notes"]["en"],
                notes_zh_hans=material["notes"]["zh_hans"],
                validity=material.get("validity", ""),
            )
            for position, material in enumerate(data["materials"], start=1)
        )
