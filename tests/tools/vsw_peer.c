/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vsw_peer: plays the VMs (and the top-of-rack switch on the uplink) around vsw.
 *
 * Every --vdev net_virtio_user port attaches to one vhost-user socket of the switch under test,
 * exactly as QEMU's virtio-net would, so integration tests and benchmarks drive the real vhost
 * path. Ports are numbered by ethdev port id, i.e. in --vdev order.
 *
 * Four modes, all on the main lcore only:
 *  - interactive (default): a line protocol on stdin/stdout (send/recv/wait/stats/clear/quit),
 *    used by tests/integration/peer.py. Every reply ends with a line "end".
 *  - --bench: generator on one port, sink on another, one JSON result line (perf/bench.sh).
 *  - --latency: sparse timestamped frames from one port to another, one JSON line
 *    (perf/latency.sh).
 *  - --congest: a paced best-effort flood plus a timestamped critical stream, each with its own
 *    DSCP, from one port to another, one JSON line: egress QoS of a shaped port.
 *
 * This is test tooling, not data path: the interactive side copies frames to the heap and logs
 * freely. The bench and congest loops are the only parts written for speed.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_eth_bond.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_udp.h>

#define RING_SIZE     1024
#define BURST	      32
#define MAX_PORTS     16
#define MAX_QUEUES    8
#define MAX_BUFFERED  65536  /* frames kept per port between two recv/clear */
#define MAX_FRAME     16384  /* largest frame "send" accepts; 9018 is what tests need */
#define TX_RETRY_US   100000 /* give up on a full tx ring after 100 ms without progress */
#define IDLE_SLEEP_US 100    /* interactive mode shares a CPU with the switch under test */
#define LINK_WAIT_S   10

/* A received frame, copied out of its mbufs so the pool never runs dry while a test dawdles. */
struct frame {
	uint32_t len;
	uint8_t data[];
};

struct port_state {
	struct frame **frames; /* oldest first, count entries */
	uint32_t count;
	uint64_t rx;
	uint64_t tx;
	uint64_t rx_overflow;
	bool bond_member;
	bool cut;		/* unplugged by "cut": not polled until "restore" */
	uint16_t cut_from_bond;	/* the bond it left on "cut", or RTE_MAX_ETHPORTS */
};

/* The --vdev arguments by port (ports are numbered in --vdev order): "cut" unplugs a member
 * vdev and "restore" plugs the same one in again. */
static const char *vdev_args[MAX_PORTS];

/* "pace": one frame every interval, a 32-bit sequence number in its last four bytes. */
static struct {
	uint16_t port;
	uint32_t len, next_seq, count;
	uint64_t interval_us, next_us;
	uint8_t frame[2048];
} pace;

static void pace_tick(void);

struct bench_template {
	uint32_t size;
	uint8_t bytes[9216];
};

struct bench_opts {
	uint16_t tx_port;
	uint16_t rx_port;
	uint32_t size;
	uint32_t flows;
	double seconds;
	double warmup;
};

static volatile sig_atomic_t stop_requested;
static uint16_t nb_ports;
static uint16_t nb_queues = 1;
static uint16_t mtu = 9000;
static struct rte_mempool *rx_pool;   /* rx rings and interactive tx */
static struct rte_mempool *tmpl_pool; /* bench generator only; freed after the ports close */
static struct port_state ports[MAX_PORTS];

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* CPU time this thread actually got: on a shared machine, less than wall time means preempted. */
static double thread_cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* For the deadlines of interactive commands; the bench loop times itself with rte_rdtsc(). */
static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/*
 * virtio-user in server mode bind()s the socket path and fails if a stale file from an earlier
 * run is there, so remove it first. Also count the vdevs so a client port whose socket does not
 * exist (its probe fails, but EAL init still succeeds) is reported instead of silently missing.
 */
static unsigned int prepare_vdevs(int argc, char **argv)
{
	unsigned int n = 0, nvdev = 0;

	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *v = NULL;
		char path[512];
		struct stat st;
		const char *p;
		size_t len;

		if (strcmp(argv[i], "--vdev") == 0 && i + 1 < argc)
			v = argv[++i];
		else if (strncmp(argv[i], "--vdev=", 7) == 0)
			v = argv[i] + 7;
		if (v == NULL)
			continue;
		if (nvdev < MAX_PORTS)
			vdev_args[nvdev++] = v;
		if (strncmp(v, "net_virtio_user", 15) != 0)
			continue;
		n++;
		if (strstr(v, "server=1") == NULL || (p = strstr(v, "path=")) == NULL)
			continue;
		p += 5;
		len = strcspn(p, ",");
		if (len >= sizeof(path))
			continue;
		memcpy(path, p, len);
		path[len] = '\0';
		if (stat(path, &st) == 0 && S_ISSOCK(st.st_mode))
			unlink(path);
	}
	return n;
}

/*
 * A member of a bonding vdev (--vdev net_bonding0,mode=4,slave=...) belongs to the bond: the
 * peer neither sets it up nor polls it, or it would steal the bond's frames (LACPDUs too).
 * This is how the peer plays a "top-of-rack switch" running DPDK's bonding PMD.
 */
static bool is_bond_member(uint16_t port)
{
	struct rte_eth_dev_info info;
	return rte_eth_dev_info_get(port, &info) == 0 && info.dev_flags != NULL &&
	       (*info.dev_flags & RTE_ETH_DEV_BONDED_SLAVE);
}

static int port_setup(uint16_t port, struct rte_mempool *pool)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	uint16_t nb_rxd = RING_SIZE, nb_txd = RING_SIZE;
	int ret;

	ret = rte_eth_dev_info_get(port, &info);
	if (ret < 0)
		return ret;
	/* 2048-byte mbufs: jumbo frames are chains, on virtio backed by mergeable rx buffers. */
	conf.rxmode.mtu = mtu;
	conf.rxmode.offloads = info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER;
	conf.txmode.offloads = info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	ret = rte_eth_dev_configure(port, nb_queues, nb_queues, &conf);
	if (ret < 0)
		return ret;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd);
	if (ret < 0)
		return ret;
	for (uint16_t q = 0; q < nb_queues; q++) {
		ret = rte_eth_rx_queue_setup(port, q, nb_rxd, rte_eth_dev_socket_id(port), NULL,
					     pool);
		if (ret < 0)
			return ret;
		ret = rte_eth_tx_queue_setup(port, q, nb_txd, rte_eth_dev_socket_id(port), NULL);
		if (ret < 0)
			return ret;
	}
	ret = rte_eth_dev_start(port);
	if (ret < 0)
		return ret;
	/* Some PMDs refuse promiscuous mode (virtio without ctrl vq); frames still arrive. */
	rte_eth_promiscuous_enable(port);
	return 0;
}

static bool link_up(uint16_t port)
{
	struct rte_eth_link link;

	if (rte_eth_link_get_nowait(port, &link) < 0)
		return false;
	return link.link_status == RTE_ETH_LINK_UP;
}

static void ports_close(void)
{
	for (uint16_t p = 0; p < nb_ports; p++) {
		if (ports[p].bond_member || ports[p].cut)
			continue;	/* its bond releases it, or it is gone */
		rte_eth_dev_stop(p);
		rte_eth_dev_close(p);
	}
}

/* ---------------------------------------------------------------- interactive mode */

