#!/usr/bin/env python3
"""Scores dcm-anon --clean-pixels auto on the burned-in text set (scripts/make-burned-in-set.py).

Usage: evaluate-burned-in.py SET CLEANED_WITH_TEXT CLEANED_WITHOUT_TEXT
A drawn string counts as removed when its ink (the pixels where the image with text differs from the same
image without it, inside the string's box) is gone from the output: at least 90% of the ink pixels changed or
are now blank (zero, the fill dcm-anon blanks with), and so is the rest of the box. Prints JSON: recall per text
size, the strings missed, and the images without text whose pixels changed at all (with how many)."""
import json, sys
from pathlib import Path
import numpy as np
import pydicom


def pixels(path):
    return pydicom.dcmread(path).pixel_array.astype(np.int32)


def main():
    folder, with_out, without_out = (Path(p) for p in sys.argv[1:4])
    truth = json.loads((folder / "truth.json").read_text())
    by_size, missed, changed, missing = {}, [], {}, []
    for case, entry in sorted(truth.items()):
        name = f"{case}.dcm"
        original, plain = pixels(folder / "with-text" / name), pixels(folder / "without-text" / name)
        total, removed = by_size.setdefault(str(entry["size"]), [0, 0]), None
        cleaned_path = with_out / name
        cleaned = pixels(cleaned_path) if cleaned_path.exists() else None
        if cleaned is None:
            missing.append(case)
        for string in entry["strings"]:
            x, y, w, h = string["box"]
            ink = np.any(original[y:y + h, x:x + w] != plain[y:y + h, x:x + w], axis=-1)
            total[0] += 1
            if cleaned is None:
                continue
            region, before = cleaned[y:y + h, x:x + w], original[y:y + h, x:x + w]
            blanked = np.all(region == 0, axis=-1) | np.any(region != before, axis=-1)
            # Black text blanked with black is gone too: what counts is that the whole box no longer shows it.
            if ink.sum() and (blanked & ink).sum() / ink.sum() >= 0.9 and blanked.mean() >= 0.9:
                total[1] += 1
            else:
                missed.append(f"{case}: {string['text']}")
        plain_out = without_out / name
        if plain_out.exists():
            difference = int(np.any(pixels(plain_out) != plain, axis=-1).sum())
            if difference:
                changed[case] = difference
        else:
            missing.append(case + " (without text)")
    recall = {size: round(found / count, 4) if count else None for size, (count, found) in sorted(by_size.items(), key=lambda i: int(i[0]))}
    print(json.dumps({"recall": recall, "missed": missed, "changed_without_text": changed, "refused": missing}, ensure_ascii=False))


if __name__ == "__main__":
    main()
