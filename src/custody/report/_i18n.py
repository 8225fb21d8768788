"""Display labels of the medical report in English, Spanish and French.

Two lookups serve the report:

* :func:`term` gives the label of a member of any enumeration in
  :mod:`custody.medical._terms`, for example the level of consistency of an opinion;
* :func:`label` gives a heading or field label of the report by a stable key.

Only display text lives here. The codes written in evaluation documents and signed events are
the enumeration values, which never depend on the language of the report.

Where the Istanbul Protocol has a term of art, the English label is the Protocol's exact term.
The Spanish and French labels could not be checked against the official UN editions while this
module was written: every Spanish and French label is CHOSEN here unless the comment above its
table marks it CONFIRMED and names the source; some comments also say where a chosen wording
comes from. ``docs/medical.md`` ("Languages of the report") summarises the same facts.

Sources named in the comments below:

* [IP22] Istanbul Protocol, 2022 edition, OHCHR Professional Training Series No. 8/Rev.2,
  English text, as read for the project's data-model reference note on the Protocol
  ("istanbul-protocol.md"), which marks the five levels of consistency (¶418, ¶424, ¶543)
  VERIFIED against that text.
* [IP04-fr] Protocole d'Istanbul, 2004, Série sur la formation professionnelle no 8/Rev.1.
  Its title and series were read in the UN Geneva language service's bilingual copy
  (https://ls-fts.unog.ch/sites/default/files/2020-11/Protocol%20d%27Istanbul-EN-FRA.htm);
  ¶187 and the rest of the body could not be read.
* [IP04-es] Protocolo de Estambul, 2004, Serie de Capacitación Profesional Nº 8/Rev.1. Its
  title and series were read in a transcript of the OHCHR PDF
  (https://fdocumenti.com/document/protocolo-de-estambul-webicameswebicamesbucketprotocoloe-oficina-del.html);
  ¶187 and the rest of the body could not be read.
* [CMF23] Morentin B. et al., "Protocolo de Estambul", Cuadernos de Medicina Forense 2023;
  26(1):29-39, p. 34 (https://cuadernosdemedicinaforense.com/wp-content/uploads/2023/2601/online/34).
  Spanish forensic physicians' own rendering of the 2022 levels; not an official text.
* [VF21] C. Vanegas Fajardo, "Protocolo de Estambul: evaluación física" (slides, 2021,
  https://es.slideshare.net/slideshow/protocolode-estambul-250485886/250485886). Spanish
  names of torture methods used in training; not an official text.

No official Spanish or French edition of the 2022 Protocol could be found through the search
tools available (the Argentine national preventive mechanism, cnpt.gob.ar, still linked the
2022 English text and the first Spanish version in August 2025). Before a Spanish or French
report is filed in court, compare every label marked CHOSEN below with the official text.
"""

# ruff: noqa: E501 -- the label tables keep one member per line, so a reviewer can read a
# member's three labels side by side; the code below them stays within 100 columns.

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, Final

from custody.errors import InvalidInput
from custody.medical._terms import (
    Analysis,
    Arrangement,
    Aspect,
    AttributionKind,
    BodyRegion,
    BodySystem,
    BorderDefinition,
    BorderRegularity,
    BurnDepth,
    Capacity,
    Certainty,
    Colour,
    Confidence,
    Consciousness,
    ConsentDecision,
    ConsentMethod,
    ConsentScope,
    ConsistencyLevel,
    ConsistencyStatus,
    CustodyContext,
    CustodyStatus,
    DatePrecision,
    DiagnosisSystem,
    DiagramView,
    EvaluationContext,
    EvaluationPurpose,
    EvaluatorRole,
    FindingKind,
    Handedness,
    HealingStage,
    InterpreterMode,
    InterpreterTie,
    Laterality,
    LesionType,
    Lighting,
    LocationMetadata,
    MeasurementMethod,
    MethodCategory,
    NarrativeSource,
    OpinionBasis,
    OpinionDomain,
    OverallBasis,
    PerceptionLimit,
    PhotoRole,
    PresenceRequestedBy,
    PresentRole,
    Privacy,
    Profession,
    ProtocolVersion,
    QualityFlag,
    RecommendationKind,
    RequesterRole,
    RestraintType,
    ReviewedRecordType,
    SampleStorage,
    SampleType,
    ScaleType,
    SessionLocation,
    SexAtBirth,
    Shape,
    SkinLevel,
    SkinPhototype,
    Surface,
    SymptomDomain,
    TargetKind,
    Urgency,
    Vulnerability,
)

__all__ = ["LABELS", "LANGUAGES", "Language", "label", "term"]

#: The languages a report can be rendered in, in the column order of every table below.
LANGUAGES: tuple[str, ...] = ("en", "es", "fr")


class Language(enum.StrEnum):
    """A language of the report (ISO 639-1 code; members compare equal to the plain code)."""

    EN = "en"
    ES = "es"
    FR = "fr"


_COLUMN: Final[Mapping[str, int]] = {code: index for index, code in enumerate(LANGUAGES)}

#: One row per member or key: (English, Spanish, French).
_Row = tuple[str, str, str]


# fmt: off
# -- the report itself ---------------------------------------------------------------------

# Edition names. The Spanish and French titles and series names of the 2004 edition were
# CONFIRMED in [IP04-es] and [IP04-fr]; for the 2022 edition the same wording is CHOSEN here,
# with the 2022 series number (8/Rev.2), because no official es/fr 2022 text was found.
_PROTOCOL_VERSION: dict[ProtocolVersion, _Row] = {
    ProtocolVersion.IP_2022: (
        "Istanbul Protocol, 2022 edition (Professional Training Series No. 8/Rev.2)",
        "Protocolo de Estambul, edición de 2022 (Serie de Capacitación Profesional Nº 8/Rev.2)",
        "Protocole d'Istanbul, édition de 2022 (Série sur la formation professionnelle no 8/Rev.2)",
    ),
    ProtocolVersion.IP_2004: (
        "Istanbul Protocol, 2004 edition (Professional Training Series No. 8/Rev.1)",
        "Protocolo de Estambul, edición de 2004 (Serie de Capacitación Profesional Nº 8/Rev.1)",
        "Protocole d'Istanbul, édition de 2004 (Série sur la formation professionnelle no 8/Rev.1)",
    ),
}

# "National preventive mechanism" is the OPCAT term (art. 3); "mecanismo nacional de
# prevención" and "mécanisme national de prévention" are the forms in common UN use, CHOSEN
# here without checking the official Spanish and French OPCAT texts.
_EVALUATION_CONTEXT: dict[EvaluationContext, _Row] = {
    EvaluationContext.CUSTODIAL: ("In custody", "Bajo custodia", "En détention"),
    EvaluationContext.EXTRA_CUSTODIAL: ("Outside custody", "Fuera de custodia", "Hors détention"),
    EvaluationContext.POST_RELEASE: ("After release", "Tras la puesta en libertad", "Après la libération"),
    EvaluationContext.ASYLUM: ("Asylum", "Asilo", "Asile"),
    EvaluationContext.NPM_VISIT: ("Visit by a national preventive mechanism", "Visita de un mecanismo nacional de prevención", "Visite d'un mécanisme national de prévention"),
    EvaluationContext.CLINICAL_CARE: ("Clinical care", "Atención clínica", "Soins cliniques"),
    EvaluationContext.HUMAN_RIGHTS_INVESTIGATION: ("Human rights investigation", "Investigación de derechos humanos", "Enquête sur les droits de l'homme"),
}

_EVALUATION_PURPOSE: dict[EvaluationPurpose, _Row] = {
    EvaluationPurpose.CRIMINAL_PROCEEDINGS: ("Criminal proceedings", "Procedimiento penal", "Procédure pénale"),
    EvaluationPurpose.CIVIL_REPARATION: ("Civil claim for reparation", "Reclamación civil de reparación", "Action civile en réparation"),
    EvaluationPurpose.ASYLUM_OR_IMMIGRATION: ("Asylum or immigration proceedings", "Procedimiento de asilo o de inmigración", "Procédure d'asile ou d'immigration"),
    EvaluationPurpose.NPM_MONITORING: ("Monitoring by a national preventive mechanism", "Supervisión por un mecanismo nacional de prevención", "Contrôle par un mécanisme national de prévention"),
    EvaluationPurpose.NHRI_OR_OMBUDSMAN_COMPLAINT: ("Complaint to a national human rights institution or ombudsperson", "Queja ante una institución nacional de derechos humanos o una defensoría del pueblo", "Plainte auprès d'une institution nationale des droits de l'homme ou d'un médiateur"),
    EvaluationPurpose.UN_OR_REGIONAL_BODY: ("Submission to a United Nations or regional body", "Comunicación a un órgano de las Naciones Unidas o regional", "Communication à un organe des Nations Unies ou régional"),
    EvaluationPurpose.DOCUMENTATION_ONLY: ("Documentation only", "Solo documentación", "Documentation uniquement"),
    EvaluationPurpose.CLINICAL_CARE: ("Clinical care", "Atención clínica", "Soins cliniques"),
}

_REQUESTER_ROLE: dict[RequesterRole, _Row] = {
    RequesterRole.COURT: ("Court", "Tribunal", "Juridiction"),
    RequesterRole.PROSECUTOR: ("Prosecutor", "Fiscalía", "Ministère public"),
    RequesterRole.INVESTIGATING_BODY: ("Investigating body", "Órgano de investigación", "Organe d'enquête"),
    RequesterRole.SUBJECT: ("Person examined", "Persona examinada", "Personne examinée"),
    RequesterRole.SUBJECT_LAWYER: ("Lawyer of the person examined", "Representación letrada de la persona examinada", "Conseil de la personne examinée"),
    RequesterRole.NPM: ("National preventive mechanism", "Mecanismo nacional de prevención", "Mécanisme national de prévention"),
    RequesterRole.NHRI: ("National human rights institution", "Institución nacional de derechos humanos", "Institution nationale des droits de l'homme"),
    RequesterRole.NGO: ("Non-governmental organization", "Organización no gubernamental", "Organisation non gouvernementale"),
    RequesterRole.HEALTH_SERVICE: ("Health service", "Servicio de salud", "Service de santé"),
    RequesterRole.OTHER: ("Other", "Otro", "Autre"),
}

_REVIEWED_RECORD_TYPE: dict[ReviewedRecordType, _Row] = {
    ReviewedRecordType.PRIOR_MEDICAL_RECORD: ("Prior medical record", "Historia clínica previa", "Dossier médical antérieur"),
    ReviewedRecordType.CUSTODY_MEDICAL_RECORD: ("Medical record kept in custody", "Registro médico del lugar de custodia", "Dossier médical tenu en détention"),
    ReviewedRecordType.PRIOR_REPORT: ("Prior report", "Informe previo", "Rapport antérieur"),
    ReviewedRecordType.TRIBUNAL_DECISION: ("Decision of a court or tribunal", "Resolución de un tribunal", "Décision d'une juridiction"),
    ReviewedRecordType.POLICE_RECORD: ("Police record", "Registro policial", "Procès-verbal ou registre de police"),
    ReviewedRecordType.OTHER: ("Other", "Otro", "Autre"),
}


# -- consent ---------------------------------------------------------------------------------

_CONSENT_SCOPE: dict[ConsentScope, _Row] = {
    ConsentScope.INTERVIEW: ("Interview", "Entrevista", "Entretien"),
    ConsentScope.PHYSICAL_EXAMINATION: ("Physical examination", "Examen físico", "Examen physique"),
    ConsentScope.GENITAL_ANAL_EXAMINATION: ("Genital and anal examination", "Examen genital y anal", "Examen génital et anal"),
    ConsentScope.BREAST_EXAMINATION: ("Breast examination", "Examen mamario", "Examen des seins"),
    ConsentScope.PHOTOGRAPHY: ("Photography", "Fotografía", "Photographie"),
    ConsentScope.PHOTOGRAPHY_INTIMATE: ("Photography of intimate areas", "Fotografía de zonas íntimas", "Photographie des zones intimes"),
    ConsentScope.PHOTOGRAPHY_FACE_IDENTIFYING: ("Identifying photographs of the face", "Fotografías identificativas del rostro", "Photographies du visage permettant l'identification"),
    ConsentScope.VIDEO_OR_AUDIO_RECORDING: ("Video or audio recording", "Grabación de vídeo o de audio", "Enregistrement vidéo ou audio"),
    ConsentScope.BIOLOGICAL_SAMPLING: ("Collection of biological samples", "Toma de muestras biológicas", "Prélèvement d'échantillons biologiques"),
    ConsentScope.DIAGNOSTIC_IMAGING: ("Diagnostic imaging", "Pruebas de imagen", "Imagerie diagnostique"),
    ConsentScope.PSYCHOLOGICAL_TESTING: ("Psychological testing", "Pruebas psicológicas", "Tests psychologiques"),
    ConsentScope.ACCESS_TO_PRIOR_RECORDS: ("Access to prior records", "Acceso a registros previos", "Accès aux dossiers antérieurs"),
    ConsentScope.DISCLOSURE_TO_REQUESTING_PARTY: ("Disclosure to the requesting party", "Comunicación a la parte solicitante", "Communication à la partie requérante"),
    ConsentScope.DISCLOSURE_TO_PROSECUTION_OR_POLICE: ("Disclosure to the prosecution or the police", "Comunicación a la fiscalía o a la policía", "Communication au ministère public ou à la police"),
    ConsentScope.DISCLOSURE_WITH_NAME: ("Disclosure including the person's name", "Comunicación con el nombre de la persona", "Communication avec le nom de la personne"),
    ConsentScope.DISCLOSURE_TO_NPM_OR_NHRI: ("Disclosure to a national preventive mechanism or national human rights institution", "Comunicación a un mecanismo nacional de prevención o a una institución nacional de derechos humanos", "Communication à un mécanisme national de prévention ou à une institution nationale des droits de l'homme"),
    ConsentScope.AGGREGATE_STATISTICAL_USE: ("Aggregate statistical use", "Uso estadístico agregado", "Utilisation statistique agrégée"),
    ConsentScope.TEACHING_OR_PUBLICATION: ("Teaching or publication", "Docencia o publicación", "Enseignement ou publication"),
    ConsentScope.RETENTION_BEYOND_CASE: ("Retention after the case is closed", "Conservación después de cerrado el caso", "Conservation après la clôture de l'affaire"),
}

