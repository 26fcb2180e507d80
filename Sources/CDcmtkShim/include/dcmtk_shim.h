/* C ABI over DCMTK. The only place in the project that includes DCMTK headers.
 *
 * Conventions: a function that can fail returns DSH_OK (0) on success, DSH_NOT_FOUND (1) when a looked-up
 * element does not exist, or DSH_ERROR (-1) and fills *error: its kind (what the caller decides by), DCMTK's
 * condition module and code when the failure came from one, and a malloc'ed, NUL-terminated message (DCMTK's
 * condition text, or the text of a caught C++ exception) that the caller releases with dsh_error_clear.
 * Element paths use DCMTK's DcmPathProcessor syntax: "(0008,1115)[0].(0008,1155)"; group 0002 addresses the
 * file meta information. */
#ifndef DCMTK_SHIM_H
#define DCMTK_SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { DSH_OK = 0, DSH_NOT_FOUND = 1, DSH_ERROR = -1 };

typedef struct dsh_object dsh_object; /* one DICOM object: file meta information plus dataset */

void dsh_free(void *pointer);

/* What kind of failure: retries and exit codes switch on it, never on the message. */
enum {
    DSH_KIND_FAILURE = 0,             /* the data, the settings or DCMTK refused: the same call fails again */
    DSH_KIND_OUT_OF_MEMORY = 1,
    DSH_KIND_CONNECTION = 2,          /* no connection, or it broke (peer aborted, reset, closed) */
    DSH_KIND_TIMEOUT = 3,             /* the peer did not answer in time */
    DSH_KIND_REJECTED_TRANSIENT = 4,  /* association rejected, transient: worth trying again later */
    DSH_KIND_REJECTED_PERMANENT = 5,  /* association rejected, permanent (unknown AE title...): do not retry */
    DSH_KIND_TLS = 6,                 /* TLS set-up or handshake: certificates or keys to fix */
    DSH_KIND_NOT_ACCEPTED = 7         /* the peer accepted no presentation context for this object */
};
typedef struct {
    int kind;
    uint16_t condition_module; /* DCMTK's OFCondition module and code; 0 and 0 when it is our own */
    uint16_t condition_code;
    char *message;
} dsh_error;
/* Frees the message and resets the error (safe on an error never filled). */
void dsh_error_clear(dsh_error *error);

/* Registers the codecs (RLE, JPEG, JPEG-LS) once and silences DCMTK's logger. Safe to call from any thread. */
void dsh_initialize(void);

/* Routes DCMTK's log messages at or above min_level (0 trace, 1 debug, 2 info, 3 warn, 4 error, 5 fatal,
 * 6 off) to sink; a NULL sink or level 6 silences DCMTK. */
typedef void (*dsh_log_sink)(int level, const char *logger, const char *message);
void dsh_set_log_sink(int min_level, dsh_log_sink sink);

/* Reading: Part 10 files with or without preamble, or bare datasets in any transfer syntax DCMTK detects. */
int dsh_read_file(const char *path, dsh_object **object, dsh_error *error);
int dsh_read_buffer(const uint8_t *bytes, size_t length, dsh_object **object, dsh_error *error);
dsh_object *dsh_new(void);
dsh_object *dsh_clone(const dsh_object *object);
void dsh_release(dsh_object *object);

/* Serialises as a Part 10 file (meta information updated) in the given transfer syntax, or the object's
 * current one when transfer_syntax_uid is NULL. *bytes is malloc'ed. */
int dsh_write_buffer(dsh_object *object, const char *transfer_syntax_uid, uint8_t **bytes, size_t *length,
                     dsh_error *error);

/* Writing straight into the caller's buffer (one copy less): dsh_encoded_capacity gives a size that is enough
 * (0 when this path does not apply: deflate); dsh_write_into returns DSH_NOT_FOUND when the object did not fit or
 * cannot be written this way, and the caller then uses dsh_write_buffer. */
