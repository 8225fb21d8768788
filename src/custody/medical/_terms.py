"""The controlled vocabularies of an Istanbul Protocol evaluation.

Each enumeration's values are the codes written in evaluation documents and committed in
signed events; they never change meaning. Display labels in English, Spanish and French
live with the report (``custody.report``). Sources: the Istanbul Protocol, 2022 edition
(OHCHR Professional Training Series No. 8/Rev.2, cited as IP22 with its paragraph), and the
project's data-model reference (``docs/medical.md`` lists which paragraph each comes from).
"""

from __future__ import annotations

import enum


class ProtocolVersion(enum.StrEnum):
    """The edition of the Istanbul Protocol the opinions are expressed under."""

    IP_2022 = "IP-2022"  # Professional Training Series No. 8/Rev.2
    IP_2004 = "IP-2004"  # Professional Training Series No. 8/Rev.1


class EvaluationContext(enum.StrEnum):
    """Where the evaluation takes place in the person's story (IP22 ¶¶629-636)."""

    CUSTODIAL = "custodial"
    EXTRA_CUSTODIAL = "extra_custodial"
    POST_RELEASE = "post_release"
    ASYLUM = "asylum"
    NPM_VISIT = "npm_visit"
    CLINICAL_CARE = "clinical_care"
    HUMAN_RIGHTS_INVESTIGATION = "human_rights_investigation"


class EvaluationPurpose(enum.StrEnum):
    """What the report is for."""

    CRIMINAL_PROCEEDINGS = "criminal_proceedings"
    CIVIL_REPARATION = "civil_reparation"
    ASYLUM_OR_IMMIGRATION = "asylum_or_immigration"
    NPM_MONITORING = "npm_monitoring"
    NHRI_OR_OMBUDSMAN_COMPLAINT = "nhri_or_ombudsman_complaint"
    UN_OR_REGIONAL_BODY = "un_or_regional_body"
    DOCUMENTATION_ONLY = "documentation_only"
    CLINICAL_CARE = "clinical_care"


class RequesterRole(enum.StrEnum):
    """Who asked for the evaluation (IP22 ¶270: they may not have given every fact)."""

    COURT = "court"
    PROSECUTOR = "prosecutor"
    INVESTIGATING_BODY = "investigating_body"
    SUBJECT = "subject"
    SUBJECT_LAWYER = "subject_lawyer"
    NPM = "npm"
    NHRI = "nhri"
    NGO = "ngo"
    HEALTH_SERVICE = "health_service"
    OTHER = "other"


class ReviewedRecordType(enum.StrEnum):
    """Kinds of prior record an evaluator studied."""

    PRIOR_MEDICAL_RECORD = "prior_medical_record"
    CUSTODY_MEDICAL_RECORD = "custody_medical_record"
    PRIOR_REPORT = "prior_report"
    TRIBUNAL_DECISION = "tribunal_decision"
    POLICE_RECORD = "police_record"
    OTHER = "other"


# -- consent ---------------------------------------------------------------------------


class ConsentScope(enum.StrEnum):
    """What one consent record covers; one scope is never inferred from another."""

    INTERVIEW = "interview"
    PHYSICAL_EXAMINATION = "physical_examination"
    GENITAL_ANAL_EXAMINATION = "genital_anal_examination"
    BREAST_EXAMINATION = "breast_examination"
    PHOTOGRAPHY = "photography"
    PHOTOGRAPHY_INTIMATE = "photography_intimate"
    PHOTOGRAPHY_FACE_IDENTIFYING = "photography_face_identifying"
    VIDEO_OR_AUDIO_RECORDING = "video_or_audio_recording"
    BIOLOGICAL_SAMPLING = "biological_sampling"
    DIAGNOSTIC_IMAGING = "diagnostic_imaging"
    PSYCHOLOGICAL_TESTING = "psychological_testing"
    ACCESS_TO_PRIOR_RECORDS = "access_to_prior_records"
    DISCLOSURE_TO_REQUESTING_PARTY = "disclosure_to_requesting_party"
    DISCLOSURE_TO_PROSECUTION_OR_POLICE = "disclosure_to_prosecution_or_police"
    DISCLOSURE_WITH_NAME = "disclosure_with_name"
    DISCLOSURE_TO_NPM_OR_NHRI = "disclosure_to_npm_or_nhri"
    AGGREGATE_STATISTICAL_USE = "aggregate_statistical_use"
    TEACHING_OR_PUBLICATION = "teaching_or_publication"
    RETENTION_BEYOND_CASE = "retention_beyond_case"


