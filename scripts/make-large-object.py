#!/usr/bin/env python3
"""A CT object with PIXEL_BYTES of zero pixels (a multiple of 2,000,000: frames of 1000x1000 16-bit),
uncompressed, or Deflated with "deflate" (a few hundred KB that inflate to the full size: a decompression
bomb). Written by hand, a MiB at a time, so that the generator never holds the object in memory.
Usage: make-large-object.py PATH PIXEL_BYTES [deflate]"""
import sys, zlib
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_dataset, write_file_meta_info

path, pixel_bytes = sys.argv[1], int(sys.argv[2])
deflate = len(sys.argv) > 3 and sys.argv[3] == "deflate"
meta = FileMetaDataset()
meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
meta.MediaStorageSOPInstanceUID = "2.25.%d%d" % (pixel_bytes, 7 if deflate else 1)
meta.TransferSyntaxUID = "1.2.840.10008.1.2.1.99" if deflate else "1.2.840.10008.1.2.1"
ds = Dataset()
ds.SOPClassUID = meta.MediaStorageSOPClassUID
ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
ds.Modality = "CT"
ds.Rows, ds.Columns, ds.NumberOfFrames = 1000, 1000, pixel_bytes // 2000000
ds.BitsAllocated = ds.BitsStored = 16
ds.HighBit, ds.PixelRepresentation, ds.SamplesPerPixel = 15, 0, 1
ds.PhotometricInterpretation = "MONOCHROME2"


def encoded(write, value):
    buffer = DicomBytesIO()
    buffer.is_little_endian, buffer.is_implicit_VR = True, False
    write(buffer, value)
    return buffer.getvalue()


with open(path, "wb") as out:
    out.write(b"\0" * 128 + b"DICM" + encoded(write_file_meta_info, meta))
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15) if deflate else None
    emit = (lambda data: out.write(compressor.compress(data))) if deflate else out.write
    emit(encoded(write_dataset, ds) + b"\xe0\x7f\x10\x00OW\0\0" + pixel_bytes.to_bytes(4, "little"))
    chunk = b"\0" * (1 << 20)
    for _ in range(pixel_bytes >> 20):
        emit(chunk)
    emit(b"\0" * (pixel_bytes & ((1 << 20) - 1)))
    if deflate:
        out.write(compressor.flush())
