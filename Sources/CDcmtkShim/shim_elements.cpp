// Element access: listing every element with its path, and get/set/delete by path.
#include "shim_internal.h"

#include "dcmtk/dcmdata/dcpath.h"
#include "dcmtk/dcmdata/dcpixseq.h"
#include "dcmtk/dcmdata/dcpxitem.h"

#include <cstdio>
#include <vector>

using shim::copyString;
using shim::fail;
using shim::guarded;

namespace {

struct Step {
    DcmTagKey key;
    long item = -1; // -1: no item index (the leaf)
};

bool parsePath(const char *path, std::vector<Step> &steps) {
    const char *cursor = path;
    while (*cursor != '\0') {
        unsigned group = 0, element = 0;
        int consumed = 0;
        if (std::sscanf(cursor, "(%4x,%4x)%n", &group, &element, &consumed) != 2 || consumed != 11) return false;
        cursor += consumed;
        Step step;
        step.key = DcmTagKey(static_cast<Uint16>(group), static_cast<Uint16>(element));
        if (*cursor == '[') {
            char *end = nullptr;
            step.item = std::strtol(cursor + 1, &end, 10);
            if (end == cursor + 1 || *end != ']' || step.item < 0) return false;
            cursor = end + 1;
        }
        steps.push_back(step);
        if (*cursor == '.') ++cursor;
        else if (*cursor != '\0') return false;
    }
    return !steps.empty();
}

DcmItem *rootFor(dsh_object *object, const std::vector<Step> &steps) {
    if (steps.front().key.getGroup() == 0x0002) return object->file.getMetaInfo();
    return object->file.getDataset();
}

// Follows every step but the last; creates missing sequences and items when asked. Returns the item that
// holds (or will hold) the leaf, or nullptr with *status set.
DcmItem *parentItem(dsh_object *object, const std::vector<Step> &steps, bool create, int *status,
                    dsh_error *error) {
    DcmItem *item = rootFor(object, steps);
    for (size_t index = 0; index + 1 < steps.size(); ++index) {
        const Step &step = steps[index];
        if (step.item < 0) {
            *status = fail(error, "path step without an item index before its end");
            return nullptr;
        }
        DcmElement *element = nullptr;
        DcmSequenceOfItems *sequence = nullptr;
        if (item->findAndGetElement(step.key, element, OFFalse).good() && element != nullptr) {
            if (element->ident() != EVR_SQ) {
                *status = fail(error, std::string(DcmTag(step.key).toString().c_str()) + " is not a sequence");
                return nullptr;
            }
            sequence = static_cast<DcmSequenceOfItems *>(element);
        } else {
            if (!create) {
                *status = DSH_NOT_FOUND;
                return nullptr;
            }
            sequence = new DcmSequenceOfItems(DcmTag(step.key, EVR_SQ));
            OFCondition inserted = item->insert(sequence, OFTrue);
            if (inserted.bad()) {
                delete sequence;
                *status = fail(error, inserted);
                return nullptr;
            }
        }
        const unsigned long count = sequence->card();
        if (static_cast<unsigned long>(step.item) >= count) {
            if (!create || static_cast<unsigned long>(step.item) > count) {
                *status = create ? fail(error, "item index beyond the end of the sequence") : DSH_NOT_FOUND;
                return nullptr;
            }
            sequence->append(new DcmItem());
        }
        item = sequence->getItem(static_cast<unsigned long>(step.item));
    }
    return item;
}

int findLeaf(dsh_object *object, const char *path, DcmElement *&leaf, dsh_error *error) {
    std::vector<Step> steps;
    if (!parsePath(path, steps)) return fail(error, std::string("malformed element path: ") + path);
    int status = DSH_OK;
    DcmItem *item = parentItem(object, steps, false, &status, error);
    if (item == nullptr) return status;
    if (item->findAndGetElement(steps.back().key, leaf, OFFalse).bad() || leaf == nullptr) return DSH_NOT_FOUND;
    return DSH_OK;
}

bool isBinaryVR(DcmEVR vr) {
    switch (vr) {
    case EVR_OB: case EVR_OW: case EVR_OF: case EVR_OD: case EVR_OL: case EVR_OV: case EVR_UN:
    case EVR_SQ: case EVR_PixelData: case EVR_OverlayData: case EVR_ox: case EVR_px: case EVR_pixelSQ:
        return true;
    default:
        return false;
    }
}

DcmPixelSequence *encapsulatedPixels(DcmElement *element) {
    if (element->ident() != EVR_PixelData) return nullptr;
    auto *pixels = static_cast<DcmPixelData *>(element);
    DcmPixelSequence *sequence = nullptr;
    E_TransferSyntax xfer = EXS_Unknown;
    const DcmRepresentationParameter *parameter = nullptr;
    pixels->getCurrentRepresentationKey(xfer, parameter);
    if (!DcmXfer(xfer).isEncapsulated()) return nullptr;
    if (pixels->getEncapsulatedRepresentation(xfer, parameter, sequence).bad()) return nullptr;
    return sequence;
}

struct Lister {
    std::vector<dsh_element> elements;

