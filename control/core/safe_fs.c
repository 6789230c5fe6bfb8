/* SPDX-License-Identifier: BSD-3-Clause */
/* Link-free directory walks, atomic writes, the record of created sockets (safe_fs.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control/core/safe_fs.h"
#include "vs_types.h"
#include "control/core/log.h"
#include "control/model/config.h"
#include "control/model/err.h"

struct owned {
	char path[VS_PATH_MAX];
	dev_t dev;
	ino_t ino;
};

static struct owned owned[VS_MAX_PORTS];
static unsigned int n_owned;
static char record_dir[VS_DIR_MAX];	/* "" = not kept */
static dev_t record_dev;
static ino_t record_ino;
#define RECORD_NAME "owned-sockets"

static void record_save(void)
{
	char buf[VS_MAX_PORTS * (VS_PATH_MAX + 48)];
	size_t n = 0;

	if (record_dir[0] == '\0')
		return;
	for (unsigned int i = 0; i < n_owned; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%ju %ju %s\n",
				      (uintmax_t)owned[i].dev, (uintmax_t)owned[i].ino,
				      owned[i].path);
	int rc = vs_write_atomic(record_dir, RECORD_NAME, buf, n, 0600, record_dev, record_ino);
	if (rc < 0)
		VS_LOG_RL(WARNING, "cannot keep %s/%s: %s (a crash would leave sockets vswd will "
				   "not replace)", record_dir, RECORD_NAME, strerror(-rc));
}

