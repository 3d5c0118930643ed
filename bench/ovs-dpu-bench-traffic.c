/*
 * Copyright (c) 2026 The OVS-DPU Authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/* ovs-dpu-bench-traffic: a UDP traffic generator and sink over AF_PACKET,
 * for bench/ovs-dpu-bench.sh.
 *
 * usage: ovs-dpu-bench-traffic gen IFACE [OPTION...]
 *        ovs-dpu-bench-traffic sink IFACE [OPTION...]
 *
 * "gen" sends Ethernet/IPv4/UDP frames out of IFACE, bypassing the qdisc.
 * Frame i belongs to flow (FIRST + i % FLOWS): the flow number is the low
 * bits of the IPv4 source address (10.(64 + n / 65536).(n / 256 % 256).
 * (n % 256)), so that each flow is matched by an OpenFlow rule on nw_src or,
 * with megaflows disabled, by one datapath flow.  Each frame carries a magic
 * number, its flow number and the CLOCK_REALTIME time at which it was sent,
 * and the low 16 bits of its sequence number as IPv4 identification.  It
 * prints "sent N".
 *
 * "sink" receives on IFACE and counts the generator's frames.  For each
 * flow it remembers when the first frame arrived and how long that frame
 * took (kernel receive timestamp minus send time).  It runs until SECONDS
 * pass or, with --expect, until every flow in [FIRST, FIRST + FLOWS) has
 * been seen once, then prints "received N", "flows N", "span_us N" (from
 * the first to the last first arrival) and "latency_us p50 p90 p99 max"
 * over the first frames of the flows.
 *
 * "sink --stream=N" instead follows one stream of N frames, numbered 0 to
 * N - 1 (a "gen --count=N"), for failover measurements: it unwraps the
 * frames' 16-bit IPv4 identification into their sequence numbers (which
 * holds as long as no more than 32767 frames in a row are lost or
 * reordered) and prints "received N", "unique N" (distinct sequence
 * numbers below N), "duplicates N", "last_seq N" (the highest seen),
 * "max_gap_us N" (the longest time between two frames in a row, by the
 * kernel's receive timestamps), "max_gap_end_ns N" (CLOCK_REALTIME
 * when that gap ended), and "lost_ranges" followed by the first 16 runs
 * of sequence numbers never received.  It ignores frames its own host
 * sends on IFACE.
 *
 * Options:
 *   --size=BYTES     frame size without FCS (gen; default 60, i.e. a 64-byte
 *                    frame on the wire with FCS)
 *   --flows=N        number of flows (default 1)
 *   --first=N        first flow number (default 0)
 *   --seconds=S      stop after S seconds (default 10)
 *   --count=N        gen: stop after N frames
 *   --rate=PPS       gen: frames per second (default 0: as fast as possible)
 *   --dst-mac=MAC    gen: destination MAC (default 02:00:00:00:00:02)
 *   --src-mac=MAC    gen: source MAC (default 02:00:00:00:00:01)
 *   --expect         sink: stop once every flow has been seen
 *   --stream=N       sink: follow a stream of N frames (see above)
 */

#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define BENCH_MAGIC 0x4f445042   /* "ODPB". */
#define BATCH 64
#define MAX_FRAME 9000
#define MIN_FRAME 60

/* What follows the UDP header in each frame: 16 bytes, so that a 60-byte
 * frame (64 bytes with FCS) holds it.  The low 16 bits of the frame's
 * sequence number are its IPv4 identification. */
struct bench_payload {
    uint32_t magic;
    uint32_t flow;
    uint64_t sent_ns;           /* CLOCK_REALTIME, nanoseconds. */
};

#define HDR_LEN (sizeof(struct ether_header) + sizeof(struct iphdr) \
                 + sizeof(struct udphdr))

struct options {
    const char *iface;
    int size;
    uint32_t flows, first;
    double seconds;
    uint64_t count, rate;
    uint8_t dst_mac[6], src_mac[6];
    bool expect;
    uint64_t stream;
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
    (void) sig;
    stop = 1;
}

static void
fatal(const char *what)
{
    perror(what);
    exit(1);
}

