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
 *                     folder   prn_folder.c: DATA/labels/<plate>.zpl and .png (issue 2)
 *                     zpl-tcp  raw TCP 9100; zpl-usb  USB printer class, bulk OUT;
 *                     cups     a CUPS queue via libcups, sent the PNG raster (issue 4)
 *
 * A transport's send either delivers the whole job or fails; nothing here
 * queues or retries. The print queue of issue 4 sits between the two layers:
 * it stores each job (the bytes of struct prn_job) in the database before
 * sending and retries while the printer is away.
 *
 * Contract of send: 0 once the job is handed over completely (for the folder:
 * written, fsync'ed and renamed in place; for a network printer: every byte
 * accepted by the peer); a negative errno code with "E6NN: …" in err
 * otherwise. A transport must not block longer than its configured timeout.
 *
 * Error ids E630–E649 (E600–E629 are label.h's; E650–E699 belong to issue 4's
 * transports and print queue):
 *   E630 cannot make the label folder         E631 bad label folder name
 *   E632 cannot create a temporary file       E633 cannot write a label file
 *   E634 cannot fsync a label file            E635 cannot close a label file
 *   E636 cannot rename a label file in place  E637 cannot fsync the folder
 *   E638 the job's name cannot be a file name E639 the job's name makes too long a path
 *   E640 the job has nothing this printer takes
 *   E641 out of memory (folder)
 *   E642 the folder is not writable (status)  E643 this printer type is not built yet
 *   E644 out of memory (printer)              E645 the data folder name is too long
 *
 * Not thread-safe: one thread talks to a printer.
 */
#ifndef TRIAGE_PRINTER_H
#define TRIAGE_PRINTER_H

#include <stddef.h>

#include "config.h"
#include "inspection.h"

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

/*
 * Open the station's printer from its [printer] config: cfg->type (today only
 * "folder", into <data_dir>/labels, made when missing), cfg->size ("4x6",
 * "" = 4x6) and cfg->dpi (0 = 203). Returns 0 and *out, or a negative errno
 * code with "E6NN: …" in err (E602 for a size without a layout yet, E643 for
 * a type not built yet).
 */
int printer_open(const struct printer_config *cfg, const char *data_dir, struct printer **out,
                 char *err, size_t errlen);

/* Make insp's label (insp->plate set) and send it. 0, or a negative errno code
 * with "E6NN: …" in err; the inspection is untouched either way. */
int printer_print(struct printer *p, const struct inspection *insp, char *err, size_t errlen);

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

#endif