void vs_safe_fs_init(const char *state_dir)
{
	char path[VS_DIR_MAX + 32], line[VS_PATH_MAX + 64];
	struct stat st;

	n_owned = 0;
	snprintf(record_dir, sizeof(record_dir), "%s", state_dir);
	if (stat(state_dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		record_dir[0] = '\0';
		return;
	}
	record_dev = st.st_dev;
	record_ino = st.st_ino;
	snprintf(path, sizeof(path), "%s/%s", state_dir, RECORD_NAME);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (f == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while (n_owned < VS_MAX_PORTS && fgets(line, sizeof(line), f) != NULL) {
		uintmax_t dev, ino;
		char p[VS_PATH_MAX];
		if (sscanf(line, "%ju %ju %107s", &dev, &ino, p) != 3)
			continue;
		snprintf(owned[n_owned].path, sizeof(owned[n_owned].path), "%s", p);
		owned[n_owned].dev = (dev_t)dev;
		owned[n_owned].ino = (ino_t)ino;
		n_owned++;
	}
	fclose(f);
}

static int owned_find(const char *path)
{
	for (unsigned int i = 0; i < n_owned; i++)
		if (strcmp(owned[i].path, path) == 0)
			return (int)i;
	return -1;
}

static void owned_forget(const char *path)
{
	int i = owned_find(path);
	if (i < 0)
		return;
	owned[i] = owned[--n_owned];
	record_save();
}

void vs_sock_created(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return;
	int i = owned_find(path);
	if (i < 0) {
		if (n_owned == VS_MAX_PORTS)
			return;
		i = (int)n_owned++;
	}
	snprintf(owned[i].path, sizeof(owned[i].path), "%s", path);
	owned[i].dev = st.st_dev;
	owned[i].ino = st.st_ino;
	record_save();
}

static bool is_owned(const char *path, const struct stat *st)
{
	int i = owned_find(path);
	return i >= 0 && owned[i].dev == st->st_dev && owned[i].ino == st->st_ino;
}

int vs_dir_open_below(const char *base, const char *path, bool create, const char **leaf)
{
	char comp[VS_PATH_MAX];
	const char *p = path + strlen(base);
	/* base comes from the config (root's choice): links in it are followed */
	int fd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while (*p == '/')
		p++;
	for (;;) {
		size_t len = strcspn(p, "/");
		if (p[len] == '\0')
			break;
		snprintf(comp, sizeof(comp), "%.*s", (int)len, p);
		int next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT && create &&
		    (mkdirat(fd, comp, 0755) == 0 || errno == EEXIST))
			next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int err = errno;
		close(fd);
		if (next < 0)
			return err == ELOOP || err == ENOTDIR ? -ELOOP : -err;
		fd = next;
		p += len + 1;
	}
	*leaf = p;
	return fd;
}

/* Someone accepts connections on the socket at path. */
static bool listening(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return true;	/* cannot tell: assume the worst */
	int rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	int err = errno;
	close(fd);
	return rc == 0 || err == EAGAIN || err == EINPROGRESS;
}

int vs_sock_prepare(const char *path, const char *base, bool server, const char *field,
		    struct vs_err *e)
{
	const char *leaf;
	struct stat st;
	int rc = 0;
	int dfd = vs_dir_open_below(base, path, server, &leaf);

	if (dfd == -ELOOP)
		return vs_err_set(e, EACCES, field, "a directory of '%s' below %s is a symlink or "
				  "not a directory: vswd does not follow links", path, base);
	if (dfd == -ENOENT && !server)
		return 0;	/* QEMU creates it later; rte_vhost keeps trying */
	if (dfd < 0)
		return vs_err_set(e, -dfd, field, "cannot open the directory of %s: %s", path,
				  strerror(-dfd));
	if (fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		rc = errno == ENOENT ? 0 : vs_err_set(e, errno, field, "%s: %s", path,
						       strerror(errno));
		goto out;
	}
	if (S_ISLNK(st.st_mode)) {
		rc = vs_err_set(e, EACCES, field, "%s is a symlink: vswd does not follow links",
				path);
	} else if (!S_ISSOCK(st.st_mode)) {
		rc = vs_err_set(e, EEXIST, field, "%s exists and is not a socket", path);
	} else if (server && listening(path)) {
		rc = vs_err_set(e, EADDRINUSE, field, "%s: another process listens there", path);
	} else if (server && !is_owned(path, &st)) {
		rc = vs_err_set(e, EEXIST, field, "%s: a socket vswd did not create (remove it if "
				"it is stale)", path);
	} else if (server && unlinkat(dfd, leaf, 0) < 0) {
		rc = vs_err_set(e, errno, field, "cannot remove vswd's stale %s: %s", path,
				strerror(errno));
	}
out:
	close(dfd);
	return rc;
}

int vs_sock_release_begin(const char *path, char *aside, size_t len)
{
	struct stat st;
	int moved = 0;

	if (lstat(path, &st) == 0 && !is_owned(path, &st)) {
		snprintf(aside, len, "%s.vsw-keep", path);
		moved = rename(path, aside) == 0;
		VS_LOG_RL(WARNING, "%s is no longer the socket vswd created: left in place", path);
	}
	owned_forget(path);
	return moved;
}

void vs_sock_release_end(const char *path, const char *aside)
{
	if (rename(aside, path) < 0)
		VS_LOG_RL(ERR, "cannot put %s back to %s: %s", aside, path, strerror(errno));
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int vs_write_atomic(const char *dir, const char *name, const char *data, size_t len,
		    mode_t mode, dev_t want_dev, ino_t want_ino)
{
	static unsigned int seq;
	char tmp[VS_DIR_MAX];
	struct stat st;
	int fd = -1, rc;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (dfd < 0)
		return errno == ENOTDIR ? -ELOOP : -errno;
	if (fstat(dfd, &st) < 0 || (want_ino != 0 && (st.st_dev != want_dev ||
						       st.st_ino != want_ino))) {
		rc = -EACCES;	/* the directory was replaced since startup */
		goto err;
	}
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode)) {
			rc = -ELOOP;
			goto err;
		}
		if (!S_ISREG(st.st_mode)) {
			rc = -EACCES;
			goto err;
		}
		mode = st.st_mode & 07777;
	} else if (errno != ENOENT) {
		rc = -errno;
		goto err;
	}
	snprintf(tmp, sizeof(tmp), ".%s.tmp.%d.%u", name, (int)getpid(), seq++);
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 0600);
	if (fd < 0) {
		rc = -errno;
		goto err;
	}
	if ((rc = write_all(fd, data, len)) < 0)
		goto err_tmp;
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0) {
		rc = -errno;
		goto err_tmp;
	}
	rc = close(fd);
	fd = -1;
	if (rc < 0) {
		rc = -errno;
		goto err_tmp;
	}
	if (renameat(dfd, tmp, dfd, name) < 0) {
		rc = -errno;
		goto err_tmp;
	}
	fsync(dfd);	/* the rename itself survives a crash */
	close(dfd);
	return 0;
err_tmp:
	if (fd >= 0)
		close(fd);
	unlinkat(dfd, tmp, 0);
err:
	close(dfd);
	return rc;
}