_CONSENT_DECISION: dict[ConsentDecision, _Row] = {
    ConsentDecision.GRANTED: ("Granted", "Otorgado", "Donné"),
    ConsentDecision.REFUSED: ("Refused", "Denegado", "Refusé"),
    ConsentDecision.GRANTED_WITH_LIMITS: ("Granted with limits", "Otorgado con límites", "Donné avec des limites"),
    ConsentDecision.WITHDRAWN: ("Withdrawn", "Retirado", "Retiré"),
}

_CAPACITY: dict[Capacity, _Row] = {
    Capacity.HAS_CAPACITY: ("Has capacity to consent", "Tiene capacidad para consentir", "Apte à consentir"),
    Capacity.LACKS_CAPACITY: ("Lacks capacity to consent", "Carece de capacidad para consentir", "Inapte à consentir"),
    Capacity.MINOR: ("Minor", "Menor de edad", "Mineur"),
}

_CONSENT_METHOD: dict[ConsentMethod, _Row] = {
    ConsentMethod.WRITTEN_SIGNATURE: ("Handwritten signature", "Firma manuscrita", "Signature manuscrite"),
    ConsentMethod.THUMBPRINT: ("Thumbprint", "Huella del pulgar", "Empreinte du pouce"),
    ConsentMethod.VERBAL_WITNESSED: ("Verbal, before a witness", "Verbal, ante testigo", "Verbal, devant témoin"),
    ConsentMethod.ELECTRONIC_SIGNATURE: ("Electronic signature", "Firma electrónica", "Signature électronique"),
}


# -- the people ------------------------------------------------------------------------------

_SEX_AT_BIRTH: dict[SexAtBirth, _Row] = {
    SexAtBirth.FEMALE: ("Female", "Femenino", "Féminin"),
    SexAtBirth.MALE: ("Male", "Masculino", "Masculin"),
    SexAtBirth.INTERSEX: ("Intersex", "Intersexual", "Intersexe"),
    SexAtBirth.NOT_DISCLOSED: ("Not disclosed", "No declarado", "Non communiqué"),
}

_CUSTODY_STATUS: dict[CustodyStatus, _Row] = {
    CustodyStatus.IN_CUSTODY: ("In custody", "Bajo custodia", "En détention"),
    CustodyStatus.RELEASED: ("Released", "En libertad", "En liberté"),
    CustodyStatus.NEVER_DETAINED: ("Never detained", "Sin detención", "Aucune détention"),
    CustodyStatus.UNKNOWN: ("Unknown", "Desconocida", "Inconnue"),
}

_HANDEDNESS: dict[Handedness, _Row] = {
    Handedness.LEFT: ("Left-handed", "Mano dominante izquierda", "Main dominante gauche"),
    Handedness.RIGHT: ("Right-handed", "Mano dominante derecha", "Main dominante droite"),
    Handedness.AMBIDEXTROUS: ("Ambidextrous", "Ambidextría", "Ambidextrie"),
}

_SKIN_PHOTOTYPE: dict[SkinPhototype, _Row] = {
    SkinPhototype.I: ("Fitzpatrick type I", "Fototipo I de Fitzpatrick", "Phototype I de Fitzpatrick"),
    SkinPhototype.II: ("Fitzpatrick type II", "Fototipo II de Fitzpatrick", "Phototype II de Fitzpatrick"),
    SkinPhototype.III: ("Fitzpatrick type III", "Fototipo III de Fitzpatrick", "Phototype III de Fitzpatrick"),
    SkinPhototype.IV: ("Fitzpatrick type IV", "Fototipo IV de Fitzpatrick", "Phototype IV de Fitzpatrick"),
    SkinPhototype.V: ("Fitzpatrick type V", "Fototipo V de Fitzpatrick", "Phototype V de Fitzpatrick"),
    SkinPhototype.VI: ("Fitzpatrick type VI", "Fototipo VI de Fitzpatrick", "Phototype VI de Fitzpatrick"),
}

_VULNERABILITY: dict[Vulnerability, _Row] = {
    Vulnerability.CHILD: ("Child", "Niño, niña o adolescente", "Enfant"),
    Vulnerability.OLDER_PERSON: ("Older person", "Persona mayor", "Personne âgée"),
    Vulnerability.DISABILITY: ("Person with a disability", "Persona con discapacidad", "Personne handicapée"),
    Vulnerability.MENTAL_HEALTH_CONDITION: ("Mental health condition", "Problema de salud mental", "Trouble de santé mentale"),
    Vulnerability.PREGNANCY: ("Pregnancy", "Embarazo", "Grossesse"),
    Vulnerability.LGBTI: ("LGBTI person", "Persona LGBTI", "Personne LGBTI"),
    Vulnerability.FOREIGN_NATIONAL: ("Foreign national", "Persona extranjera", "Personne de nationalité étrangère"),
    Vulnerability.MINORITY: ("Member of a minority", "Persona perteneciente a una minoría", "Personne appartenant à une minorité"),
    Vulnerability.OTHER: ("Other", "Otra", "Autre"),
}

# Named as disciplines, so the label fits every evaluator whatever their gender.
_PROFESSION: dict[Profession, _Row] = {
    Profession.PHYSICIAN: ("Medicine", "Medicina", "Médecine"),
    Profession.FORENSIC_PHYSICIAN: ("Forensic medicine", "Medicina forense", "Médecine légale"),
    Profession.PSYCHIATRIST: ("Psychiatry", "Psiquiatría", "Psychiatrie"),
    Profession.CLINICAL_PSYCHOLOGIST: ("Clinical psychology", "Psicología clínica", "Psychologie clinique"),
    Profession.NURSE: ("Nursing", "Enfermería", "Soins infirmiers"),
    Profession.DENTIST: ("Dentistry", "Odontología", "Chirurgie dentaire"),
    Profession.OTHER: ("Other", "Otra", "Autre"),
}

_EVALUATOR_ROLE: dict[EvaluatorRole, _Row] = {
    EvaluatorRole.PHYSICAL: ("Physical evaluation", "Evaluación física", "Évaluation physique"),
    EvaluatorRole.PSYCHOLOGICAL: ("Psychological evaluation", "Evaluación psicológica", "Évaluation psychologique"),
    EvaluatorRole.BOTH: ("Physical and psychological evaluation", "Evaluación física y psicológica", "Évaluation physique et psychologique"),
    EvaluatorRole.CONSULTANT: ("Specialist consultation", "Interconsulta especializada", "Avis spécialisé"),
}

_INTERPRETER_MODE: dict[InterpreterMode, _Row] = {
    InterpreterMode.IN_PERSON: ("In person", "Presencial", "En présence"),
    InterpreterMode.PHONE: ("By telephone", "Por teléfono", "Par téléphone"),
    InterpreterMode.VIDEO: ("By video link", "Por videoconferencia", "Par visioconférence"),
}

_INTERPRETER_TIE: dict[InterpreterTie, _Row] = {
    InterpreterTie.PROFESSIONAL: ("Professional interpreter", "Intérprete profesional", "Interprète professionnel"),
    InterpreterTie.EMPLOYED_BY_FACILITY: ("Employed by the facility", "Al servicio del centro", "Au service de l'établissement"),
    InterpreterTie.IS_CO_DETAINEE: ("Fellow detainee", "Otra persona detenida", "Autre personne détenue"),
    InterpreterTie.IS_FAMILY_MEMBER: ("Family member", "Familiar", "Membre de la famille"),
    InterpreterTie.IS_OFFICIAL: ("Official", "Agente de la autoridad", "Agent public"),
}

_PRESENT_ROLE: dict[PresentRole, _Row] = {
    PresentRole.CLINICIAN: ("Clinician", "Profesional sanitario", "Professionnel de santé"),
    PresentRole.CHAPERONE: ("Chaperone", "Acompañante durante el examen", "Accompagnant pendant l'examen"),
    PresentRole.INTERPRETER: ("Interpreter", "Intérprete", "Interprète"),
    PresentRole.SUBJECT_LAWYER: ("Lawyer of the person examined", "Representación letrada de la persona examinada", "Conseil de la personne examinée"),
    PresentRole.FAMILY_MEMBER: ("Family member", "Familiar", "Membre de la famille"),
    PresentRole.TRAINEE: ("Trainee", "Profesional en formación", "Stagiaire"),
    PresentRole.FACILITY_MEDICAL_STAFF: ("Medical staff of the facility", "Personal sanitario del centro", "Personnel médical de l'établissement"),
    PresentRole.FACILITY_SECURITY_STAFF: ("Security staff of the facility", "Personal de seguridad del centro", "Personnel de sécurité de l'établissement"),
    PresentRole.POLICE: ("Police", "Policía", "Police"),
    PresentRole.PRISON_OFFICER: ("Prison staff", "Personal penitenciario", "Personnel pénitentiaire"),
    PresentRole.MILITARY: ("Military personnel", "Personal militar", "Personnel militaire"),
    PresentRole.INTELLIGENCE: ("Intelligence personnel", "Personal de inteligencia", "Personnel du renseignement"),
    PresentRole.OTHER_OFFICIAL: ("Other official", "Otro agente de la autoridad", "Autre agent public"),
    PresentRole.OTHER: ("Other person", "Otra persona", "Autre personne"),
}

_PRESENCE_REQUESTED_BY: dict[PresenceRequestedBy, _Row] = {
    PresenceRequestedBy.SUBJECT: ("Person examined", "Persona examinada", "Personne examinée"),
    PresenceRequestedBy.CLINICIAN: ("Clinician", "Profesional sanitario", "Professionnel de santé"),
    PresenceRequestedBy.AUTHORITY: ("Authority", "Autoridad", "Autorité"),
}


# -- sessions --------------------------------------------------------------------------------

_SESSION_LOCATION: dict[SessionLocation, _Row] = {
    SessionLocation.DETENTION_FACILITY_MEDICAL_UNIT: ("Medical unit of a place of detention", "Servicio médico de un lugar de detención", "Service médical d'un lieu de détention"),
    SessionLocation.DETENTION_FACILITY_CELL: ("Cell in a place of detention", "Celda de un lugar de detención", "Cellule d'un lieu de détention"),
    SessionLocation.DETENTION_FACILITY_OTHER_ROOM: ("Other room in a place of detention", "Otra sala de un lugar de detención", "Autre local d'un lieu de détention"),
    SessionLocation.HOSPITAL: ("Hospital", "Hospital", "Hôpital"),
    SessionLocation.CLINIC: ("Clinic", "Clínica", "Clinique"),
    SessionLocation.NGO_OFFICE: ("Office of a non-governmental organization", "Oficina de una organización no gubernamental", "Bureau d'une organisation non gouvernementale"),
    SessionLocation.COURT: ("Court", "Sede judicial", "Tribunal"),
    SessionLocation.REMOTE: ("Remote", "A distancia", "À distance"),
    SessionLocation.OTHER: ("Other", "Otro", "Autre"),
}

# IP22 ¶313 (examination out of the hearing of officials): the English follows the
# paragraph's sense; the es/fr wording is CHOSEN here.
_PRIVACY: dict[Privacy, _Row] = {
    Privacy.PRIVATE: ("Private", "En privado", "En privé"),
    Privacy.AUDIBLE_BY_OTHERS: ("Within hearing of others", "Al alcance del oído de terceros", "À portée d'oreille de tiers"),
    Privacy.VISIBLE_BY_OTHERS: ("Within sight of others", "A la vista de terceros", "À la vue de tiers"),
    Privacy.NOT_PRIVATE: ("Not private", "Sin privacidad", "Sans confidentialité"),
}

_RESTRAINT_TYPE: dict[RestraintType, _Row] = {
    RestraintType.HANDCUFFS: ("Handcuffs", "Esposas", "Menottes"),
    RestraintType.LEG_IRONS: ("Leg irons", "Grilletes", "Entraves aux chevilles"),
    RestraintType.OTHER: ("Other", "Otro", "Autre"),
}


# -- allegations and history -----------------------------------------------------------------

_DATE_PRECISION: dict[DatePrecision, _Row] = {
    DatePrecision.EXACT: ("Exact", "Exacta", "Exacte"),
    DatePrecision.DAY: ("To the day", "Con precisión de día", "Au jour près"),
    DatePrecision.MONTH: ("To the month", "Con precisión de mes", "Au mois près"),
    DatePrecision.YEAR: ("To the year", "Con precisión de año", "À l'année près"),
    DatePrecision.APPROXIMATE: ("Approximate", "Aproximada", "Approximative"),
    DatePrecision.UNKNOWN: ("Unknown", "Desconocida", "Inconnue"),
}