static void store_frame(uint16_t port, struct rte_mbuf *m)
{
	struct port_state *ps = &ports[port];
	struct frame *f;
	const void *data;

	ps->rx++;
	if (ps->count >= MAX_BUFFERED) {
		ps->rx_overflow++;
		return;
	}
	f = malloc(sizeof(*f) + m->pkt_len);
	if (f == NULL) {
		ps->rx_overflow++;
		return;
	}
	f->len = m->pkt_len;
	data = rte_pktmbuf_read(m, 0, f->len, f->data);
	if (data != f->data)
		memcpy(f->data, data, f->len);
	ps->frames[ps->count++] = f;
}

/* Returns the number of frames received on all ports, so the caller knows whether to sleep. */
static unsigned int poll_rx(void)
{
	struct rte_mbuf *pkts[BURST];
	unsigned int total = 0;

	for (uint16_t p = 0; p < nb_ports; p++) {
		if (ports[p].bond_member || ports[p].cut)
			continue;
		for (uint16_t q = 0; q < nb_queues; q++) {
			uint16_t n = rte_eth_rx_burst(p, q, pkts, BURST);

			for (uint16_t i = 0; i < n; i++) {
				store_frame(p, pkts[i]);
				rte_pktmbuf_free(pkts[i]);
			}
			total += n;
		}
	}
	return total;
}

static void clear_frames(uint16_t port)
{
	struct port_state *ps = &ports[port];

	for (uint32_t i = 0; i < ps->count; i++)
		free(ps->frames[i]);
	ps->count = 0;
}

static int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Returns the frame length, or -1 if hex is not an even-length hex string of at most MAX_FRAME
 * bytes. Runts are allowed (the switch must count them); "empty" is a zero-length frame.
 */
static int parse_hex(const char *hex, uint8_t *out)
{
	size_t len = strlen(hex);

	if (strcmp(hex, "empty") == 0)
		return 0;
	if (len % 2 != 0 || len / 2 > MAX_FRAME)
		return -1;
	for (size_t i = 0; i < len / 2; i++) {
		int hi = hex_nibble(hex[2 * i]), lo = hex_nibble(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(len / 2);
}

/* Copies a frame into a chain of pool mbufs: frames bigger than one data room become multi-seg. */
static struct rte_mbuf *build_chain(const uint8_t *data, uint32_t len)
{
	struct rte_mbuf *head = NULL, *prev = NULL;
	uint32_t off = 0;

	do {
		struct rte_mbuf *m = rte_pktmbuf_alloc(rx_pool);
		uint32_t chunk;

		if (m == NULL) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		chunk = RTE_MIN(len - off, (uint32_t)rte_pktmbuf_tailroom(m));
		memcpy(rte_pktmbuf_mtod(m, uint8_t *), data + off, chunk);
		m->data_len = (uint16_t)chunk;
		off += chunk;
		if (head == NULL) {
			head = m;
		} else {
			prev->next = m;
			head->nb_segs++;
		}
		prev = m;
	} while (off < len);
	head->pkt_len = len;
	return head;
}

static void cmd_send(uint16_t port, const char *hex, unsigned long count)
{
	static uint8_t frame[MAX_FRAME];
	struct rte_mbuf *pkts[BURST];
	unsigned long sent = 0;
	uint64_t deadline;
	int len;

	len = parse_hex(hex, frame);
	if (len < 0) {
		printf("error frame must be at most %d bytes of hex, or \"empty\"\n", MAX_FRAME);
		return;
	}
	deadline = now_us() + TX_RETRY_US;
	while (sent < count && !stop_requested) {
		uint16_t want = (uint16_t)RTE_MIN(count - sent, (unsigned long)BURST), n = 0, ok;

		for (; n < want; n++) {
			pkts[n] = build_chain(frame, (uint32_t)len);
			if (pkts[n] == NULL)
				break;
		}
		ok = rte_eth_tx_burst(port, 0, pkts, n);
		rte_pktmbuf_free_bulk(&pkts[ok], n - ok);
		sent += ok;
		/* Keep receiving: the switch may be sending our own traffic back to us. */
		poll_rx();
		if (ok > 0)
			deadline = now_us() + TX_RETRY_US;
		else if (now_us() > deadline)
			break;
		else
			rte_delay_us_sleep(10);
	}
	ports[port].tx += sent;
	printf("sent %lu\n", sent);
}

static void cmd_recv(uint16_t port)
{
	static const char digits[] = "0123456789abcdef";
	static char line[2 * MAX_FRAME + 16];
	struct port_state *ps = &ports[port];

	poll_rx();
	for (uint32_t i = 0; i < ps->count; i++) {
		const struct frame *f = ps->frames[i];
		uint32_t len = RTE_MIN(f->len, (uint32_t)MAX_FRAME);

		for (uint32_t b = 0; b < len; b++) {
			line[2 * b] = digits[f->data[b] >> 4];
			line[2 * b + 1] = digits[f->data[b] & 0xf];
		}
		line[2 * len] = '\0';
		printf("frame %s\n", line);
	}
	clear_frames(port);
}

static void cmd_wait(uint16_t port, unsigned long n, unsigned long ms)
{
	uint64_t deadline = now_us() + (uint64_t)ms * 1000;

	for (;;) {
		unsigned int got = poll_rx();

		pace_tick();
		if (ports[port].count >= n || now_us() >= deadline || stop_requested)
			break;
		if (got == 0)
			rte_delay_us_sleep(50);
	}
	printf("count %" PRIu32 "\n", ports[port].count);
}

static void cmd_stats(void)
{
	for (uint16_t p = 0; p < nb_ports; p++)
		printf("port %u rx %" PRIu64 " tx %" PRIu64 " rx_overflow %" PRIu64 " link %s\n", p,
		       ports[p].rx, ports[p].tx, ports[p].rx_overflow, link_up(p) ? "up" : "down");
}

/* The bond port that has `member` as a member, or RTE_MAX_ETHPORTS. */
static uint16_t bond_of(uint16_t member)
{
	uint16_t members[RTE_MAX_ETHPORTS];

	for (uint16_t b = 0; b < nb_ports; b++) {
		int n = rte_eth_bond_slaves_get(b, members, RTE_MAX_ETHPORTS);

		for (int i = 0; i < n; i++)
			if (members[i] == member)
				return b;
	}
	return RTE_MAX_ETHPORTS;
}

static int vdev_name(uint16_t port, char *name, size_t len)
{
	const char *args = vdev_args[port];
	size_t n = args == NULL ? 0 : strcspn(args, ",");

	if (n == 0 || n >= len)
		return -1;
	memcpy(name, args, n);
	name[n] = '\0';
	return 0;
}

/*
 * Cuts a port's link the way a pulled cable looks from the other end: a bond member leaves this
 * side's bond at once, and the vdev is unplugged, which closes its vhost-user connection, so the
 * switch sees the link go down. "restore" plugs the same vdev in again (and back into the bond).
 */
static void cmd_cut(uint16_t port)
{
	uint16_t bond = bond_of(port);
	char name[64];

	if (ports[port].cut || vdev_name(port, name, sizeof(name)) < 0) {
		printf("error port %u is not a vdev that is plugged in\n", port);
		return;
	}
	if (bond != RTE_MAX_ETHPORTS && rte_eth_bond_slave_remove(bond, port) != 0) {
		printf("error cannot remove port %u from bond %u\n", port, bond);
		return;
	}
	poll_rx(); /* what it got so far stays readable by "recv" */
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
	if (rte_eal_hotplug_remove("vdev", name) != 0) {
		printf("error cannot unplug %s\n", name);
		return;
	}
	ports[port].cut = true;
	ports[port].cut_from_bond = bond;
	printf("cut %u\n", port);
}

static void cmd_restore(uint16_t port)
{
	uint16_t bond = ports[port].cut_from_bond, again;
	const char *args = vdev_args[port];
	char name[64];
	int ret;

	if (!ports[port].cut || vdev_name(port, name, sizeof(name)) < 0) {
		printf("error port %u was not cut\n", port);
		return;
	}
	if (rte_eal_hotplug_add("vdev", name, args + strlen(name) + (args[strlen(name)] == ',')) !=
		    0 ||
	    rte_eth_dev_get_port_by_name(name, &again) != 0) {
		printf("error cannot plug %s in again\n", name);
		return;
	}
	if (again != port) { /* the tests address ports by number */
		printf("error %s came back as port %u, not %u\n", name, again, port);
		return;
	}
	ret = bond != RTE_MAX_ETHPORTS ? rte_eth_bond_slave_add(bond, port) :
					 port_setup(port, rx_pool);
	if (ret != 0) {
		printf("error cannot set port %u up again: %s\n", port, rte_strerror(-ret));
		return;
	}
	ports[port].cut = false;
	printf("restored %u\n", port);
}

/* Sends the frames "pace" has due; called from every loop that polls. */
static void pace_tick(void)
{
	uint64_t now = now_us();

	while (pace.next_seq < pace.count && now >= pace.next_us) {
		struct rte_mbuf *m;
		uint32_t seq = rte_cpu_to_be_32(pace.next_seq);

		memcpy(pace.frame + pace.len - 4, &seq, 4);
		m = build_chain(pace.frame, pace.len);
		if (m != NULL && rte_eth_tx_burst(pace.port, 0, &m, 1) == 1)
			ports[pace.port].tx++;
		else
			rte_pktmbuf_free(m); /* counted as lost by whoever checks the sequence */
		pace.next_seq++;
		pace.next_us += pace.interval_us;
	}
}

static void cmd_pace(uint16_t port, const char *hex, unsigned long pps, unsigned long count)
{
	int len = parse_hex(hex, pace.frame);

	if (len < RTE_ETHER_HDR_LEN + 4 || (size_t)len > sizeof(pace.frame) || pps == 0 ||
	    pps > 1000000) {
		printf("error pace needs a frame of 18..%zu bytes and 1..1000000 pps\n",
		       sizeof(pace.frame));
		return;
	}
	pace.port = port;
	pace.len = (uint32_t)len;
	pace.next_seq = 0;
	pace.count = (uint32_t)count;
	pace.interval_us = 1000000 / pps;
	pace.next_us = now_us();
	printf("pacing %lu\n", count);
}

static void cmd_pace_wait(unsigned long ms)
{
	uint64_t deadline = now_us() + (uint64_t)ms * 1000;

	while (pace.next_seq < pace.count && now_us() < deadline && !stop_requested) {
		pace_tick();
		if (poll_rx() == 0)
			rte_delay_us_sleep(20);
	}
	printf("paced %" PRIu32 "\n", pace.next_seq);
}

/* Parses a port number argument; prints the error reply itself. */
static bool parse_port(const char *s, uint16_t *port)
{
	char *end;
	unsigned long v;

	if (s == NULL) {
		printf("error missing port\n");
		return false;
	}
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v >= nb_ports) {
		printf("error bad port '%s' (have %u ports)\n", s, nb_ports);
		return false;
	}
	*port = (uint16_t)v;
	return true;
}

static bool parse_ulong(const char *s, const char *what, unsigned long *out)
{
	char *end;

	if (s == NULL) {
		printf("error missing %s\n", what);
		return false;
	}
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || *s == '-') {
		printf("error bad %s '%s'\n", what, s);
		return false;
	}
	return true;
}