static uint64_t
now_ns(clockid_t clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void
parse_mac(const char *s, uint8_t mac[6])
{
    if (sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1],
               &mac[2], &mac[3], &mac[4], &mac[5]) != 6) {
        fprintf(stderr, "%s: bad MAC address\n", s);
        exit(1);
    }
}

static uint16_t
ip_csum(const void *data, size_t len)
{
    const uint16_t *p = data;
    uint32_t sum = 0;

    for (; len > 1; len -= 2) {
        sum += *p++;
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return ~sum;
}

/* Opens an AF_PACKET socket bound to 'iface'. */
static int
open_socket(const char *iface, int *ifindexp)
{
    struct sockaddr_ll sll;
    int fd, ifindex;

    fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (fd < 0) {
        fatal("socket(AF_PACKET)");
    }
    ifindex = if_nametoindex(iface);
    if (!ifindex) {
        fatal(iface);
    }
    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = ifindex;
    if (bind(fd, (struct sockaddr *) &sll, sizeof sll) < 0) {
        fatal("bind");
    }
    *ifindexp = ifindex;
    return fd;
}

/* Opens an AF_PACKET socket bound to 'iface' that receives with kernel
 * timestamps. */
static int
open_sink_socket(const char *iface)
{
    int ifindex, one = 1;
    int fd = open_socket(iface, &ifindex);

    if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) < 0) {
        fatal("SO_TIMESTAMPNS");
    }
    return fd;
}

/* The kernel's receive timestamp of the frame that 'msg' received, in
 * CLOCK_REALTIME nanoseconds, or now if it has none. */
static uint64_t
rx_timestamp(struct msghdr *msg)
{
    for (struct cmsghdr *cmsg = CMSG_FIRSTHDR(msg); cmsg;
         cmsg = CMSG_NXTHDR(msg, cmsg)) {
        if (cmsg->cmsg_level == SOL_SOCKET
            && cmsg->cmsg_type == SCM_TIMESTAMPNS) {
            struct timespec ts;

            memcpy(&ts, CMSG_DATA(cmsg), sizeof ts);
            return (uint64_t) ts.tv_sec * 1000000000ULL + ts.tv_nsec;
        }
    }
    return now_ns(CLOCK_REALTIME);
}

/* Waits until 'deadline' (CLOCK_MONOTONIC ns) for a frame of the generator
 * that 'fd' received (not one it sent), copies it into 'buf' (MAX_FRAME
 * bytes) and its payload into '*pl', and stores its kernel receive time in
 * '*rx_ns'.  Returns the frame's length, 0 if what came was no such frame
 * (call again), or -1 once 'deadline' has passed. */
static ssize_t
recv_bench_frame(int fd, uint64_t deadline, uint8_t *buf,
                 struct bench_payload *pl, uint64_t *rx_ns)
{
    char control[CMSG_SPACE(sizeof(struct timespec))];
    struct iovec iov = { buf, MAX_FRAME };
    struct sockaddr_ll from;
    struct msghdr msg = {
        .msg_name = &from, .msg_namelen = sizeof from,
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = control, .msg_controllen = sizeof control,
    };
    struct pollfd pfd = { fd, POLLIN, 0 };
    uint64_t now = now_ns(CLOCK_MONOTONIC);
    ssize_t len;

    if (now >= deadline) {
        return -1;
    }
    if (poll(&pfd, 1, (deadline - now) / 1000000 + 1) <= 0) {
        return 0;
    }
    len = recvmsg(fd, &msg, MSG_DONTWAIT);
    if (len < (ssize_t) (HDR_LEN + sizeof *pl)
        || from.sll_pkttype == PACKET_OUTGOING) {
        return 0;
    }
    memcpy(pl, buf + HDR_LEN, sizeof *pl);
    if (pl->magic != BENCH_MAGIC) {
        return 0;
    }
    *rx_ns = rx_timestamp(&msg);
    return len;
}

/* Writes into 'frame' the HDR_LEN bytes of headers of a frame of
 * 'opt->size' bytes of flow 'flow', with IPv4 identification 'id'. */