_CUSTODY_CONTEXT: dict[CustodyContext, _Row] = {
    CustodyContext.ARREST: ("Arrest", "Arresto", "Arrestation"),
    CustodyContext.TRANSPORT: ("Transport", "Traslado", "Transfert"),
    CustodyContext.POLICE_CUSTODY: ("Police custody", "Custodia policial", "Détention par la police"),
    CustodyContext.INTERROGATION: ("Interrogation", "Interrogatorio", "Interrogatoire"),
    CustodyContext.PRISON: ("Prison", "Prisión", "Prison"),
    CustodyContext.IMMIGRATION_DETENTION: ("Immigration detention", "Detención migratoria", "Détention liée à l'immigration"),
    CustodyContext.MILITARY: ("Military custody", "Custodia militar", "Détention militaire"),
    CustodyContext.UNOFFICIAL_SITE: ("Unofficial place of detention", "Lugar de detención no oficial", "Lieu de détention non officiel"),
    CustodyContext.OTHER: ("Other", "Otro", "Autre"),
}

_NARRATIVE_SOURCE: dict[NarrativeSource, _Row] = {
    NarrativeSource.SUBJECT_ACCOUNT: ("Account of the person examined", "Relato de la persona examinada", "Récit de la personne examinée"),
    NarrativeSource.THIRD_PARTY: ("Account of a third party", "Relato de terceros", "Récit de tiers"),
    NarrativeSource.RECORDS: ("Records", "Documentos y registros", "Documents et registres"),
}

# IP22 ¶421 (why a person may not know what caused a finding); es/fr CHOSEN here.
_PERCEPTION_LIMIT: dict[PerceptionLimit, _Row] = {
    PerceptionLimit.BLINDFOLDED: ("Blindfolded", "Con los ojos vendados", "Les yeux bandés"),
    PerceptionLimit.HOODED: ("Hooded", "Con capucha", "Tête recouverte d'une cagoule"),
    PerceptionLimit.UNCONSCIOUS: ("Unconscious", "Pérdida de conciencia", "Perte de connaissance"),
    PerceptionLimit.DARKNESS: ("Darkness", "Oscuridad", "Obscurité"),
    PerceptionLimit.INTOXICATED_OR_DRUGGED: ("Intoxicated or drugged", "Bajo los efectos del alcohol o de drogas", "Sous l'effet de l'alcool ou de drogues"),
    PerceptionLimit.MULTIPLE_PERPETRATORS: ("Several perpetrators", "Varios autores", "Plusieurs auteurs"),
}

# Methods of torture, after IP22 ch. V (and IP04 ch. V, section D). English: the Protocol's
# names of methods where it has one (falanga, suspension, other positional torture, dental
# torture, asphyxiation, telefono), otherwise descriptive; the grouping is this project's.
# Spanish: "falanga", "suspensión", "torturas de posición", "tortura dental", "asfixia" and
# "choques eléctricos" appear in the Spanish training slides [VF21], a secondary source; the
# official IP04-es wording was NOT confirmed. French: CHOSEN here; "falanga" and
# "suspension" are the loanword and the ordinary French word, NOT confirmed against IP04-fr.
_METHOD_CATEGORY: dict[MethodCategory, _Row] = {
    MethodCategory.BLUNT_TRAUMA: ("Beatings and other blunt trauma", "Golpes y otros traumatismos contusos", "Coups et autres traumatismes contondants"),
    MethodCategory.FALANGA: ("Falanga", "Falanga", "Falanga"),
    MethodCategory.EAR_TRAUMA_TELEFONO: ("Trauma to the ears (telefono)", "Traumatismo auricular (teléfono)", "Traumatisme des oreilles (telefono)"),
    MethodCategory.SUSPENSION: ("Suspension", "Suspensión", "Suspension"),
    MethodCategory.POSITIONAL_OTHER: ("Other positional torture", "Otras torturas de posición", "Autres tortures de position"),
    MethodCategory.BURNS: ("Burns", "Quemaduras", "Brûlures"),
    MethodCategory.ELECTRIC_SHOCK: ("Electric shock", "Choques eléctricos", "Décharges électriques"),
    MethodCategory.ASPHYXIATION: ("Asphyxiation", "Asfixia", "Asphyxie"),
    MethodCategory.STRANGULATION: ("Strangulation", "Estrangulamiento", "Strangulation"),
    MethodCategory.PENETRATING_AND_WOUNDING: ("Penetrating injuries and other wounding", "Heridas penetrantes y otras heridas", "Plaies pénétrantes et autres blessures"),
    MethodCategory.CRUSH_MAIMING_FRACTURE: ("Crushing, maiming and fractures", "Aplastamiento, mutilación y fracturas", "Écrasement, mutilation et fractures"),
    MethodCategory.NAIL_REMOVAL: ("Removal of nails", "Arrancamiento de uñas", "Arrachage des ongles"),
    MethodCategory.AMPUTATION: ("Amputation", "Amputación", "Amputation"),
    MethodCategory.DENTAL: ("Dental torture", "Tortura dental", "Torture dentaire"),
    MethodCategory.CHEMICAL_EXPOSURE: ("Exposure to chemicals", "Exposición a sustancias químicas", "Exposition à des produits chimiques"),
    MethodCategory.PHARMACOLOGICAL: ("Pharmacological torture", "Tortura farmacológica", "Torture pharmacologique"),
    MethodCategory.SEXUAL_RAPE: ("Rape", "Violación", "Viol"),
    MethodCategory.SEXUAL_OTHER: ("Other sexual torture", "Otras formas de tortura sexual", "Autres formes de torture sexuelle"),
    MethodCategory.FORCED_NUDITY: ("Forced nudity", "Desnudez forzada", "Nudité forcée"),
    MethodCategory.EXTREME_TEMPERATURE: ("Exposure to extreme temperatures", "Exposición a temperaturas extremas", "Exposition à des températures extrêmes"),
    MethodCategory.FORCED_FEEDING: ("Force-feeding", "Alimentación forzada", "Alimentation forcée"),
    MethodCategory.ANIMALS: ("Use of animals", "Uso de animales", "Utilisation d'animaux"),
    MethodCategory.DEPRIVATION: ("Deprivation of basic needs", "Privación de necesidades básicas", "Privation des besoins fondamentaux"),
    MethodCategory.ISOLATION: ("Isolation", "Aislamiento", "Isolement"),
    MethodCategory.SENSORY_STRESS: ("Sensory stress", "Estrés sensorial", "Stress sensoriel"),
    MethodCategory.HUMILIATION_DEGRADATION: ("Humiliation and degradation", "Humillación y degradación", "Humiliation et avilissement"),
    MethodCategory.THREATS: ("Threats", "Amenazas", "Menaces"),
    MethodCategory.DEATH_THREATS_MOCK_EXECUTION: ("Death threats and mock execution", "Amenazas de muerte y simulacros de ejecución", "Menaces de mort et simulacres d'exécution"),
    MethodCategory.WITNESSING_TORTURE: ("Being made to witness torture", "Obligación de presenciar torturas", "Obligation d'assister à des actes de torture"),
    MethodCategory.BEHAVIOURAL_COERCION: ("Behavioural coercion", "Coerción conductual", "Coercition comportementale"),
    MethodCategory.CONDITIONS_OF_DETENTION: ("Conditions of detention", "Condiciones de detención", "Conditions de détention"),
    MethodCategory.OTHER: ("Other", "Otro", "Autre"),
}

_CONSCIOUSNESS: dict[Consciousness, _Row] = {
    Consciousness.YES: ("Yes", "Sí", "Oui"),
    Consciousness.NO: ("No", "No", "Non"),
    Consciousness.PARTLY: ("Partly", "Parcialmente", "Partiellement"),
    Consciousness.UNKNOWN: ("Unknown", "Se desconoce", "Inconnu"),
}

_SYMPTOM_DOMAIN: dict[SymptomDomain, _Row] = {
    SymptomDomain.PHYSICAL: ("Physical", "Físico", "Physique"),
    SymptomDomain.PSYCHOLOGICAL: ("Psychological", "Psicológico", "Psychologique"),
}


# -- the body and its findings ---------------------------------------------------------------
# Standard anatomical and dermatological terms, chosen here; none is a Protocol term of art.

_BODY_SYSTEM: dict[BodySystem, _Row] = {
    BodySystem.SKIN: ("Skin", "Piel", "Peau"),
    BodySystem.HEAD_FACE: ("Head and face", "Cabeza y cara", "Tête et visage"),
    BodySystem.EYES: ("Eyes", "Ojos", "Yeux"),
    BodySystem.EARS: ("Ears", "Oídos", "Oreilles"),
    BodySystem.NOSE: ("Nose", "Nariz", "Nez"),
    BodySystem.MOUTH_TEETH: ("Mouth and teeth", "Boca y dientes", "Bouche et dents"),
    BodySystem.NECK: ("Neck", "Cuello", "Cou"),
    BodySystem.CHEST: ("Chest", "Tórax", "Thorax"),
    BodySystem.ABDOMEN: ("Abdomen", "Abdomen", "Abdomen"),
    BodySystem.GENITOURINARY: ("Genitourinary system", "Aparato genitourinario", "Appareil génito-urinaire"),
    BodySystem.ANAL: ("Anal region", "Región anal", "Région anale"),
    BodySystem.MUSCULOSKELETAL: ("Musculoskeletal system", "Aparato locomotor", "Appareil locomoteur"),
    BodySystem.NERVOUS_SYSTEM: ("Nervous system", "Sistema nervioso", "Système nerveux"),
    BodySystem.OTHER: ("Other", "Otro", "Autre"),
}

_BODY_REGION: dict[BodyRegion, _Row] = {
    BodyRegion.SCALP: ("Scalp", "Cuero cabelludo", "Cuir chevelu"),
    BodyRegion.FACE: ("Face", "Cara", "Visage"),
    BodyRegion.EYE: ("Eye", "Ojo", "Œil"),
    BodyRegion.EAR: ("Ear", "Oreja", "Oreille"),
    BodyRegion.NOSE: ("Nose", "Nariz", "Nez"),
    BodyRegion.MOUTH: ("Mouth", "Boca", "Bouche"),
    BodyRegion.NECK: ("Neck", "Cuello", "Cou"),
    BodyRegion.SHOULDER: ("Shoulder", "Hombro", "Épaule"),
    BodyRegion.CHEST: ("Chest", "Tórax", "Thorax"),
    BodyRegion.BREAST: ("Breast", "Mama", "Sein"),
    BodyRegion.ABDOMEN: ("Abdomen", "Abdomen", "Abdomen"),
    BodyRegion.UPPER_BACK: ("Upper back", "Parte superior de la espalda", "Haut du dos"),
    BodyRegion.LOWER_BACK: ("Lower back", "Región lumbar", "Bas du dos"),
    BodyRegion.BUTTOCK: ("Buttock", "Nalga", "Fesse"),
    BodyRegion.UPPER_ARM: ("Upper arm", "Brazo", "Bras"),
    BodyRegion.ELBOW: ("Elbow", "Codo", "Coude"),
    BodyRegion.FOREARM: ("Forearm", "Antebrazo", "Avant-bras"),
    BodyRegion.WRIST: ("Wrist", "Muñeca", "Poignet"),
    BodyRegion.HAND: ("Hand", "Mano", "Main"),
    BodyRegion.FINGER: ("Finger", "Dedo de la mano", "Doigt"),
    BodyRegion.HIP: ("Hip", "Cadera", "Hanche"),
    BodyRegion.GROIN: ("Groin", "Ingle", "Aine"),
    BodyRegion.GENITALS: ("Genitals", "Genitales", "Organes génitaux"),
    BodyRegion.ANUS: ("Anus", "Ano", "Anus"),
    BodyRegion.THIGH: ("Thigh", "Muslo", "Cuisse"),
    BodyRegion.KNEE: ("Knee", "Rodilla", "Genou"),
    BodyRegion.LOWER_LEG: ("Lower leg", "Pierna", "Jambe"),
    BodyRegion.ANKLE: ("Ankle", "Tobillo", "Cheville"),
    BodyRegion.FOOT: ("Foot", "Pie", "Pied"),
    BodyRegion.SOLE: ("Sole of the foot", "Planta del pie", "Plante du pied"),
    BodyRegion.TOE: ("Toe", "Dedo del pie", "Orteil"),
    BodyRegion.WHOLE_BODY: ("Whole body", "Todo el cuerpo", "Corps entier"),
    BodyRegion.OTHER: ("Other", "Otra", "Autre"),
}

_FINDING_KIND: dict[FindingKind, _Row] = {
    FindingKind.LESION: ("Lesion", "Lesión", "Lésion"),
    FindingKind.FUNCTIONAL_DEFICIT: ("Functional deficit", "Déficit funcional", "Déficit fonctionnel"),
    FindingKind.TENDERNESS: ("Tenderness", "Dolor a la palpación", "Douleur à la palpation"),
    FindingKind.DEFORMITY: ("Deformity", "Deformidad", "Déformation"),
    FindingKind.NEUROLOGICAL_SIGN: ("Neurological sign", "Signo neurológico", "Signe neurologique"),
    FindingKind.DENTAL: ("Dental finding", "Hallazgo dental", "Constatation dentaire"),
    FindingKind.NEGATIVE_FINDING: ("Negative finding (absence recorded)", "Hallazgo negativo (ausencia registrada)", "Constatation négative (absence consignée)"),
    FindingKind.OTHER: ("Other", "Otro", "Autre"),
}

