#!/usr/bin/env python3
"""The burned-in text evaluation set: secondary captures like perfusion summary maps (coloured maps over a
head-shaped phantom) with the patient's name, ID, birth date and accession rendered into the pixels at
several sizes, in two fonts, light on dark and dark on light; and each image again without its text.
Rendered by pillow, independently of the code that finds the text.

Usage: make-burned-in-set.py FOLDER [--sizes 10,12,14,20,28,40]
Writes FOLDER/with-text/*.dcm, FOLDER/without-text/*.dcm (same names) and FOLDER/truth.json: per image,
the identifying strings drawn and their boxes."""
import argparse, json, math
from pathlib import Path
from PIL import Image, ImageDraw, ImageFont
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

FONTS = {"sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
         "serif": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"}
PATIENTS = [("DUPONT^JEAN", "4829173", "19610312", "ACC55012"), ("KERBRAT^MAËLLE", "7730461", "19750928", "ACC90377"),
            ("LE GOFF^YANN", "5518820", "19880104", "ACC31145")]


def phantom(width, height, dark):
    """A head-shaped ellipse holding smooth coloured blobs, like a CBF map, right of the caption margin."""
    image = Image.new("RGB", (width, height), (0, 0, 0) if dark else (235, 235, 235))
    pixels = image.load()
    cx, cy = width * 0.72, height * 0.55
    for y in range(height):
        for x in range(width):
            e = ((x - cx) / (width * 0.24)) ** 2 + ((y - cy) / (height * 0.42)) ** 2
            if e < 1:
                v = 0.5 + 0.5 * math.sin(x / 17.0) * math.cos(y / 23.0)
                pixels[x, y] = (int(255 * v), int(180 * (1 - abs(v - 0.5) * 2)), int(255 * (1 - v)))
    return image


def write(path, image, patient, uid_seed):
    name, pid, birth, accession = patient
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=[uid_seed])
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = generate_uid(entropy_srcs=[pid])
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=[pid, "maps"])
    ds.Modality, ds.ConversionType, ds.BurnedInAnnotation = "OT", "WSD", "YES"
    ds.PatientName, ds.PatientID, ds.PatientBirthDate, ds.AccessionNumber = name, pid, birth, accession
    ds.StudyDate, ds.SeriesDescription = "20261203", "CBF summary map"
    ds.Rows, ds.Columns = image.height, image.width
    ds.SamplesPerPixel, ds.PhotometricInterpretation, ds.PlanarConfiguration = 3, "RGB", 0
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    ds.PixelData = image.tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.save_as(path, enforce_file_format=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--sizes", default="10,12,14,20,28,40")
    args = parser.parse_args()
    folder = Path(args.folder)
    truth = {}
    index = 0
    for size in [int(s) for s in args.sizes.split(",")]:
        for font_name, font_path in FONTS.items():
            for dark in (True, False):
                patient = PATIENTS[index % len(PATIENTS)]
                index += 1
                name, pid, birth, accession = patient
                family, given = name.split("^")
                # (label, identifying value): the truth is the value's box; labels identify nobody.
                strings = [("", f"{family} {given}"), ("ID: ", pid), ("Né le ", f"{birth[6:]}/{birth[4:6]}/{birth[:4]}"), ("", accession)]
                base = phantom(768, 512, dark)
                drawn = base.copy()
                draw = ImageDraw.Draw(drawn)
                font = ImageFont.truetype(font_path, size)
                colour = (255, 255, 255) if dark else (0, 0, 0)
                boxes, y = [], 6
                for label, value in strings:
                    draw.text((8, y), label + value, font=font, fill=colour)
                    start = 8 + draw.textlength(label, font=font)
                    left, top, right, bottom = draw.textbbox((start, y), value, font=font)
                    boxes.append({"text": value, "box": [int(left), int(top), int(right - left) + 1, int(bottom - top) + 1]})
                    y += int(size * 1.35) + 2
                # A legend that identifies nobody, at the bottom left.
                draw.text((8, 512 - size - 8), "CBF mL/100g/min", font=font, fill=colour)
                case = f"{size:02d}px-{font_name}-{'light-on-dark' if dark else 'dark-on-light'}"
                write(folder / "with-text" / f"{case}.dcm", drawn, patient, case)
                write(folder / "without-text" / f"{case}.dcm", base, patient, case + "-plain")
                truth[case] = {"size": size, "strings": boxes}
    (folder / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
