// SPDX-License-Identifier: GPL-2.0
/*
 * PID 1 of the rig's guest initramfs: mount the basics, load the listed
 * modules, run the listed KVM selftests one by one and report them as KTAP
 * on the console, then power the guest off.
 *
 * Inputs:  /etc/rig/tests    "[timeout=SECONDS] program [args...]" per line
 *          /etc/rig/modules  "module.ko [params...]" per line (optional)
 *          /etc/rig/info     lines echoed as "# rig: <line>" (optional)
 *          /proc/cmdline     rig.timeout=SECONDS (default 300), rig.shell=1
 *
 * Output:  KTAP on stdout (the console); every line of a test's own output
 *          is re-emitted as a "# " diagnostic so its TAP can't be mistaken
 *          for ours.  Markers on /dev/kmsg ("rig: test-start N name", ...)
 *          let the host attribute kernel splats to tests.
 *
 * Dry run: not as PID 1 but with RIG_INIT_TEST=1, the init skips mounts,
 *          module loading and power off, and reads every rig path
 *          (including /dev/kmsg, /proc/cmdline, /tmp) under $RIG_ROOT.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <termios.h>
#include <unistd.h>

#define TESTS_FILE	"/etc/rig/tests"
#define MODULES_FILE	"/etc/rig/modules"
#define INFO_FILE	"/etc/rig/info"
#define TAINT_FILE	"/proc/sys/kernel/tainted"

#define DEFAULT_TIMEOUT	300	/* seconds per test unless told otherwise */
#define DRAIN_MS	2000	/* read leftover output this long after exit */
#define KILL_WAIT_MS	10000	/* wait this long for a killed test to die */
#define LINE_MAX_LEN	4000	/* longer output lines are split */
#define MAX_ARGS	64
#define KSFT_SKIP	4	/* kselftest exit code for "skipped" */
#define KMSG_LEVEL	"<12>"	/* facility user, level warning */

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Tests are looked up in the first LOOKUP_DIRS of these; all form PATH. */
static const char *const test_dirs[] = { "/kvm", "/rig", "/bin", "/sbin" };
#define LOOKUP_DIRS	3

struct mount_entry {
	const char *source, *dir, *type;
	unsigned long flags;
	const char *data;
	bool required;		/* failing to mount it is fatal */
};

static const struct mount_entry mounts[] = {
	{ "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, true },
	{ "sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, true },
	{ "devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755", true },
	{ "tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777", false },
	{ "tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777", false },
	{ "debugfs", "/sys/kernel/debug", "debugfs", 0, NULL, false },
};

struct params {
	long timeout;		/* default per-test timeout, seconds; 0 = none */
	bool shell;		/* rig.shell=1: debug shell before power off */
};

struct test {
	char **argv;		/* program and its arguments, NULL-terminated */
	char *name;		/* argv joined by single spaces */
	long timeout;		/* seconds; 0 = none; -1 = rig.timeout */
	const char *bad;	/* why the line can't be run, or NULL */
};

struct test_list {
	struct test *v;
	size_t n;
};

/* A test's output, cut into lines. */
struct linebuf {
	char line[LINE_MAX_LEN + 1];
	size_t len;
	char skip[256];		/* reason from the last line saying SKIP */
};

/* One running test. */
struct run {
	pid_t pid;		/* also its process group */
	int fd;			/* read end of its output pipe; -1 when done */
	int status;		/* from waitpid(), once reaped */
	bool reaped, timed_out;
	long long start;	/* CLOCK_MONOTONIC, ms */
	long long taint_before, taint_after;
	char err[256];		/* set when the test could not be run */
	struct linebuf out;
};

enum verdict { PASS, SKIP, FAIL };

static bool test_mode;		/* RIG_INIT_TEST=1 dry run, not PID 1 */
static const char *root = "";	/* dry run: prefix of every rig path */
static int kmsg_fd = -1;
static char *test_env[3];	/* PATH=..., HOME=..., NULL */

/* ---- small helpers ---------------------------------------------------- */

static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= n;
	}
}