    void add(DcmElement *element, const std::string &path, uint32_t depth, bool inMeta) {
        dsh_element entry{};
        const DcmTag &tag = element->getTag();
        entry.path = copyString(path);
        entry.group = tag.getGroup();
        entry.element = tag.getElement();
        DcmVR vr(element->getVR());
        const char *name = vr.getValidVRName();
        std::snprintf(entry.vr, sizeof entry.vr, "%s", name != nullptr ? name : "UN");
        entry.length = element->getLength();
        entry.depth = depth;
        entry.in_meta = inMeta ? 1 : 0;
        entry.encapsulated = encapsulatedPixels(element) != nullptr ? 1 : 0;
        if (element->ident() == EVR_SQ) {
            entry.item_count = static_cast<uint32_t>(static_cast<DcmSequenceOfItems *>(element)->card());
            entry.length = static_cast<DcmSequenceOfItems *>(element)->getLengthField();
        }
        if (!isBinaryVR(element->getVR()) && element->ident() != EVR_SQ) {
            OFString text;
            if (element->getOFStringArray(text).good()) entry.value = copyString(text.c_str());
        }
        elements.push_back(entry);
    }

    void walk(DcmItem *item, const std::string &prefix, uint32_t depth, bool inMeta) {
        const unsigned long count = item->card();
        for (unsigned long index = 0; index < count; ++index) {
            DcmElement *element = item->getElement(index);
            if (element == nullptr) continue;
            char tag[16];
            std::snprintf(tag, sizeof tag, "(%04X,%04X)", element->getTag().getGroup(),
                          element->getTag().getElement());
            const std::string path = prefix + tag;
            add(element, path, depth, inMeta);
            if (element->ident() != EVR_SQ) continue;
            auto *sequence = static_cast<DcmSequenceOfItems *>(element);
            for (unsigned long itemIndex = 0; itemIndex < sequence->card(); ++itemIndex)
                walk(sequence->getItem(itemIndex), path + "[" + std::to_string(itemIndex) + "].", depth + 1,
                     inMeta);
        }
    }
};

int copyOut(const std::vector<uint8_t> &data, uint8_t **bytes, size_t *length, dsh_error *error) {
    auto *result = static_cast<uint8_t *>(std::malloc(data.empty() ? 1 : data.size()));
    if (result == nullptr) return fail(error, "out of memory");
    if (!data.empty()) std::memcpy(result, data.data(), data.size());
    *bytes = result;
    *length = data.size();
    return DSH_OK;
}

} // namespace

