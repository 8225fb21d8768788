"""The people of an evaluation: the subject (pseudonymous), the evaluators, interpreters and
everyone else present.

Identifying details of the subject never enter the evaluation: they live in an
:class:`IdentityRecord` kept apart, and the evaluation carries only its commitment.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date
from typing import Any

import attrs

from custody.encoding import encode
from custody.medical._documents import read_document, write_document
from custody.medical._fields import (
    FieldConflict,
    choice,
    count,
    flag,
    hex_digest,
    languages,
    listing,
    local_id,
    members,
    optional_choice,
    optional_count,
    optional_day,
    optional_flag,
    optional_short,
    optional_text,
    random_id,
    refuse_inconsistencies,
    short,
)
from custody.medical._terms import (
    CustodyStatus,
    EvaluatorRole,
    Handedness,
    InterpreterMode,
    InterpreterTie,
    PresenceRequestedBy,
    PresentRole,
    Profession,
    SexAtBirth,
    SkinPhototype,
    Vulnerability,
)

IDENTITY_SALT_SIZE = 32
_IDENTITY_DOMAIN = b"custody/identity/v1\x00"


@attrs.frozen(kw_only=True)
class AgeRange:
    """An age in whole years when the exact age is not known.

    Attributes:
        min_years: the youngest the person may be.
        max_years: the oldest the person may be.
    """

    min_years: int = count(maximum=150)
    max_years: int = count(maximum=150)

    def __attrs_post_init__(self) -> None:
        problems: list[FieldConflict] = []
        if self.max_years < self.min_years:
            problems.append(("max_years", "must not be below min_years"))
        refuse_inconsistencies(problems)


@attrs.frozen(kw_only=True)
class Subject:
    """The examined person, under a pseudonym: what flows in events and bundles.

    Attributes:
        subject_id: a random UUID; never derived from the name, which could be guessed.
        identity_commitment: SHA-256 commitment to the separate identity record
            (hexadecimal); proves who the person is later, without saying it now.
        age_years: age in years, when known.
        age_range: age range, when the date of birth is not known (exactly one of the two).
        languages: languages the person speaks (BCP 47 tags).
        custody_status: in custody, released, never detained or unknown at the examination.
        sex_at_birth: as the person states it.
        gender_identity: as the person describes it, if they choose to.
        place_of_detention: where the person is or was held (a sensitive place).
        handedness: dominant hand (relevant to self-harm as a differential, IP22 ¶423).
        skin_phototype: Fitzpatrick type I-VI (bruising shows differently).
        vulnerabilities: special categories of detainee (IP22 ¶659(n)).
    """

    subject_id: str = random_id()
    identity_commitment: str = hex_digest()
    languages: tuple[str, ...] = languages()
    custody_status: CustodyStatus = choice(CustodyStatus)
    age_years: int | None = optional_count(maximum=150)
    age_range: AgeRange | None = None
    sex_at_birth: SexAtBirth | None = optional_choice(SexAtBirth)
    gender_identity: str | None = optional_short()
    place_of_detention: str | None = optional_text()
    handedness: Handedness | None = optional_choice(Handedness)
    skin_phototype: SkinPhototype | None = optional_choice(SkinPhototype)
    vulnerabilities: tuple[Vulnerability, ...] = members(Vulnerability)

    def __attrs_post_init__(self) -> None:
        problems: list[FieldConflict] = []
        if (self.age_years is None) == (self.age_range is None):
            problems.append(("age_years", "give exactly one of age_years and age_range"))
        refuse_inconsistencies(problems)


@attrs.frozen(kw_only=True)
class IdentityRecord:
    """Who the subject is: kept apart from the evaluation, never in an event or a bundle.

    The evaluation's subject carries only :meth:`commitment`, a salted SHA-256 over this
    record, so the identity can be proven later to someone entitled to see it and stays
    unguessable otherwise. Destroying this record (and its salt) leaves every signature
    valid.

    Attributes:
        subject_id: the pseudonym this identity belongs to.
        salt: 32 random bytes in hexadecimal; without it the commitment cannot be tested.
        names: legal and known names.
        aliases: other names.
        date_of_birth: the date of birth.
        place_of_birth: the place of birth.
        identity_documents: numbers of identity documents, with their kind.
        address: the postal address.
        phone: a telephone number.
        email: an e-mail address.
        next_of_kin: who to contact.
        facility_number: the inmate number at the place of detention.
    """

    subject_id: str = random_id()
    salt: str = hex_digest()
    names: tuple[str, ...] = listing(at_least=1)
    aliases: tuple[str, ...] = listing()
    date_of_birth: date | None = optional_day()
    place_of_birth: str | None = optional_short()
    identity_documents: tuple[str, ...] = listing()
    address: str | None = optional_text()
    phone: str | None = optional_short()
    email: str | None = optional_short()
    next_of_kin: str | None = optional_text()
    facility_number: str | None = optional_short()

    @classmethod
    def create(cls, subject_id: str, names: tuple[str, ...], **fields: Any) -> IdentityRecord:
        """A new identity record with a fresh random salt."""
        salt = os.urandom(IDENTITY_SALT_SIZE).hex()
        return cls(subject_id=subject_id, salt=salt, names=names, **fields)

    @classmethod
    def from_json(cls, data: Any) -> IdentityRecord:
        """Read an identity record from decoded JSON, reporting every problem at once.

        Raises:
            DocumentError: listing each problem with the JSON Pointer of its field.
        """
        return read_document(cls, data, what="identity record")

    def to_json(self) -> dict[str, Any]:
        """The record's JSON normal form (what the commitment covers, with the salt)."""
        return write_document(self)

    def commitment(self) -> str:
        """SHA-256(domain || salt || canonical CBOR of the record without its salt), in hex."""
        content = {k: v for k, v in write_document(self).items() if k != "salt"}
        digest = hashlib.sha256(_IDENTITY_DOMAIN + bytes.fromhex(self.salt) + encode(content))
        return digest.hexdigest()


