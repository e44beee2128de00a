/*
 * db_file.h — raw SQL on a station's database file, for the checks a test
 * makes that the store's API does not offer (counting rows, reading a
 * column, planting a row the station would never write).
 *
 * Each call opens a connection of the test's own on the file and closes it
 * again: the station's connections are the store's, and WAL lets this one
 * read beside them. A write waits up to 5 s for theirs. Included into each
 * test that uses it (the build links only harness.o with the tests).
 */
#ifndef TRIAGE_TEST_DB_FILE_H
#define TRIAGE_TEST_DB_FILE_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A connection on path (NULL when it cannot be opened); sqlite3_close it. */
static __attribute__((unused)) sqlite3 *db_file_open(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 5000);
    return db;
}

/* The first column of the first row of sql, or -999 when there is none. */
static __attribute__((unused)) int64_t db_file_int(const char *path, const char *sql)
{
    sqlite3 *db = db_file_open(path);
    sqlite3_stmt *s = NULL;
    int64_t v = -999;
    if (db && sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* The same as text (malloc'd; NULL when there is none or it is NULL). */
static __attribute__((unused)) char *db_file_text(const char *path, const char *sql)
{
    sqlite3 *db = db_file_open(path);
    sqlite3_stmt *s = NULL;
    char *v = NULL;
    if (db && sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        v = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* Run sql (any number of statements). Returns SQLITE_OK or an error code. */
static __attribute__((unused)) int db_file_exec(const char *path, const char *sql)
{
    sqlite3 *db = db_file_open(path);
    int rc = db ? sqlite3_exec(db, sql, NULL, NULL, NULL) : SQLITE_CANTOPEN;
    sqlite3_close(db);
    return rc;
}

#endif
