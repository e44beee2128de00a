/*
 * ports.h — the station core's look-ups, answered by the store.
 */
#ifndef TRIAGE_PORTS_H
#define TRIAGE_PORTS_H

#include "station.h"

struct store;

/* Ports whose ctx is `st`; the store must outlive the station using them. */
struct station_ports ports_over_store(struct store *st);

#endif
