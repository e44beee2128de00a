/*
 * printer.h — where labels go.
 *
 * Two layers:
 *
 *   struct printer  what the station uses: open it from the [printer] config,
 *                   printer_print() an inspection, ask printer_status(). It
 *                   owns a label maker (label.h) and one transport, and
 *                   renders only what that transport takes.
 *
 *   struct prn      a transport: it moves a finished job (ZPL bytes and/or a
 *                   PNG of the same label) to a device and never lays out
 *                   labels. One file a transport, one interface (prn_ops):
 *                     folder   prn_folder.c: DATA/labels/<plate>.zpl and .png
 *                     zpl-tcp  prn_tcp.c: raw TCP (port 9100), ZPL
 *                     zpl-usb  prn_usb.c: USB printer class, bulk OUT, ZPL
 *                     cups     prn_cups.c: a CUPS queue via libcups: the PNG,
 *                              or the ZPL when the queue is a raw one
 *
 * A transport's send either delivers the whole job or fails; nothing here
 * queues or retries. The print queue (app/store/printq.c, app/print_worker.c) sits
 * above this: every job is a row in the station's database before it is
 * sent, and a worker thread retries it while the printer is away.
 * Transports connect per job (or reopen after an error), so a printer that
 * is unplugged at start is found once it comes back.
 *
 * Contract of send: 0 once the job is handed over completely (for the folder:
 * written, fsync'ed and renamed in place; for a network printer: every byte
 * accepted by the peer); a negative errno code with "E6NN: …" in err
 * otherwise. A transport must not block longer than its configured timeout.
 *
 * Error ids E630–E649 (E600–E629 are label.h's; E650–E699 are the network,
 * USB and CUPS transports' and the print queue's, listed in ERRORS.md):
 *   E630 cannot make the label folder         E631 bad label folder name
 *   E632 cannot create a temporary file       E633 cannot write a label file
 *   E634 cannot fsync a label file            E635 cannot close a label file
 *   E636 cannot rename a label file in place  E637 cannot fsync the folder
 *   E638 the job's name cannot be a file name E639 the job's name makes too long a path
 *   E640 the job has nothing this printer takes
 *   E641 out of memory (folder)
 *   E642 the folder is not writable (status)  E643 unknown printer type
 *   E644 out of memory (printer)              E645 the data folder name is too long
 *
 * Not thread-safe: one thread talks to a printer.
 */
#ifndef TRIAGE_PRINTER_H
#define TRIAGE_PRINTER_H

#include <stddef.h>

#include "inspection.h"
#include "label.h"

/* The printer: where its labels go ([printer] type, address, device, queue)
 * and what they look like (label.h: [printer] size and dpi, [station] font). */
struct printer_opts {
    char type[16];     /* zpl-tcp | zpl-usb | cups | folder */
    char address[256]; /* host:port for zpl-tcp */
    char device[256];  /* VID:PID or path for zpl-usb */
    char queue[64];    /* CUPS queue */
    struct label_opts label;
};

/* ---------------------------------------------------------------- station */

struct printer;

enum printer_state {
    PRINTER_READY,     /* takes jobs */
    PRINTER_OFFLINE,   /* not reachable (unplugged, refused, no route) */
    PRINTER_PAPER_OUT, /* reachable, says it is out of labels or ribbon */
    PRINTER_PAUSED,    /* reachable, paused or head open */
    PRINTER_ERROR,     /* anything else; see detail */
};

struct printer_status {
    enum printer_state state;
    char detail[160]; /* for people and the log: "E642: …", "paper out", "" */
};

/* How long a transport waits without progress (connect, each write, the
 * printer's confirmation) before it gives up on a job. */
#define PRINTER_TIMEOUT_MS 10000

/*
 * Open the station's printer: cfg->type ("folder" into <data_dir>/labels,
 * made when missing; "zpl-tcp" to cfg->address; "zpl-usb" to cfg->device;
 * "cups" to cfg->queue) and its labels as cfg->label says (size "" = 4x6,
 * dpi 0 = 203, font "" = LABEL_FONT_DEFAULT). Does not need the printer to
 * be there. Returns 0 and *out, or a negative errno code with "E6NN: …" in
 * err (E602 for a size without a layout yet, E600 for a font that cannot be
 * opened, E643 for an unknown type).
 */
int printer_open(const struct printer_opts *cfg, const char *data_dir, struct printer **out,
                 char *err, size_t errlen);

/* The same with a transport timeout of its own (ms; <= 0 = PRINTER_TIMEOUT_MS). */
int printer_open_timeout(const struct printer_opts *cfg, const char *data_dir, int timeout_ms,
                         struct printer **out, char *err, size_t errlen);

/* "folder", "zpl-tcp", "zpl-usb" or "cups". */
const char *printer_type(const struct printer *p);

/* A state in one word for the screen and the log: "ready", "offline",
 * "paper out", "paused", "error". */
const char *printer_state_name(enum printer_state s);

/* Make insp's label (insp->plate set) and send it. 0, or a negative errno code
 * with "E6NN: …" in err; the inspection is untouched either way. */
int printer_print(struct printer *p, const struct inspection *insp, char *err, size_t errlen);

/* True when the last printer_print failed laying out the label (E600–E629:
 * the inspection cannot be a label as configured), false when it failed at
 * the transport or did not fail. Retrying the first helps only after a
 * change of configuration; the second when the printer is back. */
int printer_failed_in_layout(const struct printer *p);

