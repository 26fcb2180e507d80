#include "shim_deflate.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>
#include <zlib.h>

namespace shim {

bool partTenLayout(int descriptor, uint64_t &datasetOffset, std::string &transferSyntax) {
    for (const uint64_t magic : {uint64_t(128), uint64_t(0)}) {
        unsigned char head[12];
        char word[4];
        if (pread(descriptor, word, 4, static_cast<off_t>(magic)) != 4 || std::memcmp(word, "DICM", 4) != 0) continue;
        // (0002,0000) UL, explicit little endian: tag, "UL", length 4, value.
        if (pread(descriptor, head, 12, static_cast<off_t>(magic + 4)) != 12 || head[0] != 2 || head[1] != 0 || head[2] != 0 ||
            head[3] != 0 || head[4] != 'U' || head[5] != 'L')
            return false;
        const uint32_t groupLength = head[8] | head[9] << 8 | head[10] << 16 | uint32_t(head[11]) << 24;
        if (groupLength > (1 << 20)) return false;
        std::vector<unsigned char> meta(groupLength);
        if (pread(descriptor, meta.data(), groupLength, static_cast<off_t>(magic + 16)) != static_cast<ssize_t>(groupLength)) return false;
        datasetOffset = magic + 16 + groupLength;
        // Walk the group's explicit VR elements for (0002,0010).
        for (size_t at = 0; at + 8 <= meta.size();) {
            const unsigned element = meta[at + 2] | meta[at + 3] << 8;
            const bool longForm = std::memcmp(&meta[at + 4], "OB", 2) == 0 || std::memcmp(&meta[at + 4], "UN", 2) == 0;
            size_t length = longForm ? (at + 12 <= meta.size() ? (meta[at + 8] | meta[at + 9] << 8 | meta[at + 10] << 16 | size_t(meta[at + 11]) << 24) : 0)
                                     : (meta[at + 6] | meta[at + 7] << 8);
            const size_t value = at + (longForm ? 12 : 8);
            if (value + length > meta.size()) break;
            if (element == 0x0010) {
                transferSyntax.assign(reinterpret_cast<const char *>(&meta[value]), length);
                while (!transferSyntax.empty() && (transferSyntax.back() == '\0' || transferSyntax.back() == ' ')) transferSyntax.pop_back();
            }
            at = value + length;
        }
        return true;
    }
    return false;
}

int64_t inflateFrom(int descriptor, uint64_t offset, uint64_t limit, std::vector<char> *out, std::string &problem) {
    z_stream stream{};
    if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) {
        problem = "cannot start inflating";
        return -1;
    }
    std::vector<char> input(64 * 1024), output(256 * 1024);
    uint64_t produced = 0;
    bool ended = false;
    while (!ended && produced <= limit) {
        const ssize_t count = pread(descriptor, input.data(), input.size(), static_cast<off_t>(offset));
        if (count < 0 && errno == EINTR) continue;
        if (count < 0) {
            problem = std::string("cannot read: ") + std::strerror(errno);
            inflateEnd(&stream);
            return -1;
        }
        if (count == 0) break;
        offset += static_cast<uint64_t>(count);
        stream.next_in = reinterpret_cast<Bytef *>(input.data());
        stream.avail_in = static_cast<uInt>(count);
        while (stream.avail_in > 0 && produced <= limit) {
            stream.next_out = reinterpret_cast<Bytef *>(output.data());
            stream.avail_out = static_cast<uInt>(output.size());
            const int status = inflate(&stream, Z_NO_FLUSH);
            const size_t made = output.size() - stream.avail_out;
            const size_t keep = static_cast<size_t>(std::min<uint64_t>(made, limit + 1 - produced));
            if (out != nullptr) out->insert(out->end(), output.data(), output.data() + keep);
            produced += keep;
            if (status == Z_STREAM_END) {
                ended = true;
                break;
            }
            if (status != Z_OK && status != Z_BUF_ERROR) {
                problem = "the deflated dataset does not inflate";
                inflateEnd(&stream);
                return -1;
            }
            if (made == 0 && stream.avail_in > 0 && status == Z_BUF_ERROR) break;
        }
    }
    inflateEnd(&stream);
    return static_cast<int64_t>(produced);
}

} // namespace shim