class ConsentDecision(enum.StrEnum):
    """The person's decision for one scope."""

    GRANTED = "granted"
    REFUSED = "refused"
    GRANTED_WITH_LIMITS = "granted_with_limits"
    WITHDRAWN = "withdrawn"


class Capacity(enum.StrEnum):
    """The person's capacity to consent."""

    HAS_CAPACITY = "has_capacity"
    LACKS_CAPACITY = "lacks_capacity"
    MINOR = "minor"


class ConsentMethod(enum.StrEnum):
    """How consent was given."""

    WRITTEN_SIGNATURE = "written_signature"
    THUMBPRINT = "thumbprint"
    VERBAL_WITNESSED = "verbal_witnessed"
    ELECTRONIC_SIGNATURE = "electronic_signature"


# -- the people -----------------------------------------------------------------------


class SexAtBirth(enum.StrEnum):
    """Sex recorded at birth, as the person states it."""

    FEMALE = "female"
    MALE = "male"
    INTERSEX = "intersex"
    NOT_DISCLOSED = "not_disclosed"


class CustodyStatus(enum.StrEnum):
    """The person's custody status when examined."""

    IN_CUSTODY = "in_custody"
    RELEASED = "released"
    NEVER_DETAINED = "never_detained"
    UNKNOWN = "unknown"


class Handedness(enum.StrEnum):
    """Dominant hand (IP22 ¶423: self-cutting is typical on the non-dominant forearm)."""

    LEFT = "left"
    RIGHT = "right"
    AMBIDEXTROUS = "ambidextrous"


class SkinPhototype(enum.StrEnum):
    """Fitzpatrick skin phototype; it changes how bruising and pigment changes show."""

    I = "I"  # noqa: E741 - the scale's own numeral
    II = "II"
    III = "III"
    IV = "IV"
    V = "V"
    VI = "VI"


class Vulnerability(enum.StrEnum):
    """Special categories of detainee (IP22 ¶659(n))."""

    CHILD = "child"
    OLDER_PERSON = "older_person"
    DISABILITY = "disability"
    MENTAL_HEALTH_CONDITION = "mental_health_condition"
    PREGNANCY = "pregnancy"
    LGBTI = "LGBTI"
    FOREIGN_NATIONAL = "foreign_national"
    MINORITY = "minority"
    OTHER = "other"


class Profession(enum.StrEnum):
    """An evaluator's profession."""

    PHYSICIAN = "physician"
    FORENSIC_PHYSICIAN = "forensic_physician"
    PSYCHIATRIST = "psychiatrist"
    CLINICAL_PSYCHOLOGIST = "clinical_psychologist"
    NURSE = "nurse"
    DENTIST = "dentist"
    OTHER = "other"


class EvaluatorRole(enum.StrEnum):
    """Which part of the evaluation an evaluator is responsible for."""

    PHYSICAL = "physical"
    PSYCHOLOGICAL = "psychological"
    BOTH = "both"
    CONSULTANT = "consultant"


class InterpreterMode(enum.StrEnum):
    """How the interpreter took part."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"


class InterpreterTie(enum.StrEnum):
    """The interpreter's relation to the case (IP22 ¶298: avoid facility interpreters)."""

    PROFESSIONAL = "professional"
    EMPLOYED_BY_FACILITY = "employed_by_facility"
    IS_CO_DETAINEE = "is_co_detainee"
    IS_FAMILY_MEMBER = "is_family_member"
    IS_OFFICIAL = "is_official"


#: Interpreter ties that compromise independence (IP22 ¶298; validation rule 13).
NON_INDEPENDENT_INTERPRETER = frozenset(
    {
        InterpreterTie.EMPLOYED_BY_FACILITY,
        InterpreterTie.IS_CO_DETAINEE,
        InterpreterTie.IS_FAMILY_MEMBER,
        InterpreterTie.IS_OFFICIAL,
    }
)


