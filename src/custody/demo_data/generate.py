"""Draw the demo's four sample photographs (``IMG_0001.jpg`` .. ``IMG_0004.jpg``).

They were generated once with this script and committed; ``custody demo`` takes the
committed files into its case, so their SHA-256 never changes. Every picture is synthetic
and fictional: drawn shapes, no person, no face. Each carries EXIF with the camera make and
model ``custody demo`` and a capture time on 2 March 2026 (UTC+01:00), and no GPS position.

The four stand in for the photographs the sample evaluation names
(``custody.medical.sample_evaluation``): identification, orientation of the upper back,
a close-up of the upper back with a scale and colour patches, and a close-up of the wrist
with a ruler.

Run:  python src/custody/demo_data/generate.py [DIRECTORY]   (default: beside this file)
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

SIZE = (640, 480)
SKIN = (196, 150, 120)
BRUISE = (120, 70, 110)
CAMERA = "custody demo"
FONT = ImageFont.load_default(size=15)
SMALL = ImageFont.load_default(size=11)


def _exif(minute: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = CAMERA  # Make
    exif[0x0110] = CAMERA  # Model
    exif[0x010E] = "Synthetic demonstration image (fictional)"  # ImageDescription
    details = exif.get_ifd(0x8769)  # the Exif IFD
    details[0x9003] = f"2026:03:02 11:{minute:02d}:00"  # DateTimeOriginal
    details[0x9011] = "+01:00"  # OffsetTimeOriginal
    return exif


def _caption(draw: ImageDraw.ImageDraw, text: str) -> None:
    draw.rectangle((0, 446, 640, 480), fill=(245, 245, 240))
    draw.text((12, 454), f"FICTIONAL DEMO IMAGE - {text}", fill=(40, 40, 40), font=FONT)


def _ruler(draw: ImageDraw.ImageDraw, x: int, y: int, millimetres: int, step: float) -> None:
    """A horizontal ruler: a white strip with a tick per millimetre, labelled per centimetre."""
    length = round(millimetres * step)
    draw.rectangle((x, y, x + length + 8, y + 34), fill=(250, 250, 245), outline=(30, 30, 30))
    for mm in range(millimetres + 1):
        tick_x = x + 4 + round(mm * step)
        tall = 16 if mm % 10 == 0 else 10 if mm % 5 == 0 else 6
        draw.line((tick_x, y, tick_x, y + tall), fill=(20, 20, 20), width=1)
        if mm % 10 == 0:
            draw.text((tick_x - 3, y + 18), str(mm // 10), fill=(20, 20, 20), font=SMALL)


def _bruise(
    image: Image.Image, box: tuple[int, int, int, int], colour: tuple[int, int, int]
) -> None:
    """A soft-edged oval blended into the skin."""
    mask = Image.new("L", SIZE, 0)
    ImageDraw.Draw(mask).ellipse(box, fill=170)
    mask = mask.filter(ImageFilter.GaussianBlur(9))
    image.paste(Image.new("RGB", SIZE, colour), (0, 0), mask)


def identification() -> Image.Image:
    """A grey head-and-shoulders silhouette before a height chart: no face is drawn."""
    image = Image.new("RGB", SIZE, (214, 220, 226))
    draw = ImageDraw.Draw(image)
    for n, y in enumerate(range(40, 440, 40)):
        draw.line((40, y, 600, y), fill=(180, 188, 196), width=1)
        draw.text((44, y - 16), f"{190 - 10 * n} cm", fill=(110, 118, 126), font=SMALL)
    draw.ellipse((255, 90, 385, 240), fill=(120, 126, 134))
    draw.rounded_rectangle((180, 250, 460, 446), radius=60, fill=(120, 126, 134))
    draw.rectangle((292, 228, 348, 262), fill=(120, 126, 134))
    draw.rectangle((470, 60, 610, 120), fill=(255, 255, 255), outline=(60, 60, 60))
    draw.text((480, 68), "NPM-2026-031", fill=(30, 30, 30), font=FONT)
    draw.text((480, 92), "subject S-1", fill=(30, 30, 30), font=FONT)
    _caption(draw, "identification (silhouette)")
    return image


def orientation() -> Image.Image:
    """A body-diagram-like outline of the back with the region of the finding marked."""
    image = Image.new("RGB", SIZE, (236, 232, 224))
    draw = ImageDraw.Draw(image)
    outline = (70, 60, 55)
    draw.ellipse((285, 30, 355, 110), fill=SKIN, outline=outline, width=3)
    draw.polygon(
        [(250, 120), (390, 120), (430, 170), (410, 420), (230, 420), (210, 170)],
        fill=SKIN,
        outline=outline,
    )
    draw.polygon([(210, 170), (250, 120), (200, 330), (175, 325)], fill=SKIN, outline=outline)
    draw.polygon([(430, 170), (390, 120), (440, 330), (465, 325)], fill=SKIN, outline=outline)
    draw.line((320, 125, 320, 410), fill=(160, 120, 100), width=2)  # the spine
    _bruise(image, (262, 168, 318, 222), BRUISE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((250, 156, 330, 234), outline=(200, 30, 30), width=3)
    draw.line((330, 195, 470, 195), fill=(200, 30, 30), width=2)
    draw.text((476, 186), "F1 upper back", fill=(200, 30, 30), font=FONT)
    _caption(draw, "orientation, upper back")
    return image


def back_close_up() -> Image.Image:
    """Skin with an oval bruise, an L-shaped scale and grey and colour reference patches."""
    image = Image.new("RGB", SIZE, SKIN)
    _bruise(image, (220, 130, 420, 290), BRUISE)
    _bruise(image, (260, 160, 380, 260), (90, 50, 90))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 330, 540, 372), fill=(250, 250, 245), outline=(30, 30, 30))
    draw.rectangle((60, 60, 102, 372), fill=(250, 250, 245), outline=(30, 30, 30))
    for mm in range(0, 87):
        x = 104 + mm * 5
        tall = 16 if mm % 10 == 0 else 8
        draw.line((x, 330, x, 330 + tall), fill=(20, 20, 20))
    for mm in range(0, 54):
        y = 328 - mm * 5
        tall = 16 if mm % 10 == 0 else 8
        draw.line((102 - tall, y, 102, y), fill=(20, 20, 20))
    for n, grey in enumerate((30, 90, 150, 210)):
        draw.rectangle((140 + 44 * n, 386, 178 + 44 * n, 424), fill=(grey, grey, grey))
    colours = ((200, 40, 40), (40, 160, 60), (40, 70, 190), (230, 200, 40), (250, 250, 250))
    for n, colour in enumerate(colours):
        draw.rectangle((330 + 44 * n, 386, 368 + 44 * n, 424), fill=colour, outline=(30, 30, 30))
    draw.text((440, 340), "scale in mm", fill=(20, 20, 20), font=SMALL)
    _caption(draw, "close-up F1 with scale")
    return image


def wrist_close_up() -> Image.Image:
    """A forearm with a band-like mark around the wrist and a ruler beside it."""
    image = Image.new("RGB", SIZE, (60, 90, 110))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((-40, 140, 700, 300), radius=70, fill=SKIN)
    _bruise(image, (300, 136, 360, 304), (150, 70, 70))
    draw = ImageDraw.Draw(image)
    _ruler(draw, 150, 340, 80, 4.0)
    draw.text((490, 348), "ruler, cm", fill=(240, 240, 240), font=FONT)
    _caption(draw, "close-up F2 wrist with ruler")
    return image


PHOTOGRAPHS: dict[str, tuple[Callable[[], Image.Image], int]] = {
    "IMG_0001.jpg": (identification, 0),
    "IMG_0002.jpg": (orientation, 1),
    "IMG_0003.jpg": (back_close_up, 2),
    "IMG_0004.jpg": (wrist_close_up, 3),
}


def main(directory: Path) -> None:
    for name, (draw, minute) in PHOTOGRAPHS.items():
        draw().save(directory / name, "JPEG", quality=82, optimize=True, exif=_exif(minute))
        print(f"{name}: {(directory / name).stat().st_size} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