static void
build_headers(uint8_t *frame, const struct options *opt, uint32_t flow,
              uint16_t id)
{
    struct ether_header eth;
    struct iphdr ip;
    struct udphdr udp;
    uint32_t n = flow & 0x3fffff;

    /* Built apart and copied: the IPv4 header is not 4-byte aligned in
     * the frame. */
    memset(&eth, 0, sizeof eth);
    memcpy(eth.ether_dhost, opt->dst_mac, 6);
    memcpy(eth.ether_shost, opt->src_mac, 6);
    eth.ether_type = htons(ETHERTYPE_IP);

    memset(&ip, 0, sizeof ip);
    ip.version = 4;
    ip.ihl = 5;
    ip.tot_len = htons(opt->size - sizeof eth);
    ip.id = htons(id);
    ip.ttl = 64;
    ip.protocol = IPPROTO_UDP;
    ip.saddr = htonl((10u << 24) | ((64 + (n >> 16)) << 16) | (n & 0xffff));
    ip.daddr = htonl(0x0a000002);  /* 10.0.0.2. */
    ip.check = ip_csum(&ip, sizeof ip);

    memset(&udp, 0, sizeof udp);
    udp.source = htons(1024);
    udp.dest = htons(9);
    udp.len = htons(opt->size - sizeof eth - sizeof ip);

    memcpy(frame, &eth, sizeof eth);
    memcpy(frame + sizeof eth, &ip, sizeof ip);
    memcpy(frame + sizeof eth + sizeof ip, &udp, sizeof udp);
}

static int
run_gen(const struct options *opt)
{
    static uint8_t frames[BATCH][MAX_FRAME];
    struct mmsghdr msgs[BATCH];
    struct iovec iovs[BATCH];
    uint64_t seq = 0, sent = 0, start, deadline;
    int ifindex, one = 1;
    int fd;

    fd = open_socket(opt->iface, &ifindex);
    /* Not fatal: without it, frames go through the qdisc. */
    setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);

    memset(msgs, 0, sizeof msgs);
    memset(frames, 0, sizeof frames);
    for (int i = 0; i < BATCH; i++) {
        iovs[i].iov_base = frames[i];
        iovs[i].iov_len = opt->size;
        msgs[i].msg_hdr.msg_iov = &iovs[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }

    start = now_ns(CLOCK_MONOTONIC);
    deadline = start + (uint64_t) (opt->seconds * 1e9);
    while (!stop && (!opt->count || seq < opt->count)) {
        uint64_t now = now_ns(CLOCK_MONOTONIC);
        uint64_t sent_ns;
        int n = BATCH, k;

        if (now >= deadline) {
            break;
        }
        if (opt->count && opt->count - seq < (uint64_t) n) {
            n = opt->count - seq;
        }
        if (opt->rate) {
            /* Paced: send what is due, sleeping in between. */
            uint64_t due = (now - start) * opt->rate / 1000000000ULL + 1;

            if (due <= seq) {
                struct timespec ts = { 0, 50000 };

                nanosleep(&ts, NULL);
                continue;
            }
            if (due - seq < (uint64_t) n) {
                n = due - seq;
            }
        }

        sent_ns = now_ns(CLOCK_REALTIME);
        for (int i = 0; i < n; i++) {
            uint32_t flow = opt->first + (seq + i) % opt->flows;
            struct bench_payload p = {
                .magic = BENCH_MAGIC, .flow = flow, .sent_ns = sent_ns,
            };

            build_headers(frames[i], opt, flow, seq + i);
            memcpy(frames[i] + HDR_LEN, &p, sizeof p);
        }
        k = sendmmsg(fd, msgs, n, 0);
        if (k < 0) {
            if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
                continue;
            }
            fatal("sendmmsg");
        }
        /* Frames that were not sent are built again with new numbers. */
        seq += k;
        sent += k;
    }
    printf("sent %"PRIu64"\n", sent);
    printf("elapsed_us %"PRIu64"\n",
           (now_ns(CLOCK_MONOTONIC) - start) / 1000);
    return 0;
}

static int
cmp_u64(const void *a_, const void *b_)
{
    const uint64_t *a = a_, *b = b_;

    return *a < *b ? -1 : *a > *b;
}