_LESION_TYPE: dict[LesionType, _Row] = {
    LesionType.ABRASION: ("Abrasion", "Excoriación", "Excoriation"),
    LesionType.CONTUSION_BRUISE: ("Contusion (bruise)", "Contusión (equimosis)", "Contusion (ecchymose)"),
    LesionType.HAEMATOMA: ("Haematoma", "Hematoma", "Hématome"),
    LesionType.LACERATION: ("Laceration", "Herida contusa (laceración)", "Plaie contuse (lacération)"),
    LesionType.INCISED_WOUND: ("Incised wound", "Herida incisa", "Plaie incisée"),
    LesionType.STAB_WOUND: ("Stab wound", "Herida punzocortante", "Plaie pénétrante par arme blanche"),
    LesionType.PUNCTURE_WOUND: ("Puncture wound", "Herida punzante", "Plaie punctiforme"),
    LesionType.GUNSHOT_WOUND: ("Gunshot wound", "Herida por arma de fuego", "Plaie par arme à feu"),
    LesionType.BITE_MARK: ("Bite mark", "Marca de mordedura", "Trace de morsure"),
    LesionType.BURN_THERMAL: ("Thermal burn", "Quemadura térmica", "Brûlure thermique"),
    LesionType.BURN_CHEMICAL: ("Chemical burn", "Quemadura química", "Brûlure chimique"),
    LesionType.BURN_ELECTRICAL: ("Electrical burn", "Quemadura eléctrica", "Brûlure électrique"),
    LesionType.SCAR: ("Scar", "Cicatriz", "Cicatrice"),
    LesionType.PIGMENTARY_CHANGE_HYPER: ("Hyperpigmentation", "Hiperpigmentación", "Hyperpigmentation"),
    LesionType.PIGMENTARY_CHANGE_HYPO: ("Hypopigmentation", "Hipopigmentación", "Hypopigmentation"),
    LesionType.SWELLING_OEDEMA: ("Swelling (oedema)", "Tumefacción (edema)", "Tuméfaction (œdème)"),
    LesionType.ERYTHEMA: ("Erythema", "Eritema", "Érythème"),
    LesionType.PETECHIAE: ("Petechiae", "Petequias", "Pétéchies"),
    LesionType.PATTERNED_INJURY: ("Patterned injury", "Lesión figurada", "Lésion figurée"),
    LesionType.LIGATURE_OR_RESTRAINT_MARK: ("Ligature or restraint mark", "Marca de ligadura o de sujeción", "Marque de lien ou de contention"),
    LesionType.FRACTURE: ("Fracture", "Fractura", "Fracture"),
    LesionType.DISLOCATION: ("Dislocation", "Luxación", "Luxation"),
    LesionType.TOOTH_INJURY: ("Tooth injury", "Lesión dental", "Lésion dentaire"),
    LesionType.TYMPANIC_MEMBRANE_PERFORATION: ("Perforation of the eardrum", "Perforación de la membrana timpánica", "Perforation du tympan"),
    LesionType.NAIL_INJURY_OR_LOSS: ("Injury to or loss of a nail", "Lesión o pérdida de uña", "Lésion ou perte d'ongle"),
    LesionType.GENITAL_INJURY: ("Genital injury", "Lesión genital", "Lésion génitale"),
    LesionType.ANAL_INJURY: ("Anal injury", "Lesión anal", "Lésion anale"),
    LesionType.OTHER: ("Other", "Otra", "Autre"),
}

_BURN_DEPTH: dict[BurnDepth, _Row] = {
    BurnDepth.SUPERFICIAL: ("Superficial", "Superficial", "Superficielle"),
    BurnDepth.PARTIAL_THICKNESS: ("Partial thickness", "Espesor parcial", "Épaisseur partielle"),
    BurnDepth.FULL_THICKNESS: ("Full thickness", "Espesor total", "Épaisseur totale"),
}

_LATERALITY: dict[Laterality, _Row] = {
    Laterality.LEFT: ("Left", "Izquierdo", "Gauche"),
    Laterality.RIGHT: ("Right", "Derecho", "Droit"),
    Laterality.MIDLINE: ("Midline", "Línea media", "Ligne médiane"),
    Laterality.BILATERAL: ("Bilateral", "Bilateral", "Bilatéral"),
}

_ASPECT: dict[Aspect, _Row] = {
    Aspect.ANTERIOR: ("Anterior", "Anterior", "Antérieure"),
    Aspect.POSTERIOR: ("Posterior", "Posterior", "Postérieure"),
    Aspect.MEDIAL: ("Medial", "Medial", "Médiale"),
    Aspect.LATERAL: ("Lateral", "Lateral", "Latérale"),
    Aspect.DORSAL: ("Dorsal", "Dorsal", "Dorsale"),
    Aspect.VOLAR: ("Volar (palmar)", "Volar (palmar)", "Palmaire"),
    Aspect.PLANTAR: ("Plantar", "Plantar", "Plantaire"),
    Aspect.SUPERIOR: ("Superior", "Superior", "Supérieure"),
    Aspect.INFERIOR: ("Inferior", "Inferior", "Inférieure"),
}

_MEASUREMENT_METHOD: dict[MeasurementMethod, _Row] = {
    MeasurementMethod.RULER: ("Ruler", "Regla", "Règle"),
    MeasurementMethod.TAPE: ("Tape measure", "Cinta métrica", "Mètre ruban"),
    MeasurementMethod.CALLIPER: ("Calliper", "Calibre", "Pied à coulisse"),
    MeasurementMethod.PHOTOGRAMMETRIC: ("Photogrammetry", "Fotogrametría", "Photogrammétrie"),
    MeasurementMethod.ESTIMATED: ("Estimated", "Estimación", "Estimation"),
}

_SHAPE: dict[Shape, _Row] = {
    Shape.ROUND: ("Round", "Redondeada", "Ronde"),
    Shape.OVAL: ("Oval", "Ovalada", "Ovale"),
    Shape.LINEAR: ("Linear", "Lineal", "Linéaire"),
    Shape.CURVILINEAR: ("Curvilinear", "Curvilínea", "Curviligne"),
    Shape.TRAMLINE: ("Tramline", "En raíl de tranvía", "En double rail"),
    Shape.CIRCULAR_RING: ("Circular ring", "Anillo circular", "Anneau circulaire"),
    Shape.IRREGULAR: ("Irregular", "Irregular", "Irrégulière"),
    Shape.GEOMETRIC: ("Geometric", "Geométrica", "Géométrique"),
    Shape.STELLATE: ("Stellate", "Estrellada", "Étoilée"),
    Shape.PATTERNED: ("Patterned", "Figurada", "Figurée"),
}

_COLOUR: dict[Colour, _Row] = {
    Colour.RED: ("Red", "Rojo", "Rouge"),
    Colour.PURPLE: ("Purple", "Violáceo", "Violacé"),
    Colour.BLUE: ("Blue", "Azul", "Bleu"),
    Colour.GREEN: ("Green", "Verde", "Vert"),
    Colour.YELLOW: ("Yellow", "Amarillo", "Jaune"),
    Colour.BROWN: ("Brown", "Marrón", "Brun"),
    Colour.HYPERPIGMENTED: ("Hyperpigmented", "Hiperpigmentado", "Hyperpigmenté"),
    Colour.HYPOPIGMENTED: ("Hypopigmented", "Hipopigmentado", "Hypopigmenté"),
    Colour.DEPIGMENTED: ("Depigmented", "Despigmentado", "Dépigmenté"),
    Colour.ERYTHEMATOUS: ("Erythematous", "Eritematoso", "Érythémateux"),
}

_SURFACE: dict[Surface, _Row] = {
    Surface.INTACT: ("Intact", "Íntegra", "Intacte"),
    Surface.SCALY: ("Scaly", "Descamativa", "Squameuse"),
    Surface.CRUSTED: ("Crusted", "Costrosa", "Croûteuse"),
    Surface.ULCERATED: ("Ulcerated", "Ulcerada", "Ulcérée"),
    Surface.WEEPING: ("Weeping", "Exudativa", "Suintante"),
    Surface.SCABBED: ("Scabbed", "Con costra hemática", "Recouverte d'une croûte hématique"),
    Surface.SHINY: ("Shiny", "Brillante", "Brillante"),
    Surface.ATROPHIC: ("Atrophic", "Atrófica", "Atrophique"),
}

_BORDER_DEFINITION: dict[BorderDefinition, _Row] = {
    BorderDefinition.WELL_DEFINED: ("Well defined", "Bien delimitados", "Bien délimités"),
    BorderDefinition.ILL_DEFINED: ("Ill defined", "Mal delimitados", "Mal délimités"),
}

_BORDER_REGULARITY: dict[BorderRegularity, _Row] = {
    BorderRegularity.REGULAR: ("Regular", "Regulares", "Réguliers"),
    BorderRegularity.IRREGULAR: ("Irregular", "Irregulares", "Irréguliers"),
}

_SKIN_LEVEL: dict[SkinLevel, _Row] = {
    SkinLevel.FLAT: ("Flat", "Plana", "Plane"),
    SkinLevel.RAISED: ("Raised", "Sobreelevada", "Surélevée"),
    SkinLevel.DEPRESSED: ("Depressed", "Deprimida", "Déprimée"),
    SkinLevel.HYPERTROPHIC: ("Hypertrophic", "Hipertrófica", "Hypertrophique"),
    SkinLevel.KELOID: ("Keloid", "Queloide", "Chéloïde"),
    SkinLevel.ATROPHIC: ("Atrophic", "Atrófica", "Atrophique"),
}

_ARRANGEMENT: dict[Arrangement, _Row] = {
    Arrangement.SINGLE: ("Single", "Única", "Unique"),
    Arrangement.MULTIPLE_SCATTERED: ("Multiple, scattered", "Múltiples y dispersas", "Multiples et dispersées"),
    Arrangement.LINEAR: ("In a line", "En línea", "En ligne"),
    Arrangement.PARALLEL: ("Parallel", "Paralelas", "Parallèles"),
    Arrangement.CLUSTERED: ("Clustered", "Agrupadas", "Groupées"),
    Arrangement.PATTERNED: ("Patterned", "Con patrón", "Selon un motif"),
    Arrangement.SYMMETRICAL_BILATERAL: ("Symmetrical on both sides", "Simétricas y bilaterales", "Symétriques et bilatérales"),
}

_HEALING_STAGE: dict[HealingStage, _Row] = {
    HealingStage.FRESH: ("Fresh", "Reciente", "Récente"),
    HealingStage.HEALING: ("Healing", "En cicatrización", "En cours de cicatrisation"),
    HealingStage.HEALED_SCAR: ("Healed (scar)", "Cicatrizada (cicatriz)", "Cicatrisée (cicatrice)"),
    HealingStage.UNKNOWN: ("Unknown", "Desconocida", "Inconnue"),
}

_CONFIDENCE: dict[Confidence, _Row] = {
    Confidence.LOW: ("Low", "Baja", "Faible"),
    Confidence.MODERATE: ("Moderate", "Moderada", "Modérée"),
    Confidence.HIGH: ("High", "Alta", "Élevée"),
}

# "Torture or ill-treatment": the Spanish "tortura o malos tratos" and French "torture ou
# mauvais traitements" are the usual UN forms (also in [CMF23]); CHOSEN, not checked in the
# official editions.
_ATTRIBUTION_KIND: dict[AttributionKind, _Row] = {
    AttributionKind.ALLEGED_METHOD: ("Alleged torture or ill-treatment", "Presunta tortura o malos tratos", "Torture ou mauvais traitements allégués"),
    AttributionKind.ACCIDENT: ("Accident", "Accidente", "Accident"),
    AttributionKind.SELF_HARM: ("Self-harm", "Autolesión", "Lésions auto-infligées"),
    AttributionKind.MEDICAL_PROCEDURE: ("Medical procedure", "Procedimiento médico", "Acte médical"),
    AttributionKind.PRE_EXISTING: ("Pre-existing", "Preexistente", "Préexistante"),
    AttributionKind.UNKNOWN: ("Unknown to the person", "Desconocida para la persona", "Inconnue de la personne"),
    AttributionKind.NOT_ASKED: ("Not asked", "No se preguntó", "Question non posée"),
}

_DIAGRAM_VIEW: dict[DiagramView, _Row] = {
    DiagramView.FRONT: ("Front", "Vista anterior", "Vue antérieure"),
    DiagramView.BACK: ("Back", "Vista posterior", "Vue postérieure"),
    DiagramView.HEAD_FRONT: ("Head, front", "Cabeza, vista anterior", "Tête, vue antérieure"),
    DiagramView.HEAD_SIDE: ("Head, side", "Cabeza, vista lateral", "Tête, vue latérale"),
    DiagramView.HANDS_PALMAR: ("Hands, palmar surface", "Manos, cara palmar", "Mains, face palmaire"),
    DiagramView.HANDS_DORSAL: ("Hands, dorsal surface", "Manos, cara dorsal", "Mains, face dorsale"),
    DiagramView.FEET_PLANTAR: ("Feet, plantar surface", "Pies, cara plantar", "Pieds, face plantaire"),
    DiagramView.FEET_DORSAL: ("Feet, dorsal surface", "Pies, cara dorsal", "Pieds, face dorsale"),
}


# -- photographs, samples and tests ----------------------------------------------------------

