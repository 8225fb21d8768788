"""The physical examination: findings (lesions among them), their places on body diagrams,
photographs, samples and diagnostic tests."""

from __future__ import annotations

from datetime import datetime

import attrs

from custody.medical._fields import (
    FieldConflict,
    choice,
    count,
    flag,
    hex_digest,
    local_id,
    members,
    moment,
    optional_choice,
    optional_count,
    optional_moment,
    optional_reference,
    optional_short,
    optional_text,
    reference,
    references,
    refuse_inconsistencies,
    short,
    text,
)
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
    Colour,
    Confidence,
    DiagramView,
    FindingKind,
    HealingStage,
    Laterality,
    LesionType,
    Lighting,
    LocationMetadata,
    MeasurementMethod,
    PhotoRole,
    QualityFlag,
    SampleStorage,
    SampleType,
    ScaleType,
    Shape,
    SkinLevel,
    Surface,
)

#: Normalised diagram coordinates run from 0 to this value across each view's frame.
DIAGRAM_SCALE = 10_000


@attrs.frozen(kw_only=True)
class BodyLocation:
    """Where on the body a finding is.

    Attributes:
        region: the body region.
        laterality: left, right, midline or bilateral.
        aspect: the surface (anterior, posterior, volar...).
        landmark: an anatomical landmark the position is measured from.
        distance_mm: the distance from that landmark in millimetres.
    """

    region: BodyRegion = choice(BodyRegion)
    laterality: Laterality | None = optional_choice(Laterality)
    aspect: Aspect | None = optional_choice(Aspect)
    landmark: str | None = optional_short()
    distance_mm: int | None = optional_count(maximum=3000)


@attrs.frozen(kw_only=True)
class Size:
    """A measured size in whole millimetres.

    Attributes:
        length_mm: the longest dimension.
        method: how it was measured.
        width_mm: the dimension across it.
        depth_mm: the depth, for wounds.
    """

    length_mm: int = count(minimum=1, maximum=3000)
    method: MeasurementMethod = choice(MeasurementMethod)
    width_mm: int | None = optional_count(minimum=1, maximum=3000)
    depth_mm: int | None = optional_count(minimum=1, maximum=1000)


@attrs.frozen(kw_only=True)
class Borders:
    """The border of a lesion.

    Attributes:
        definition: well or ill defined.
        regularity: regular or irregular.
        description: anything else about the periphery.
    """

    definition: BorderDefinition | None = optional_choice(BorderDefinition)
    regularity: BorderRegularity | None = optional_choice(BorderRegularity)
    description: str | None = optional_text()


@attrs.frozen(kw_only=True)
class AgeEstimate:
    """How old a lesion is estimated to be: always a range (ageing by colour is unreliable).

    Attributes:
        min_days: the youngest it may be, in days.
        max_days: the oldest it may be, in days.
        basis: what the estimate rests on.
        confidence: low, moderate or high.
    """

    min_days: int = count(maximum=36_500)
    max_days: int = count(maximum=36_500)
    basis: str = text()
    confidence: Confidence = choice(Confidence)

    def __attrs_post_init__(self) -> None:
        problems: list[FieldConflict] = []
        if self.max_days < self.min_days:
            problems.append(("max_days", "must not be below min_days"))
        refuse_inconsistencies(problems)


@attrs.frozen(kw_only=True)
class Attribution:
    """What the person says caused a finding; recorded for every finding.

    Attributes:
        kind: an alleged method, accident, self-harm, a medical procedure, pre-existing,
            unknown, or not asked.
        method: the alleged method, by identifier, when the kind is ``alleged_method``.
    """

    kind: AttributionKind = choice(AttributionKind)
    method: str | None = optional_reference()

    def __attrs_post_init__(self) -> None:
        problems: list[FieldConflict] = []
        if (self.kind is AttributionKind.ALLEGED_METHOD) != (self.method is not None):
            problems.append(
                ("method", "name the alleged method exactly when the kind is alleged_method")
            )
        refuse_inconsistencies(problems)