/* The printer's state now. Returns 0, or a negative errno code. */
int printer_status(struct printer *p, struct printer_status *st);

/* Close a printer; NULL is fine. */
void printer_close(struct printer *p);

/* -------------------------------------------------------------- transport */

/* Forms of a label a transport takes (bit flags). */
enum prn_format {
    PRN_ZPL = 1 << 0, /* ZPL II text */
    PRN_PNG = 1 << 1, /* the label as a PNG image */
};

struct prn_job {
    const char *name; /* the plate: names the files and the job (see prn_job_name_ok) */
    const char *zpl;  /* ZPL II, or NULL */
    size_t zpl_len;
    const void *png;  /* PNG bytes, or NULL */
    size_t png_len;
    int dpi;          /* the label's resolution, for placing the PNG (cups); 0 = unknown */
};

struct prn;

struct prn_ops {
    const char *type; /* "folder", "zpl-tcp", "zpl-usb", "cups" */
    unsigned formats; /* PRN_ZPL | PRN_PNG: what send needs in a job */
    int (*send)(struct prn *t, const struct prn_job *job, char *err, size_t errlen);
    int (*status)(struct prn *t, struct printer_status *st); /* 0, or negative errno */
    void (*close)(struct prn *t);
};

/* Each transport's struct begins with a struct prn, so a struct prn * is
 * the handle and the functions below dispatch through its ops. */
struct prn {
    const struct prn_ops *ops;
};

static inline unsigned prn_wants(const struct prn *t) { return t->ops->formats; }
static inline const char *prn_type(const struct prn *t) { return t->ops->type; }

static inline int prn_send(struct prn *t, const struct prn_job *job, char *err, size_t errlen)
{
    return t->ops->send(t, job, err, errlen);
}

static inline int prn_status(struct prn *t, struct printer_status *st)
{
    return t->ops->status(t, st);
}

/* Close a transport; NULL is fine. */
static inline void prn_close(struct prn *t)
{
    if (t)
        t->ops->close(t);
}

/* True when `name` may name a job's files: 1–100 characters of
 * [A-Za-z0-9._-], not starting with ".". */
static inline int prn_job_name_ok(const char *name)
{
    if (!name || !*name || *name == '.')
        return 0;
    int n = 0;
    for (const char *c = name; *c; c++, n++) {
        int ok = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
                 (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-';
        if (!ok || n >= 100)
            return 0;
    }
    return 1;
}

/*
 * The folder transport (prn_folder.c): every job becomes <dir>/<name>.zpl and
 * <dir>/<name>.png (each when the job has it; it needs at least one). Each
 * file is written to a temporary file in dir, fsync'ed, renamed over the
 * final name and the folder fsync'ed, so a reader never sees half a label
 * and a label that send() reported is on disk after a power cut. Sending the
 * same name again replaces the files (a reprint). `dir` is made, with its
 * parents, when missing. Returns NULL with "E630: …" in err.
 */
struct prn *prn_folder_open(const char *dir, char *err, size_t errlen);

/*
 * Raw TCP (prn_tcp.c), ZPL only. `address` is "host", "host:port", or
 * "[v6addr]:port"; the port defaults to 9100. Each job: connect, write it
 * all, half-close (shutdown SHUT_WR), then wait for the printer to close
 * its side, as CUPS's socket backend does: only then has the printer read
 * the whole job. Data the printer sends back meanwhile is read and dropped.
 * Every wait (connect, each write, the close) is bounded by timeout_ms; a
 * reset, a refusal or a timeout fails the job (E652–E656). status asks ~HS
 * (ZPL II Programming Guide, "~HS Host Status Return") and reads paper out,
 * pause, head open and ribbon out from the reply.
 * Returns NULL with "E650: …" in err for an unusable address.
 */
struct prn *prn_tcp_open(const char *address, int timeout_ms, char *err, size_t errlen);

/*
 * USB printer class (prn_usb.c; USB Device Class Definition for Printing
 * Devices 1.1), ZPL only, through libusb. `device` is "VID:PID" in hex
 * (e.g. "0a5f:0164"), or "" / "any" for the first device with a printer
 * interface (class 7). The device is opened at the first send and kept;
 * after an error it is closed and looked for again at the next send. A
 * kernel driver on the interface (usblp) is detached. Jobs go out over the
 * bulk OUT endpoint in chunks of 4096 bytes, each bounded by timeout_ms.
 * status asks GET_PORT_STATUS (class request 1) where the device answers:
 * paper empty, not selected, error. Returns NULL with "E666: …" in err for
 * an unusable device text.
 */
struct prn *prn_usb_open(const char *device, int timeout_ms, char *err, size_t errlen);

/*
 * CUPS (prn_cups.c) through libcups, to the server libcups is set up for
 * (CUPS_SERVER, client.conf; the local cupsd by default). `queue` names
 * the destination ("" = the default one). A raw queue (make and model
 * "Local Raw Printer", as `lpadmin -m raw` makes) is sent the ZPL as
 * application/vnd.cups-raw; any other queue the PNG as image/png, which
 * CUPS's filters turn into the printer's own language, at its true size:
 * ppi = the job's dpi and media = Custom.WxHin from the PNG's size. The job counts as
 * sent once cupsd holds the whole document. Returns NULL with "E670: …".
 */
struct prn *prn_cups_open(const char *queue, int timeout_ms, char *err, size_t errlen);

#endif