/* Format one line and hand it to a single write(2). */
static void vemit(int fd, const char *fmt, va_list ap)
{
	char buf[LINE_MAX_LEN + 512];
	int len = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (len < 0)
		return;
	if ((size_t)len >= sizeof(buf)) {
		len = sizeof(buf) - 1;
		buf[len - 1] = '\n';
	}
	write_all(fd, buf, len);
}

/* Print a line to the console. */
static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vemit(STDOUT_FILENO, fmt, ap);
	va_end(ap);
}

/* Log a marker to the kernel log, where it lands among the kernel's own. */
static void __attribute__((format(printf, 1, 2))) kmsg(const char *fmt, ...)
{
	va_list ap;

	if (kmsg_fd < 0)
		return;
	/*
	 * The kernel writes printk straight to the UART while our console
	 * output may still sit in the tty's transmit buffer: drain it first,
	 * so that our own lines and our own markers never interleave.
	 */
	tcdrain(STDOUT_FILENO);
	va_start(ap, fmt);
	vemit(kmsg_fd, fmt, ap);
	va_end(ap);
}

static void __attribute__((noreturn)) power_off(int dry_run_status)
{
	if (test_mode)
		exit(dry_run_status);
	sync();
	reboot(RB_POWER_OFF);
	say("# rig: power off failed: %s\n", strerror(errno));
	for (;;)
		pause();
}

static void __attribute__((noreturn, format(printf, 1, 2)))
fatal(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	say("# rig: fatal: %s\n", msg);
	kmsg(KMSG_LEVEL "rig: fatal: %s\n", msg);
	power_off(EXIT_FAILURE);
}

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p)
		fatal("out of memory");
	return p;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Where a rig path really is: under $RIG_ROOT in a dry run. */
static void rooted(char *buf, const char *path)
{
	snprintf(buf, PATH_MAX, "%s%s", root, path);
}

/* A whole (small) file, NUL-terminated, on the heap; NULL if unreadable. */
static char *slurp(const char *full)
{
	size_t len = 0, cap = 4096;
	char *buf;
	int fd;

	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = xrealloc(NULL, cap);
	for (;;) {
		ssize_t n;

		if (cap - len < 2)
			buf = xrealloc(buf, cap *= 2);
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* A rig file (under $RIG_ROOT in a dry run), as slurp(). */
static char *read_file(const char *path)
{
	char full[PATH_MAX];

	rooted(full, path);
	return slurp(full);
}

/* Cut the next line off *cur (in place); NULL at the end of the text. */
static char *next_line(char **cur)
{
	char *line = *cur, *nl;

	if (!*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*cur = nl + 1;
	} else {
		*cur = line + strlen(line);
	}
	return line;
}

/* "123" -> 123 seconds; false (and *out untouched) if not a plain number. */
static bool parse_seconds(const char *s, long *out)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v > INT_MAX)
		return false;
	*out = v;
	return true;
}

/* ---- setup ------------------------------------------------------------ */

/* Only PID 1 may run this, except for a dry run with RIG_INIT_TEST=1. */
static void check_pid1(void)
{
	const char *env = getenv("RIG_INIT_TEST");

	if (getpid() == 1)
		return;
	if (env && !strcmp(env, "1")) {
		test_mode = true;
		root = getenv("RIG_ROOT") ? getenv("RIG_ROOT") : "";
		return;
	}
	fprintf(stderr, "rig-init: not PID 1; set RIG_INIT_TEST=1 for a dry run\n");
	exit(EXIT_FAILURE);
}

/* Mount the table; returns the first required mount that failed, or NULL. */
static const char *mount_filesystems(void)
{
	const char *failed = NULL;

	if (test_mode)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(mounts); i++) {
		const struct mount_entry *m = &mounts[i];

		mkdir(m->dir, 0755);	/* usually exists already */
		if (!mount(m->source, m->dir, m->type, m->flags, m->data))
			continue;
		say("# rig: mount %s on %s failed: %s\n",
		    m->type, m->dir, strerror(errno));
		if (m->required && !failed)
			failed = m->dir;
	}
	return failed;
}

