#!/usr/bin/env python3
"""Objects that hide their patient's name where a careless de-identification leaves it: in text the profile's
table keeps (Content Description), in every Specific Character Set French and foreign sites send, Deflated,
and with short or ideographic names. Written by pydicom, an encoder independent of DCMTK.
Usage: make-charset-objects.py FOLDER (one file per case, named after it)."""
import sys
from pathlib import Path
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, DeflatedExplicitVRLittleEndian, generate_uid

folder = Path(sys.argv[1])
folder.mkdir(parents=True, exist_ok=True)


def make(name, charset, patient, content, study_description="", sop_class="1.2.840.10008.5.1.4.1.1.7", deflated=False):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=[name])
    meta.TransferSyntaxUID = DeflatedExplicitVRLittleEndian if deflated else ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    if charset:
        ds.SpecificCharacterSet = charset
    ds.SOPClassUID, ds.SOPInstanceUID = sop_class, meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = generate_uid(entropy_srcs=[name, "study"])
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=[name, "series"])
    ds.Modality = "PR" if sop_class.endswith("11.1") else "OT"
    ds.PatientName, ds.PatientID, ds.PatientBirthDate = patient, "IPP-%s" % name.upper(), "19610203"
    ds.StudyDate, ds.AccessionNumber = "20261201", "ACC77" + name[:3].upper()
    ds.StudyDescription = study_description
    ds.ContentDescription = content  # (0070,0081): not listed in PS3.15 Table E.1-1
    ds.ContentLabel = "REVIEW"
    ds.save_as(folder / f"{name}.dcm", enforce_file_format=True)


make("latin1", "ISO_IR 100", "MÜLLER^Jürgen", "Suivi Müller", "Größe Müller")
make("latin1-deflated", "ISO_IR 100", "MÜLLER^Jürgen", "Suivi Müller", "Größe Müller", deflated=True)
make("utf8", "ISO_IR 192", "Müller^Jürgen", "Suivi Müller", "Größe Müller")
make("jis", ["", "ISO 2022 IR 87"], "Yamada^Tarou=山田^太郎", "山田太郎 再検査", "頭部 山田")
make("gb18030", "GB18030", "Wang^XiaoDong=王^小东", "王小东 复查", "头部")
make("two-letters", "ISO_IR 100", "Li^Na", "Follow-up Li Na", "Follow-up Li Na")
make("presentation-state", "ISO_IR 100", "KERBRAT^Yann", "for KERBRAT review", sop_class="1.2.840.10008.5.1.4.1.1.11.1")