class PresentRole(enum.StrEnum):
    """The role of a person present during a session."""

    CLINICIAN = "clinician"
    CHAPERONE = "chaperone"
    INTERPRETER = "interpreter"
    SUBJECT_LAWYER = "subject_lawyer"
    FAMILY_MEMBER = "family_member"
    TRAINEE = "trainee"
    FACILITY_MEDICAL_STAFF = "facility_medical_staff"
    FACILITY_SECURITY_STAFF = "facility_security_staff"
    POLICE = "police"
    PRISON_OFFICER = "prison_officer"
    MILITARY = "military"
    INTELLIGENCE = "intelligence"
    OTHER_OFFICIAL = "other_official"
    OTHER = "other"


#: Roles of officials: their presence must be justified (IP22 ¶313; validation rule 12).
OFFICIAL_ROLES = frozenset(
    {
        PresentRole.FACILITY_SECURITY_STAFF,
        PresentRole.POLICE,
        PresentRole.PRISON_OFFICER,
        PresentRole.MILITARY,
        PresentRole.INTELLIGENCE,
        PresentRole.OTHER_OFFICIAL,
    }
)


class PresenceRequestedBy(enum.StrEnum):
    """Who asked for a person to be present."""

    SUBJECT = "subject"
    CLINICIAN = "clinician"
    AUTHORITY = "authority"


# -- sessions --------------------------------------------------------------------------


class SessionLocation(enum.StrEnum):
    """The kind of place a session was held in."""

    DETENTION_FACILITY_MEDICAL_UNIT = "detention_facility_medical_unit"
    DETENTION_FACILITY_CELL = "detention_facility_cell"
    DETENTION_FACILITY_OTHER_ROOM = "detention_facility_other_room"
    HOSPITAL = "hospital"
    CLINIC = "clinic"
    NGO_OFFICE = "ngo_office"
    COURT = "court"
    REMOTE = "remote"
    OTHER = "other"


class Privacy(enum.StrEnum):
    """Whether others could hear or see the session (IP22 ¶313)."""

    PRIVATE = "private"
    AUDIBLE_BY_OTHERS = "audible_by_others"
    VISIBLE_BY_OTHERS = "visible_by_others"
    NOT_PRIVATE = "not_private"


class RestraintType(enum.StrEnum):
    """Restraints on the person during a session."""

    HANDCUFFS = "handcuffs"
    LEG_IRONS = "leg_irons"
    OTHER = "other"


# -- allegations and history -----------------------------------------------------------


class DatePrecision(enum.StrEnum):
    """How precisely the person could date an alleged event."""

    EXACT = "exact"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    APPROXIMATE = "approximate"
    UNKNOWN = "unknown"


class CustodyContext(enum.StrEnum):
    """Where in detention an alleged event took place."""

    ARREST = "arrest"
    TRANSPORT = "transport"
    POLICE_CUSTODY = "police_custody"
    INTERROGATION = "interrogation"
    PRISON = "prison"
    IMMIGRATION_DETENTION = "immigration_detention"
    MILITARY = "military"
    UNOFFICIAL_SITE = "unofficial_site"
    OTHER = "other"


class NarrativeSource(enum.StrEnum):
    """Whose account a narrative is."""

    SUBJECT_ACCOUNT = "subject_account"
    THIRD_PARTY = "third_party"
    RECORDS = "records"


class PerceptionLimit(enum.StrEnum):
    """Why the person cannot describe a cause (IP22 ¶421)."""

    BLINDFOLDED = "blindfolded"
    HOODED = "hooded"
    UNCONSCIOUS = "unconscious"
    DARKNESS = "darkness"
    INTOXICATED_OR_DRUGGED = "intoxicated_or_drugged"
    MULTIPLE_PERPETRATORS = "multiple_perpetrators"