/* Without /dev/console in the initramfs the kernel gives us no fds 0-2. */
static void setup_console(void)
{
	int fd;

	if (test_mode)
		return;
	if (fcntl(0, F_GETFD) >= 0 && fcntl(1, F_GETFD) >= 0 &&
	    fcntl(2, F_GETFD) >= 0)
		return;
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return;
	for (int i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

static void on_sigchld(int sig)
{
	(void)sig;	/* only there to interrupt ppoll() */
}

/* SIGCHLD stays blocked except inside ppoll(), so no exit goes unnoticed. */
static void setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_sigchld,
				.sa_flags = SA_NOCLDSTOP | SA_RESTART };
	sigset_t set;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

/* Environment of the tests: PATH over the test dirs, HOME=/tmp. */
static void setup_test_env(void)
{
	static char path[4096], home[PATH_MAX + 8];
	size_t len = snprintf(path, sizeof(path), "PATH=");

	for (size_t i = 0; i < ARRAY_SIZE(test_dirs) && len < sizeof(path); i++)
		len += snprintf(path + len, sizeof(path) - len, "%s%s%s",
				i ? ":" : "", root, test_dirs[i]);
	if (test_mode && getenv("PATH") && len < sizeof(path))
		snprintf(path + len, sizeof(path) - len, ":%s", getenv("PATH"));
	snprintf(home, sizeof(home), "HOME=%s/tmp", root);
	test_env[0] = path;
	test_env[1] = home;
	test_env[2] = NULL;
}

static void read_cmdline(struct params *p)
{
	char *cmdline = read_file("/proc/cmdline"), *tok, *save;

	if (!cmdline)
		return;
	for (tok = strtok_r(cmdline, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		if (!strncmp(tok, "rig.timeout=", 12)) {
			if (!parse_seconds(tok + 12, &p->timeout))
				say("# rig: ignoring bad %s\n", tok);
		} else if (!strcmp(tok, "rig.shell=1")) {
			p->shell = true;
		}
	}
	free(cmdline);
}

/* Open /dev/kmsg for the markers, lifting the rate limit on our writes. */
static void open_kmsg(void)
{
	char path[PATH_MAX];
	int fd;

	if (!test_mode) {
		fd = open("/proc/sys/kernel/printk_devkmsg", O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			write_all(fd, "on\n", 3);	/* fails if set on cmdline */
			close(fd);
		}
	}
	rooted(path, "/dev/kmsg");
	kmsg_fd = open(path, O_WRONLY | O_CLOEXEC);
	if (kmsg_fd < 0)
		say("# rig: cannot open /dev/kmsg: %s\n", strerror(errno));
}

/* ---- the test list ---------------------------------------------------- */

static char *join(char **words, int n)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	s = xrealloc(NULL, len);
	s[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, words[i]);
	}
	return s;
}

/* Parse "[timeout=SECONDS] program [args...]"; false for an empty line. */
static bool parse_test(char *line, struct test *t)
{
	char *tok[MAX_ARGS + 1], *save, *s;
	int n = 0, first = 0;

	line[strcspn(line, "#")] = '\0';
	for (s = strtok_r(line, " \t\r", &save); s; s = strtok_r(NULL, " \t\r", &save)) {
		if (n <= MAX_ARGS)
			tok[n] = s;
		n++;
	}
	if (n == 0)
		return false;
	*t = (struct test){ .timeout = -1 };
	if (n > MAX_ARGS) {
		n = MAX_ARGS;
		t->bad = "too many arguments";
	}
	if (!strncmp(tok[0], "timeout=", 8)) {
		first = 1;
		if (!parse_seconds(tok[0] + 8, &t->timeout))
			t->bad = "invalid timeout";
	}
	if (first == n)
		t->bad = "no program";
	t->name = join(t->bad ? tok : tok + first, t->bad ? n : n - first);
	t->argv = xrealloc(NULL, (n - first + 1) * sizeof(char *));
	memcpy(t->argv, tok + first, (n - first) * sizeof(char *));
	t->argv[n - first] = NULL;
	return true;
}

/* Read /etc/rig/tests; without one there is nothing to do but say so. */
static bool load_test_list(struct test_list *list)
{
	char *text = read_file(TESTS_FILE), *cur = text, *line;
	size_t cap = 0;

	*list = (struct test_list){ 0 };
	if (!text) {
		say("KTAP version 1\n");
		say("1..0 # SKIP no test list\n");
		return false;
	}
	while ((line = next_line(&cur))) {
		if (list->n == cap)
			list->v = xrealloc(list->v, (cap = 2 * cap + 16) * sizeof(*list->v));
		if (parse_test(line, &list->v[list->n]))
			list->n++;
	}
	return true;	/* the tests point into text: keep it */
}