@attrs.frozen(kw_only=True)
class PhysicalFinding:
    """One finding of the physical examination, a pertinent negative included (IP22 ¶270).

    Attributes:
        finding_id: identifier inside the document.
        system: the body system, in the examination order of IP ch. V.
        kind: lesion, functional deficit, tenderness, ..., or negative finding.
        location: where on the body.
        count: how many (grouped lesions).
        description: the finding in the clinician's words.
        attribution: what the person says caused it.
        examiner: the evaluator who examined it, by identifier.
        session: the session it was examined in, by identifier.
        lesion_type: the type of lesion (required for lesions).
        burn_depth: the depth of a burn.
        size: the measured size (required for lesions unless not measurable).
        size_not_measurable_reason: why a lesion could not be measured.
        shape: the shape.
        colours: controlled colour terms.
        colour_note: colour in the clinician's words.
        surface: the surface.
        borders: the border.
        level: the level relative to the surrounding skin.
        arrangement: how several lesions are arranged.
        pattern_match: an imprint or pattern recognised (tramline, ligature, handcuff).
        healing_stage: fresh, healing, healed scar or unknown.
        estimated_age: the estimated age, as a range.
        tenderness_or_function: tenderness or loss of function.
        independent_of_self_report: the finding was observed, not only reported.
        examined_at: when it was examined (the session's start if not given).
        photographs: photographs showing it, by identifier.
        diagnostic_tests: tests concerning it, by identifier.
    """

    finding_id: str = local_id()
    system: BodySystem = choice(BodySystem)
    kind: FindingKind = choice(FindingKind)
    location: BodyLocation = attrs.field()
    count: int = count(minimum=1, maximum=1000)
    description: str = text()
    attribution: Attribution = attrs.field()
    examiner: str = reference()
    session: str = reference()
    lesion_type: LesionType | None = optional_choice(LesionType)
    burn_depth: BurnDepth | None = optional_choice(BurnDepth)
    size: Size | None = None
    size_not_measurable_reason: str | None = optional_text()
    shape: Shape | None = optional_choice(Shape)
    colours: tuple[Colour, ...] = members(Colour)
    colour_note: str | None = optional_text()
    surface: Surface | None = optional_choice(Surface)
    borders: Borders | None = None
    level: SkinLevel | None = optional_choice(SkinLevel)
    arrangement: Arrangement | None = optional_choice(Arrangement)
    pattern_match: str | None = optional_text()
    healing_stage: HealingStage | None = optional_choice(HealingStage)
    estimated_age: AgeEstimate | None = None
    tenderness_or_function: str | None = optional_text()
    independent_of_self_report: bool = attrs.field(default=False)
    examined_at: datetime | None = optional_moment()
    photographs: tuple[str, ...] = references()
    diagnostic_tests: tuple[str, ...] = references()

    def __attrs_post_init__(self) -> None:
        problems: list[FieldConflict] = []
        if self.is_lesion and self.lesion_type is None:
            problems.append(("lesion_type", "a lesion needs its type"))
        if not self.is_lesion and self.lesion_type is not None:
            problems.append(("lesion_type", "only a lesion has a lesion type"))
        if self.is_lesion and self.size is None and self.size_not_measurable_reason is None:
            problems.append(("size", "a lesion needs its size, or size_not_measurable_reason"))
        refuse_inconsistencies(problems)

    @property
    def is_lesion(self) -> bool:
        """Whether the finding is a lesion."""
        return self.kind is FindingKind.LESION


@attrs.frozen(kw_only=True)
class DiagramAnnotation:
    """A numbered mark on a body diagram at a finding's position (IP22 ¶356(iii), annex III).

    Attributes:
        annotation_id: identifier inside the document.
        finding: the finding it marks, by identifier.
        view: the diagram view.
        x: horizontal position, 0 (left edge) to 10000 (right edge) of the view's frame.
        y: vertical position, 0 (top) to 10000 (bottom).
        number: the number printed at the mark and in the legend.
    """

    annotation_id: str = local_id()
    finding: str = reference()
    view: DiagramView = choice(DiagramView)
    x: int = count(maximum=DIAGRAM_SCALE)
    y: int = count(maximum=DIAGRAM_SCALE)
    number: int = count(minimum=1, maximum=999)