class MethodCategory(enum.StrEnum):
    """Methods of torture and ill-treatment, grouped after IP ch. V.

    :data:`HURIDOCS_CODES` maps each to codes of the HURIDOCS Events Standard Formats
    micro-thesaurus 5, "Methods of violence against a person", for interoperability.
    """

    BLUNT_TRAUMA = "blunt_trauma"
    FALANGA = "falanga"
    EAR_TRAUMA_TELEFONO = "ear_trauma_telefono"
    SUSPENSION = "suspension"
    POSITIONAL_OTHER = "positional_other"
    BURNS = "burns"
    ELECTRIC_SHOCK = "electric_shock"
    ASPHYXIATION = "asphyxiation"
    STRANGULATION = "strangulation"
    PENETRATING_AND_WOUNDING = "penetrating_and_wounding"
    CRUSH_MAIMING_FRACTURE = "crush_maiming_fracture"
    NAIL_REMOVAL = "nail_removal"
    AMPUTATION = "amputation"
    DENTAL = "dental"
    CHEMICAL_EXPOSURE = "chemical_exposure"
    PHARMACOLOGICAL = "pharmacological"
    SEXUAL_RAPE = "sexual_rape"
    SEXUAL_OTHER = "sexual_other"
    FORCED_NUDITY = "forced_nudity"
    EXTREME_TEMPERATURE = "extreme_temperature"
    FORCED_FEEDING = "forced_feeding"
    ANIMALS = "animals"
    DEPRIVATION = "deprivation"
    ISOLATION = "isolation"
    SENSORY_STRESS = "sensory_stress"
    HUMILIATION_DEGRADATION = "humiliation_degradation"
    THREATS = "threats"
    DEATH_THREATS_MOCK_EXECUTION = "death_threats_mock_execution"
    WITNESSING_TORTURE = "witnessing_torture"
    BEHAVIOURAL_COERCION = "behavioural_coercion"
    CONDITIONS_OF_DETENTION = "conditions_of_detention"
    OTHER = "other"


#: HURIDOCS micro-thesaurus 5 codes (prefixes, without the list suffix) per category;
#: empty where the thesaurus has no matching term.
HURIDOCS_CODES: dict[MethodCategory, tuple[str, ...]] = {
    MethodCategory.BLUNT_TRAUMA: ("0301", "030101", "030102"),
    MethodCategory.FALANGA: ("030104",),
    MethodCategory.EAR_TRAUMA_TELEFONO: ("030103",),
    MethodCategory.SUSPENSION: ("031101", "031102"),
    MethodCategory.POSITIONAL_OTHER: ("0311", "031103", "031104", "031105", "031106", "0317"),
    MethodCategory.BURNS: ("0304", "030401", "030402", "030403", "030404"),
    MethodCategory.ELECTRIC_SHOCK: ("0308", "030801", "030802"),
    MethodCategory.ASPHYXIATION: ("0309", "030901", "030902", "030903"),
    MethodCategory.STRANGULATION: ("0310",),
    MethodCategory.PENETRATING_AND_WOUNDING: ("0302",),
    MethodCategory.CRUSH_MAIMING_FRACTURE: ("0303", "030301", "030302"),
    MethodCategory.NAIL_REMOVAL: ("0312",),
    MethodCategory.AMPUTATION: ("0314",),
    MethodCategory.DENTAL: (),
    MethodCategory.CHEMICAL_EXPOSURE: ("0304",),
    MethodCategory.PHARMACOLOGICAL: ("0325",),
    MethodCategory.SEXUAL_RAPE: ("0305", "030501", "030502", "030503"),
    MethodCategory.SEXUAL_OTHER: ("0306", "030601", "030602", "030603", "030604"),
    MethodCategory.FORCED_NUDITY: ("030202",),
    MethodCategory.EXTREME_TEMPERATURE: ("0307",),
    MethodCategory.FORCED_FEEDING: ("0316",),
    MethodCategory.ANIMALS: ("0313",),
    MethodCategory.DEPRIVATION: ("0315", "031501", "031502", "031503", "031504"),
    MethodCategory.ISOLATION: ("0318",),
    MethodCategory.SENSORY_STRESS: ("0319", "031901", "031902", "031903", "031904", "031905"),
    MethodCategory.HUMILIATION_DEGRADATION: ("0321", "032101", "032102", "032103"),
    MethodCategory.THREATS: ("0322",),
    MethodCategory.DEATH_THREATS_MOCK_EXECUTION: ("0323",),
    MethodCategory.WITNESSING_TORTURE: ("0324",),
    MethodCategory.BEHAVIOURAL_COERCION: (),
    MethodCategory.CONDITIONS_OF_DETENTION: ("031905",),
    MethodCategory.OTHER: ("0390",),
}