static void print_plan(const struct test_list *list)
{
	char *info = read_file(INFO_FILE), *cur = info, *line;

	say("KTAP version 1\n");
	say("1..%zu\n", list->n);
	while (info && (line = next_line(&cur)))
		if (*line)
			say("# rig: %s\n", line);
	free(info);
	/* Names up front, so that a log cut short still names what never ran. */
	for (size_t i = 0; i < list->n; i++)
		say("# rig: planned %zu %s\n", i + 1, list->v[i].name);
}

/* ---- modules ---------------------------------------------------------- */

static void load_module(const char *path, const char *params)
{
	static const char *const packed[] = { ".gz", ".xz", ".zst" };
	size_t len = strlen(path);
	int fd, flags = 0, err = 0;

	for (size_t i = 0; i < ARRAY_SIZE(packed); i++)
		if (len > strlen(packed[i]) &&
		    !strcmp(path + len - strlen(packed[i]), packed[i]))
			flags = MODULE_INIT_COMPRESSED_FILE;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, params, flags) < 0)
		err = errno;
	if (fd >= 0)
		close(fd);
	if (!err || err == EEXIST)
		say("# rig: module %s loaded\n", path);
	else
		say("# rig: module %s failed: %s\n", path, strerror(err));
}

/* Each line of /etc/rig/modules: "path [params...]". */
static void load_modules(void)
{
	char *list, *cur, *line, *path, *params;

	if (test_mode || !(list = read_file(MODULES_FILE)))
		return;
	for (cur = list; (line = next_line(&cur));) {
		path = line + strspn(line, " \t");
		if (!*path || *path == '#')
			continue;
		params = path + strcspn(path, " \t\r");
		if (*params)
			*params++ = '\0';
		params += strspn(params, " \t");
		params[strcspn(params, "\r")] = '\0';
		load_module(path, params);
	}
	free(list);
}

/* ---- running one test ------------------------------------------------- */

static long long read_tainted(void)
{
	char *s = read_file(TAINT_FILE);
	long long v = s && isdigit((unsigned char)*s) ? strtoll(s, NULL, 10) : -1;

	free(s);
	return v;
}

/* Keep what follows "SKIP" ("1..0 # SKIP - Requirement not met: ..."). */
static void remember_skip(struct linebuf *lb)
{
	const char *p = strstr(lb->line, "SKIP");
	size_t n;

	if (!p)
		return;
	for (p += 4; *p == ' ' || *p == '\t' || *p == '-' || *p == ':'; p++)
		;
	snprintf(lb->skip, sizeof(lb->skip), "%s", p);
	n = strlen(lb->skip);
	while (n > 0 && isspace((unsigned char)lb->skip[n - 1]))
		lb->skip[--n] = '\0';
}

static void flush_line(struct linebuf *lb)
{
	lb->line[lb->len] = '\0';
	if (lb->len > 0 && lb->line[lb->len - 1] == '\r')
		lb->line[--lb->len] = '\0';
	say("# %s\n", lb->line);
	remember_skip(lb);
	lb->len = 0;
}

static void feed_output(struct linebuf *lb, const char *data, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (data[i] == '\n') {
			flush_line(lb);
			continue;
		}
		lb->line[lb->len++] = data[i];
		if (lb->len == LINE_MAX_LEN)
			flush_line(lb);
	}
}

/* Resolve a program: as given if it has a '/', else from /kvm, /rig, /bin. */
static void find_program(char *out, const char *prog)
{
	if (strchr(prog, '/')) {
		if (prog[0] == '/')
			rooted(out, prog);
		else
			snprintf(out, PATH_MAX, "%s", prog);
		return;
	}
	for (int i = 0; i < LOOKUP_DIRS; i++) {
		snprintf(out, PATH_MAX, "%s%s/%s", root, test_dirs[i], prog);
		if (!access(out, X_OK))
			return;
	}
	snprintf(out, PATH_MAX, "%s", prog);	/* let execve() complain */
}