static int
run_sink(const struct options *opt)
{
    uint64_t *first_rx = xcalloc(opt->flows, sizeof *first_rx);
    uint64_t *latency = xcalloc(opt->flows, sizeof *latency);
    uint64_t received = 0, n_flows = 0, deadline;
    uint64_t span_min = UINT64_MAX, span_max = 0;
    static uint8_t buf[MAX_FRAME];
    int fd;

    fd = open_sink_socket(opt->iface);

    /* Tell the caller that the sink listens. */
    printf("ready\n");
    fflush(stdout);

    deadline = now_ns(CLOCK_MONOTONIC) + (uint64_t) (opt->seconds * 1e9);
    while (!stop && (!opt->expect || n_flows < opt->flows)) {
        struct bench_payload pl;
        uint64_t rx_ns;
        ssize_t len;
        uint32_t idx;

        len = recv_bench_frame(fd, deadline, buf, &pl, &rx_ns);
        if (len < 0) {
            break;
        } else if (!len) {
            continue;
        }
        received++;
        if (pl.flow < opt->first || pl.flow - opt->first >= opt->flows) {
            continue;
        }
        idx = pl.flow - opt->first;
        if (first_rx[idx]) {
            continue;
        }

        first_rx[idx] = rx_ns;
        latency[n_flows++] = rx_ns > pl.sent_ns ? rx_ns - pl.sent_ns : 0;
        span_min = rx_ns < span_min ? rx_ns : span_min;
        span_max = rx_ns > span_max ? rx_ns : span_max;
    }

    printf("received %"PRIu64"\n", received);
    printf("flows %"PRIu64"\n", n_flows);
    printf("span_us %"PRIu64"\n",
           n_flows > 1 ? (span_max - span_min) / 1000 : 0);
    if (n_flows) {
        qsort(latency, n_flows, sizeof *latency, cmp_u64);
        printf("latency_us %"PRIu64" %"PRIu64" %"PRIu64" %"PRIu64"\n",
               latency[n_flows / 2] / 1000, latency[n_flows * 9 / 10] / 1000,
               latency[n_flows * 99 / 100] / 1000,
               latency[n_flows - 1] / 1000);
    } else {
        printf("latency_us 0 0 0 0\n");
    }
    free(first_rx);
    free(latency);
    return 0;
}

/* The sequence number of a frame whose IPv4 identification is 'id', given
 * the highest sequence number seen so far, 'max'. */
static int64_t
unwrap_seq(uint16_t id, int64_t max)
{
    return max + (int16_t) (id - (uint16_t) max);
}

/* Prints "lost_ranges" and the first 16 runs of sequence numbers below 'n'
 * that 'seen' lacks, as FIRST-LAST (or FIRST alone), then "..." if there
 * are more. */
static void
print_lost_ranges(const uint8_t *seen, size_t n)
{
    int n_ranges = 0;

    printf("lost_ranges");
    for (size_t i = 0; i < n; i++) {
        size_t j;

        if (seen[i]) {
            continue;
        }
        for (j = i; j + 1 < n && !seen[j + 1]; j++) {
            continue;
        }
        if (++n_ranges > 16) {
            printf(" ...");
            break;
        }
        if (j > i) {
            printf(" %"PRIuSIZE"-%"PRIuSIZE, i, j);
        } else {
            printf(" %"PRIuSIZE, i);
        }
        i = j;
    }
    printf("\n");
}