@attrs.frozen(kw_only=True)
class Photograph:
    """A photograph taken in the evaluation, linked to its evidence item from intake.

    Attributes:
        photo_id: identifier inside the document.
        item: the evidence item of the original file in the case, by reference.
        sha256: SHA-256 of the original bytes (hexadecimal), as recorded at intake.
        media_type: the file's media type.
        captured_at: when it was taken.
        captured_by: the evaluator who took it, by identifier.
        role: identification, orientation, close-up...
        scale_present: whether a scale is in the frame (IP22 ¶402).
        colour_reference_present: whether a colour reference is in the frame (IP22 ¶402).
        intimate: whether it shows intimate parts (restricted viewing).
        location_metadata: how much location the original file carries.
        consents: the consent records it relies on, by identifier.
        findings: the findings it shows, by identifier.
        scale_type: the scale used.
        colour_reference_type: the colour reference used.
        missing_reference_reason: why a close-up has no scale or colour reference.
        lighting: the lighting.
        body_region: the region shown.
        device: camera or phone, app and version.
        derived_from: the photograph this one was made from, by identifier.
        transformation: how it was made from it (crop, redaction, format conversion).
        quality_flags: known defects.
    """

    photo_id: str = local_id()
    item: str = short()
    sha256: str = hex_digest()
    media_type: str = short()
    captured_at: datetime = moment()
    captured_by: str = reference()
    role: PhotoRole = choice(PhotoRole)
    scale_present: bool = flag()
    colour_reference_present: bool = flag()
    intimate: bool = flag()
    location_metadata: LocationMetadata = choice(LocationMetadata)
    consents: tuple[str, ...] = references(at_least=1)
    findings: tuple[str, ...] = references()
    scale_type: ScaleType | None = optional_choice(ScaleType)
    colour_reference_type: str | None = optional_short()
    missing_reference_reason: str | None = optional_text()
    lighting: Lighting | None = optional_choice(Lighting)
    body_region: BodyRegion | None = optional_choice(BodyRegion)
    device: str | None = optional_short()
    derived_from: str | None = optional_reference()
    transformation: str | None = optional_short()
    quality_flags: tuple[QualityFlag, ...] = members(QualityFlag)

    def __attrs_post_init__(self) -> None:
        problems: list[FieldConflict] = []
        if (self.derived_from is None) != (self.transformation is None):
            problems.append(
                (
                    "transformation",
                    "a derived photograph names both its origin and the transformation",
                )
            )
        refuse_inconsistencies(problems)


@attrs.frozen(kw_only=True)
class Sample:
    """A biological or physical sample, itself an evidence item under custody (IP22 ¶227).

    Attributes:
        sample_id: identifier inside the document.
        item: the physical evidence item in the case, by reference.
        type: what was sampled.
        collected_at: when.
        collected_by: the evaluator who collected it, by identifier.
        consent: the biological-sampling consent it relies on, by identifier.
        method: how it was collected.
        container: what it is kept in.
        seal: the number of the seal on the container.
        label_text: what the label says.
        storage: dry ambient, refrigerated or frozen.
        analyses: what it was collected for.
        site: where on the body it was taken from.
        results: what the analyses found.
    """

    sample_id: str = local_id()
    item: str = short()
    type: SampleType = choice(SampleType)
    collected_at: datetime = moment()
    collected_by: str = reference()
    consent: str = reference()
    method: str = short()
    container: str = short()
    seal: str = short()
    label_text: str = short()
    storage: SampleStorage = choice(SampleStorage)
    analyses: tuple[Analysis, ...] = members(Analysis, at_least=1)
    site: str | None = optional_short()
    results: str | None = optional_text()


@attrs.frozen(kw_only=True)
class DiagnosticTest:
    """A diagnostic test (imaging, laboratory) and its result.

    Attributes:
        test_id: identifier inside the document.
        name: the test.
        performed_at: when.
        result: what it found.
        consent: the consent it relies on, by identifier.
        findings: the findings it concerns, by identifier.
    """

    test_id: str = local_id()
    name: str = short()
    performed_at: datetime = moment()
    result: str = text()
    consent: str | None = optional_reference()
    findings: tuple[str, ...] = references()