/* Runs one command line; returns false on quit. Every reply ends with "end" and a flush. */
static bool run_command(char *line)
{
	char *save = NULL;
	char *cmd = strtok_r(line, " \t\r", &save);
	char *a1 = strtok_r(NULL, " \t\r", &save);
	char *a2 = strtok_r(NULL, " \t\r", &save);
	char *a3 = strtok_r(NULL, " \t\r", &save);
	unsigned long n, ms;
	bool more = true;
	uint16_t port;

	if (cmd == NULL)
		return true; /* blank line: no reply, nothing was asked */
	if (strcmp(cmd, "send") == 0) {
		n = 1;
		if (parse_port(a1, &port) && (a3 == NULL || parse_ulong(a3, "count", &n))) {
			if (a2 == NULL)
				printf("error missing frame\n");
			else
				cmd_send(port, a2, n);
		}
	} else if (strcmp(cmd, "recv") == 0) {
		if (parse_port(a1, &port))
			cmd_recv(port);
	} else if (strcmp(cmd, "wait") == 0) {
		if (parse_port(a1, &port) && parse_ulong(a2, "count", &n) &&
		    parse_ulong(a3, "timeout", &ms))
			cmd_wait(port, n, ms);
	} else if (strcmp(cmd, "stats") == 0) {
		cmd_stats();
	} else if (strcmp(cmd, "cut") == 0) {
		if (parse_port(a1, &port))
			cmd_cut(port);
	} else if (strcmp(cmd, "restore") == 0) {
		if (parse_port(a1, &port))
			cmd_restore(port);
	} else if (strcmp(cmd, "pace") == 0) {
		char *a4 = strtok_r(NULL, " \t\r", &save);
		if (parse_port(a1, &port) && parse_ulong(a3, "pps", &ms) &&
		    parse_ulong(a4, "count", &n)) {
			if (a2 == NULL)
				printf("error missing frame\n");
			else
				cmd_pace(port, a2, ms, n);
		}
	} else if (strcmp(cmd, "pacewait") == 0) {
		if (parse_ulong(a1, "timeout", &ms))
			cmd_pace_wait(ms);
	} else if (strcmp(cmd, "clear") == 0) {
		poll_rx();
		for (uint16_t p = 0; p < nb_ports; p++)
			clear_frames(p);
	} else if (strcmp(cmd, "quit") == 0) {
		more = false;
	} else {
		printf("error unknown command '%s'\n", cmd);
	}
	printf("end\n");
	fflush(stdout);
	return more;
}

/*
 * Reads whatever stdin has without blocking and runs every complete line. Returns -1 on quit or
 * EOF, otherwise the number of commands run. Lines can be long (a jumbo frame is 18 KB of hex).
 */
static int poll_stdin(void)
{
	static char *buf;
	static size_t used, cap;
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	int done = 0;
	ssize_t r;
	char *nl;

	if (poll(&pfd, 1, 0) <= 0)
		return 0;
	if (cap - used < 4096) {
		char *nbuf = realloc(buf, cap * 2 + 65536);

		if (nbuf == NULL)
			return -1;
		buf = nbuf;
		cap = cap * 2 + 65536;
	}
	r = read(STDIN_FILENO, buf + used, cap - used - 1);
	if (r <= 0)
		return r < 0 && errno == EINTR ? 0 : -1;
	used += (size_t)r;
	while ((nl = memchr(buf, '\n', used)) != NULL) {
		size_t linelen = (size_t)(nl - buf) + 1;

		*nl = '\0';
		if (!run_command(buf))
			return -1;
		done++;
		memmove(buf, buf + linelen, used - linelen);
		used -= linelen;
	}
	return done;
}