class Consciousness(enum.StrEnum):
    """Whether the person was conscious during the alleged act."""

    YES = "yes"
    NO = "no"
    PARTLY = "partly"
    UNKNOWN = "unknown"


class SymptomDomain(enum.StrEnum):
    """Whether a complaint is physical or psychological."""

    PHYSICAL = "physical"
    PSYCHOLOGICAL = "psychological"


# -- the body and its findings -----------------------------------------------------------


class BodySystem(enum.StrEnum):
    """The examination order of IP ch. V."""

    SKIN = "skin"
    HEAD_FACE = "head_face"
    EYES = "eyes"
    EARS = "ears"
    NOSE = "nose"
    MOUTH_TEETH = "mouth_teeth"
    NECK = "neck"
    CHEST = "chest"
    ABDOMEN = "abdomen"
    GENITOURINARY = "genitourinary"
    ANAL = "anal"
    MUSCULOSKELETAL = "musculoskeletal"
    NERVOUS_SYSTEM = "nervous_system"
    OTHER = "other"


class BodyRegion(enum.StrEnum):
    """Regions of the body a finding or an alleged method concerns."""

    SCALP = "scalp"
    FACE = "face"
    EYE = "eye"
    EAR = "ear"
    NOSE = "nose"
    MOUTH = "mouth"
    NECK = "neck"
    SHOULDER = "shoulder"
    CHEST = "chest"
    BREAST = "breast"
    ABDOMEN = "abdomen"
    UPPER_BACK = "upper_back"
    LOWER_BACK = "lower_back"
    BUTTOCK = "buttock"
    UPPER_ARM = "upper_arm"
    ELBOW = "elbow"
    FOREARM = "forearm"
    WRIST = "wrist"
    HAND = "hand"
    FINGER = "finger"
    HIP = "hip"
    GROIN = "groin"
    GENITALS = "genitals"
    ANUS = "anus"
    THIGH = "thigh"
    KNEE = "knee"
    LOWER_LEG = "lower_leg"
    ANKLE = "ankle"
    FOOT = "foot"
    SOLE = "sole"
    TOE = "toe"
    WHOLE_BODY = "whole_body"
    OTHER = "other"


class FindingKind(enum.StrEnum):
    """What sort of physical finding it is; ``negative_finding`` records an absence."""

    LESION = "lesion"
    FUNCTIONAL_DEFICIT = "functional_deficit"
    TENDERNESS = "tenderness"
    DEFORMITY = "deformity"
    NEUROLOGICAL_SIGN = "neurological_sign"
    DENTAL = "dental"
    NEGATIVE_FINDING = "negative_finding"
    OTHER = "other"


class LesionType(enum.StrEnum):
    """Morphological type of a lesion (IP22 ch. V, ¶¶418-429, and wound morphology)."""

    ABRASION = "abrasion"
    CONTUSION_BRUISE = "contusion_bruise"
    HAEMATOMA = "haematoma"
    LACERATION = "laceration"
    INCISED_WOUND = "incised_wound"
    STAB_WOUND = "stab_wound"
    PUNCTURE_WOUND = "puncture_wound"
    GUNSHOT_WOUND = "gunshot_wound"
    BITE_MARK = "bite_mark"
    BURN_THERMAL = "burn_thermal"
    BURN_CHEMICAL = "burn_chemical"
    BURN_ELECTRICAL = "burn_electrical"
    SCAR = "scar"
    PIGMENTARY_CHANGE_HYPER = "pigmentary_change_hyper"
    PIGMENTARY_CHANGE_HYPO = "pigmentary_change_hypo"
    SWELLING_OEDEMA = "swelling_oedema"
    ERYTHEMA = "erythema"
    PETECHIAE = "petechiae"
    PATTERNED_INJURY = "patterned_injury"
    LIGATURE_OR_RESTRAINT_MARK = "ligature_or_restraint_mark"
    FRACTURE = "fracture"
    DISLOCATION = "dislocation"
    TOOTH_INJURY = "tooth_injury"
    TYMPANIC_MEMBRANE_PERFORATION = "tympanic_membrane_perforation"
    NAIL_INJURY_OR_LOSS = "nail_injury_or_loss"
    GENITAL_INJURY = "genital_injury"
    ANAL_INJURY = "anal_injury"
    OTHER = "other"


