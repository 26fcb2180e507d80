// Changing a dataset's transfer syntax through DCMTK's registered codecs.
#include "shim_internal.h"

#include "dcmtk/dcmjpeg/djrplol.h"
#include "dcmtk/dcmjpls/djrparam.h"

using shim::fail;
using shim::guarded;

extern "C" int dsh_change_transfer_syntax(dsh_object *object, const char *transfer_syntax_uid, int near,
                                          dsh_error *error) {
    return guarded(error, [&]() -> int {
        DcmXfer target(transfer_syntax_uid);
        E_TransferSyntax xfer = target.getXfer();
        if (xfer == EXS_Unknown) return fail(error, std::string("unknown transfer syntax ") + transfer_syntax_uid);
        DcmDataset *dataset = object->file.getDataset();

        // Deflate is a stream encoding of explicit little endian: decode the pixels, deflate when writing.
        E_TransferSyntax representation = xfer == EXS_DeflatedLittleEndianExplicit ? EXS_LittleEndianExplicit : xfer;
        DJ_RPLossless jpegLossless(1, 0);
        DJLSRepresentationParameter jpegLS(static_cast<Uint16>(near > 0 ? near : 0), near <= 0);
        const DcmRepresentationParameter *parameter = nullptr;
        if (representation == EXS_JPEGProcess14SV1) parameter = &jpegLossless;
        if (representation == EXS_JPEGLSLossless || representation == EXS_JPEGLSLossy) parameter = &jpegLS;

        OFCondition condition = dataset->chooseRepresentation(representation, parameter);
        if (condition.bad()) return fail(error, condition, std::string("cannot convert to ") + target.getXferName());
        if (!dataset->canWriteXfer(xfer))
            return fail(error, std::string("no codec converts this object to ") + target.getXferName());
        // Drop the other representations so the written object and memory use reflect only the target.
        dataset->removeAllButCurrentRepresentations();
        object->deflated = xfer == EXS_DeflatedLittleEndianExplicit;
        return DSH_OK;
    });
}