static void interactive(void)
{
	for (uint16_t p = 0; p < nb_ports; p++) {
		ports[p].frames = calloc(MAX_BUFFERED, sizeof(*ports[p].frames));
		if (ports[p].frames == NULL)
			rte_exit(EXIT_FAILURE, "vsw_peer: out of memory\n");
	}
	printf("ready\nend\n");
	fflush(stdout);
	uint64_t next_tx_poll = 0;
	while (!stop_requested) {
		unsigned int got = poll_rx();
		int cmds = poll_stdin();

		pace_tick();
		/* A bond in 802.3ad mode sends its LACPDUs only from tx bursts, at least every
		 * 100 ms: an empty burst keeps an idle bond's LACP alive. */
		if (now_us() >= next_tx_poll) {
			next_tx_poll = now_us() + 50000;
			for (uint16_t p = 0; p < nb_ports; p++)
				if (!ports[p].bond_member && !ports[p].cut)
					rte_eth_tx_burst(p, 0, NULL, 0);
		}

		if (cmds < 0)
			break;
		if (got == 0 && cmds == 0)
			rte_delay_us_sleep(IDLE_SLEEP_US);
	}
	for (uint16_t p = 0; p < nb_ports; p++) {
		clear_frames(p);
		free(ports[p].frames);
	}
}

/* ---------------------------------------------------------------- bench mode */

static void flow_mac(uint8_t *mac, uint8_t kind, uint32_t flow)
{
	mac[0] = 0x02;
	mac[1] = 0x00;
	mac[2] = 0x00;
	mac[3] = kind;
	mac[4] = (uint8_t)(flow >> 8);
	mac[5] = (uint8_t)flow;
}

/* An IPv4/UDP frame of the given total length (Ethernet header included, FCS excluded). */
static void fill_template(uint8_t *buf, uint32_t size)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	uint32_t l3 = size - RTE_ETHER_HDR_LEN;

	memset(buf, 0, size);
	flow_mac(eth->dst_addr.addr_bytes, 1, 0);
	flow_mac(eth->src_addr.addr_bytes, 2, 0);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)l3);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(0xc6120001); /* 198.18.0.0/15: benchmarking range */
	ip->dst_addr = rte_cpu_to_be_32(0xc6120002);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16(1024);
	udp->dst_port = rte_cpu_to_be_16(1024);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(l3 - sizeof(*ip)));
}

/*
 * Mempool object initialiser: every tx mbuf carries the template, so the hot loop only patches
 * MACs and lengths. These mbufs only ever go out on the generator port; virtio writes its header
 * into the headroom, never over the data.
 */
static void template_obj_init(struct rte_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	const struct bench_template *t = arg;
	struct rte_mbuf *m = obj;

	rte_pktmbuf_init(mp, NULL, obj, idx);
	memcpy((uint8_t *)m->buf_addr + RTE_PKTMBUF_HEADROOM, t->bytes, t->size);
}

static uint32_t drain(uint16_t port)
{
	struct rte_mbuf *pkts[BURST];
	uint32_t total = 0;
	uint16_t n;

	for (uint16_t q = 0; q < nb_queues; q++) {
		do {
			n = rte_eth_rx_burst(port, q, pkts, BURST);
			rte_pktmbuf_free_bulk(pkts, n);
			total += n;
		} while (n == BURST);
	}
	return total;
}

/*
 * The sink announces every flow's destination MAC so the switch forwards instead of flooding.
 * Runs once before the generator starts and once more halfway through the warmup, in case the
 * switch was not forwarding yet when the link came up.
 */
static void send_learn_frames(const struct bench_opts *o, const uint8_t *tmpl)
{
	uint64_t deadline = now_us() + 1000000;
	uint32_t flow = 0;

	while (flow < o->flows && now_us() < deadline && !stop_requested) {
		struct rte_mbuf *pkts[BURST];
		uint16_t n = 0, ok;

		for (; n < BURST && flow + n < o->flows; n++) {
			struct rte_ether_hdr *eth;

			pkts[n] = build_chain(tmpl, o->size);
			if (pkts[n] == NULL)
				break;
			eth = rte_pktmbuf_mtod(pkts[n], struct rte_ether_hdr *);
			memset(eth->dst_addr.addr_bytes, 0xff, RTE_ETHER_ADDR_LEN);
			flow_mac(eth->src_addr.addr_bytes, 1, flow + n);
		}
		ok = rte_eth_tx_burst(o->rx_port, 0, pkts, n);
		rte_pktmbuf_free_bulk(&pkts[ok], n - ok);
		flow += ok;
		drain(o->tx_port);
		drain(o->rx_port);
	}
	if (flow < o->flows)
		fprintf(stderr, "vsw_peer: only %u of %u learning frames sent\n", flow, o->flows);
}

static void bench_learn(const struct bench_opts *o, const uint8_t *tmpl)
{
	uint64_t end;

	send_learn_frames(o, tmpl);
	end = now_us() + 200000;
	while (now_us() < end) {
		drain(o->tx_port);
		drain(o->rx_port);
		rte_delay_us_sleep(1000);
	}
}