_PHOTO_ROLE: dict[PhotoRole, _Row] = {
    PhotoRole.IDENTIFICATION: ("Identification", "Identificación", "Identification"),
    PhotoRole.ORIENTATION: ("Orientation", "Orientación", "Orientation"),
    PhotoRole.MID_RANGE: ("Mid-range", "Plano medio", "Plan moyen"),
    PhotoRole.CLOSE_UP: ("Close-up", "Primer plano", "Gros plan"),
    PhotoRole.CLOSE_UP_WITH_SCALE: ("Close-up with scale", "Primer plano con escala", "Gros plan avec échelle"),
    PhotoRole.SPECIAL_LIGHTING: ("Special lighting", "Iluminación especial", "Éclairage spécial"),
    PhotoRole.DIAGRAM_SCAN: ("Scanned diagram", "Diagrama escaneado", "Schéma numérisé"),
    PhotoRole.DOCUMENT_SCAN: ("Scanned document", "Documento escaneado", "Document numérisé"),
    PhotoRole.SCENE: ("Scene", "Lugar de los hechos", "Lieux"),
}

_SCALE_TYPE: dict[ScaleType, _Row] = {
    ScaleType.ABFO_NO2: ("ABFO No. 2 scale", "Escala ABFO n.º 2", "Échelle ABFO no 2"),
    ScaleType.RULER: ("Ruler", "Regla", "Règle"),
    ScaleType.TAPE: ("Tape measure", "Cinta métrica", "Mètre ruban"),
    ScaleType.OTHER: ("Other", "Otra", "Autre"),
}

# IP22 ¶402 names cross-polarised light; es/fr CHOSEN here.
_LIGHTING: dict[Lighting, _Row] = {
    Lighting.AMBIENT_DAYLIGHT: ("Ambient daylight", "Luz natural ambiente", "Lumière naturelle ambiante"),
    Lighting.ARTIFICIAL: ("Artificial light", "Luz artificial", "Lumière artificielle"),
    Lighting.FLASH: ("Flash", "Flash", "Flash"),
    Lighting.CROSS_POLARISED: ("Cross-polarised light", "Luz de polarización cruzada", "Lumière en polarisation croisée"),
    Lighting.UV: ("Ultraviolet light", "Luz ultravioleta", "Lumière ultraviolette"),
    Lighting.IR: ("Infrared light", "Luz infrarroja", "Lumière infrarouge"),
}

_LOCATION_METADATA: dict[LocationMetadata, _Row] = {
    LocationMetadata.NONE: ("None", "Ninguna", "Aucune"),
    LocationMetadata.COARSE: ("Approximate", "Aproximada", "Approximative"),
    LocationMetadata.EXACT: ("Exact", "Exacta", "Exacte"),
}

_QUALITY_FLAG: dict[QualityFlag, _Row] = {
    QualityFlag.OUT_OF_FOCUS: ("Out of focus", "Desenfocada", "Floue"),
    QualityFlag.FLASH_GLARE: ("Flash glare", "Reflejo del flash", "Reflet du flash"),
    QualityFlag.SCALE_NOT_IN_PLANE: ("Scale not in the plane of the lesion", "Escala fuera del plano de la lesión", "Échelle hors du plan de la lésion"),
    QualityFlag.PARTIAL: ("Partial view", "Vista parcial", "Vue partielle"),
}

_SAMPLE_TYPE: dict[SampleType, _Row] = {
    SampleType.SWAB_ORAL: ("Oral swab", "Hisopo oral", "Écouvillon buccal"),
    SampleType.SWAB_VAGINAL: ("Vaginal swab", "Hisopo vaginal", "Écouvillon vaginal"),
    SampleType.SWAB_PENILE: ("Penile swab", "Hisopo peneano", "Écouvillon pénien"),
    SampleType.SWAB_ANAL: ("Anal swab", "Hisopo anal", "Écouvillon anal"),
    SampleType.SWAB_SKIN: ("Skin swab", "Hisopo cutáneo", "Écouvillon cutané"),
    SampleType.BLOOD: ("Blood", "Sangre", "Sang"),
    SampleType.URINE: ("Urine", "Orina", "Urine"),
    SampleType.HAIR_COMBING: ("Hair combings", "Peinado de vello", "Peignage des poils"),
    SampleType.HAIR_PULLED: ("Pulled hairs", "Pelos arrancados", "Poils arrachés"),
    SampleType.NAIL_CLIPPING: ("Nail clippings", "Recortes de uñas", "Rognures d'ongles"),
    SampleType.NAIL_SCRAPING: ("Nail scrapings", "Raspado ungueal", "Raclage sous-unguéal"),
    SampleType.CLOTHING: ("Clothing", "Ropa", "Vêtements"),
    SampleType.BEDDING: ("Bedding", "Ropa de cama", "Literie"),
    SampleType.BLINDFOLD_OR_HOOD: ("Blindfold or hood", "Venda o capucha", "Bandeau ou cagoule"),
    SampleType.LIGATURE_OR_RESTRAINT: ("Ligature or restraint", "Ligadura o medio de sujeción", "Lien ou moyen de contention"),
    SampleType.FOREIGN_BODY: ("Foreign body", "Cuerpo extraño", "Corps étranger"),
    SampleType.OTHER: ("Other", "Otra", "Autre"),
}

_SAMPLE_STORAGE: dict[SampleStorage, _Row] = {
    SampleStorage.DRY_AMBIENT: ("Dry, at room temperature", "En seco, a temperatura ambiente", "Au sec, à température ambiante"),
    SampleStorage.REFRIGERATED: ("Refrigerated", "Refrigerada", "Réfrigéré"),
    SampleStorage.FROZEN: ("Frozen", "Congelada", "Congelé"),
}

_ANALYSIS: dict[Analysis, _Row] = {
    Analysis.DNA: ("DNA", "ADN", "ADN"),
    Analysis.TOXICOLOGY: ("Toxicology", "Toxicología", "Toxicologie"),
    Analysis.MYOGLOBIN: ("Myoglobin", "Mioglobina", "Myoglobine"),
    Analysis.MICROSCOPY: ("Microscopy", "Microscopía", "Microscopie"),
    Analysis.PREGNANCY: ("Pregnancy test", "Prueba de embarazo", "Test de grossesse"),
    Analysis.STI: ("Sexually transmitted infections", "Infecciones de transmisión sexual", "Infections sexuellement transmissibles"),
    Analysis.OTHER: ("Other", "Otro", "Autre"),
}


# -- psychological evaluation ------------------------------------------------------------------

_DIAGNOSIS_SYSTEM: dict[DiagnosisSystem, _Row] = {
    DiagnosisSystem.ICD_11: ("ICD-11", "CIE-11", "CIM-11"),
    DiagnosisSystem.ICD_10: ("ICD-10", "CIE-10", "CIM-10"),
    DiagnosisSystem.DSM_5_TR: ("DSM-5-TR", "DSM-5-TR", "DSM-5-TR"),
    DiagnosisSystem.DSM_5: ("DSM-5", "DSM-5", "DSM-5"),
    DiagnosisSystem.OTHER: ("Other", "Otro", "Autre"),
}

_CERTAINTY: dict[Certainty, _Row] = {
    Certainty.CONFIRMED: ("Confirmed", "Confirmado", "Confirmé"),
    Certainty.PROVISIONAL: ("Provisional", "Provisional", "Provisoire"),
    Certainty.RULE_OUT: ("To be ruled out", "Por descartar", "À écarter"),
}


# -- opinions ----------------------------------------------------------------------------------

# The five levels of consistency: IP22 ¶418 (physical findings), ¶543 (psychological
# findings), ¶424 (overall opinion); IP04 ¶187 has the same five levels.
#
# English: the exact IP22 terms, VERIFIED in the 2022 English text (reference note §0.1 and
# §B.1). Kept in the Protocol's lower case: they are quoted terms, read inside a sentence.
#
# Spanish and French: CHOSEN here, NOT confirmed against an official text. No official
# Spanish or French edition of the 2022 Protocol was found, and ¶187 of the official 2004
# Spanish and French editions could not be read; their wording may differ from this one.
# The choice keeps each level a plain rendering of the English term, in the words forensic
# physicians use for "consistent with" ("compatible con", "compatible avec"). The only
# published Spanish rendering of the 2022 levels found, [CMF23], reads "No compatible con",
# "Consistente con", "Muy consistente con", "Típico de" (its fifth level was not seen); it
# agrees with levels (a) and (d) here and uses the anglicism "consistente" for (b) and (c).
_CONSISTENCY_LEVEL: dict[ConsistencyLevel, _Row] = {
    ConsistencyLevel.NOT_CONSISTENT_WITH: ("not consistent with", "no compatible con", "non compatible avec"),
    ConsistencyLevel.CONSISTENT_WITH: ("consistent with", "compatible con", "compatible avec"),
    ConsistencyLevel.HIGHLY_CONSISTENT_WITH: ("highly consistent with", "muy compatible con", "très compatible avec"),
    ConsistencyLevel.TYPICAL_OF: ("typical of", "típico de", "typique de"),
    ConsistencyLevel.DIAGNOSTIC_OF: ("diagnostic of", "diagnóstico de", "diagnostique de"),
}

# IP22 ¶421: some findings allow no specific assessment of consistency. The English states
# that sense; the es/fr wording is CHOSEN here.
_CONSISTENCY_STATUS: dict[ConsistencyStatus, _Row] = {
    ConsistencyStatus.ASSESSED: ("Assessed", "Evaluado", "Évalué"),
    ConsistencyStatus.NOT_ASSESSABLE: ("Not assessable", "No evaluable", "Non évaluable"),
}

# IP22 ¶421: when the person cannot say what caused a finding, the clinician may assess it
# against the likely cause. The English states that sense; es/fr CHOSEN here.
_TARGET_KIND: dict[TargetKind, _Row] = {
    TargetKind.ALLEGED_METHOD: ("Alleged method", "Método alegado", "Méthode alléguée"),
    TargetKind.HYPOTHESISED_MECHANISM: ("Mechanism considered likely by the clinician", "Mecanismo que el profesional clínico considera probable", "Mécanisme que le clinicien estime probable"),
    TargetKind.ALTERNATIVE_CAUSE: ("Alternative cause", "Causa alternativa", "Cause alternative"),
}

_OPINION_DOMAIN: dict[OpinionDomain, _Row] = {
    OpinionDomain.PHYSICAL: ("Physical findings", "Hallazgos físicos", "Constatations physiques"),
    OpinionDomain.PSYCHOLOGICAL: ("Psychological findings", "Hallazgos psicológicos", "Constatations psychologiques"),
}

_OPINION_BASIS: dict[OpinionBasis, _Row] = {
    OpinionBasis.CLINICAL_EXAM: ("Clinical examination", "Exploración clínica", "Examen clinique"),
    OpinionBasis.PHOTOGRAPHS: ("Photographs", "Fotografías", "Photographies"),
    OpinionBasis.DIAGNOSTIC_TESTS: ("Diagnostic tests", "Pruebas diagnósticas", "Examens complémentaires"),
    OpinionBasis.LITERATURE: ("Scientific literature", "Literatura científica", "Littérature scientifique"),
    OpinionBasis.REGIONAL_PRACTICE_KNOWLEDGE: ("Knowledge of regional practices of torture", "Conocimiento de las prácticas regionales de tortura", "Connaissance des pratiques régionales de torture"),
    OpinionBasis.CONSULTATION: ("Specialist consultation", "Interconsulta especializada", "Avis spécialisé"),
}

# The evidence an overall opinion weighs, after the list in IP22 ¶269(e). English follows that
# list; es/fr CHOSEN here ([CMF23] gives a Spanish paraphrase of the same list).
_OVERALL_BASIS: dict[OverallBasis, _Row] = {
    OverallBasis.PHYSICAL_FINDINGS: ("Physical findings", "Hallazgos físicos", "Constatations physiques"),
    OverallBasis.PSYCHOLOGICAL_FINDINGS: ("Psychological findings", "Hallazgos psicológicos", "Constatations psychologiques"),
    OverallBasis.HISTORICAL_INFORMATION: ("Historical information", "Información sobre los antecedentes", "Informations sur les antécédents"),
    OverallBasis.PHOTOGRAPHIC_FINDINGS: ("Photographic findings", "Hallazgos fotográficos", "Constatations photographiques"),
    OverallBasis.DIAGNOSTIC_TEST_RESULTS: ("Diagnostic test results", "Resultados de las pruebas diagnósticas", "Résultats des examens complémentaires"),
    OverallBasis.KNOWLEDGE_OF_REGIONAL_PRACTICES: ("Knowledge of regional practices of torture and ill-treatment", "Conocimiento de las prácticas regionales de tortura y malos tratos", "Connaissance des pratiques régionales de torture et de mauvais traitements"),
    OverallBasis.CONSULTATION_REPORTS: ("Consultation reports", "Informes de interconsulta", "Rapports de consultation"),
}