extern "C" int dsh_list(dsh_object *object, dsh_element **elements, size_t *count, dsh_error *error) {
    return guarded(error, [&]() -> int {
        Lister lister;
        lister.walk(object->file.getMetaInfo(), "", 0, true);
        lister.walk(object->file.getDataset(), "", 0, false);
        auto *result = static_cast<dsh_element *>(std::calloc(lister.elements.size() + 1, sizeof(dsh_element)));
        if (result == nullptr) return fail(error, "out of memory");
        std::copy(lister.elements.begin(), lister.elements.end(), result);
        *elements = result;
        *count = lister.elements.size();
        return DSH_OK;
    });
}

extern "C" void dsh_list_free(dsh_element *elements, size_t count) {
    if (elements == nullptr) return;
    for (size_t index = 0; index < count; ++index) {
        std::free(elements[index].path);
        std::free(elements[index].value);
    }
    std::free(elements);
}

extern "C" int dsh_get_string(dsh_object *object, const char *path, char **value, dsh_error *error) {
    return guarded(error, [&]() -> int {
        DcmElement *leaf = nullptr;
        int status = findLeaf(object, path, leaf, error);
        if (status != DSH_OK) return status;
        if (leaf->ident() == EVR_SQ || isBinaryVR(leaf->getVR()))
            return fail(error, std::string(path) + " has no text value (VR " + DcmVR(leaf->getVR()).getVRName() + ")");
        OFString text;
        OFCondition condition = leaf->getOFStringArray(text);
        if (condition.bad()) return fail(error, condition, path);
        *value = copyString(text.c_str());
        return DSH_OK;
    });
}

extern "C" int dsh_get_bytes(dsh_object *object, const char *path, uint8_t **bytes, size_t *length,
                             dsh_error *error) {
    return guarded(error, [&]() -> int {
        DcmElement *leaf = nullptr;
        int status = findLeaf(object, path, leaf, error);
        if (status != DSH_OK) return status;
        if (leaf->ident() == EVR_SQ) return fail(error, std::string(path) + " is a sequence");
        std::vector<uint8_t> data;
        if (DcmPixelSequence *sequence = encapsulatedPixels(leaf)) {
            for (unsigned long index = 0; index < sequence->card(); ++index) {
                DcmPixelItem *fragment = nullptr;
                if (sequence->getItem(fragment, index).bad() || fragment == nullptr) continue;
                Uint8 *fragmentBytes = nullptr;
                if (fragment->getUint8Array(fragmentBytes).bad()) continue;
                if (fragmentBytes != nullptr)
                    data.insert(data.end(), fragmentBytes, fragmentBytes + fragment->getLength());
            }
            return copyOut(data, bytes, length, error);
        }
        const Uint32 size = leaf->getLength();
        data.resize(size);
        if (size > 0) {
            OFCondition condition = leaf->getPartialValue(data.data(), 0, size, nullptr, EBO_LittleEndian);
            if (condition.bad()) return fail(error, condition, path);
        }
        return copyOut(data, bytes, length, error);
    });
}

namespace {

// Finds or creates the leaf element; an existing element keeps its VR, a new one takes vr or the dictionary's.
int leafForWriting(dsh_object *object, const char *path, const char *vr, DcmElement *&leaf, dsh_error *error) {
    std::vector<Step> steps;
    if (!parsePath(path, steps)) return fail(error, std::string("malformed element path: ") + path);
    if (steps.back().item >= 0) return fail(error, std::string("path names an item, not an element: ") + path);
    int status = DSH_OK;
    DcmItem *item = parentItem(object, steps, true, &status, error);
    if (item == nullptr) return status;
    if (item->findAndGetElement(steps.back().key, leaf, OFFalse).good() && leaf != nullptr) return DSH_OK;
    DcmTag tag(steps.back().key);
    if (vr != nullptr) tag.setVR(DcmVR(vr));
    OFCondition condition = DcmItem::newDicomElementWithVR(leaf, tag);
    if (condition.bad() || leaf == nullptr) return fail(error, condition, path);
    condition = item->insert(leaf, OFTrue);
    if (condition.bad()) {
        delete leaf;
        leaf = nullptr;
        return fail(error, condition, path);
    }
    return DSH_OK;
}

} // namespace

