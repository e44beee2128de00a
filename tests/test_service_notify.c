/*
 * test_service_notify.c — what the station tells systemd (app/service.c), received on
 * a datagram socket of the test's own given as NOTIFY_SOCKET, as systemd would:
 *   1. READY=1 once, then WATCHDOG=1 every WATCHDOG_USEC/2 while the station idles,
 *      and STOPPING=1 when SIGTERM ends it (exit 0);
 *   2. with the test hook (TRIAGE_TEST_HANG_ON_SIGUSR2=1, see app/service.h) a SIGUSR2
 *      stops the main loop: the process lives on, the pings stop;
 *   3. without the hook SIGUSR2 is not handled: it cannot hang a production station;
 *   4. WATCHDOG_PID naming another process: no pings (sd_watchdog_enabled), READY=1 still.
 * The station runs interactively on the dummy video driver (nothing to draw on here).
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "log.h"

#define MAX_MSGS 400

struct msg {
    int64_t at; /* clock_mono_ms when received */
    char text[256];
};

static int sock = -1;
static char data_dir[600];
static struct msg msgs[MAX_MSGS];
static int nmsgs;

/* Receive for `ms` milliseconds, appending to msgs. */
static void receive(int ms)
{
    int64_t end = clock_mono_ms() + ms;
    for (int64_t now; (now = clock_mono_ms()) < end;) {
        struct pollfd p = {.fd = sock, .events = POLLIN};
        if (poll(&p, 1, (int)(end - now)) <= 0)
            continue;
        char buf[256];
        ssize_t n = recv(sock, buf, sizeof buf - 1, 0);
        if (n <= 0 || nmsgs == MAX_MSGS)
            continue;
        buf[n] = 0;
        msgs[nmsgs].at = clock_mono_ms();
        snprintf(msgs[nmsgs].text, sizeof msgs[nmsgs].text, "%s", buf);
        nmsgs++;
    }
}

static int count(const char *prefix, int from)
{
    int n = 0;
    for (int i = from; i < nmsgs; i++)
        n += strncmp(msgs[i].text, prefix, strlen(prefix)) == 0;
    return n;
}

/* Start the station with the given extra environment ("K=V" or NULL, twice). */
static pid_t start(const char *sock_path, const char *env1, const char *env2)
{
    pid_t pid = fork();
    if (pid == 0) {
        char log[700];
        snprintf(log, sizeof log, "%s.log", data_dir);
        FILE *e = freopen(log, "a", stderr);
        (void)e;
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        setenv("NOTIFY_SOCKET", sock_path, 1);
        setenv("WATCHDOG_USEC", "1000000", 1); /* a ping every 500 ms */
        unsetenv("WATCHDOG_PID");
        unsetenv("TRIAGE_TEST_HANG_ON_SIGUSR2");
        if (env1)
            putenv((char *)env1);
        if (env2)
            putenv((char *)env2);
        execl(harness_triage(), "triage", "--data", data_dir, "--windowed", "1280x800",
              (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Wait for READY=1 (up to 10 s). Returns its index, -1 when it never came. */
static int wait_ready(int from)
{
    for (int waited = 0; waited < 10000; waited += 100) {
        receive(100);
        for (int i = from; i < nmsgs; i++)
            if (strncmp(msgs[i].text, "READY=1", 7) == 0)
                return i;
    }
    return -1;
}

static int reap(pid_t pid, int timeout_ms)
{
    int status = -1;
    for (int waited = 0; waited < timeout_ms; waited += 20) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return status;
        receive(20);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

int main(void)
{
    const char *tmp = harness_tmpdir();
    char sock_path[700];
    snprintf(sock_path, sizeof sock_path, "%s/notify.sock", tmp);
    snprintf(data_dir, sizeof data_dir, "%s/data", tmp);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(sock_path) >= sizeof sa.sun_path)
        harness_skip("temporary folder path too long for a socket");
    memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);
    sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0 || bind(sock, (struct sockaddr *)&sa, sizeof sa) != 0)
        harness_skip("cannot make a Unix datagram socket");

    /* 1. ready, alive, stopping. */
    pid_t pid = start(sock_path, NULL, NULL);
    int ready = wait_ready(0);
    CHECK(ready == 0); /* nothing before READY=1 */
    CHECK(ready >= 0 && strstr(msgs[ready].text, "STATUS=ready"));
    receive(2600);
    int pings = count("WATCHDOG=1", 0);
    CHECK(pings >= 4); /* 5 expected in 2.6 s */
    int64_t worst_gap = 0, last = ready >= 0 ? msgs[ready].at : 0;
    for (int i = ready + 1; i < nmsgs; i++)
        if (strcmp(msgs[i].text, "WATCHDOG=1") == 0) {
            if (msgs[i].at - last > worst_gap)
                worst_gap = msgs[i].at - last;
            last = msgs[i].at;
        }
    if (!CHECK(worst_gap < 1000)) /* never a gap as long as the watchdog interval */
        fprintf(stderr, "  longest gap between pings: %lld ms\n", (long long)worst_gap);
    CHECK_INT(count("READY=1", 0), 1);
    kill(pid, SIGTERM);
    int status = reap(pid, 10000);
    CHECK(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_INT(count("STOPPING=1", 0), 1);
    CHECK(nmsgs > 0 && strcmp(msgs[nmsgs - 1].text, "STOPPING=1") == 0);

    /* 2. the hook: the loop stops, the process does not. */
    int from = nmsgs;
    pid = start(sock_path, "TRIAGE_TEST_HANG_ON_SIGUSR2=1", NULL);
    CHECK(wait_ready(from) >= 0);
    receive(1100);
    CHECK(count("WATCHDOG=1", from) >= 1);
    kill(pid, SIGUSR2);
    receive(700); /* the loop reaches the hook within one ping interval */
    int hung_from = nmsgs;
    receive(2000);
    CHECK_INT(count("WATCHDOG=1", hung_from), 0);
    CHECK(waitpid(pid, &status, WNOHANG) == 0); /* still alive, only its loop is stuck */
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    char log_path[700];
    snprintf(log_path, sizeof log_path, "%s.log", data_dir);
    char *log = harness_read_file(log_path, NULL);
    CHECK(log && strstr(log, "W880 test hook"));
    free(log);

    /* 3. without the hook SIGUSR2 is not ours: it ends the process like any station. */
    from = nmsgs;
    pid = start(sock_path, NULL, NULL);
    CHECK(wait_ready(from) >= 0);
    kill(pid, SIGUSR2);
    status = reap(pid, 5000);
    CHECK(status >= 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR2);

    /* 4. the watchdog is another process's: no pings. */
    from = nmsgs;
    pid = start(sock_path, "WATCHDOG_PID=1", NULL);
    CHECK(wait_ready(from) >= 0);
    receive(1200);
    CHECK_INT(count("WATCHDOG=1", from), 0);
    kill(pid, SIGTERM);
    status = reap(pid, 10000);
    CHECK(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_INT(count("STOPPING=1", from), 1);

    close(sock);
    return harness_done();
}