size_t dsh_encoded_capacity(dsh_object *object, const char *transfer_syntax_uid);
int dsh_write_into(dsh_object *object, const char *transfer_syntax_uid, uint8_t *buffer, size_t capacity,
                   size_t *length, dsh_error *error);

/* Transfer syntax the dataset is currently represented in, and whether the object had meta information. */
int dsh_transfer_syntax(dsh_object *object, char **uid, dsh_error *error);
int dsh_has_meta_information(dsh_object *object);

/* One element of a walk. value is the text of string and numeric VRs (multiple values joined by a
 * backslash), NULL for binary VRs and sequences. length is UINT32_MAX for an undefined length. */
typedef struct {
    char *path;
    uint16_t group;
    uint16_t element;
    char vr[3];
    uint32_t length;
    uint32_t depth;
    uint32_t item_count;
    uint8_t in_meta;
    uint8_t encapsulated;
    char *value;
} dsh_element;

/* Every element, depth first, meta information first; sequence items are descended into. */
int dsh_list(dsh_object *object, dsh_element **elements, size_t *count, dsh_error *error);
void dsh_list_free(dsh_element *elements, size_t count);

int dsh_get_string(dsh_object *object, const char *path, char **value, dsh_error *error);
/* Value bytes in little endian order; for encapsulated pixel data the concatenated fragments. */
int dsh_get_bytes(dsh_object *object, const char *path, uint8_t **bytes, size_t *length, dsh_error *error);
/* Creates the element (and missing parent items) when absent. vr NULL means the dictionary's VR. */
int dsh_set_string(dsh_object *object, const char *path, const char *vr, const char *value, dsh_error *error);
int dsh_set_bytes(dsh_object *object, const char *path, const char *vr, const uint8_t *bytes, size_t length,
                  dsh_error *error);
/* Inserts an empty item at the end of the sequence (created when absent); *index gets its position. */
int dsh_append_item(dsh_object *object, const char *sequence_path, uint32_t *index, dsh_error *error);
/* Deletes every element or item the path matches ("[*]" allowed); *deleted counts them. */
int dsh_delete(dsh_object *object, const char *path, uint32_t *deleted, dsh_error *error);

/* Text by the Specific Character Set. dsh_text_to_utf8 converts every text value at every depth to UTF-8
 * (and (0008,0005) to ISO_IR 192), using `assumed` for an object that declares no character set (NULL or
 * empty: ASCII only); *original gets the declared value ("" for none). It fails, naming the character set,
 * when the text cannot be decoded by it. dsh_text_from_utf8 converts back to `target` when DCMTK can write
 * it and every character fits, else leaves UTF-8 declared as ISO_IR 192; *written gets the one used. */
int dsh_text_to_utf8(dsh_object *object, const char *assumed, char **original, dsh_error *error);
int dsh_text_from_utf8(dsh_object *object, const char *target, char **written, dsh_error *error);

/* UIDs: DCMTK's name for a well-known UID (NULL when unknown; not to be freed) and whether it is a storage
 * SOP class. */
const char *dsh_uid_name(const char *uid);
int dsh_is_storage_sop_class(const char *uid);
/* The tag of a data dictionary keyword ("StudyDescription"); 0 when DCMTK's dictionary does not know it. */
int dsh_tag_for_keyword(const char *keyword, uint16_t *group, uint16_t *element);

/* Codecs. Changes the dataset's representation; the lossless parameters are used unless near > 0
 * (JPEG-LS near-lossless). Supported targets: any uncompressed syntax, RLE, JPEG lossless SV1, JPEG-LS
 * lossless and near-lossless, deflated explicit little endian. */
int dsh_change_transfer_syntax(dsh_object *object, const char *transfer_syntax_uid, int near, dsh_error *error);

/* Seconds allowed for the TCP connection, for the association's negotiation, and for each response (a
 * C-STORE or C-ECHO answer). */
typedef struct {
    int connect_seconds;
    int association_seconds;
    int response_seconds;
} dsh_timeouts;


/* Storage (C-STORE SCU). An association is negotiated with presentation contexts written
 * "abstract-syntax-uid|ts-uid,ts-uid,..." (one context each); it uses TCP_NODELAY/QUICKACK sockets. */