extern "C" int dsh_set_string(dsh_object *object, const char *path, const char *vr, const char *value,
                              dsh_error *error) {
    return guarded(error, [&]() -> int {
        DcmElement *leaf = nullptr;
        int status = leafForWriting(object, path, vr, leaf, error);
        if (status != DSH_OK) return status;
        OFCondition condition = leaf->putString(value);
        if (condition.bad()) return fail(error, condition, path);
        return DSH_OK;
    });
}

extern "C" int dsh_set_bytes(dsh_object *object, const char *path, const char *vr, const uint8_t *bytes,
                             size_t length, dsh_error *error) {
    return guarded(error, [&]() -> int {
        if (length > 0xFFFFFFF0u) return fail(error, std::string(path) + ": value too long");
        DcmElement *leaf = nullptr;
        int status = leafForWriting(object, path, vr, leaf, error);
        if (status != DSH_OK) return status;
        OFCondition condition;
        if (leaf->getVR() == EVR_OW || (leaf->ident() == EVR_PixelData && leaf->getVR() != EVR_OB)) {
            if (length % 2 != 0) return fail(error, std::string(path) + ": odd length for OW");
            std::vector<Uint16> words(length / 2);
            for (size_t index = 0; index < words.size(); ++index)
                words[index] = static_cast<Uint16>(bytes[2 * index] | (bytes[2 * index + 1] << 8));
            condition = leaf->putUint16Array(words.data(), static_cast<unsigned long>(words.size()));
        } else {
            condition = leaf->putUint8Array(bytes, static_cast<unsigned long>(length));
        }
        if (condition.bad()) return fail(error, condition, path);
        return DSH_OK;
    });
}

extern "C" int dsh_append_item(dsh_object *object, const char *sequence_path, uint32_t *index, dsh_error *error) {
    return guarded(error, [&]() -> int {
        DcmElement *leaf = nullptr;
        int status = leafForWriting(object, sequence_path, "SQ", leaf, error);
        if (status != DSH_OK) return status;
        if (leaf->ident() != EVR_SQ) return fail(error, std::string(sequence_path) + " is not a sequence");
        auto *sequence = static_cast<DcmSequenceOfItems *>(leaf);
        OFCondition condition = sequence->append(new DcmItem());
        if (condition.bad()) return fail(error, condition, sequence_path);
        *index = static_cast<uint32_t>(sequence->card() - 1);
        return DSH_OK;
    });
}

extern "C" int dsh_delete(dsh_object *object, const char *path, uint32_t *deleted, dsh_error *error) {
    return guarded(error, [&]() -> int {
        std::string text(path);
        DcmItem *root = text.rfind("(0002,", 0) == 0 ? static_cast<DcmItem *>(object->file.getMetaInfo())
                                                     : static_cast<DcmItem *>(object->file.getDataset());
        // A top-level tag: delete it directly (DcmPathProcessor refuses some meta elements, and is slower).
        unsigned group = 0, element = 0;
        char tail = 0;
        if (text.size() == 11 && std::sscanf(path, "(%4x,%4x)%c", &group, &element, &tail) == 2) {
            OFCondition direct = root->findAndDeleteElement(DcmTagKey(Uint16(group), Uint16(element)));
            *deleted = direct.good() ? 1 : 0;
            if (direct == EC_TagNotFound) return DSH_NOT_FOUND;
            if (direct.bad()) return fail(error, direct, path);
            return DSH_OK;
        }
        DcmPathProcessor processor;
        Uint32 count = 0;
        OFCondition condition = processor.findOrDeletePath(root, OFString(path), count);
        *deleted = count;
        if (condition == EC_TagNotFound) return count > 0 ? DSH_OK : DSH_NOT_FOUND;
        if (condition.bad()) return fail(error, condition, path);
        return count > 0 ? DSH_OK : DSH_NOT_FOUND;
    });
}
