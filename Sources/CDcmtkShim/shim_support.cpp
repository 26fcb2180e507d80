// Error conversion, codec registration and DCMTK log routing.
#include <malloc.h>
#include "shim_internal.h"

#include "dcmtk/dcmdata/dcrledrg.h"
#include "dcmtk/dcmdata/dcrleerg.h"
#include "dcmtk/dcmjpeg/djdecode.h"
#include "dcmtk/dcmjpeg/djencode.h"
#include "dcmtk/dcmjpls/djdecode.h"
#include "dcmtk/dcmjpls/djencode.h"
#include "dcmtk/dcmnet/cond.h"
#include "dcmtk/oflog/appender.h"
#include "dcmtk/oflog/logger.h"
#include "dcmtk/oflog/oflog.h"
#include "dcmtk/oflog/spi/logevent.h"

#include <atomic>
#include <mutex>

namespace shim {

char *copyString(const std::string &text) {
    char *copy = static_cast<char *>(std::malloc(text.size() + 1));
    if (copy != nullptr) std::memcpy(copy, text.c_str(), text.size() + 1);
    return copy;
}

int fail(dsh_error *error, const std::string &message, int kind) {
    if (error != nullptr) {
        std::free(error->message);
        *error = dsh_error{kind, 0, 0, copyString(message)};
    }
    return DSH_ERROR;
}

int fail(dsh_error *error, const OFCondition &condition, const std::string &context, int kind) {
    const std::string text = condition.text();
    return fail(error, context.empty() ? text : context + ": " + text, kind < 0 ? kindOf(condition) : kind, condition);
}

int fail(dsh_error *error, const std::string &message, int kind, const OFCondition &cause) {
    fail(error, message, kind);
    if (error != nullptr) {
        error->condition_module = cause.module();
        error->condition_code = cause.code();
    }
    return DSH_ERROR;
}

int kindOf(const OFCondition &condition) {
    if (condition == DUL_READTIMEOUT || condition == DIMSE_NODATAAVAILABLE) return DSH_KIND_TIMEOUT;
    if (condition.module() == OFM_dcmnet && condition.code() == DULC_TLSERROR) return DSH_KIND_TLS;
    if (condition == DUL_ASSOCIATIONREJECTED) return DSH_KIND_REJECTED_TRANSIENT;
    // Everything else the network layer reports is a connection refused, reset, aborted or closed.
    if (condition.module() == OFM_dcmnet || condition.module() == OFM_dcmtls) return DSH_KIND_CONNECTION;
    return DSH_KIND_FAILURE;
}

} // namespace shim

extern "C" void dsh_free(void *pointer) { std::free(pointer); }

extern "C" void dsh_error_clear(dsh_error *error) {
    if (error == nullptr) return;
    std::free(error->message);
    *error = dsh_error{DSH_KIND_FAILURE, 0, 0, nullptr};
}

extern "C" const char *dsh_uid_name(const char *uid) {
    try {
        return dcmFindNameOfUID(uid, nullptr);
    } catch (...) {
        return nullptr;
    }
}

extern "C" int dsh_tag_for_keyword(const char *keyword, uint16_t *group, uint16_t *element) {
    try {
        DcmTag tag;
        if (DcmTag::findTagFromName(keyword, tag).bad()) return 0;
        *group = tag.getGTag();
        *element = tag.getETag();
        return 1;
    } catch (...) {
        return 0;
    }
}

extern "C" int dsh_is_storage_sop_class(const char *uid) {
    try {
        return dcmIsaStorageSOPClassUID(uid, ESSC_All) ? 1 : 0;
    } catch (...) {
        return 0;
    }
}

namespace {

std::atomic<dsh_log_sink> currentSink{nullptr};

// A log4cplus appender that hands each DCMTK message to the Swift sink.
class SinkAppender : public dcmtk::log4cplus::Appender {
public:
    SinkAppender() = default;
    ~SinkAppender() override { destructorImpl(); }
    void close() override {}

protected:
    void append(const dcmtk::log4cplus::spi::InternalLoggingEvent &event) override {
        dsh_log_sink sink = currentSink.load();
        if (sink == nullptr) return;
        int level = 0;
        const auto raw = event.getLogLevel();
        if (raw >= dcmtk::log4cplus::FATAL_LOG_LEVEL) level = 5;
        else if (raw >= dcmtk::log4cplus::ERROR_LOG_LEVEL) level = 4;
        else if (raw >= dcmtk::log4cplus::WARN_LOG_LEVEL) level = 3;
        else if (raw >= dcmtk::log4cplus::INFO_LOG_LEVEL) level = 2;
        else if (raw >= dcmtk::log4cplus::DEBUG_LOG_LEVEL) level = 1;
        sink(level, event.getLoggerName().c_str(), event.getMessage().c_str());
    }
};

dcmtk::log4cplus::LogLevel dcmtkLevel(int level) {
    switch (level) {
    case 0: return dcmtk::log4cplus::TRACE_LOG_LEVEL;
    case 1: return dcmtk::log4cplus::DEBUG_LOG_LEVEL;
    case 2: return dcmtk::log4cplus::INFO_LOG_LEVEL;
    case 3: return dcmtk::log4cplus::WARN_LOG_LEVEL;
    case 4: return dcmtk::log4cplus::ERROR_LOG_LEVEL;
    case 5: return dcmtk::log4cplus::FATAL_LOG_LEVEL;
    default: return dcmtk::log4cplus::OFF_LOG_LEVEL;
    }
}

std::once_flag initializeOnce;

} // namespace

extern "C" void dsh_initialize(void) {
    try {
        std::call_once(initializeOnce, [] {
            dsh_set_log_sink(6, nullptr);
            // Objects are read, encoded and copied as half-megabyte buffers, file after file. glibc's default
            // maps each one fresh from the kernel and unmaps it on free, so every file paid ~500 page faults
            // (a third of a de-identification's time); kept in the heap, the same pages are reused.
            mallopt(M_MMAP_THRESHOLD, 64 << 20);
            mallopt(M_TRIM_THRESHOLD, 256 << 20);
            // Load the data dictionary now rather than inside the first timed operation.
            (void)dcmDataDict.isDictionaryLoaded();
            DcmRLEDecoderRegistration::registerCodecs();
            DcmRLEEncoderRegistration::registerCodecs();
            DJDecoderRegistration::registerCodecs();
            DJEncoderRegistration::registerCodecs();
            DJLSDecoderRegistration::registerCodecs();
            // preferCookedEncoding must be false: signed 13/14-bit CT otherwise trips an assertion in CharLS.
            DJLSEncoderRegistration::registerCodecs(0, 0, 0, 0, OFFalse);
        });
    } catch (...) {
        // Registration only allocates; nothing sensible to report to a caller that cannot fail.
    }
}

extern "C" void dsh_set_log_sink(int min_level, dsh_log_sink sink) {
    try {
        currentSink.store(sink);
        dcmtk::log4cplus::Logger root = dcmtk::log4cplus::Logger::getRoot();
        root.removeAllAppenders();
        if (sink == nullptr || min_level >= 6) {
            root.setLogLevel(dcmtk::log4cplus::OFF_LOG_LEVEL);
            return;
        }
        root.addAppender(dcmtk::log4cplus::SharedAppenderPtr(new SinkAppender()));
        root.setLogLevel(dcmtkLevel(min_level));
    } catch (...) {
    }
}