typedef struct dsh_association dsh_association;
/* DICOM TLS (BCP 195 non-downgrading profile). PEM files; NULL certificate and key: no client certificate.
 * verify_peer 0 accepts any server certificate (tests, self-signed lab peers); otherwise the certificate must
 * be signed by ca_file and name peer_name (a DNS name or IP address; NULL: the host connected to). */
typedef struct {
    const char *ca_file;
    const char *certificate_file;
    const char *private_key_file;
    int verify_peer;
    const char *peer_name;
} dsh_tls;
/* Networking: C-ECHO. Returns DSH_OK when the peer answered with status 0; *milliseconds is the round trip
 * of the echo itself, association time excluded. tls NULL: plain TCP. */
int dsh_echo(const char *calling_aet, const char *called_aet, const char *host, uint16_t port,
             const dsh_timeouts *timeouts, const dsh_tls *tls, double *milliseconds, dsh_error *error);
/* tls NULL: plain TCP. */
int dsh_associate(const char *calling_aet, const char *called_aet, const char *host, uint16_t port,
                  const dsh_timeouts *timeouts, uint32_t max_pdu, const char *const *contexts, size_t context_count,
                  const dsh_tls *tls, dsh_association **association, dsh_error *error);
/* C-STORE priorities, DICOM's values (PS3.7 C.4.1.1). */
enum { DSH_PRIORITY_MEDIUM = 0, DSH_PRIORITY_HIGH = 1, DSH_PRIORITY_LOW = 2 };
/* Sends one object with a DIMSE priority (DSH_PRIORITY_*); *status is the peer's DIMSE status (0 success, 0xBxxx warning, others failure) and
 * *sent_syntax the transfer syntax it travelled in (converted on the fly when the peer accepted only
 * another one). DSH_NOT_FOUND (kind DSH_KIND_NOT_ACCEPTED) when no context fits this object, or (kind
 * DSH_KIND_FAILURE) when it cannot be converted to the syntax accepted for its class: the association
 * stays usable. DSH_ERROR otherwise: the association is unusable (the caller aborts it and may retry). */
int dsh_store(dsh_association *association, dsh_object *object, int priority, uint16_t *status, char **sent_syntax,
              dsh_error *error);
/* A C-ECHO on an open association (its Verification context proposed among the others): the milliseconds of
 * its round trip. DSH_NOT_FOUND when the peer accepted no Verification context; DSH_ERROR: the association is
 * unusable. */
int dsh_echo_on_association(dsh_association *association, double *milliseconds, dsh_error *error);
/* Storage Commitment (Push Model, PS3.4 Annex J), on an association that proposed its SOP class
 * (1.2.840.10008.1.20.1). dsh_commit_request asks the peer (N-ACTION, action type 1) to commit `count`
 * instances, given by SOP Class and Instance UIDs, under `transaction_uid`; *status is the peer's answer.
 * DSH_NOT_FOUND when the peer accepted no Storage Commitment context. */
int dsh_commit_request(dsh_association *association, const char *transaction_uid, const char *const *classes,
                       const char *const *instances, size_t count, uint16_t *status, dsh_error *error);
/* Waits up to `seconds` for the peer's N-EVENT-REPORT on this association, answers it (Success) and returns
 * the report as text (the format of DSH_EVENT_COMMITMENT). DSH_NOT_FOUND when none came in time. */
int dsh_commit_wait(dsh_association *association, int seconds, char **report, dsh_error *error);
/* Releases (or aborts, when abort is non-zero) and frees the association. */
void dsh_close_association(dsh_association *association, int abort);