/* In the child: own process group, output to the pipe, then exec. */
static void __attribute__((noreturn)) exec_test(const struct test *t, int out)
{
	char prog[PATH_MAX], dir[PATH_MAX], *argv[MAX_ARGS + 2];
	int null = open("/dev/null", O_RDONLY);
	sigset_t none;

	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
		_exit(126);
	if (null > 2)
		close(null);
	rooted(dir, "/tmp");
	if (chdir(dir) < 0)
		dprintf(2, "rig: chdir %s: %s\n", dir, strerror(errno));
	find_program(prog, t->argv[0]);
	/*
	 * argv[0] is the resolved path: the KVM selftests open their own ELF
	 * through it (program_invocation_name) to load the guest code.
	 */
	argv[0] = prog;
	for (int i = 1; i <= MAX_ARGS && (argv[i] = t->argv[i]); i++)
		;
	argv[MAX_ARGS + 1] = NULL;
	execve(prog, argv, test_env);
	dprintf(2, "rig: exec %s: %s\n", prog, strerror(errno));
	_exit(127);
}

static bool start_test(struct run *r, const struct test *t)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(r->err, sizeof(r->err), "rig: pipe: %s", strerror(errno));
		return false;
	}
	r->pid = fork();
	if (r->pid < 0) {
		snprintf(r->err, sizeof(r->err), "rig: fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return false;
	}
	if (r->pid == 0)
		exec_test(t, fds[1]);
	setpgid(r->pid, r->pid);	/* no race with the child's own call */
	close(fds[1]);
	r->fd = fds[0];
	return true;
}

/* Reap every exited child (PID 1 inherits orphans); true if r's test was one. */
static bool reap_children(struct run *r)
{
	bool got = false;
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (r && pid == r->pid && !r->reaped) {
			r->status = status;
			r->reaped = got = true;
		}
	}
	return got;
}

/* Milliseconds until the earlier of two deadlines (-1 = none). */
static long long until(long long now, long long a, long long b)
{
	long long t = a < 0 ? b : b < 0 ? a : a < b ? a : b;

	return t < 0 ? -1 : t > now ? t - now : 0;
}

/* Sleep until output arrives, a child exits, or ms pass; take the output. */
static void wait_event(struct run *r, long long ms)
{
	struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000 };
	char buf[4096];
	sigset_t none;
	ssize_t n;

	sigemptyset(&none);	/* lets SIGCHLD in, only while we sleep */
	if (ppoll(&pfd, 1, ms < 0 ? NULL : &ts, &none) <= 0 || !pfd.revents)
		return;
	n = read(r->fd, buf, sizeof(buf));
	if (n > 0) {
		feed_output(&r->out, buf, n);
	} else if (n == 0 || errno != EINTR) {
		close(r->fd);
		r->fd = -1;
	}
}

/* /proc/PID/task/TID/FILE (PID and TID come from readdir: short numbers). */
static void task_path(char *buf, size_t n, const char *pid, const char *tid,
		      const char *file)
{
	snprintf(buf, n, "/proc/%.20s/task/%.20s/%s", pid, tid, file);
}

/* A /proc file of a task as one line: newlines as " | ", "?" if unreadable. */
static void proc_line(char *out, size_t n, const char *pid, const char *tid,
		      const char *file)
{
	char path[80], *text, *cur, *line;
	size_t len = 0;

	task_path(path, sizeof(path), pid, tid, file);
	text = slurp(path);
	snprintf(out, n, "?");
	if (!text)
		return;
	out[0] = '\0';
	cur = text;
	while ((line = next_line(&cur)) && len + 1 < n)
		len += snprintf(out + len, n - len, "%s%s", len ? " | " : "", line);
	free(text);
}

/*
 * The fields of a /proc/PID/stat text after "(comm)", split in place into
 * tok[] (tok[k] is field k + 3 in proc(5)); comm into comm[n].  Returns how
 * many fields there are, 0 if the text is unreadable.
 */