static int bench(const struct bench_opts *o)
{
	static struct bench_template tmpl;
	uint64_t hz = rte_get_tsc_hz(), t0, t_relearn, t_measure, t_end, t_start = 0, now;
	uint64_t tx = 0, rx = 0, drops = 0;
	uint32_t flow = 0;
	bool measuring = false, relearned = o->warmup <= 0;
	double secs, cpu0 = 0;

	if (o->tx_port >= nb_ports || o->rx_port >= nb_ports || o->tx_port == o->rx_port)
		rte_exit(EXIT_FAILURE, "vsw_peer: bench needs two distinct ports < %u\n", nb_ports);
	if (o->size < 60 || o->size > sizeof(tmpl.bytes))
		rte_exit(EXIT_FAILURE, "vsw_peer: bench size must be 60..%zu\n",
			 sizeof(tmpl.bytes));
	if (o->flows < 1 || o->flows > 65536)
		rte_exit(EXIT_FAILURE, "vsw_peer: bench flows must be 1..65536\n");
	tmpl.size = o->size;
	fill_template(tmpl.bytes, o->size);
	tmpl_pool = rte_mempool_create(
		"bench_tx", 8191,
		sizeof(struct rte_mbuf) + RTE_PKTMBUF_HEADROOM +
			RTE_MAX(o->size, (uint32_t)RTE_MBUF_DEFAULT_DATAROOM),
		256, sizeof(struct rte_pktmbuf_pool_private), rte_pktmbuf_pool_init, NULL,
		template_obj_init, &tmpl, rte_socket_id(), 0);
	if (tmpl_pool == NULL)
		rte_exit(EXIT_FAILURE, "vsw_peer: bench pool: %s\n", rte_strerror(rte_errno));

	for (unsigned int i = 0;
	     i < LINK_WAIT_S * 100 && !(link_up(o->tx_port) && link_up(o->rx_port)); i++)
		rte_delay_us_sleep(10000);
	if (!link_up(o->tx_port) || !link_up(o->rx_port))
		fprintf(stderr, "vsw_peer: link still down after %d s, measuring anyway\n",
			LINK_WAIT_S);
	bench_learn(o, tmpl.bytes);

	t0 = rte_rdtsc();
	t_relearn = t0 + (uint64_t)(o->warmup * hz / 2);
	t_measure = t0 + (uint64_t)(o->warmup * hz);
	t_end = t_measure + (uint64_t)(o->seconds * hz);
	while (!stop_requested) {
		struct rte_mbuf *pkts[BURST];
		uint16_t ok, n;

		now = rte_rdtsc();
		if (!relearned && now >= t_relearn) {
			send_learn_frames(o, tmpl.bytes);
			relearned = true;
		}
		if (!measuring && now >= t_measure) {
			tx = rx = drops = 0;
			t_start = now;
			cpu0 = thread_cpu_s();
			measuring = true;
		}
		if (now >= t_end)
			break;
		if (rte_pktmbuf_alloc_bulk(tmpl_pool, pkts, BURST) == 0) {
			for (unsigned int i = 0; i < BURST; i++) {
				uint8_t *d = rte_pktmbuf_mtod(pkts[i], uint8_t *);

				d[4] = d[10] = (uint8_t)(flow >> 8);
				d[5] = d[11] = (uint8_t)flow;
				pkts[i]->data_len = (uint16_t)o->size;
				pkts[i]->pkt_len = o->size;
				if (++flow == o->flows)
					flow = 0;
			}
			ok = rte_eth_tx_burst(o->tx_port, 0, pkts, BURST);
			tx += ok;
			if (ok < BURST) {
				drops += BURST - ok;
				rte_pktmbuf_free_bulk(&pkts[ok], BURST - ok);
			}
		}
		/* Several rx bursts per tx burst: receiving is cheaper, so the sink never lags. */
		for (unsigned int i = 0; i < 4; i++) {
			n = rte_eth_rx_burst(o->rx_port, 0, pkts, BURST);
			rte_pktmbuf_free_bulk(pkts, n);
			rx += n;
			if (n < BURST)
				break;
		}
		if ((tx & 0xfff) < BURST)
			drain(o->tx_port); /* floods and returns must not pile up there */
	}
	secs = measuring ? (double)(rte_rdtsc() - t_start) / (double)hz : 0.0;
	if (secs <= 0.0)
		secs = 1e-9;
	/* cpu_share lets bench.sh flag runs where something else took the generator's CPU. */
	printf("{\"size\":%u,\"flows\":%u,\"seconds\":%.1f,\"tx_pps\":%.0f,\"rx_pps\":%.0f,"
	       "\"rx_mpps\":%.4f,\"tx_drops\":%" PRIu64 ",\"cpu_share\":%.3f}\n",
	       o->size, o->flows, o->seconds, (double)tx / secs, (double)rx / secs,
	       (double)rx / secs / 1e6, drops, measuring ? (thread_cpu_s() - cpu0) / secs : 0.0);
	fflush(stdout);
	return stop_requested ? 1 : 0;
}

static int parse_bench(char *spec, struct bench_opts *o)
{
	char *save = NULL;

	*o = (struct bench_opts){
		.tx_port = 0, .rx_port = 1, .size = 64, .flows = 1, .seconds = 5, .warmup = 1
	};
	for (char *kv = strtok_r(spec, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '='), *end;
		double v;

		if (eq == NULL)
			return -EINVAL;
		*eq = '\0';
		v = strtod(eq + 1, &end);
		if (*end != '\0' || end == eq + 1 || v < 0)
			return -EINVAL;
		if (strcmp(kv, "tx") == 0)
			o->tx_port = (uint16_t)v;
		else if (strcmp(kv, "rx") == 0)
			o->rx_port = (uint16_t)v;
		else if (strcmp(kv, "size") == 0)
			o->size = (uint32_t)v;
		else if (strcmp(kv, "flows") == 0)
			o->flows = (uint32_t)v;
		else if (strcmp(kv, "seconds") == 0)
			o->seconds = v;
		else if (strcmp(kv, "warmup") == 0)
			o->warmup = v;
		else
			return -EINVAL;
	}
	return 0;
}

/* ---------------------------------------------------------------- latency mode */

/*
 * One-way latency through the switch: one timestamped frame every interval_us from the tx
 * port, timed when it arrives on the rx port of this same process (same TSC, no clock sync).
 * Spaced frames leave the switch's worker idle in between, so this measures what its idle
 * back-off costs a sparse flow.
 */
struct latency_opts {
	uint16_t tx_port;
	uint16_t rx_port;
	uint32_t count;
	uint32_t interval_us;
};

#define LAT_ETHERTYPE 0x88b5 /* IEEE local experimental */

static struct rte_mbuf *latency_frame(const uint8_t *dst, const uint8_t *src, uint64_t stamp)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(rx_pool);
	uint8_t *p;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, 60);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(p, 0, 60);
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	p[12] = LAT_ETHERTYPE >> 8;
	p[13] = LAT_ETHERTYPE & 0xff;
	memcpy(p + 14, &stamp, sizeof(stamp));
	return m;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* One broadcast from each port, so the switch learns both MACs; then the floods are drained. */
static void learn_pair(uint16_t pa, const uint8_t *mac_a, uint16_t pb, const uint8_t *mac_b)
{
	for (int i = 0; i < 2; i++) {
		struct rte_mbuf *m = latency_frame((const uint8_t *)"\xff\xff\xff\xff\xff\xff",
						   i ? mac_b : mac_a, 0);
		if (m != NULL && rte_eth_tx_burst(i ? pb : pa, 0, &m, 1) == 0)
			rte_pktmbuf_free(m);
	}
	rte_delay_us_sleep(200000);
	drain(pa);
	drain(pb);
}

static int latency(const struct latency_opts *o)
{
	static const uint8_t a[6] = { 2, 0, 0, 3, 0, 1 }, b[6] = { 2, 0, 0, 3, 0, 2 };
	uint64_t hz = rte_get_tsc_hz(), *lat = calloc(o->count, sizeof(uint64_t));
	uint32_t got = 0, lost = 0;

	if (lat == NULL || o->tx_port >= nb_ports || o->rx_port >= nb_ports ||
	    o->tx_port == o->rx_port)
		rte_exit(EXIT_FAILURE, "vsw_peer: bad --latency\n");
	/* both MACs learned first, so every probe is switched, not flooded */
	learn_pair(o->tx_port, a, o->rx_port, b);

	for (uint32_t i = 0; i < o->count && !stop_requested; i++) {
		uint64_t t0 = rte_rdtsc(), next = t0 + hz / 1000000 * o->interval_us;
		uint64_t deadline = t0 + hz / 10;
		struct rte_mbuf *m = latency_frame(b, a, t0);
		bool seen = false;

		if (m == NULL || rte_eth_tx_burst(o->tx_port, 0, &m, 1) == 0) {
			rte_pktmbuf_free(m);
			lost++;
			continue;
		}
		while (!seen && rte_rdtsc() < deadline) {
			struct rte_mbuf *pkts[BURST];
			uint16_t n = rte_eth_rx_burst(o->rx_port, 0, pkts, BURST);
			uint64_t now = rte_rdtsc();
			for (uint16_t k = 0; k < n; k++) {
				const uint8_t *d = rte_pktmbuf_mtod(pkts[k], const uint8_t *);
				uint64_t stamp;
				memcpy(&stamp, d + 14, sizeof(stamp));
				if (d[12] == (LAT_ETHERTYPE >> 8) && stamp == t0) {
					lat[got++] = now - t0;
					seen = true;
				}
			}
			rte_pktmbuf_free_bulk(pkts, n);
		}
		if (!seen)
			lost++;
		while (rte_rdtsc() < next)
			rte_pause();
	}
	qsort(lat, got, sizeof(uint64_t), cmp_u64);
#define US(x) ((double)(x) * 1e6 / (double)hz)
	printf("{\"count\":%u,\"received\":%u,\"lost\":%u,\"interval_us\":%u,\"p50_us\":%.2f,"
	       "\"p90_us\":%.2f,\"p99_us\":%.2f,\"max_us\":%.2f}\n",
	       o->count, got, lost, o->interval_us, got ? US(lat[got / 2]) : 0.0,
	       got ? US(lat[got * 9 / 10]) : 0.0, got ? US(lat[got * 99 / 100]) : 0.0,
	       got ? US(lat[got - 1]) : 0.0);
#undef US
	fflush(stdout);
	free(lat);
	return stop_requested ? 1 : 0;
}