class BurnDepth(enum.StrEnum):
    """Depth of a burn."""

    SUPERFICIAL = "superficial"
    PARTIAL_THICKNESS = "partial_thickness"
    FULL_THICKNESS = "full_thickness"


class Laterality(enum.StrEnum):
    """Side of the body."""

    LEFT = "left"
    RIGHT = "right"
    MIDLINE = "midline"
    BILATERAL = "bilateral"


class Aspect(enum.StrEnum):
    """Surface of a body part."""

    ANTERIOR = "anterior"
    POSTERIOR = "posterior"
    MEDIAL = "medial"
    LATERAL = "lateral"
    DORSAL = "dorsal"
    VOLAR = "volar"
    PLANTAR = "plantar"
    SUPERIOR = "superior"
    INFERIOR = "inferior"


class MeasurementMethod(enum.StrEnum):
    """How a size was measured."""

    RULER = "ruler"
    TAPE = "tape"
    CALLIPER = "calliper"
    PHOTOGRAMMETRIC = "photogrammetric"
    ESTIMATED = "estimated"


class Shape(enum.StrEnum):
    """Shape of a lesion."""

    ROUND = "round"
    OVAL = "oval"
    LINEAR = "linear"
    CURVILINEAR = "curvilinear"
    TRAMLINE = "tramline"
    CIRCULAR_RING = "circular_ring"
    IRREGULAR = "irregular"
    GEOMETRIC = "geometric"
    STELLATE = "stellate"
    PATTERNED = "patterned"


class Colour(enum.StrEnum):
    """Controlled colour terms (free text may add to them)."""

    RED = "red"
    PURPLE = "purple"
    BLUE = "blue"
    GREEN = "green"
    YELLOW = "yellow"
    BROWN = "brown"
    HYPERPIGMENTED = "hyperpigmented"
    HYPOPIGMENTED = "hypopigmented"
    DEPIGMENTED = "depigmented"
    ERYTHEMATOUS = "erythematous"


class Surface(enum.StrEnum):
    """Surface of a lesion."""

    INTACT = "intact"
    SCALY = "scaly"
    CRUSTED = "crusted"
    ULCERATED = "ulcerated"
    WEEPING = "weeping"
    SCABBED = "scabbed"
    SHINY = "shiny"
    ATROPHIC = "atrophic"


class BorderDefinition(enum.StrEnum):
    """How sharply a lesion's border is defined."""

    WELL_DEFINED = "well_defined"
    ILL_DEFINED = "ill_defined"


class BorderRegularity(enum.StrEnum):
    """Whether a lesion's border is regular."""

    REGULAR = "regular"
    IRREGULAR = "irregular"


class SkinLevel(enum.StrEnum):
    """A lesion's level relative to the surrounding skin."""

    FLAT = "flat"
    RAISED = "raised"
    DEPRESSED = "depressed"
    HYPERTROPHIC = "hypertrophic"
    KELOID = "keloid"
    ATROPHIC = "atrophic"


class Arrangement(enum.StrEnum):
    """How several lesions are arranged."""

    SINGLE = "single"
    MULTIPLE_SCATTERED = "multiple_scattered"
    LINEAR = "linear"
    PARALLEL = "parallel"
    CLUSTERED = "clustered"
    PATTERNED = "patterned"
    SYMMETRICAL_BILATERAL = "symmetrical_bilateral"


class HealingStage(enum.StrEnum):
    """Stage of healing."""

    FRESH = "fresh"
    HEALING = "healing"
    HEALED_SCAR = "healed_scar"
    UNKNOWN = "unknown"