static int stat_fields(char *stat, char **tok, int max, char *comm, size_t n)
{
	char *open = stat ? strchr(stat, '(') : NULL;
	char *close_paren = stat ? strrchr(stat, ')') : NULL;
	char *save = NULL;
	int k = 0;

	if (!open || close_paren <= open)
		return 0;
	snprintf(comm, n, "%.*s", (int)(close_paren - open - 1), open + 1);
	for (char *t = strtok_r(close_paren + 1, " ", &save); t && k < max;
	     t = strtok_r(NULL, " ", &save))
		tok[k++] = t;
	return k;
}

/*
 * One thread of a test that timed out, before it is killed: state, last
 * CPU, CPU time, wait channel, system call and kernel stack, so that a hang
 * seen once can be read from the log.  The stack needs CONFIG_STACKTRACE.
 */
static void dump_task(const char *pid, const char *tid)
{
	char path[80], wchan[128], sys[256], comm[64] = "?", *tok[40];
	char *stat, *stack, *cur, *line;
	double secs = 0;
	int n;

	task_path(path, sizeof(path), pid, tid, "stat");
	stat = slurp(path);
	n = stat_fields(stat, tok, 40, comm, sizeof(comm));
	if (n > 12)
		secs = (strtod(tok[11], NULL) + strtod(tok[12], NULL)) / sysconf(_SC_CLK_TCK);
	proc_line(wchan, sizeof(wchan), pid, tid, "wchan");
	proc_line(sys, sizeof(sys), pid, tid, "syscall");
	say("# rig: timeout: tid %s (%s) state %s cpu %s cputime %.2fs wchan %s syscall %s\n",
	    tid, comm, n > 0 ? tok[0] : "?", n > 36 ? tok[36] : "?", secs, wchan, sys);
	free(stat);
	task_path(path, sizeof(path), pid, tid, "stack");
	stack = slurp(path);
	cur = stack ? stack : "";
	while ((line = next_line(&cur)))
		say("# rig:   %s\n", line);
	free(stack);
}