static int parse_latency(char *spec, struct latency_opts *o)
{
	char *save = NULL;

	*o = (struct latency_opts){ .tx_port = 0, .rx_port = 1, .count = 2000, .interval_us = 1000 };
	for (char *kv = strtok_r(spec, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '='), *end;
		unsigned long v;

		if (eq == NULL)
			return -EINVAL;
		*eq = '\0';
		v = strtoul(eq + 1, &end, 10);
		if (*end != '\0' || end == eq + 1)
			return -EINVAL;
		if (strcmp(kv, "tx") == 0)
			o->tx_port = (uint16_t)v;
		else if (strcmp(kv, "rx") == 0)
			o->rx_port = (uint16_t)v;
		else if (strcmp(kv, "count") == 0 && v >= 1 && v <= 1000000)
			o->count = (uint32_t)v;
		else if (strcmp(kv, "interval_us") == 0 && v <= 1000000)
			o->interval_us = (uint32_t)v;
		else
			return -EINVAL;
	}
	return 0;
}

/* ---------------------------------------------------------------- congest mode */

/*
 * Egress QoS under congestion: a paced best-effort flood and a sparse critical stream, each with
 * its own DSCP and UDP port, from the tx port through the switch (whose egress towards the rx
 * port is shaped below the offered load) to the rx port of this same process. Reports the
 * best-effort rate that got through, the critical stream's loss and both streams' one-way
 * latency (one TSC, no clock sync; every frame is stamped, so a test can compare the two
 * classes on the same machine instead of asserting absolute figures). Only what is sent after
 * the warmup counts.
 */
struct congest_opts {
	uint16_t tx_port;
	uint16_t rx_port;
	double seconds;
	double warmup;
	uint32_t be_pps, be_size, be_dscp;
	uint32_t crit_pps, crit_size, crit_dscp;
};

#define CONGEST_BE_UDP	 5000
#define CONGEST_CRIT_UDP 5001
#define CONGEST_HDRS \
	(RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_udp_hdr))
#define CONGEST_PAYLOAD	 12	/* 64-bit TSC stamp, 32-bit sequence number (critical) */
#define CONGEST_TAIL_US	 300000 /* critical frames still queued in the switch when tx stops */

static const uint8_t congest_tx_mac[6] = { 2, 0, 0, 4, 0, 1 };
static const uint8_t congest_rx_mac[6] = { 2, 0, 0, 4, 0, 2 };

static void congest_template(struct bench_template *t, uint32_t size, uint32_t dscp,
			     uint16_t udp_port)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)t->bytes;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	t->size = size;
	fill_template(t->bytes, size);
	memcpy(eth->dst_addr.addr_bytes, congest_rx_mac, RTE_ETHER_ADDR_LEN);
	memcpy(eth->src_addr.addr_bytes, congest_tx_mac, RTE_ETHER_ADDR_LEN);
	ip->type_of_service = (uint8_t)(dscp << 2);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->dst_port = rte_cpu_to_be_16(udp_port);
}

/* n single-segment copies of t, or 0 if the pool is dry (then nothing is allocated). */
static uint16_t congest_alloc(const struct bench_template *t, struct rte_mbuf **pkts, uint16_t n)
{
	if (rte_pktmbuf_alloc_bulk(tmpl_pool, pkts, n) != 0)
		return 0;
	for (uint16_t i = 0; i < n; i++) {
		memcpy(rte_pktmbuf_mtod(pkts[i], void *), t->bytes, t->size);
		pkts[i]->data_len = (uint16_t)t->size;
		pkts[i]->pkt_len = t->size;
	}
	return n;
}

/* The UDP destination port of an IPv4/UDP frame (0 for anything else), and its stamp. */
static uint16_t congest_classify(const struct rte_mbuf *m, uint64_t *stamp)
{
	uint8_t buf[CONGEST_HDRS + CONGEST_PAYLOAD] __rte_aligned(8);
	const uint8_t *d = rte_pktmbuf_read(m, 0, sizeof(buf), buf);
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)d;
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eth + 1);
	uint16_t port;

	if (d == NULL || eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    ip->version_ihl != RTE_IPV4_VHL_DEF || ip->next_proto_id != IPPROTO_UDP)
		return 0;
	port = rte_be_to_cpu_16(((const struct rte_udp_hdr *)(ip + 1))->dst_port);
	if (port == CONGEST_CRIT_UDP || port == CONGEST_BE_UDP)
		memcpy(stamp, d + CONGEST_HDRS, sizeof(*stamp));
	return port;
}