# IP22 ¶¶314-316: a detainee whose examination supports the allegations should not be
# returned to the place of detention. es/fr CHOSEN here.
_RECOMMENDATION_KIND: dict[RecommendationKind, _Row] = {
    RecommendationKind.FURTHER_MEDICAL_EVALUATION: ("Further medical evaluation", "Evaluación médica complementaria", "Évaluation médicale complémentaire"),
    RecommendationKind.SPECIALIST_REFERRAL: ("Referral to a specialist", "Derivación a especialista", "Orientation vers un spécialiste"),
    RecommendationKind.PSYCHOLOGICAL_CARE: ("Psychological care", "Atención psicológica", "Prise en charge psychologique"),
    RecommendationKind.SOCIAL_SUPPORT: ("Social support", "Apoyo social", "Soutien social"),
    RecommendationKind.PROTECTION_MEASURE: ("Protection measure", "Medida de protección", "Mesure de protection"),
    RecommendationKind.DO_NOT_RETURN_TO_PLACE_OF_DETENTION: ("Not to be returned to the place of detention", "No devolver al lugar de detención", "Ne pas renvoyer sur le lieu de détention"),
    RecommendationKind.SECOND_INDEPENDENT_EVALUATION: ("Second independent evaluation", "Segunda evaluación independiente", "Seconde évaluation indépendante"),
    RecommendationKind.OTHER: ("Other", "Otra", "Autre"),
}

_URGENCY: dict[Urgency, _Row] = {
    Urgency.ROUTINE: ("Routine", "Ordinaria", "Ordinaire"),
    Urgency.PRIORITY: ("Priority", "Prioritaria", "Prioritaire"),
    Urgency.URGENT: ("Urgent", "Urgente", "Urgente"),
}


#: Every enumeration of :mod:`custody.medical._terms` and its labels.
_TERMS: Final[Mapping[type[enum.Enum], Mapping[Any, _Row]]] = {
    ProtocolVersion: _PROTOCOL_VERSION,
    EvaluationContext: _EVALUATION_CONTEXT,
    EvaluationPurpose: _EVALUATION_PURPOSE,
    RequesterRole: _REQUESTER_ROLE,
    ReviewedRecordType: _REVIEWED_RECORD_TYPE,
    ConsentScope: _CONSENT_SCOPE,
    ConsentDecision: _CONSENT_DECISION,
    Capacity: _CAPACITY,
    ConsentMethod: _CONSENT_METHOD,
    SexAtBirth: _SEX_AT_BIRTH,
    CustodyStatus: _CUSTODY_STATUS,
    Handedness: _HANDEDNESS,
    SkinPhototype: _SKIN_PHOTOTYPE,
    Vulnerability: _VULNERABILITY,
    Profession: _PROFESSION,
    EvaluatorRole: _EVALUATOR_ROLE,
    InterpreterMode: _INTERPRETER_MODE,
    InterpreterTie: _INTERPRETER_TIE,
    PresentRole: _PRESENT_ROLE,
    PresenceRequestedBy: _PRESENCE_REQUESTED_BY,
    SessionLocation: _SESSION_LOCATION,
    Privacy: _PRIVACY,
    RestraintType: _RESTRAINT_TYPE,
    DatePrecision: _DATE_PRECISION,
    CustodyContext: _CUSTODY_CONTEXT,
    NarrativeSource: _NARRATIVE_SOURCE,
    PerceptionLimit: _PERCEPTION_LIMIT,
    MethodCategory: _METHOD_CATEGORY,
    Consciousness: _CONSCIOUSNESS,
    SymptomDomain: _SYMPTOM_DOMAIN,
    BodySystem: _BODY_SYSTEM,
    BodyRegion: _BODY_REGION,
    FindingKind: _FINDING_KIND,
    LesionType: _LESION_TYPE,
    BurnDepth: _BURN_DEPTH,
    Laterality: _LATERALITY,
    Aspect: _ASPECT,
    MeasurementMethod: _MEASUREMENT_METHOD,
    Shape: _SHAPE,
    Colour: _COLOUR,
    Surface: _SURFACE,
    BorderDefinition: _BORDER_DEFINITION,
    BorderRegularity: _BORDER_REGULARITY,
    SkinLevel: _SKIN_LEVEL,
    Arrangement: _ARRANGEMENT,
    HealingStage: _HEALING_STAGE,
    Confidence: _CONFIDENCE,
    AttributionKind: _ATTRIBUTION_KIND,
    DiagramView: _DIAGRAM_VIEW,
    PhotoRole: _PHOTO_ROLE,
    ScaleType: _SCALE_TYPE,
    Lighting: _LIGHTING,
    LocationMetadata: _LOCATION_METADATA,
    QualityFlag: _QUALITY_FLAG,
    SampleType: _SAMPLE_TYPE,
    SampleStorage: _SAMPLE_STORAGE,
    Analysis: _ANALYSIS,
    DiagnosisSystem: _DIAGNOSIS_SYSTEM,
    Certainty: _CERTAINTY,
    ConsistencyLevel: _CONSISTENCY_LEVEL,
    ConsistencyStatus: _CONSISTENCY_STATUS,
    TargetKind: _TARGET_KIND,
    OpinionDomain: _OPINION_DOMAIN,
    OpinionBasis: _OPINION_BASIS,
    OverallBasis: _OVERALL_BASIS,
    RecommendationKind: _RECOMMENDATION_KIND,
    Urgency: _URGENCY,
}


# -- headings and field labels -------------------------------------------------------------------