/* "sink --stream=N": see the comment at the top. */
static int
run_stream_sink(const struct options *opt)
{
    uint8_t *seen = xcalloc(opt->stream, 1);
    uint64_t received = 0, unique = 0, dups = 0;
    uint64_t prev_rx = 0, max_gap = 0, max_gap_end = 0, deadline;
    int64_t max_seq = -1;
    static uint8_t buf[MAX_FRAME];
    int fd;

    fd = open_sink_socket(opt->iface);
    printf("ready\n");
    fflush(stdout);

    deadline = now_ns(CLOCK_MONOTONIC) + (uint64_t) (opt->seconds * 1e9);
    while (!stop) {
        struct bench_payload pl;
        uint64_t rx_ns;
        uint16_t id;
        int64_t seq;
        ssize_t len;

        len = recv_bench_frame(fd, deadline, buf, &pl, &rx_ns);
        if (len < 0) {
            break;
        } else if (!len || pl.flow < opt->first
                   || pl.flow - opt->first >= opt->flows) {
            continue;
        }

        received++;
        if (prev_rx && rx_ns > prev_rx && rx_ns - prev_rx > max_gap) {
            max_gap = rx_ns - prev_rx;
            max_gap_end = rx_ns;
        }
        prev_rx = rx_ns;

        /* The identification: bytes 4 and 5 of the IPv4 header. */
        id = (buf[sizeof(struct ether_header) + 4] << 8)
             | buf[sizeof(struct ether_header) + 5];
        seq = max_seq < 0 ? id : unwrap_seq(id, max_seq);
        if (seq < 0 || seq >= (int64_t) opt->stream) {
            continue;
        }
        if (seen[seq]) {
            dups++;
        } else {
            seen[seq] = 1;
            unique++;
        }
        max_seq = MAX(max_seq, seq);
    }

    printf("received %"PRIu64"\n", received);
    printf("unique %"PRIu64"\n", unique);
    printf("duplicates %"PRIu64"\n", dups);
    printf("last_seq %"PRId64"\n", max_seq);
    printf("max_gap_us %"PRIu64"\n", max_gap / 1000);
    printf("max_gap_end_ns %"PRIu64"\n", max_gap_end);
    print_lost_ranges(seen, opt->stream);
    free(seen);
    return 0;
}

static void
usage(void)
{
    printf("usage: ovs-dpu-bench-traffic gen|sink IFACE [OPTION...]\n"
           "  --size=BYTES --flows=N --first=N --seconds=S --count=N\n"
           "  --rate=PPS --dst-mac=MAC --src-mac=MAC --expect --stream=N\n"
           "See the comment at the top of the source, or bench/README.\n");
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        {"size", required_argument, NULL, 's'},
        {"flows", required_argument, NULL, 'f'},
        {"first", required_argument, NULL, 'F'},
        {"seconds", required_argument, NULL, 't'},
        {"count", required_argument, NULL, 'c'},
        {"rate", required_argument, NULL, 'r'},
        {"dst-mac", required_argument, NULL, 'd'},
        {"src-mac", required_argument, NULL, 'S'},
        {"expect", no_argument, NULL, 'e'},
        {"stream", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct options opt = {
        .size = MIN_FRAME, .flows = 1, .seconds = 10,
        .dst_mac = { 2, 0, 0, 0, 0, 2 }, .src_mac = { 2, 0, 0, 0, 0, 1 },
    };
    const char *cmd;
    int c;

    while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
        switch (c) {
        case 's': opt.size = atoi(optarg); break;
        case 'f': opt.flows = strtoul(optarg, NULL, 10); break;
        case 'F': opt.first = strtoul(optarg, NULL, 10); break;
        case 't': opt.seconds = atof(optarg); break;
        case 'c': opt.count = strtoull(optarg, NULL, 10); break;
        case 'r': opt.rate = strtoull(optarg, NULL, 10); break;
        case 'd': parse_mac(optarg, opt.dst_mac); break;
        case 'S': parse_mac(optarg, opt.src_mac); break;
        case 'e': opt.expect = true; break;
        case 'T':
            opt.stream = strtoull(optarg, NULL, 10);
            if (!opt.stream || opt.stream > 100000000) {
                fprintf(stderr, "--stream must be between 1 and 100000000\n");
                return 1;
            }
            break;
        case 'h': usage(); return 0;
        default: usage(); return 1;
        }
    }
    if (argc - optind != 2) {
        usage();
        return 1;
    }
    cmd = argv[optind];
    opt.iface = argv[optind + 1];
    if (opt.size < (int) (HDR_LEN + sizeof(struct bench_payload))
        || opt.size > MAX_FRAME) {
        fprintf(stderr, "--size must be between %zu and %d\n",
                HDR_LEN + sizeof(struct bench_payload), MAX_FRAME);
        return 1;
    }
    if (!opt.flows) {
        fprintf(stderr, "--flows must be at least 1\n");
        return 1;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);

    if (!strcmp(cmd, "gen")) {
        return run_gen(&opt);
    } else if (!strcmp(cmd, "sink")) {
        return opt.stream ? run_stream_sink(&opt) : run_sink(&opt);
    }
    usage();
    return 1;
}