static int congest(const struct congest_opts *o)
{
	static struct bench_template be, crit;
	uint64_t hz = rte_get_tsc_hz(), t0, t_measure, t_end, t_tail, now = 0, next_crit;
	uint64_t be_sched = 0, be_tx = 0, be_rx = 0, be_bytes = 0, drops = 0, crit_tx = 0;
	/* every critical slot up to t_end: a stall at the start of the window sends some late */
	uint32_t seq = 0, got = 0, cap = (uint32_t)(o->crit_pps * (o->warmup + o->seconds)) + 16;
	uint32_t be_got = 0, be_cap = (uint32_t)(o->be_pps * (o->warmup + o->seconds)) + 16;
	uint64_t *lat = calloc(cap, sizeof(uint64_t)), *be_lat = calloc(be_cap, sizeof(uint64_t));
	double secs;

	if (lat == NULL || be_lat == NULL || o->tx_port >= nb_ports || o->rx_port >= nb_ports ||
	    o->tx_port == o->rx_port)
		rte_exit(EXIT_FAILURE, "vsw_peer: congest needs two distinct ports < %u\n",
			 nb_ports);
	if (RTE_MAX(o->be_size, o->crit_size) - RTE_ETHER_HDR_LEN > mtu)
		rte_exit(EXIT_FAILURE, "vsw_peer: congest frames exceed --mtu %u\n", mtu);
	congest_template(&be, o->be_size, o->be_dscp, CONGEST_BE_UDP);
	congest_template(&crit, o->crit_size, o->crit_dscp, CONGEST_CRIT_UDP);
	/* Single-segment frames of any size: the hot loop only copies a template in. */
	tmpl_pool = rte_pktmbuf_pool_create(
		"congest_tx", 8191, 256, 0,
		(uint16_t)(RTE_PKTMBUF_HEADROOM + RTE_MAX(RTE_MAX(o->be_size, o->crit_size),
							  (uint32_t)RTE_MBUF_DEFAULT_DATAROOM)),
		rte_socket_id());
	if (tmpl_pool == NULL)
		rte_exit(EXIT_FAILURE, "vsw_peer: congest pool: %s\n", rte_strerror(rte_errno));

	for (unsigned int i = 0; i < LINK_WAIT_S * 100 && !stop_requested &&
				 !(link_up(o->tx_port) && link_up(o->rx_port)); i++)
		rte_delay_us_sleep(10000);
	if (!link_up(o->tx_port) || !link_up(o->rx_port))
		fprintf(stderr, "vsw_peer: link still down, measuring anyway\n");
	/* both MACs learned first, so the flood is switched to the shaped port, not flooded */
	learn_pair(o->tx_port, congest_tx_mac, o->rx_port, congest_rx_mac);

	t0 = next_crit = rte_rdtsc();
	t_measure = t0 + (uint64_t)(o->warmup * (double)hz);
	t_end = t_measure + (uint64_t)(o->seconds * (double)hz);
	t_tail = t_end + (uint64_t)((double)hz * CONGEST_TAIL_US / 1e6);
	while (!stop_requested && (now = rte_rdtsc()) < t_tail) {
		struct rte_mbuf *pkts[BURST];
		uint16_t n, ok;

		if (now < t_end && now >= next_crit) {
			uint64_t stamp = rte_rdtsc();
			uint32_t be_seq = rte_cpu_to_be_32(seq);
			bool counts = stamp >= t_measure && stamp < t_end;

			if (congest_alloc(&crit, pkts, 1) == 1) {
				uint8_t *d = rte_pktmbuf_mtod(pkts[0], uint8_t *);

				memcpy(d + CONGEST_HDRS, &stamp, sizeof(stamp));
				memcpy(d + CONGEST_HDRS + sizeof(stamp), &be_seq, sizeof(be_seq));
				ok = rte_eth_tx_burst(o->tx_port, 0, pkts, 1);
				if (ok == 0)
					rte_pktmbuf_free(pkts[0]);
			} else {
				ok = 0;
			}
			crit_tx += counts && ok;
			drops += counts && !ok;
			seq++;
			next_crit = t0 + (uint64_t)((double)seq * (double)hz / o->crit_pps);
		}
		/* Best effort: whatever the schedule has due since t0, at most a burst at a time;
		 * refused frames are not retried, so a full ring never shifts the schedule. */
		if (now < t_end && o->be_pps > 0) {
			uint64_t due = (uint64_t)((double)(now - t0) * o->be_pps / (double)hz);

			n = (uint16_t)RTE_MIN(due - be_sched, (uint64_t)BURST);
			if (n > 0) {
				uint64_t stamp = rte_rdtsc();

				ok = congest_alloc(&be, pkts, n);
				for (uint16_t k = 0; k < ok; k++)
					memcpy(rte_pktmbuf_mtod(pkts[k], uint8_t *) + CONGEST_HDRS,
					       &stamp, sizeof(stamp));
				if (ok > 0) {
					ok = rte_eth_tx_burst(o->tx_port, 0, pkts, n);
					rte_pktmbuf_free_bulk(&pkts[ok], n - ok);
				}
				be_sched += n;
				if (now >= t_measure) {
					be_tx += ok;
					drops += n - ok;
				}
			}
		}
		/* Several rx bursts per tx burst, so the sink never lags the generator. */
		for (uint16_t q = 0; q < nb_queues; q++) {
			for (unsigned int i = 0; i < 4; i++) {
				n = rte_eth_rx_burst(o->rx_port, q, pkts, BURST);
				now = rte_rdtsc();
				for (uint16_t k = 0; k < n; k++) {
					uint64_t stamp = 0;
					uint16_t port = congest_classify(pkts[k], &stamp);
					bool in_window = now >= t_measure && now < t_end;

					if (port == CONGEST_BE_UDP && in_window) {
						be_rx++;
						be_bytes += pkts[k]->pkt_len;
						if (stamp >= t_measure && be_got < be_cap)
							be_lat[be_got++] = now - stamp;
					} else if (port == CONGEST_CRIT_UDP && stamp >= t_measure &&
						   stamp < t_end && got < cap) {
						lat[got++] = now - stamp;
					}
				}
				rte_pktmbuf_free_bulk(pkts, n);
				if (n < BURST)
					break;
			}
		}
		/* floods and returns must not pile up there; one burst, never a loop */
		for (uint16_t q = 0; q < nb_queues; q++) {
			n = rte_eth_rx_burst(o->tx_port, q, pkts, BURST);
			rte_pktmbuf_free_bulk(pkts, n);
		}
	}
	secs = now > t_measure ? (double)(RTE_MIN(now, t_end) - t_measure) / (double)hz : 0.0;
	if (secs <= 0.0)
		secs = 1e-9;
	qsort(lat, got, sizeof(uint64_t), cmp_u64);
	qsort(be_lat, be_got, sizeof(uint64_t), cmp_u64);
#define US(x) ((double)(x) * 1e6 / (double)hz)
	printf("{\"seconds\":%.3f,\"be_pps\":%u,\"be_tx\":%" PRIu64 ",\"be_rx\":%" PRIu64
	       ",\"be_rx_bps\":%.0f,\"tx_drops\":%" PRIu64 ",\"crit_tx\":%" PRIu64
	       ",\"crit_rx\":%u,\"crit_lost\":%" PRIu64 ",\"crit_p50_us\":%.2f,"
	       "\"crit_p90_us\":%.2f,\"crit_p99_us\":%.2f,\"crit_max_us\":%.2f,"
	       "\"be_p50_us\":%.2f,\"be_p90_us\":%.2f}\n",
	       secs < 1e-6 ? 0.0 : secs, o->be_pps, be_tx, be_rx, (double)be_bytes * 8 / secs,
	       drops, crit_tx, got, crit_tx > got ? crit_tx - got : 0,
	       got ? US(lat[got / 2]) : 0.0, got ? US(lat[got * 9 / 10]) : 0.0,
	       got ? US(lat[got * 99 / 100]) : 0.0, got ? US(lat[got - 1]) : 0.0,
	       be_got ? US(be_lat[be_got / 2]) : 0.0, be_got ? US(be_lat[be_got * 9 / 10]) : 0.0);
#undef US
	fflush(stdout);
	free(lat);
	free(be_lat);
	return stop_requested ? 1 : 0;
}