class Confidence(enum.StrEnum):
    """Confidence in an estimate."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


class AttributionKind(enum.StrEnum):
    """What the person says caused a finding (recorded for every finding)."""

    ALLEGED_METHOD = "alleged_method"
    ACCIDENT = "accident"
    SELF_HARM = "self_harm"
    MEDICAL_PROCEDURE = "medical_procedure"
    PRE_EXISTING = "pre_existing"
    UNKNOWN = "unknown"
    NOT_ASKED = "not_asked"


class DiagramView(enum.StrEnum):
    """Body-diagram views the project draws (after the body charts of IP annex III)."""

    FRONT = "front"
    BACK = "back"
    HEAD_FRONT = "head_front"
    HEAD_SIDE = "head_side"
    HANDS_PALMAR = "hands_palmar"
    HANDS_DORSAL = "hands_dorsal"
    FEET_PLANTAR = "feet_plantar"
    FEET_DORSAL = "feet_dorsal"


# -- photographs, samples and tests ------------------------------------------------------


class PhotoRole(enum.StrEnum):
    """What a photograph is for."""

    IDENTIFICATION = "identification"
    ORIENTATION = "orientation"
    MID_RANGE = "mid_range"
    CLOSE_UP = "close_up"
    CLOSE_UP_WITH_SCALE = "close_up_with_scale"
    SPECIAL_LIGHTING = "special_lighting"
    DIAGRAM_SCAN = "diagram_scan"
    DOCUMENT_SCAN = "document_scan"
    SCENE = "scene"


#: Roles of photographs that show findings (validation rule 4).
FINDING_PHOTO_ROLES = frozenset(
    {
        PhotoRole.CLOSE_UP,
        PhotoRole.CLOSE_UP_WITH_SCALE,
        PhotoRole.MID_RANGE,
        PhotoRole.SPECIAL_LIGHTING,
    }
)
#: Close-up roles, which should carry a scale and a colour reference (rule 5).
CLOSE_UP_ROLES = frozenset({PhotoRole.CLOSE_UP, PhotoRole.CLOSE_UP_WITH_SCALE})


class ScaleType(enum.StrEnum):
    """The scale in the frame."""

    ABFO_NO2 = "ABFO_No2"
    RULER = "ruler"
    TAPE = "tape"
    OTHER = "other"


class Lighting(enum.StrEnum):
    """Lighting of a photograph (IP22 ¶402 mentions cross-polarised light)."""

    AMBIENT_DAYLIGHT = "ambient_daylight"
    ARTIFICIAL = "artificial"
    FLASH = "flash"
    CROSS_POLARISED = "cross_polarised"
    UV = "uv"
    IR = "ir"


class LocationMetadata(enum.StrEnum):
    """How much location the original photograph file carries."""

    NONE = "none"
    COARSE = "coarse"
    EXACT = "exact"


class QualityFlag(enum.StrEnum):
    """Known defects of a photograph."""

    OUT_OF_FOCUS = "out_of_focus"
    FLASH_GLARE = "flash_glare"
    SCALE_NOT_IN_PLANE = "scale_not_in_plane"
    PARTIAL = "partial"


class SampleType(enum.StrEnum):
    """Biological or physical samples (IP22 ¶227)."""

    SWAB_ORAL = "swab_oral"
    SWAB_VAGINAL = "swab_vaginal"
    SWAB_PENILE = "swab_penile"
    SWAB_ANAL = "swab_anal"
    SWAB_SKIN = "swab_skin"
    BLOOD = "blood"
    URINE = "urine"
    HAIR_COMBING = "hair_combing"
    HAIR_PULLED = "hair_pulled"
    NAIL_CLIPPING = "nail_clipping"
    NAIL_SCRAPING = "nail_scraping"
    CLOTHING = "clothing"
    BEDDING = "bedding"
    BLINDFOLD_OR_HOOD = "blindfold_or_hood"
    LIGATURE_OR_RESTRAINT = "ligature_or_restraint"
    FOREIGN_BODY = "foreign_body"
    OTHER = "other"


class SampleStorage(enum.StrEnum):
    """Storage condition of a sample."""

    DRY_AMBIENT = "dry_ambient"
    REFRIGERATED = "refrigerated"
    FROZEN = "frozen"


class Analysis(enum.StrEnum):
    """Analyses a sample is collected for."""

    DNA = "DNA"
    TOXICOLOGY = "toxicology"
    MYOGLOBIN = "myoglobin"
    MICROSCOPY = "microscopy"
    PREGNANCY = "pregnancy"
    STI = "STI"
    OTHER = "other"


# -- psychological evaluation -------------------------------------------------------------


class DiagnosisSystem(enum.StrEnum):
    """The classification a diagnosis code belongs to (IP22 ¶512)."""

    ICD_11 = "ICD-11"
    ICD_10 = "ICD-10"
    DSM_5_TR = "DSM-5-TR"
    DSM_5 = "DSM-5"
    OTHER = "other"


class Certainty(enum.StrEnum):
    """How firm a diagnosis is."""

    CONFIRMED = "confirmed"
    PROVISIONAL = "provisional"
    RULE_OUT = "rule_out"


# -- opinions ---------------------------------------------------------------------------


class ConsistencyLevel(enum.StrEnum):
    """The five levels of consistency (IP22 ¶418 physical, ¶543 psychological, ¶424 overall).

    Listed in the Protocol's order (a) to (e). They are words, not numbers: never average
    or compare them arithmetically (¶424 asks for the overall evaluation instead).
    """

    NOT_CONSISTENT_WITH = "not_consistent_with"
    CONSISTENT_WITH = "consistent_with"
    HIGHLY_CONSISTENT_WITH = "highly_consistent_with"
    TYPICAL_OF = "typical_of"
    DIAGNOSTIC_OF = "diagnostic_of"


#: Levels that leave other possible causes open: they need the alternatives considered
#: (validation rule 9).
LEVELS_NEEDING_ALTERNATIVES = frozenset(
    {
        ConsistencyLevel.CONSISTENT_WITH,
        ConsistencyLevel.HIGHLY_CONSISTENT_WITH,
        ConsistencyLevel.TYPICAL_OF,
    }
)


class ConsistencyStatus(enum.StrEnum):
    """Whether a level could be given (IP22 ¶421: some findings allow no assessment)."""

    ASSESSED = "assessed"
    NOT_ASSESSABLE = "not_assessable"


class OpinionDomain(enum.StrEnum):
    """Whether an opinion concerns physical or psychological findings."""

    PHYSICAL = "physical"
    PSYCHOLOGICAL = "psychological"


class TargetKind(enum.StrEnum):
    """What an opinion assesses the findings against (IP22 ¶421 for unattributed findings)."""

    ALLEGED_METHOD = "alleged_method"
    HYPOTHESISED_MECHANISM = "hypothesised_mechanism"
    ALTERNATIVE_CAUSE = "alternative_cause"


class OpinionBasis(enum.StrEnum):
    """What an opinion rests on."""

    CLINICAL_EXAM = "clinical_exam"
    PHOTOGRAPHS = "photographs"
    DIAGNOSTIC_TESTS = "diagnostic_tests"
    LITERATURE = "literature"
    REGIONAL_PRACTICE_KNOWLEDGE = "regional_practice_knowledge"
    CONSULTATION = "consultation"


class OverallBasis(enum.StrEnum):
    """The evidence an overall opinion weighs (IP22 ¶269(e))."""

    PHYSICAL_FINDINGS = "physical_findings"
    PSYCHOLOGICAL_FINDINGS = "psychological_findings"
    HISTORICAL_INFORMATION = "historical_information"
    PHOTOGRAPHIC_FINDINGS = "photographic_findings"
    DIAGNOSTIC_TEST_RESULTS = "diagnostic_test_results"
    KNOWLEDGE_OF_REGIONAL_PRACTICES = "knowledge_of_regional_practices"
    CONSULTATION_REPORTS = "consultation_reports"


class RecommendationKind(enum.StrEnum):
    """Kinds of recommendation (IP22 ¶¶314-316, ¶425)."""

    FURTHER_MEDICAL_EVALUATION = "further_medical_evaluation"
    SPECIALIST_REFERRAL = "specialist_referral"
    PSYCHOLOGICAL_CARE = "psychological_care"
    SOCIAL_SUPPORT = "social_support"
    PROTECTION_MEASURE = "protection_measure"
    DO_NOT_RETURN_TO_PLACE_OF_DETENTION = "do_not_return_to_place_of_detention"
    SECOND_INDEPENDENT_EVALUATION = "second_independent_evaluation"
    OTHER = "other"


class Urgency(enum.StrEnum):
    """How urgent a recommendation is."""

    ROUTINE = "routine"
    PRIORITY = "priority"
    URGENT = "urgent"