/* Every thread of every process in the test's process group. */
static void dump_threads(pid_t pgrp)
{
	DIR *procs = opendir("/proc");
	struct dirent *p;

	while (procs && (p = readdir(procs))) {
		char path[80], comm[64], *stat, *tok[3];
		struct dirent *t;
		DIR *tasks;
		int grp = -1;

		if (!isdigit((unsigned char)p->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/stat", p->d_name);
		stat = slurp(path);
		if (stat_fields(stat, tok, 3, comm, sizeof(comm)) == 3)
			grp = atoi(tok[2]);	/* field 5: the process group */
		free(stat);
		if (grp != pgrp)
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/task", p->d_name);
		tasks = opendir(path);
		while (tasks && (t = readdir(tasks)))
			if (isdigit((unsigned char)t->d_name[0]))
				dump_task(p->d_name, t->d_name);
		if (tasks)
			closedir(tasks);
	}
	if (procs)
		closedir(procs);
}

/* Relay output until the test is reaped and its pipe drained, or time is up. */
static void supervise(struct run *r, long timeout)
{
	long long kill_at = timeout > 0 ? r->start + timeout * 1000LL : -1;
	long long give_up = -1;	/* set once the test exited or was killed */

	while (r->fd >= 0 || !r->reaped) {
		long long now = now_ms();

		if (give_up >= 0 && now >= give_up)
			break;
		if (kill_at >= 0 && now >= kill_at && !r->reaped) {
			dump_threads(r->pid);
			kill(-r->pid, SIGKILL);
			r->timed_out = true;
			kill_at = -1;
			give_up = now + KILL_WAIT_MS;
		}
		wait_event(r, until(now, kill_at, give_up));
		if (reap_children(r)) {
			kill(-r->pid, SIGKILL);	/* whatever it left behind */
			give_up = now_ms() + DRAIN_MS;
		}
	}
	if (!r->reaped)
		say("# rig: pid %d survived SIGKILL, moving on\n", r->pid);
	if (r->fd >= 0) {
		say("# rig: output still open after exit, closing it\n");
		close(r->fd);
		r->fd = -1;
	}
}

/* The result, and its KTAP directive (empty for a plain pass). */
static enum verdict judge(const struct run *r, long timeout, char *why, size_t n)
{
	int code = WEXITSTATUS(r->status);

	*why = '\0';
	if (r->err[0]) {
		snprintf(why, n, "%s", r->err);
		return FAIL;
	}
	if (r->timed_out) {
		snprintf(why, n, "TIMEOUT after %lds", timeout);
		return FAIL;
	}
	if (WIFSIGNALED(r->status)) {
		snprintf(why, n, "signal %d (%s)", WTERMSIG(r->status),
			 strsignal(WTERMSIG(r->status)));
		return FAIL;
	}
	if (code == 0)
		return PASS;
	if (code == KSFT_SKIP) {
		snprintf(why, n, "SKIP %s", r->out.skip[0] ? r->out.skip : "exit 4");
		return SKIP;
	}
	snprintf(why, n, "exit=%d", code);
	return FAIL;
}

static void report(int num, const struct test *t, const struct run *r, long timeout)
{
	static const char *const kmsg_result[] = { "ok", "skip", "not ok" };
	char why[512];
	enum verdict v = judge(r, timeout, why, sizeof(why));

	say("%s %d %s%s%s\n", v == FAIL ? "not ok" : "ok", num, t->name,
	    why[0] ? " # " : "", why);
	say("# rig: %d %s took %.1fs tainted before=%lld after=%lld\n",
	    num, t->name, (now_ms() - r->start) / 1000.0,
	    r->taint_before, r->taint_after);
	kmsg(KMSG_LEVEL "rig: test-end %d %s result=%s tainted=%lld\n",
	     num, t->name, kmsg_result[v], r->taint_after);
}

static void run_one(int num, const struct test *t, const struct params *p)
{
	long timeout = t->timeout >= 0 ? t->timeout : p->timeout;
	struct run r = { .fd = -1 };

	reap_children(NULL);
	say("# rig: start %d %s\n", num, t->name);
	kmsg(KMSG_LEVEL "rig: test-start %d %s\n", num, t->name);
	r.taint_before = read_tainted();
	r.start = now_ms();
	if (t->bad)
		snprintf(r.err, sizeof(r.err), "bad test line: %s", t->bad);
	else if (start_test(&r, t))
		supervise(&r, timeout);
	if (r.out.len)
		flush_line(&r.out);	/* a last line without newline */
	r.taint_after = read_tainted();
	report(num, t, &r, timeout);
}

static void run_tests(const struct test_list *list, const struct params *p)
{
	for (size_t i = 0; i < list->n; i++)
		run_one(i + 1, &list->v[i], p);
}

/* ---- the end ---------------------------------------------------------- */

static void print_done(void)
{
	say("# rig: done\n");
	kmsg(KMSG_LEVEL "rig: done\n");
}

/* rig.shell=1: a shell on the console; leaving it powers off. */
static void debug_shell(const struct params *p)
{
	sigset_t none;
	pid_t pid;

	if (!p->shell || test_mode)
		return;
	say("# rig: rig.shell=1: starting /bin/sh, exit it to power off\n");
	pid = fork();
	if (pid == 0) {
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setsid();
		if (chdir("/tmp") < 0)
			dprintf(2, "rig: chdir /tmp: %s\n", strerror(errno));
		execle("/bin/sh", "sh", (char *)NULL, test_env);
		dprintf(2, "rig: exec /bin/sh: %s\n", strerror(errno));
		_exit(127);
	}
	while (pid > 0) {	/* reaping orphans on the way */
		pid_t got = waitpid(-1, NULL, 0);

		if (got == pid || (got < 0 && errno == ECHILD))
			break;
	}
}

int main(void)
{
	struct params params = { .timeout = DEFAULT_TIMEOUT };
	struct test_list tests;
	const char *failed_mount;

	check_pid1();
	failed_mount = mount_filesystems();
	setup_console();	/* needs /dev, so after mounting */
	if (failed_mount)
		fatal("cannot mount %s", failed_mount);
	setup_signals();
	setup_test_env();
	read_cmdline(&params);
	open_kmsg();
	if (load_test_list(&tests)) {
		print_plan(&tests);
		load_modules();
		run_tests(&tests, &params);
	}
	print_done();
	debug_shell(&params);
	power_off(EXIT_SUCCESS);
}