static int parse_congest(char *spec, struct congest_opts *o)
{
	char *save = NULL;

	*o = (struct congest_opts){ .tx_port = 0, .rx_port = 1, .seconds = 3, .warmup = 0.5,
				    .be_pps = 30000, .be_size = 1500, .be_dscp = 0,
				    .crit_pps = 1000, .crit_size = 128, .crit_dscp = 46 };
	for (char *kv = strtok_r(spec, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '='), *end;
		bool whole;
		double v;

		if (eq == NULL)
			return -EINVAL;
		*eq = '\0';
		v = strtod(eq + 1, &end);
		if (*end != '\0' || end == eq + 1 || !(v >= 0))
			return -EINVAL;
		whole = v <= 1e7 && v == (double)(uint32_t)v;
		if (strcmp(kv, "seconds") == 0 && v > 0 && v <= 3600)
			o->seconds = v;
		else if (strcmp(kv, "warmup") == 0 && v <= 3600)
			o->warmup = v;
		else if (!whole)
			return -EINVAL;
		else if (strcmp(kv, "tx") == 0 && v < MAX_PORTS)
			o->tx_port = (uint16_t)v;
		else if (strcmp(kv, "rx") == 0 && v < MAX_PORTS)
			o->rx_port = (uint16_t)v;
		else if (strcmp(kv, "be_pps") == 0 && v <= 2000000)
			o->be_pps = (uint32_t)v;
		else if (strcmp(kv, "be_size") == 0 && v >= 64 && v <= 9000)
			o->be_size = (uint32_t)v;
		else if (strcmp(kv, "be_dscp") == 0 && v <= 63)
			o->be_dscp = (uint32_t)v;
		else if (strcmp(kv, "crit_pps") == 0 && v >= 1 && v <= 100000)
			o->crit_pps = (uint32_t)v;
		else if (strcmp(kv, "crit_size") == 0 && v >= 64 && v <= 9000)
			o->crit_size = (uint32_t)v;
		else if (strcmp(kv, "crit_dscp") == 0 && v <= 63)
			o->crit_dscp = (uint32_t)v;
		else
			return -EINVAL;
	}
	return o->crit_size >= CONGEST_HDRS + CONGEST_PAYLOAD ? 0 : -EINVAL;
}

/* ---------------------------------------------------------------- main */

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s EAL-ARGS -- [--mtu N] [--queues N]\n"
		"          [--bench tx=0,rx=1,size=64,flows=1,seconds=5,warmup=1]\n"
		"          [--latency tx=0,rx=1,count=2000,interval_us=1000]\n"
		"          [--congest tx=0,rx=1,seconds=3,warmup=0.5,be_pps=30000,be_size=1500,\n"
		"                     be_dscp=0,crit_pps=1000,crit_size=128,crit_dscp=46]\n"
		"Interactive commands on stdin, one per line:\n"
		"  send P HEX [COUNT] | recv P | wait P N MS | stats | clear | quit\n"
		"  cut P | restore P   (bond member P leaves its bond, unplugged / comes back)\n"
		"  pace P HEX PPS COUNT | pacewait MS   (sequence number in the last 4 bytes)\n"
		"Every reply ends with a line 'end'.\n",
		prog);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mtu", required_argument, NULL, 'm' },
		{ "queues", required_argument, NULL, 'q' },
		{ "bench", required_argument, NULL, 'b' },
		{ "latency", required_argument, NULL, 'l' },
		{ "congest", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_opts bopts;
	struct latency_opts lopts = { 0 };
	struct congest_opts copts = { 0 };
	bool do_bench = false, do_latency = false, do_congest = false;
	unsigned int nb_vdevs, nb_mbufs;
	int ret, opt;

	nb_vdevs = prepare_vdevs(argc, argv);
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "vsw_peer: EAL init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	/*
	 * Only now: a server-mode port blocks in accept() during EAL init until the switch
	 * connects, and SIGTERM must still end the process there.
	 */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	argc -= ret;
	argv += ret;
	argv[0] = "vsw_peer";
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		unsigned long v;

		switch (opt) {
		case 'm':
			v = strtoul(optarg, NULL, 10);
			if (v < RTE_ETHER_MIN_MTU || v > 65535)
				rte_exit(EXIT_FAILURE, "vsw_peer: bad --mtu %s\n", optarg);
			mtu = (uint16_t)v;
			break;
		case 'q':
			v = strtoul(optarg, NULL, 10);
			if (v < 1 || v > MAX_QUEUES)
				rte_exit(EXIT_FAILURE, "vsw_peer: --queues must be 1..%d\n",
					 MAX_QUEUES);
			nb_queues = (uint16_t)v;
			break;
		case 'b':
			if (parse_bench(optarg, &bopts) < 0)
				rte_exit(EXIT_FAILURE, "vsw_peer: bad --bench '%s'\n", optarg);
			do_bench = true;
			break;
		case 'l':
			if (parse_latency(optarg, &lopts) < 0)
				rte_exit(EXIT_FAILURE, "vsw_peer: bad --latency '%s'\n", optarg);
			do_latency = true;
			break;
		case 'c':
			if (parse_congest(optarg, &copts) < 0)
				rte_exit(EXIT_FAILURE, "vsw_peer: bad --congest '%s'\n", optarg);
			do_congest = true;
			break;
		default:
			usage("vsw_peer");
			rte_exit(opt == 'h' ? EXIT_SUCCESS : EXIT_FAILURE, "\n");
		}
	}
	if (do_bench + do_latency + do_congest > 1)
		rte_exit(EXIT_FAILURE,
			 "vsw_peer: --bench, --latency and --congest exclude each other\n");

	nb_ports = rte_eth_dev_count_avail();
	if (nb_ports == 0 || nb_ports < nb_vdevs) {
		fprintf(stderr,
			"vsw_peer: only %u of %u virtio_user ports probed; a client-mode port (no "
			"server=1) needs its vhost-user socket to exist already; see above.\n",
			nb_ports, nb_vdevs);
		ports_close();
		rte_eal_cleanup();
		return 1;
	}
	if (nb_ports > MAX_PORTS)
		rte_exit(EXIT_FAILURE, "vsw_peer: at most %d ports\n", MAX_PORTS);

	/* Each port may hold a full rx ring plus a full tx ring of 5-segment jumbo chains. */
	nb_mbufs = nb_ports * nb_queues * (RING_SIZE + RING_SIZE * 6) + 4096;
	rx_pool = rte_pktmbuf_pool_create("peer_pool", nb_mbufs, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					  rte_socket_id());
	if (rx_pool == NULL)
		rte_exit(EXIT_FAILURE, "vsw_peer: mbuf pool of %u: %s\n", nb_mbufs,
			 rte_strerror(rte_errno));
	/* Bonds first: a bond takes its members when it is configured. */
	for (uint16_t p = 0; p < nb_ports; p++) {
		struct rte_eth_dev_info info;
		if (rte_eth_dev_info_get(p, &info) == 0 &&
		    strcmp(info.driver_name, "net_bonding") == 0 &&
		    (ret = port_setup(p, rx_pool)) < 0)
			rte_exit(EXIT_FAILURE, "vsw_peer: bond port %u setup: %s\n", p,
				 rte_strerror(-ret));
	}
	for (uint16_t p = 0; p < nb_ports; p++) {
		ports[p].bond_member = is_bond_member(p);
		ports[p].cut_from_bond = RTE_MAX_ETHPORTS;
	}
	for (uint16_t p = 0; p < nb_ports; p++) {
		struct rte_eth_dev_info info;
		if (ports[p].bond_member || (rte_eth_dev_info_get(p, &info) == 0 &&
					     strcmp(info.driver_name, "net_bonding") == 0))
			continue;
		ret = port_setup(p, rx_pool);
		if (ret < 0)
			rte_exit(EXIT_FAILURE, "vsw_peer: port %u setup: %s\n", p,
				 rte_strerror(-ret));
	}

	ret = 0;
	if (do_bench)
		ret = bench(&bopts);
	else if (do_latency)
		ret = latency(&lopts);
	else if (do_congest)
		ret = congest(&copts);
	else
		interactive();

	/* Pools last: closing a port frees the mbufs still in its rings. */
	ports_close();
	rte_mempool_free(tmpl_pool);
	rte_mempool_free(rx_pool);
	rte_eal_cleanup();
	return ret;
}