/* The embedded storage SCP, for every storage SOP class DCMTK knows and C-ECHO.
 *
 * It owns its listening socket (bound to bind_address, or every interface when NULL) and accepts on a thread
 * of its own that never reads from a peer: each connection gets its own thread, which waits at most
 * association_seconds for the association request, so idle or slow peers delay nobody else. At most
 * max_associations connections at once and max_per_host from one address; beyond that an association is
 * rejected (transient, local limit exceeded). The called AE title must be ae_title; with allow_count > 0 only
 * the listed calling AE titles, each from its host when one is given ("AET" or "AET@HOST"), are accepted;
 * the others are rejected with the standard reason. With tls, certificate_file and private_key_file are ours;
 * a ca_file makes client certificates required and verified against it.
 *
 * Each object streams to disk as it arrives, bit for bit in the syntax it travelled in, so memory stays flat
 * whatever its size; larger than max_object_bytes, the rest is discarded and the store refused (A700). The
 * object's own SOP Class and Instance UIDs must be valid and match the request's (0117 / A900 otherwise; a
 * Deflated dataset is inflated only as far as those UIDs, with a cap). It lands as
 * output_folder/<SOP Instance UID>.dcm through a temporary file: file and folder are synced before Success is
 * answered. The same UID again with identical content is a success; with other content it is refused (0111)
 * and the first copy kept. output_folder NULL discards objects (benchmarks). An association silent for
 * idle_seconds is aborted. Every refusal is reported to the event sink as one line.
 *
 * With an output folder it is also a Storage Commitment provider (Push Model): the SHA-256 of each stored
 * file is kept under output_folder/.digests/, and an N-ACTION is answered, then reported on the same
 * association, or on a new one to the sender's address when its AE title is among commit_peers: committed
 * when <instance>.dcm is there, of the referenced class, with its digest unchanged; failed otherwise (0112 no
 * such instance, 0119 class conflict, 0110 altered or unreadable). */
typedef struct dsh_receiver dsh_receiver;
/* DSH_EVENT_STORED: an object is on disk (file and folder synced), before Success is answered; the message is
 * "<path>\t<Study Instance UID or empty>\t<host> <calling AE title>\t<SOP Instance UID>". Without an output
 * folder the object was discarded: path and study are empty. */
/* DSH_EVENT_COMMITMENT (commitment_reports_only): a Storage Commitment report arrived, as text:
 * "transaction\t<uid>\n", then a line per instance, "committed\t<class>\t<instance>" or
 * "failed\t<class>\t<instance>\t<failure reason, 4 hex digits>". */
enum { DSH_EVENT_INFO = 0, DSH_EVENT_REFUSAL = 1, DSH_EVENT_ERROR = 2, DSH_EVENT_STORED = 3, DSH_EVENT_COMMITMENT = 4 };
typedef void (*dsh_receiver_sink)(void *context, int kind, const char *message);
typedef struct {
    const char *ae_title;
    const char *bind_address;
    uint16_t port;
    const char *output_folder;
    int max_associations;
    int max_per_host;
    int association_seconds;
    int idle_seconds;
    uint32_t max_pdu;
    uint64_t max_object_bytes;
    const char *const *allow;
    size_t allow_count;
    const dsh_tls *tls;
    dsh_receiver_sink sink;
    void *sink_context;
    /* Non-zero: only C-ECHO and Storage Commitment reports (a sender's --commit-listen), nothing stored. */
    int commitment_reports_only;
    /* As provider, the senders ("AET@HOST:PORT") whose reports go on an association of our own to that
     * address rather than on the one that asked. */
    const char *const *commit_peers;
    size_t commit_peer_count;
} dsh_receiver_options;
int dsh_receiver_start(const dsh_receiver_options *options, dsh_receiver **receiver, dsh_error *error);
/* Objects received and acknowledged so far, and their bytes. */
uint64_t dsh_receiver_stored(dsh_receiver *receiver);
uint64_t dsh_receiver_bytes(dsh_receiver *receiver);
/* Stops accepting, ends every association at its next command (within about a second, or when the object
 * in flight has arrived), waits for their threads, reports the final counts (either pointer may be NULL)
 * and frees the receiver. */
void dsh_receiver_stop(dsh_receiver *receiver, uint64_t *stored, uint64_t *bytes);

#ifdef __cplusplus
}
#endif

#endif
