/* SPDX-License-Identifier: BSD-3-Clause */
/* IPAM delegation: see ipam.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "control/cni/ipam.h"

#define OUT_MAX (1 << 20)	/* a result is a few hundred bytes */

static int find(const char *cni_path, const char *type, char *out, size_t len)
{
	const char *s = cni_path;
	while (s != NULL && *s != '\0') {
		const char *end = strchr(s, ':');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		if (n > 0 && snprintf(out, len, "%.*s/%s", (int)n, s, type) < (int)len &&
		    access(out, X_OK) == 0)
			return 0;
		s = end ? end + 1 : NULL;
	}
	return -ENOENT;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Writes conf to fd_in and reads everything from fd_out, both non-blocking, by the deadline. */
static int exchange(int fd_in, int fd_out, const char *conf, size_t len, char **out,
		    size_t *out_len)
{
	long long deadline = now_ms() + VS_CNI_IPAM_TIMEOUT_S * 1000LL;
	size_t sent = 0, got = 0, cap = 4096;
	char *buf = malloc(cap);
	if (buf == NULL)
		return -ENOMEM;
	fcntl(fd_in, F_SETFL, O_NONBLOCK);
	fcntl(fd_out, F_SETFL, O_NONBLOCK);
	for (;;) {
		struct pollfd p[2] = { { .fd = fd_out, .events = POLLIN },
				       { .fd = fd_in, .events = POLLOUT } };
		long long left = deadline - now_ms();
		if (left <= 0) {
			free(buf);
			return -ETIMEDOUT;
		}
		if (poll(p, fd_in >= 0 ? 2 : 1, (int)left) < 0 && errno != EINTR) {
			free(buf);
			return -errno;
		}
		if (fd_in >= 0 && (p[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w = write(fd_in, conf + sent, len - sent);
			if (w > 0)
				sent += (size_t)w;
			if ((w < 0 && errno != EAGAIN && errno != EINTR) || sent == len) {
				close(fd_in);	/* EPIPE: the plugin stopped reading; its answer says why */
				fd_in = -1;
			}
		}
		if (p[0].revents & (POLLIN | POLLERR | POLLHUP)) {
			if (got + 1 >= cap) {
				char *b = cap >= OUT_MAX ? NULL : realloc(buf, cap * 2);
				if (b == NULL) {
					free(buf);
					return -EMSGSIZE;
				}
				buf = b;
				cap *= 2;
			}
			ssize_t r = read(fd_out, buf + got, cap - got - 1);
			if (r == 0)
				break;
			if (r > 0)
				got += (size_t)r;
			else if (errno != EAGAIN && errno != EINTR) {
				free(buf);
				return -errno;
			}
		}
	}
	if (fd_in >= 0)
		close(fd_in);
	buf[got] = '\0';
	*out = buf;
	*out_len = got;
	return 0;
}

int vs_cni_ipam(const char *cni_path, const char *type, const char *cmd, const char *conf,
		size_t len, json_t **result, struct vs_cni_err *e)
{
	char exe[VS_CNI_PATH_MAX];
	int in[2], out[2], status = 0;
	char *text = NULL;
	size_t text_len = 0;

	*result = NULL;
	if (find(cni_path, type, exe, sizeof(exe)) < 0)
		return vs_cni_fail(e, VS_CNI_E_CONFIG, "IPAM plugin %s: not found in CNI_PATH %s",
				   type, cni_path);
	if (pipe2(in, O_CLOEXEC) < 0)
		return vs_cni_fail(e, VS_CNI_E_IO, "pipe: %s", strerror(errno));
	if (pipe2(out, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		return vs_cni_fail(e, VS_CNI_E_IO, "pipe: %s", strerror(errno));
	}
	pid_t pid = fork();
	if (pid == 0) {
		/* the child: stdin and stdout on the pipes, stderr shared, the same environment */
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || setenv("CNI_COMMAND", cmd, 1) < 0)
			_exit(127);
		execl(exe, type, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	if (pid < 0) {
		close(in[1]);
		close(out[0]);
		return vs_cni_fail(e, VS_CNI_E_IO, "fork: %s", strerror(errno));
	}
	int rc = exchange(in[1], out[0], conf, len, &text, &text_len);
	close(out[0]);
	if (rc == -ETIMEDOUT)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc < 0)
		return vs_cni_fail(e, VS_CNI_E_IO, "IPAM plugin %s %s: %s", type, cmd,
				   rc == -ETIMEDOUT ? "no answer in time" : strerror(-rc));
	json_error_t je;
	json_t *j = text_len > 0 ? json_loadb(text, text_len, 0, &je) : NULL;
	free(text);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		const char *msg = json_string_value(json_object_get(j, "msg"));
		json_int_t code = json_integer_value(json_object_get(j, "code"));
		vs_cni_fail(e, code > 0 ? (unsigned int)code : VS_CNI_E_IO, "IPAM plugin %s %s: %s",
			    type, cmd, msg ? msg : WIFEXITED(status) ? "failed" : "killed");
		const char *d = json_string_value(json_object_get(j, "details"));
		if (d != NULL)
			snprintf(e->details, sizeof(e->details), "%s", d);
		json_decref(j);
		return -1;
	}
	if (strcmp(cmd, "ADD") == 0 && !json_is_object(j)) {
		json_decref(j);
		return vs_cni_fail(e, VS_CNI_E_DECODE, "IPAM plugin %s ADD: its result is not a "
				   "JSON object", type);
	}
	if (strcmp(cmd, "ADD") == 0)
		*result = j;
	else
		json_decref(j);
	return 0;
}