#: Headings and field labels of the report, by stable key: (English, Spanish, French).
#:
#: The parts of the report follow the elements IP22 ¶356 asks a report to contain and the
#: structure of the Protocol's model report (annex IV). The exact annex IV headings of the
#: 2022 edition were not available (reference note §D.1), so the English headings describe
#: each part in plain words rather than quote the annex. All Spanish and French headings and
#: labels are CHOSEN here and await review against the official texts, like every other label
#: marked CHOSEN in this module. The Protocol's own names ("Protocolo de Estambul", "Protocole
#: d'Istanbul") were CONFIRMED in [IP04-es] and [IP04-fr]. The keys are grouped by the part of
#: the report that shows them.
LABELS: dict[str, tuple[str, str, str]] = {
    # the document
    "report_title": ("Medico-legal evaluation of alleged torture or ill-treatment", "Evaluación médico-legal de presunta tortura o malos tratos", "Évaluation médico-légale d'allégations de torture ou de mauvais traitements"),
    "istanbul_protocol": ("Istanbul Protocol", "Protocolo de Estambul", "Protocole d'Istanbul"),
    "status": ("Status", "Estado", "Statut"),
    "status_sealed": ("Sealed by all evaluators", "Sellado por todos los evaluadores", "Scellé par tous les évaluateurs"),
    "status_draft": ("Draft — not sealed by all evaluators", "Borrador: no sellado por todos los evaluadores", "Projet : non scellé par tous les évaluateurs"),
    "status_amended": ("Amended — the addendum awaits the evaluators' seals", "Modificado: la adenda está pendiente de los sellos de los evaluadores", "Modifié : l'addendum attend les sceaux des évaluateurs"),
    "contents": ("Contents", "Índice", "Sommaire"),
    "confidential_notice": ("Confidential medical document. It concerns a person who may be at risk: share it only with those entitled to receive it, as the person consented.", "Documento médico confidencial. Se refiere a una persona que puede estar en riesgo: compártalo solo con quienes tengan derecho a recibirlo, según lo consentido por la persona.", "Document médical confidentiel. Il concerne une personne qui peut être exposée à des risques : ne le communiquez qu'aux personnes habilitées à le recevoir, conformément au consentement de la personne."),
    "evaluation_digest": ("Evaluation digest", "Resumen criptográfico de la evaluación", "Condensat de l'évaluation"),
    "free_text_language": ("Language of the free text", "Idioma del texto libre", "Langue du texte libre"),
    # sections, in the order of the report
    "case_and_context": ("Case information and context of the evaluation", "Datos del caso y contexto de la evaluación", "Informations sur l'affaire et contexte de l'évaluation"),
    "clinicians": ("Qualifications of the clinicians", "Cualificación de los profesionales clínicos", "Qualifications des cliniciens"),
    "conditions": ("Conditions of the examination", "Condiciones del examen", "Conditions de l'examen"),
    "restrictions": ("Restrictions on the evaluation", "Limitaciones impuestas a la evaluación", "Restrictions imposées à l'évaluation"),
    "consent": ("Informed consent", "Consentimiento informado", "Consentement éclairé"),
    "history_and_allegations": ("History and allegations", "Antecedentes y alegaciones", "Antécédents et allégations"),
    "symptoms": ("Physical and psychological symptoms", "Síntomas físicos y psicológicos", "Symptômes physiques et psychologiques"),
    "physical_examination": ("Physical examination", "Examen físico", "Examen physique"),
    "body_diagrams": ("Body diagrams", "Diagramas corporales", "Schémas corporels"),
    "photographs": ("Photographs", "Fotografías", "Photographies"),
    "samples": ("Samples", "Muestras", "Échantillons"),
    "psychological_evaluation": ("Psychological evaluation", "Evaluación psicológica", "Évaluation psychologique"),
    "interpretation": ("Interpretation of findings", "Interpretación de los hallazgos", "Interprétation des constatations"),
    "overall_opinion": ("Overall opinion", "Opinión global", "Avis global"),
    "recommendations": ("Recommendations", "Recomendaciones", "Recommandations"),
    "declarations": ("Declarations", "Declaraciones", "Déclarations"),
    "signatures": ("Signatures", "Firmas", "Signatures"),
    "departures": ("Departures from the Istanbul Protocol", "Desviaciones respecto del Protocolo de Estambul", "Écarts par rapport au Protocole d'Istanbul"),
    "addenda": ("Addenda", "Adendas", "Addenda"),
    # the evaluation, case and context
    "evaluation_id": ("Evaluation identifier", "Identificador de la evaluación", "Identifiant de l'évaluation"),
    "subject_pseudonym": ("Pseudonym of the person examined", "Seudónimo de la persona examinada", "Pseudonyme de la personne examinée"),
    "protocol_version": ("Edition of the Istanbul Protocol", "Edición del Protocolo de Estambul", "Édition du Protocole d'Istanbul"),
    "context": ("Context of the evaluation", "Contexto de la evaluación", "Contexte de l'évaluation"),
    "purpose": ("Purpose of the evaluation", "Finalidad de la evaluación", "Objet de l'évaluation"),
    "requested_by": ("Requested by", "Solicitada por", "Demandée par"),
    "person_examined": ("Person examined", "Persona examinada", "Personne examinée"),
    "identity_withheld": ("The identity of the person is kept in a separate, protected record; it is not part of this report.", "La identidad de la persona se conserva en un registro separado y protegido; no forma parte de este informe.", "L'identité de la personne est conservée dans un dossier distinct et protégé ; elle ne figure pas dans ce rapport."),
    "age": ("Age", "Edad", "Âge"),
    "years": ("years", "años", "ans"),
    "sex_at_birth": ("Sex at birth", "Sexo al nacer", "Sexe à la naissance"),
    "languages_spoken": ("Languages spoken", "Idiomas que habla", "Langues parlées"),
    "custody_status": ("Custody status at the examination", "Situación de custodia en el momento del examen", "Situation de détention lors de l'examen"),
    "handedness": ("Dominant hand", "Mano dominante", "Main dominante"),
    "skin_phototype": ("Skin phototype (Fitzpatrick)", "Fototipo cutáneo (Fitzpatrick)", "Phototype cutané (Fitzpatrick)"),
    "reference": ("Reference", "Referencia", "Référence"),
    "records_reviewed": ("Records reviewed", "Documentación examinada", "Documents examinés"),
    "record_type": ("Type of record", "Tipo de documento", "Type de document"),
    "description": ("Description", "Descripción", "Description"),
    "sha256": ("SHA-256", "SHA-256", "SHA-256"),
    # clinicians
    "name": ("Name", "Nombre", "Nom"),
    "profession": ("Profession", "Profesión", "Profession"),
    "role": ("Role in the evaluation", "Función en la evaluación", "Rôle dans l'évaluation"),
    "registration": ("Professional registration", "Colegiación o registro profesional", "Inscription professionnelle"),
    "qualifications": ("Qualifications", "Cualificación", "Qualifications"),
    "independence": ("Independence", "Independencia", "Indépendance"),
    "affiliation": ("Affiliation", "Institución", "Organisme d'appartenance"),
    "registration_number": ("Number", "Número", "Numéro"),
    "valid_until": ("Valid until", "Válido hasta", "Valable jusqu'au"),
    "ip_training": ("Training in the Istanbul Protocol", "Formación en el Protocolo de Estambul", "Formation au Protocole d'Istanbul"),
    "experience": ("Experience", "Experiencia", "Expérience"),
    "prior_evaluations": ("Prior evaluations of torture or ill-treatment", "Evaluaciones previas de tortura o malos tratos", "Évaluations antérieures de torture ou de mauvais traitements"),
    "years_of_practice": ("Years of practice", "Años de ejercicio", "Années d'exercice"),
    "working_languages": ("Working languages", "Idiomas de trabajo", "Langues de travail"),
    "employed_by_state": ("Employed by the State", "Al servicio del Estado", "Au service de l'État"),
    "employed_by_detaining_authority": ("Employed by the detaining authority", "Al servicio de la autoridad que detiene a la persona", "Au service de l'autorité détentrice"),
    "conflicts_declared": ("Conflicts of interest declared", "Conflictos de intereses declarados", "Conflits d'intérêts déclarés"),
    # sessions, conditions and restrictions
    "session_start": ("Start of session", "Inicio de la sesión", "Début de la séance"),
    "session_end": ("End of session", "Fin de la sesión", "Fin de la séance"),
    "location": ("Place", "Lugar", "Lieu"),
    "privacy": ("Privacy", "Privacidad", "Confidentialité"),
    "persons_present": ("Persons present", "Personas presentes", "Personnes présentes"),
    "interpreter": ("Interpreter", "Intérprete", "Interprète"),
    "restraints": ("Restraints", "Medios de sujeción", "Moyens de contention"),
    "time_limited": ("Time limited", "Tiempo limitado", "Durée limitée"),
    "session": ("Session", "Sesión", "Séance"),
    "subject_condition": ("Condition of the person", "Estado de la persona", "État de la personne"),
    "conditions_notes": ("Physical conditions", "Condiciones materiales", "Conditions matérielles"),
    "removed_on_request": ("Removed on request", "Retirados a petición", "Retirés sur demande"),
    "within_earshot": ("Could hear", "Podía oír", "Pouvait entendre"),
    "within_sight": ("Could see", "Podía ver", "Pouvait voir"),
    "present_role": ("Role", "Función", "Qualité"),
    "justification": ("Justification", "Justificación", "Justification"),
    "interpreters": ("Interpreters", "Intérpretes", "Interprètes"),
    "languages": ("Languages", "Idiomas", "Langues"),
    "ties": ("Relation to the case", "Relación con el caso", "Lien avec l'affaire"),
    "mode": ("Mode", "Modalidad", "Modalité"),
    "confidentiality": ("Confidentiality undertaking", "Compromiso de confidencialidad", "Engagement de confidentialité"),
    "restrictions_shown_by_record": ("Restrictions shown by the record", "Limitaciones que constan en el registro", "Restrictions attestées par le dossier"),
    "evaluators_statement": ("Statement of the evaluators", "Declaración de los evaluadores", "Déclaration des évaluateurs"),
    "restriction_official_present": ("Official present", "Presencia de un funcionario", "Présence d'un agent de l'autorité"),
    "restriction_restrained": ("Person restrained", "Persona sometida a medios de sujeción", "Personne entravée"),
    "restriction_not_private": ("Not in private", "Sin privacidad", "Absence de confidentialité"),
    "restriction_time_limited": ("Time limited", "Tiempo limitado", "Durée limitée"),
    "restriction_interpreter_not_independent": ("Interpreter not independent", "Intérprete no independiente", "Interprète non indépendant"),
    "restriction_consent_limited": ("Consent refused or limited", "Consentimiento denegado o limitado", "Consentement refusé ou limité"),
    # consent
    "consent_scope": ("Scope of consent", "Alcance del consentimiento", "Portée du consentement"),
    "consent_decision": ("Decision", "Decisión", "Décision"),
    "consent_limits": ("Limits of consent", "Límites del consentimiento", "Limites du consentement"),
    "refusal_reason": ("Reason for refusal", "Motivo de la negativa", "Motif du refus"),
    "obtained_at": ("Given at", "Fecha y hora", "Date et heure"),
    "obtained_by": ("Taken by", "Recabado por", "Recueilli par"),
    "how_obtained": ("How it was given", "Forma y condiciones", "Forme et conditions"),
    "withdrawn_at": ("Withdrawn at", "Retirado el", "Retiré le"),
    "proxy": ("Representative", "Representante", "Représentant"),
    "voluntary": ("Voluntary", "Libre", "Libre"),
    "informed_of_all": ("Fully informed", "Información completa", "Information complète"),
    "consent_language": ("Language", "Idioma", "Langue"),
    # history and allegations
    "alleged_method": ("Alleged method", "Método alegado", "Méthode alléguée"),
    "date": ("Date", "Fecha", "Date"),
    "narrative": ("Account", "Relato", "Récit"),
    "alleged_event": ("Alleged event", "Hecho alegado", "Fait allégué"),
    "duration": ("Duration", "Duración", "Durée"),
    "custody_context": ("Stage of custody", "Fase de la custodia", "Étape de la détention"),
    "perpetrators": ("Alleged perpetrators", "Presuntos autores", "Auteurs présumés"),
    "number": ("Number", "Número", "Nombre"),
    "perception_limits": ("Limits to what the person could perceive", "Limitaciones de la percepción de la persona", "Limites de la perception de la personne"),
    "conditions_of_detention": ("Conditions of detention", "Condiciones de detención", "Conditions de détention"),
    "disclosure": ("First disclosure", "Primera comunicación de los hechos", "Première révélation des faits"),
    "verbatim": ("Verbatim: the person's own words", "Literal: palabras de la propia persona", "Verbatim : propres mots de la personne"),
    "summary": ("Summary by the evaluator", "Resumen del evaluador", "Résumé de l'évaluateur"),
    "huridocs_codes": ("HURIDOCS codes", "Códigos HURIDOCS", "Codes HURIDOCS"),
    "category_codes": ("Category", "Categoría", "Catégorie"),
    "method_instrument": ("Object or device used", "Objeto o instrumento utilizado", "Objet ou instrument utilisé"),
    "body_regions": ("Parts of the body", "Partes del cuerpo", "Parties du corps"),
    "position": ("Position", "Posición", "Position"),
    "frequency": ("Frequency", "Frecuencia", "Fréquence"),
    "subject_conscious": ("Conscious during the act", "Consciente durante el acto", "Conscient pendant les faits"),
    "acute_sequelae": ("Immediate after-effects", "Secuelas inmediatas", "Séquelles immédiates"),
    # symptoms
    "symptom_domain": ("Domain", "Ámbito", "Domaine"),
    "complaint": ("Complaint", "Síntoma referido", "Plainte"),
    "onset": ("Onset", "Inicio", "Apparition"),
    "current": ("Current", "Actual", "Actuel"),
    "course": ("Severity, frequency, duration", "Intensidad, frecuencia, duración", "Intensité, fréquence, durée"),
    "severity": ("Severity", "Intensidad", "Intensité"),
    "disability": ("Disability", "Discapacidad", "Incapacité"),
    "treatment": ("Treatment", "Tratamiento", "Traitement"),
    # physical examination and findings
    "finding": ("Finding", "Hallazgo", "Constatation"),
    "location_on_body": ("Location on the body", "Localización anatómica", "Localisation anatomique"),
    "laterality": ("Side", "Lado", "Côté"),
    "size": ("Size", "Dimensiones", "Dimensions"),
    "shape": ("Shape", "Forma", "Forme"),
    "colour": ("Colour", "Color", "Couleur"),
    "surface": ("Surface", "Superficie", "Surface"),
    "borders": ("Borders", "Bordes", "Bords"),
    "healing_stage": ("Stage of healing", "Fase de cicatrización", "Stade de cicatrisation"),
    "estimated_age": ("Estimated age of the lesion", "Antigüedad estimada de la lesión", "Ancienneté estimée de la lésion"),
    "subject_attribution": ("Cause given by the person examined", "Causa atribuida por la persona examinada", "Cause attribuée par la personne examinée"),
    "findings": ("Findings", "Hallazgos", "Constatations"),
    "negative_findings": ("Pertinent negative findings", "Hallazgos negativos pertinentes", "Constatations négatives pertinentes"),
    "diagram_number": ("No. on diagram", "N.º en el diagrama", "N° sur le schéma"),
    "body_system": ("System", "Sistema", "Appareil"),
    "finding_kind": ("Kind", "Naturaleza", "Nature"),
    "lesion_type": ("Type of lesion", "Tipo de lesión", "Type de lésion"),
    "confidence": ("Confidence", "Confianza", "Confiance"),
    "basis": ("Basis", "Fundamento", "Fondement"),
    "day": ("day", "día", "jour"),
    "days": ("days", "días", "jours"),
    "depth": ("depth", "profundidad", "profondeur"),
    "not_measurable": ("Not measurable", "No medible", "Non mesurable"),
    "landmark": ("Landmark", "Referencia anatómica", "Repère anatomique"),
    "count": ("Number of lesions", "Número de lesiones", "Nombre de lésions"),
    "arrangement": ("Arrangement", "Disposición", "Disposition"),
    "pattern": ("Pattern", "Patrón", "Motif"),
    "tenderness_or_function": ("Tenderness or loss of function", "Dolor a la palpación o pérdida funcional", "Sensibilité ou perte de fonction"),
    "observed_by_examiner": ("Observed by the examiner", "Observado por el examinador", "Observé par l'examinateur"),
    "examined_by": ("Examined by", "Examinado por", "Examiné par"),
    "examined_at": ("Examined at", "Examinado el", "Examiné le"),
    "diagnostic_tests": ("Diagnostic tests", "Pruebas diagnósticas", "Examens complémentaires"),
    "test": ("Test", "Prueba", "Examen"),
    "performed_at": ("Performed at", "Realizada el", "Réalisé le"),
    "result": ("Result", "Resultado", "Résultat"),
    # body diagrams and photographs
    "body_diagram": ("Body diagram", "Diagrama corporal", "Schéma corporel"),
    "diagram_not_available": ("Diagram not available", "Diagrama no disponible", "Schéma non disponible"),
    # The letters a body diagram prints beside the subject's right and left sides.
    "side_letter_right": ("R", "D", "D"),  # right, derecha, droite
    "side_letter_left": ("L", "I", "G"),  # left, izquierda, gauche
    "photographs_note": ("Intimate photographs are never reproduced in this report: they are described only, and can be seen under restricted access. The other photographs are shown as small copies without their metadata; the originals are identified by their SHA-256.", "Las fotografías íntimas nunca se reproducen en este informe: solo se describen y pueden consultarse con acceso restringido. Las demás fotografías se muestran como copias reducidas sin sus metadatos; los originales se identifican por su SHA-256.", "Les photographies intimes ne sont jamais reproduites dans ce rapport : elles sont seulement décrites et peuvent être consultées en accès restreint. Les autres photographies figurent en copies réduites, sans leurs métadonnées ; les originaux sont identifiés par leur SHA-256."),
    "photograph": ("Photograph", "Fotografía", "Photographie"),
    "intimate_not_reproduced": ("Intimate photograph: not reproduced in this report (restricted access)", "Fotografía íntima: no se reproduce en este informe (acceso restringido)", "Photographie intime : non reproduite dans ce rapport (accès restreint)"),
    "consent_withdrawn_not_reproduced": ("Not reproduced: the person withdrew consent to this photograph on", "No se reproduce: la persona retiró su consentimiento para esta fotografía el", "Non reproduite : la personne a retiré son consentement à cette photographie le"),
    "image_not_available": ("Image not available", "Imagen no disponible", "Image non disponible"),
    "image_not_supplied": ("the file was not supplied", "no se proporcionó el archivo", "le fichier n'a pas été fourni"),
    "image_hash_mismatch": ("the file supplied does not match the recorded SHA-256", "el archivo proporcionado no coincide con el SHA-256 registrado", "le fichier fourni ne correspond pas au SHA-256 enregistré"),
    "image_unreadable": ("the file cannot be decoded completely", "el archivo no puede decodificarse por completo", "le fichier ne peut pas être décodé entièrement"),
    "body_region": ("Region shown", "Región mostrada", "Région montrée"),
    "findings_shown": ("Findings shown", "Hallazgos que muestra", "Constatations montrées"),
    "scale": ("Scale in the frame", "Escala en la imagen", "Échelle dans l'image"),
    "colour_reference": ("Colour reference in the frame", "Referencia de color en la imagen", "Référence de couleur dans l'image"),
    "missing_reference_reason": ("Why a reference is missing", "Motivo de la falta de referencia", "Motif de l'absence de référence"),
    "lighting": ("Lighting", "Iluminación", "Éclairage"),
    "quality": ("Known defects", "Defectos conocidos", "Défauts connus"),
    "captured_at": ("Taken at", "Tomada el", "Prise le"),
    "captured_by": ("Taken by", "Tomada por", "Prise par"),
    "device": ("Device", "Dispositivo", "Appareil photo"),
    "derived_from": ("Derived from", "Derivada de", "Dérivée de"),
    "location_metadata": ("Location data in the original file", "Datos de ubicación en el archivo original", "Données de localisation dans le fichier original"),
    "evidence_item": ("Evidence item", "Elemento de prueba", "Élément de preuve"),
    "sha256_original": ("SHA-256 of the original", "SHA-256 del original", "SHA-256 de l'original"),
    # samples
    "sample": ("Sample", "Muestra", "Échantillon"),
    "sample_type": ("Type", "Tipo", "Type"),
    "collected": ("Collected (when, by whom)", "Recogida (cuándo, por quién)", "Prélèvement (quand, par qui)"),
    "collection": ("Method and container", "Método y recipiente", "Méthode et contenant"),
    "site": ("Site", "Lugar de toma", "Site de prélèvement"),
    "seal": ("Seal and label", "Precinto y etiqueta", "Scellé et étiquette"),
    "label_text": ("Label", "Etiqueta", "Étiquette"),
    "storage": ("Storage", "Conservación", "Conservation"),
    "analyses": ("Analyses requested", "Análisis solicitados", "Analyses demandées"),
    "results": ("Results", "Resultados", "Résultats"),
    # psychological evaluation
    "evaluator": ("Evaluator", "Evaluador", "Évaluateur"),
    "sessions": ("Sessions", "Sesiones", "Séances"),
    "cultural_and_language_considerations": ("Cultural and language considerations", "Consideraciones culturales y lingüísticas", "Considérations culturelles et linguistiques"),
    "psychological_history": ("Psychological history", "Historia psicológica", "Anamnèse psychologique"),
    "pre_torture": ("Before the alleged events", "Antes de los hechos alegados", "Avant les faits allégués"),
    "torture_and_detention": ("Alleged torture and detention", "Tortura y detención alegadas", "Torture et détention alléguées"),
    "post_torture": ("Since the alleged events", "Desde los hechos alegados", "Depuis les faits allégués"),
    "current_complaints": ("Current complaints", "Quejas actuales", "Plaintes actuelles"),
    "past_psychiatric": ("Past psychiatric history", "Antecedentes psiquiátricos", "Antécédents psychiatriques"),
    "substance_use": ("Use of alcohol and drugs", "Consumo de alcohol y drogas", "Consommation d'alcool et de drogues"),
    "medical_incl_head_injury": ("Medical history, head injury included", "Antecedentes médicos, incluidos traumatismos craneales", "Antécédents médicaux, traumatismes crâniens compris"),
    "mental_status": ("Mental status examination", "Examen del estado mental", "Examen de l'état mental"),
    "appearance_behaviour": ("Appearance and behaviour", "Aspecto y conducta", "Présentation et comportement"),
    "rapport": ("Rapport", "Relación con el evaluador", "Contact avec l'évaluateur"),
    "speech": ("Speech", "Lenguaje", "Discours"),
    "mood": ("Mood", "Estado de ánimo", "Humeur"),
    "affect": ("Affect", "Afecto", "Affect"),
    "perception": ("Perception", "Percepción", "Perception"),
    "thought_content": ("Thought content", "Contenido del pensamiento", "Contenu de la pensée"),
    "thought_process": ("Thought process", "Curso del pensamiento", "Cours de la pensée"),
    "cognition": ("Cognition", "Funciones cognitivas", "Fonctions cognitives"),
    "insight_judgement": ("Insight and judgement", "Introspección y juicio", "Conscience des troubles et jugement"),
    "social_functioning": ("Social functioning", "Funcionamiento social", "Fonctionnement social"),
    "neuropsychological_assessment": ("Neuropsychological assessment", "Evaluación neuropsicológica", "Évaluation neuropsychologique"),
    "coexisting_stressors": ("Coexisting stressors", "Factores estresantes concurrentes", "Facteurs de stress concomitants"),
    "protective_factors_and_coping": ("Protective factors and coping", "Factores de protección y afrontamiento", "Facteurs de protection et stratégies d'adaptation"),
    "course_and_timeframe": ("Course of symptoms in time", "Evolución temporal de los síntomas", "Évolution des symptômes dans le temps"),
    "physical_contributors": ("Physical contributors", "Factores físicos contribuyentes", "Facteurs physiques contributifs"),
    "instruments": ("Psychometric instruments", "Instrumentos psicométricos", "Instruments psychométriques"),
    "instrument_caution": ("Psychometric instruments support, and never replace, the clinical interview; their results depend on their cultural and linguistic validity for the person examined (Istanbul Protocol, chapter VI).", "Los instrumentos psicométricos apoyan la entrevista clínica y nunca la sustituyen; sus resultados dependen de su validez cultural y lingüística para la persona examinada (Protocolo de Estambul, capítulo VI).", "Les instruments psychométriques étayent l'entretien clinique sans jamais le remplacer ; leurs résultats dépendent de leur validité culturelle et linguistique pour la personne examinée (Protocole d'Istanbul, chapitre VI)."),
    "instrument": ("Instrument", "Instrumento", "Instrument"),
    "instrument_language": ("Language", "Idioma", "Langue"),
    "validated_for_population": ("Validated for the person's population", "Validado para la población de la persona", "Validé pour la population de la personne"),
    "not_validated_caution": ("interpret with caution", "interpretar con cautela", "à interpréter avec prudence"),
    "administered": ("Administered (by, on)", "Aplicado (por, el)", "Administré (par, le)"),
    "score": ("Score", "Puntuación", "Score"),
    "score_interpretation": ("Interpretation", "Interpretación", "Interprétation"),
    "diagnoses": ("Diagnoses", "Diagnósticos", "Diagnostics"),
    "no_diagnosis": ("No diagnosis was made.", "No se estableció ningún diagnóstico.", "Aucun diagnostic n'a été posé."),
    "classification": ("Classification", "Clasificación", "Classification"),
    "certainty": ("Certainty", "Grado de certeza", "Degré de certitude"),
    "criteria_met": ("Criteria met", "Criterios cumplidos", "Critères remplis"),
    "consistency_of_account": ("Consistency of the account", "Coherencia del relato", "Cohérence du récit"),
    "inconsistency": ("Inconsistency", "Incoherencia", "Incohérence"),
    "possible_explanations": ("Possible explanations", "Explicaciones posibles", "Explications possibles"),
    "clarification_sought": ("Clarification sought", "Se pidió aclaración", "Clarification demandée"),
    "internal_consistency_notes": ("Internal consistency", "Coherencia interna", "Cohérence interne"),
    "external_consistency_notes": ("Consistency with other information", "Coherencia con otra información", "Cohérence avec d'autres informations"),
    "exaggeration": ("Exaggeration or fabrication", "Exageración o simulación", "Exagération ou simulation"),
    "suspected": ("Suspected", "Sospechada", "Soupçonnée"),
    "second_opinion_obtained": ("Second opinion obtained", "Segunda opinión obtenida", "Second avis obtenu"),
    "grounds": ("Grounds", "Motivos", "Motifs"),
    # interpretation and opinion
    "consistency_level": ("Level of consistency", "Nivel de compatibilidad", "Niveau de compatibilité"),
    "alternative_causes": ("Alternative causes considered", "Otras causas posibles consideradas", "Autres causes possibles envisagées"),
    "rationale": ("Rationale", "Fundamentación", "Justification"),
    "diagnosis": ("Diagnosis", "Diagnóstico", "Diagnostic"),
    "code": ("Code", "Código", "Code"),
    "opinion": ("Opinion", "Opinión", "Avis"),
    "findings_assessed": ("Findings assessed", "Hallazgos evaluados", "Constatations évaluées"),
    "assessed_against": ("Assessed against", "Evaluados en relación con", "Évaluées au regard de"),
    "circumstances": ("Circumstances", "Circunstancias", "Circonstances"),
    "self_harm_considered": ("Self-infliction considered", "Autolesión considerada", "Automutilation envisagée"),
    "opinion_by": ("Opinion given by", "Opinión emitida por", "Avis rendu par"),
    "cause": ("Cause", "Causa", "Cause"),
    "likelihood": ("Likelihood", "Probabilidad", "Probabilité"),
    "reason": ("Reason", "Motivo", "Motif"),
    "no_overall_opinion": ("No overall opinion has been recorded yet.", "Aún no se ha registrado una opinión global.", "Aucun avis global n'a encore été consigné."),
    "considers": ("Evidence weighed", "Elementos considerados", "Éléments pris en compte"),
    "absence_of_findings": ("Absence of physical findings", "Ausencia de hallazgos físicos", "Absence de constatations physiques"),
    "current_symptoms_and_disabilities": ("Current symptoms and disabilities", "Síntomas y discapacidades actuales", "Symptômes et incapacités actuels"),
    "effects_on_social_functioning": ("Likely effects on social functioning", "Efectos probables en el funcionamiento social", "Effets probables sur le fonctionnement social"),
    "limitations": ("Limitations", "Limitaciones", "Limites"),
    # departures
    "rules_broken": ("This document breaks rules of the Istanbul Protocol that a sealed evaluation must meet:", "Este documento incumple reglas del Protocolo de Estambul que una evaluación sellada debe cumplir:", "Ce document enfreint des règles du Protocole d'Istanbul qu'une évaluation scellée doit respecter :"),
    "departures_found": ("Departures found on validation", "Desviaciones detectadas en la validación", "Écarts relevés lors de la validation"),
    "departures_declared": ("Departures declared by the evaluators", "Desviaciones declaradas por los evaluadores", "Écarts déclarés par les évaluateurs"),
    "rule": ("Rule", "Regla", "Règle"),
    "field": ("Field", "Campo", "Champ"),
    "problem": ("Problem", "Problema", "Problème"),
    "stated_reason": ("Reason stated", "Motivo declarado", "Motif déclaré"),
    "no_reason_stated": ("No reason stated", "No se declaró ningún motivo", "Aucun motif déclaré"),
    "element": ("Element", "Elemento", "Élément"),
    # signatures and addenda
    "key_fingerprint": ("Key fingerprint", "Huella digital de la clave", "Empreinte de la clé"),
    "signed_at": ("Date and time of signature", "Fecha y hora de la firma", "Date et heure de la signature"),
    "signing_place": ("Place of signature", "Lugar de la firma", "Lieu de la signature"),
    "signatures_note": ("Each evaluator seals the evaluation with a digital signature over its digest. This report shows the signatures as supplied; check them with the custody verifier against keys you trust.", "Cada evaluador sella la evaluación con una firma digital sobre su resumen criptográfico. Este informe muestra las firmas tal como se han proporcionado; verifíquelas con el verificador de custody frente a claves de su confianza.", "Chaque évaluateur scelle l'évaluation par une signature numérique portant sur son condensat. Ce rapport présente les signatures telles qu'elles ont été fournies ; vérifiez-les avec le vérificateur de custody au moyen de clés de confiance."),
    "signed": ("Signed", "Firmado", "Signé"),
    "not_signed": ("Not signed", "No firmado", "Non signé"),
    "signed_as": ("Name as signed", "Nombre indicado en la firma", "Nom indiqué dans la signature"),
    "key_id": ("Key identifier", "Identificador de la clave", "Identifiant de la clé"),
    "signed_digest": ("Digest signed", "Resumen criptográfico firmado", "Condensat signé"),
    "key_differs": ("The signing key is not the key declared for this evaluator.", "La clave de firma no es la declarada para este evaluador.", "La clé de signature n'est pas celle déclarée pour cet évaluateur."),
    "declared_key": ("Declared key", "Clave declarada", "Clé déclarée"),
    "digest_differs": ("This signature covers another version of the evaluation, not the one reported here.", "Esta firma cubre otra versión de la evaluación, no la que se presenta aquí.", "Cette signature porte sur une autre version de l'évaluation, et non sur celle présentée ici."),
    # review of the version by someone who is not an evaluator (the peer or supervisor
    # review of the project's lifecycle); es/fr CHOSEN here
    "review": ("Review by someone other than the evaluators", "Revisión por una persona distinta de los evaluadores", "Relecture par une personne autre que les évaluateurs"),
    "no_review_recorded": ("No review of this version by someone other than the evaluators is recorded.", "No consta ninguna revisión de esta versión por una persona distinta de los evaluadores.", "Aucune relecture de cette version par une personne autre que les évaluateurs n'est consignée."),
    "reviewer_key_id": ("Reviewer's key identifier", "Identificador de la clave del revisor", "Identifiant de la clé du relecteur"),
    "reviewed_at": ("Date and time of review", "Fecha y hora de la revisión", "Date et heure de la relecture"),
    "reviewed_digest": ("Digest reviewed", "Resumen criptográfico revisado", "Condensat relu"),
    "review_digest_differs": ("This review covers another version of the evaluation, not the one reported here.", "Esta revisión se refiere a otra versión de la evaluación, no a la que se presenta aquí.", "Cette relecture porte sur une autre version de l'évaluation, et non sur celle présentée ici."),
    "supersedes": ("Replaces the sealed version", "Sustituye a la versión sellada", "Remplace la version scellée"),
    "fields_changed": ("Fields changed", "Campos modificados", "Champs modifiés"),
    # values
    "not_assessable": ("Not assessable", "No evaluable", "Non évaluable"),
    "none_recorded": ("None recorded", "No consta ninguno", "Aucun élément consigné"),
    "yes": ("Yes", "Sí", "Oui"),
    "no": ("No", "No", "Non"),
}
# fmt: on


