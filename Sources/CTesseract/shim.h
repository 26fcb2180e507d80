// Tesseract's C API (Debian's libtesseract-dev), for the OCR of burned-in text.
#include <tesseract/capi.h>