@attrs.frozen(kw_only=True)
class Registration:
    """A clinician's professional registration.

    Attributes:
        body: the registering body (medical council, college of psychologists).
        jurisdiction: where the registration applies.
        number: the registration number.
        valid_until: the end of its validity, when it has one.
    """

    body: str = short()
    jurisdiction: str = short()
    number: str = short()
    valid_until: date | None = optional_day()


@attrs.frozen(kw_only=True)
class Qualification:
    """A degree or certification.

    Attributes:
        title: the degree or certificate.
        institution: who awarded it.
        year: the year awarded.
    """

    title: str = short()
    institution: str = short()
    year: int = count(minimum=1900, maximum=2200)


@attrs.frozen(kw_only=True)
class Training:
    """Training in documenting torture (for example on the Istanbul Protocol).

    Attributes:
        course: the course.
        provider: who gave it.
        year: the year completed.
    """

    course: str = short()
    provider: str = short()
    year: int = count(minimum=1900, maximum=2200)


@attrs.frozen(kw_only=True)
class Experience:
    """A clinician's experience relevant to the evaluation.

    Attributes:
        evaluations: number of torture and ill-treatment evaluations done before.
        years: years of practice.
        languages: languages the clinician works in.
    """

    evaluations: int = count()
    years: int = count(maximum=100)
    languages: tuple[str, ...] = languages()


@attrs.frozen(kw_only=True)
class Independence:
    """A clinician's ties to the state and the detaining authority (IP22 ¶230, ¶312).

    Attributes:
        employed_by_state: whether the state employs the clinician.
        employed_by_detaining_authority: whether the detaining authority does.
        conflicts_declared: any other conflict of interest, in the clinician's words.
    """

    employed_by_state: bool = flag()
    employed_by_detaining_authority: bool = flag()
    conflicts_declared: str | None = optional_text()


@attrs.frozen(kw_only=True)
class Clinician:
    """An evaluator: who they are, what qualifies them, and the key they sign with.

    Attributes:
        clinician_id: identifier inside the document.
        name: the clinician's name as it appears in the report.
        profession: physician, forensic physician, psychiatrist, psychologist...
        role: which part of the evaluation they are responsible for.
        registration: professional registration.
        qualifications: degrees and certifications (at least one to seal).
        experience: prior evaluations, years of practice, working languages.
        affiliation: employer or organisation.
        independence: ties to the state and the detaining authority.
        key_id: the clinician's signing key id (RFC 9679 thumbprint, hexadecimal).
        specialty: medical or psychological specialty.
        ip_training: training in the Istanbul Protocol.
    """

    clinician_id: str = local_id()
    name: str = short()
    profession: Profession = choice(Profession)
    role: EvaluatorRole = choice(EvaluatorRole)
    registration: Registration = attrs.field()
    qualifications: tuple[Qualification, ...] = listing()
    experience: Experience = attrs.field()
    affiliation: str = short()
    independence: Independence = attrs.field()
    key_id: str = hex_digest()
    specialty: str | None = optional_short()
    ip_training: tuple[Training, ...] = listing()


@attrs.frozen(kw_only=True)
class Interpreter:
    """An interpreter (IP22 ¶298: interpreters employed by the facility should be avoided).

    Attributes:
        interpreter_id: identifier inside the document.
        languages: the languages interpreted between.
        affiliation: who the interpreter works for.
        ties: the interpreter's relation to the case; ``professional`` alone when
            independent.
        confidentiality_undertaking: whether they undertook to keep the evaluation confidential.
        mode: in person, by telephone or by video.
        name: the interpreter's name (a third party: withheld from most disclosures).
        gender: as the interpreter states it (the subject may ask for a gender).
    """

    interpreter_id: str = local_id()
    languages: tuple[str, ...] = languages(at_least=2)
    affiliation: str = short()
    ties: tuple[InterpreterTie, ...] = members(InterpreterTie, at_least=1)
    confidentiality_undertaking: bool = flag()
    mode: InterpreterMode = choice(InterpreterMode)
    name: str | None = optional_short()
    gender: str | None = optional_short()


@attrs.frozen(kw_only=True)
class PersonPresent:
    """Someone present during a session besides the subject.

    Attributes:
        role: the person's role; officials need a justification (IP22 ¶313).
        affiliation: who the person works for or belongs to.
        requested_by: who asked for the person to be there.
        within_earshot: whether they could hear the subject.
        within_sight: whether they could see the subject.
        justification: why an official was present (required for officials).
        name: the person's name (a third party: withheld from most disclosures).
        clinician_id: the evaluator this is, when the person is one of them.
    """

    role: PresentRole = choice(PresentRole)
    affiliation: str = short()
    requested_by: PresenceRequestedBy | None = optional_choice(PresenceRequestedBy)
    within_earshot: bool | None = optional_flag()
    within_sight: bool | None = optional_flag()
    justification: str | None = optional_text()
    name: str | None = optional_short()
    clinician_id: str | None = optional_short()