def _column(language: str) -> int:
    """The table column of ``language``; raises if the report cannot be rendered in it."""
    column = _COLUMN.get(language)
    if column is None:
        raise InvalidInput(
            f"unsupported language {language!r}; supported languages: {', '.join(LANGUAGES)}",
            field="language",
        )
    return column


def term(member: enum.Enum, language: str) -> str:
    """The display label of an enumeration member of an Istanbul Protocol evaluation.

    Args:
        member: a member of an enumeration defined in :mod:`custody.medical._terms`, for
            example ``ConsistencyLevel.CONSISTENT_WITH``.
        language: ``"en"``, ``"es"`` or ``"fr"`` (a :class:`Language` member works too).

    Returns:
        The label in that language. Where the Istanbul Protocol has a term of art, the English
        label is its exact term; see the comments of this module for the status of the
        Spanish and French wording.

    Raises:
        InvalidInput: ``language`` is not supported (field ``language``), or ``member`` is not
            a member of an enumeration with display labels (field ``member``).
    """
    column = _column(language)
    if not isinstance(member, enum.Enum):
        raise InvalidInput(f"{member!r} is not an enumeration member", field="member")
    table = _TERMS.get(type(member))
    row = None if table is None else table.get(member)
    if row is None:
        raise InvalidInput(
            f"no display label for {type(member).__name__}.{member.name}", field="member"
        )
    return row[column]


def label(key: str, language: str) -> str:
    """A heading or field label of the medical report.

    Args:
        key: a key of :data:`LABELS`, for example ``"overall_opinion"``.
        language: ``"en"``, ``"es"`` or ``"fr"`` (a :class:`Language` member works too).

    Returns:
        The label in that language.

    Raises:
        InvalidInput: ``language`` is not supported (field ``language``), or ``key`` is not a
            key of :data:`LABELS` (field ``key``).
    """
    column = _column(language)
    row = LABELS.get(key)
    if row is None:
        raise InvalidInput(f"no report label with key {key!r}", field="key")
    return row[column]
