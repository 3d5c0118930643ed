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

#include <config.h>
#include "agent-ipfix.h"

#include <errno.h>

#include "agent-server.h"
#include "byte-order.h"
#include "ofproto/collectors.h"

#include "coverage.h"
#include "dp-packet.h"
#include "dpu-codec.h"
#include "flow.h"
#include "hash.h"
#include "netlink.h"
#include "odp-util.h"
#include "ofproto/ofproto.h"
#include "ofproto/ofproto-dpif-ipfix.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/ofp-ipfix.h"
#include "openvswitch/ofp-msgs.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "openvswitch/poll-loop.h"
#include "ovs-thread.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(agent_ipfix);

COVERAGE_DEFINE(agent_ipfix_sample);    /* Sample exported by the DPU. */
COVERAGE_DEFINE(agent_ipfix_identity);  /* DPU identity record sent. */
COVERAGE_DEFINE(agent_ipfix_event);     /* DPU event record sent. */
COVERAGE_DEFINE(agent_ipfix_alarm);     /* The host's alarm record sent. */

/* The DPU's identity and event records (see "The DPU's identity" and "The
 * DPU's events" in dpu-ipfix.rst).
 *
 * Each is an IPFIX options record (RFC 7011 section 3.4.2.2) whose scope
 * is the observation domain and whose fields are enterprise-specific
 * elements of enterprise number IDENTITY_PEN, all strings of variable
 * length.  32473 is the enterprise number that RFC 5612 reserves for
 * documentation: a vendor that ships this replaces it with its own. */
#define IDENTITY_PEN 32473
#define IDENTITY_TEMPLATE_ID 256
#define IDENTITY_INTERVAL_MS (10 * 60 * 1000)   /* As OVS's templates. */
enum identity_element {
    IDENTITY_DPU_NAME = 1,
    IDENTITY_DPU_VENDOR = 2,
    IDENTITY_DPU_MODEL = 3,
    IDENTITY_DPU_HW_VERSION = 4,
    IDENTITY_DPU_FIRMWARE = 5,
    IDENTITY_DPU_SERIAL = 6,
    IDENTITY_DPU_IMAGE_VERSION = 7,
    IDENTITY_DPU_ROLE = 8,

    /* In event records: a hardware health alert of the DPU raised,
     * changed or cleared. */
    EVENT_TYPE = 9,
    EVENT_ALERT_SENSOR = 10,
    EVENT_ALERT_SEVERITY = 11,
    EVENT_ALERT_VALUE = 12,
    EVENT_ALERT_MESSAGE = 13,

    /* In alarm records: an alarm that the host raised or cleared about a
     * DPU (DPU_MSG_ALARM), with EVENT_TYPE "alarm-raised" or
     * "alarm-cleared" and IDENTITY_DPU_NAME the alarm's DPU. */
    ALARM_TYPE = 14,
    ALARM_ID = 15,
    ALARM_SUBJECT = 16,
    ALARM_SEVERITY = 17,
    ALARM_TIME = 18,
    ALARM_CAUSE = 19,
    ALARM_FAILOVER_FROM = 20,
    ALARM_FAILOVER_TO = 21,
    ALARM_FAILOVER_CAUSE = 22,
    ALARM_FAILOVER_DURATION = 23,
};
#define EVENT_TEMPLATE_ID 257
#define ALARM_TEMPLATE_ID 258
#define IPFIX_IE_OBSERVATION_DOMAIN_ID 149
#define IPFIX_DEFAULT_PORT 4739

/* A host that sends a bad configuration again and again must not fill the
 * DPU's log. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* The exporters of one bridge. */
struct agent_ipfix_bridge {
    struct hmap_node node;      /* In agent_ipfix's 'bridges', by uuid. */
    struct uuid uuid;           /* As userspace() cookies carry it. */
    char *name;
    char *dpu_name;             /* The host's name for this DPU, or NULL. */
    bool has_obs_domain_id;     /* The DPU's own observation domain. */
    uint32_t obs_domain_id;
    struct dpif_ipfix *di;
    bool bridge_exporter;       /* The bridge exporter is running. */
    struct sset be_targets;     /* Its targets. */
    uint32_t *collector_sets;   /* Ids of the flow exporters running. */
    size_t n_collector_sets;
    uint64_t n_samples;         /* Exported. */

    /* The DPU's identity record, sent to every target of the bridge's
     * exporters from a socket of its own. */
    struct collectors *identity;
    uint32_t identity_domain;   /* Its observation domain. */
    uint32_t identity_seq;      /* Records sent so far. */
    long long int next_identity;
    uint64_t n_identity;        /* Identity records sent. */
    uint64_t n_events;          /* Event records sent. */
    uint64_t n_alarms;          /* Alarm records sent. */
};

/* A tunnel port of the DPU's datapath. */
struct agent_ipfix_tunnel {
    struct hmap_node node;      /* In agent_ipfix's 'tunnels', by port. */
    odp_port_t port_no;
    char *type;                 /* Its netdev type, e.g. "vxlan". */
};

/* Lock order: 'mutex', then ofproto-dpif-ipfix's own. */
struct agent_ipfix {
    struct ovs_mutex mutex;
    struct hmap bridges OVS_GUARDED;    /* struct agent_ipfix_bridge. */
    struct hmap tunnels OVS_GUARDED;    /* struct agent_ipfix_tunnel. */
    const struct dpu_identity *id;    /* The DPU's identity. */
    char *role;                 /* Its role, as agent_server_get_role(). */
};

struct agent_ipfix *
agent_ipfix_create(const struct dpu_identity *id, const char *role)
{
    struct agent_ipfix *ai = xzalloc(sizeof *ai);

    ovs_mutex_init(&ai->mutex);
    hmap_init(&ai->bridges);
    hmap_init(&ai->tunnels);
    ai->id = id;
    ai->role = xstrdup(role);
    return ai;
}

static void
bridge_destroy(struct agent_ipfix *ai, struct agent_ipfix_bridge *br)
    OVS_REQUIRES(ai->mutex)
{
    hmap_remove(&ai->bridges, &br->node);
    dpif_ipfix_unref(br->di);
    collectors_destroy(br->identity);
    sset_destroy(&br->be_targets);
    free(br->collector_sets);
    free(br->name);
    free(br->dpu_name);
    free(br);
}

void
agent_ipfix_clear(struct agent_ipfix *ai)
{
    struct agent_ipfix_bridge *br;

    ovs_mutex_lock(&ai->mutex);
    HMAP_FOR_EACH_SAFE (br, node, &ai->bridges) {
        bridge_destroy(ai, br);
    }
    ovs_mutex_unlock(&ai->mutex);
}

static struct agent_ipfix_tunnel *
find_tunnel(const struct agent_ipfix *ai, odp_port_t port_no)
    OVS_REQUIRES(ai->mutex)
{
    struct agent_ipfix_tunnel *t;

    HMAP_FOR_EACH_WITH_HASH (t, node, hash_odp_port(port_no), &ai->tunnels) {
        if (t->port_no == port_no) {
            return t;
        }
    }
    return NULL;
}

static void
tunnel_destroy(struct agent_ipfix *ai, struct agent_ipfix_tunnel *t)
    OVS_REQUIRES(ai->mutex)
{
    hmap_remove(&ai->tunnels, &t->node);
    free(t->type);
    free(t);
}

void
agent_ipfix_destroy(struct agent_ipfix *ai)
{
    if (ai) {
        struct agent_ipfix_tunnel *t;

        agent_ipfix_clear(ai);
        ovs_mutex_lock(&ai->mutex);
        HMAP_FOR_EACH_SAFE (t, node, &ai->tunnels) {
            tunnel_destroy(ai, t);
        }
        ovs_mutex_unlock(&ai->mutex);
        hmap_destroy(&ai->tunnels);
        hmap_destroy(&ai->bridges);
        ovs_mutex_destroy(&ai->mutex);
        free(ai->role);
        free(ai);
    }
}

static struct agent_ipfix_bridge *
find_bridge(const struct agent_ipfix *ai, const struct uuid *uuid)
    OVS_REQUIRES(ai->mutex)
{
    struct agent_ipfix_bridge *br;

    HMAP_FOR_EACH_WITH_HASH (br, node, uuid_hash(uuid), &ai->bridges) {
        if (uuid_equals(&br->uuid, uuid)) {
            return br;
        }
    }
    return NULL;
}

/* Stores in '*statsp' a malloc()ed array of the counters of the bridge
 * exporter of 'br' (if 'bridge_ipfix') or of its flow exporters, those that
 * ofproto-dpif-ipfix runs, and returns their number. */
static size_t
bridge_get_stats(const struct agent_ipfix_bridge *br, bool bridge_ipfix,
                 struct ofputil_ipfix_stats **statsp)
{
    struct ofpbuf *request = ofpraw_alloc(
        bridge_ipfix ? OFPRAW_NXST_IPFIX_BRIDGE_REQUEST
                     : OFPRAW_NXST_IPFIX_FLOW_REQUEST, OFP10_VERSION, 0);
    struct ofputil_ipfix_stats *stats = NULL;
    struct ovs_list replies;
    struct ofpbuf *reply;
    size_t n = 0;

    ofpmp_init(&replies, request->data);
    if (!dpif_ipfix_get_stats(br->di, bridge_ipfix, &replies)) {
        LIST_FOR_EACH (reply, list_node, &replies) {
            struct ofputil_ipfix_stats is;

            /* Decode it as ovs-ofctl would receive it. */
            ofpmsg_update_length(reply);
            reply->header = NULL;
            while (!ofputil_pull_ipfix_stats(&is, reply)) {
                stats = xrealloc(stats, (n + 1) * sizeof *stats);
                stats[n++] = is;
            }
        }
    }
    ofpbuf_list_delete(&replies);
    ofpbuf_delete(request);
    *statsp = stats;
    return n;
}

/* Records in 'br' which of its exporters ofproto-dpif-ipfix runs: not
 * those none of whose targets could be opened. */
static void
bridge_update_running(struct agent_ipfix_bridge *br)
{
    struct ofputil_ipfix_stats *stats;

    br->bridge_exporter
        = dpif_ipfix_get_bridge_exporter_probability(br->di) != 0;
    free(br->collector_sets);
    br->n_collector_sets = bridge_get_stats(br, false, &stats);
    br->collector_sets = xmalloc(MAX(br->n_collector_sets, 1)
                                 * sizeof *br->collector_sets);
    for (size_t i = 0; i < br->n_collector_sets; i++) {
        br->collector_sets[i] = stats[i].collector_set_id;
    }
    free(stats);
}

static bool
bridge_has_collector_set(const struct agent_ipfix_bridge *br, uint32_t id)
{
    for (size_t i = 0; i < br->n_collector_sets; i++) {
        if (br->collector_sets[i] == id) {
            return true;
        }
    }
    return false;
}

/* The DPU's identity. */

static void
put_u8(struct ofpbuf *b, uint8_t value)
{
    ofpbuf_put(b, &value, sizeof value);
}

static void
put_be16(struct ofpbuf *b, ovs_be16 value)
{
    ofpbuf_put(b, &value, sizeof value);
}

static void
put_be32(struct ofpbuf *b, ovs_be32 value)
{
    ofpbuf_put(b, &value, sizeof value);
}

static void
put_ie(struct ofpbuf *b, uint16_t id, uint16_t length, uint32_t pen)
{
    put_be16(b, htons(pen ? id | 0x8000 : id));
    put_be16(b, htons(length));
    if (pen) {
        put_be32(b, htonl(pen));
    }
}

/* Appends 's' as a variable-length string, RFC 7011 section 7. */
static void
put_varlen_string(struct ofpbuf *b, const char *s)
{
    size_t len = strlen(s);

    if (len < 255) {
        put_u8(b, len);
    } else {
        len = MIN(len, UINT16_MAX - 64);
        put_u8(b, 255);
        put_be16(b, htons(len));
    }
    ofpbuf_put(b, s, len);
}

/* Sends to the targets of 'br' an options record of template
 * 'template_id', with its template: the observation domain as scope, then
 * the strings 'values[i]' as enterprise-specific elements 'ids[i]', for
 * 'i' < 'n'. */
static void
send_options(struct agent_ipfix_bridge *br, uint16_t template_id,
             const uint16_t ids[], const char *const values[], size_t n)
{
    size_t set_ofs, msg_len_ofs, set_len_ofs;
    uint64_t stub[1024 / 8];
    struct ofpbuf b;

    if (!br->identity) {
        return;
    }
    ofpbuf_use_stub(&b, stub, sizeof stub);

    /* Message header (RFC 7011 section 3.1). */
    put_be16(&b, htons(10));
    msg_len_ofs = b.size;
    put_be16(&b, 0);
    put_be32(&b, htonl(time_wall_msec() / 1000));
    put_be32(&b, htonl(br->identity_seq));
    put_be32(&b, htonl(br->identity_domain));

    /* Options template set (section 3.4.2.2): the scope first. */
    set_ofs = b.size;
    put_be16(&b, htons(3));
    set_len_ofs = b.size;
    put_be16(&b, 0);
    put_be16(&b, htons(template_id));
    put_be16(&b, htons(1 + n));
    put_be16(&b, htons(1));
    put_ie(&b, IPFIX_IE_OBSERVATION_DOMAIN_ID, 4, 0);
    for (size_t i = 0; i < n; i++) {
        put_ie(&b, ids[i], UINT16_MAX, IDENTITY_PEN);
    }
    *ALIGNED_CAST(ovs_be16 *, ofpbuf_at_assert(&b, set_len_ofs, 2))
        = htons(b.size - set_ofs);

    /* Data set with the record. */
    set_ofs = b.size;
    put_be16(&b, htons(template_id));
    set_len_ofs = b.size;
    put_be16(&b, 0);
    put_be32(&b, htonl(br->identity_domain));
    for (size_t i = 0; i < n; i++) {
        put_varlen_string(&b, values[i]);
    }
    *ALIGNED_CAST(ovs_be16 *, ofpbuf_at_assert(&b, set_len_ofs, 2))
        = htons(b.size - set_ofs);
    *ALIGNED_CAST(ovs_be16 *, ofpbuf_at_assert(&b, msg_len_ofs, 2))
        = htons(b.size);

    collectors_send(br->identity, b.data, b.size);
    br->identity_seq++;
    ofpbuf_uninit(&b);
}

/* Sends the DPU's identity record to the targets of 'br'. */
static void
send_identity(struct agent_ipfix *ai, struct agent_ipfix_bridge *br)
    OVS_REQUIRES(ai->mutex)
{
    static const uint16_t ids[] = {
        IDENTITY_DPU_NAME, IDENTITY_DPU_VENDOR, IDENTITY_DPU_MODEL,
        IDENTITY_DPU_HW_VERSION, IDENTITY_DPU_FIRMWARE, IDENTITY_DPU_SERIAL,
        IDENTITY_DPU_IMAGE_VERSION, IDENTITY_DPU_ROLE,
    };
    const char *values[] = {
        br->dpu_name ? br->dpu_name : "",
        ai->id->vendor, ai->id->model, ai->id->hw_version, ai->id->firmware,
        ai->id->serial, ai->id->image_version, ai->role,
    };

    BUILD_ASSERT_DECL(ARRAY_SIZE(ids) == ARRAY_SIZE(values));
    br->next_identity = time_msec() + IDENTITY_INTERVAL_MS;
    if (br->identity) {
        send_options(br, IDENTITY_TEMPLATE_ID, ids, values, ARRAY_SIZE(ids));
        br->n_identity++;
        COVERAGE_INC(agent_ipfix_identity);
    }
}

void
agent_ipfix_alert(struct agent_ipfix *ai, const char *sensor,
                  const struct dpu_health *h)
{
    static const uint16_t ids[] = {
        IDENTITY_DPU_NAME, EVENT_TYPE, EVENT_ALERT_SENSOR,
        EVENT_ALERT_SEVERITY, EVENT_ALERT_VALUE, EVENT_ALERT_MESSAGE,
    };
    struct agent_ipfix_bridge *br;

    ovs_mutex_lock(&ai->mutex);
    HMAP_FOR_EACH (br, node, &ai->bridges) {
        const char *values[] = {
            br->dpu_name ? br->dpu_name : "",
            h ? "alert-raised" : "alert-cleared",
            sensor,
            h ? dpu_severity_to_string(h->severity) : "",
            h && h->value ? h->value : "",
            h && h->message ? h->message : "",
        };

        BUILD_ASSERT_DECL(ARRAY_SIZE(ids) == ARRAY_SIZE(values));
        if (br->identity) {
            send_options(br, EVENT_TEMPLATE_ID, ids, values,
                         ARRAY_SIZE(ids));
            br->n_events++;
            COVERAGE_INC(agent_ipfix_event);
        }
    }
    ovs_mutex_unlock(&ai->mutex);
}

void
agent_ipfix_alarm(struct agent_ipfix *ai, const struct dpu_alarm_event *ev)
{
    static const uint16_t ids[] = {
        IDENTITY_DPU_NAME, EVENT_TYPE, ALARM_TYPE, ALARM_ID, ALARM_SUBJECT,
        ALARM_SEVERITY, ALARM_TIME, ALARM_CAUSE, ALARM_FAILOVER_FROM,
        ALARM_FAILOVER_TO, ALARM_FAILOVER_CAUSE, ALARM_FAILOVER_DURATION,
    };
    char *time = xastrftime_msec("%Y-%m-%dT%H:%M:%S.###Z", ev->time, true);
    char *duration = (ev->has_duration
                      ? xasprintf("%"PRIu64, ev->duration_ms)
                      : xstrdup(""));
    char id[UUID_LEN + 1];
    const char *values[] = {
        ev->dpu_name, ev->cleared ? "alarm-cleared" : "alarm-raised",
        ev->type, id, ev->subject ? ev->subject : "",
        dpu_severity_to_string(ev->severity), time,
        ev->cause ? ev->cause : "", ev->from ? ev->from : "",
        ev->to ? ev->to : "", ev->reason ? ev->reason : "", duration,
    };
    struct agent_ipfix_bridge *br;

    BUILD_ASSERT_DECL(ARRAY_SIZE(ids) == ARRAY_SIZE(values));
    snprintf(id, sizeof id, UUID_FMT, UUID_ARGS(&ev->id));
    ovs_mutex_lock(&ai->mutex);
    HMAP_FOR_EACH (br, node, &ai->bridges) {
        if (br->identity) {
            send_options(br, ALARM_TEMPLATE_ID, ids, values,
                         ARRAY_SIZE(ids));
            br->n_alarms++;
            COVERAGE_INC(agent_ipfix_alarm);
        }
    }
    ovs_mutex_unlock(&ai->mutex);
    free(duration);
    free(time);
}

/* Opens the sockets of 'br''s identity record to the targets of the
 * exporters in 'cfg' that run, and chooses its observation domain: the
 * DPU's, or else the bridge exporter's. */
static void
bridge_set_identity(struct agent_ipfix_bridge *br,
                    const struct dpu_ipfix_config *cfg)
{
    struct sset targets = SSET_INITIALIZER(&targets);

    const char *target;

    if (cfg->be && br->bridge_exporter) {
        SSET_FOR_EACH (target, &cfg->be->targets) {
            sset_add(&targets, target);
        }
    }
    for (size_t i = 0; i < cfg->n_fe; i++) {
        if (bridge_has_collector_set(br, cfg->fe[i].collector_set_id)) {
            SSET_FOR_EACH (target, &cfg->fe[i].targets) {
                sset_add(&targets, target);
            }
        }
    }
    collectors_destroy(br->identity);
    br->identity = NULL;
    if (!sset_is_empty(&targets)) {
        /* Logs again a target that an exporter could not open, among
         * others that it could. */
        collectors_create(&targets, IPFIX_DEFAULT_PORT, &br->identity);
    }
    br->identity_domain = (cfg->has_obs_domain_id ? cfg->obs_domain_id
                           : cfg->be ? cfg->be->obs_domain_id
                           : 0);
    sset_destroy(&targets);
}

void
agent_ipfix_set_role(struct agent_ipfix *ai, const char *role)
{
    struct agent_ipfix_bridge *br;

    ovs_mutex_lock(&ai->mutex);
    if (strcmp(role, ai->role)) {
        free(ai->role);
        ai->role = xstrdup(role);
        HMAP_FOR_EACH (br, node, &ai->bridges) {
            send_identity(ai, br);
        }
    }
    ovs_mutex_unlock(&ai->mutex);
}

void
agent_ipfix_set(struct agent_ipfix *ai, const struct dpu_ipfix_config *cfg)
{
    struct ofproto_ipfix_bridge_exporter_options be;
    struct agent_ipfix_bridge *br;

    ovs_mutex_lock(&ai->mutex);
    br = find_bridge(ai, &cfg->bridge_uuid);
    if (!cfg->be && !cfg->n_fe) {
        if (br) {
            VLOG_INFO("%s: stopped exporting IPFIX", br->name);
            bridge_destroy(ai, br);
        }
        ovs_mutex_unlock(&ai->mutex);
        return;
    }

    if (!br) {
        struct agent_ipfix_tunnel *t;

        br = xzalloc(sizeof *br);
        br->uuid = cfg->bridge_uuid;
        br->di = dpif_ipfix_create();
        HMAP_FOR_EACH (t, node, &ai->tunnels) {
            dpif_ipfix_add_tunnel_port(br->di, t->port_no, t->type);
        }
        sset_init(&br->be_targets);
        hmap_insert(&ai->bridges, &br->node, uuid_hash(&br->uuid));
    }
    free(br->name);
    br->name = xstrdup(cfg->bridge_name);
    free(br->dpu_name);
    br->dpu_name = nullable_xstrdup(cfg->dpu_name);
    br->has_obs_domain_id = cfg->has_obs_domain_id;
    br->obs_domain_id = cfg->obs_domain_id;
    sset_clear(&br->be_targets);

    if (cfg->be) {
        be = *cfg->be;
        if (cfg->has_obs_domain_id) {
            be.obs_domain_id = cfg->obs_domain_id;
        }
        sset_clone(&br->be_targets, &cfg->be->targets);
    }
    dpif_ipfix_set_options(br->di, cfg->be ? &be : NULL, cfg->fe, cfg->n_fe);
    bridge_update_running(br);
    bridge_set_identity(br, cfg);
    send_identity(ai, br);
    if (cfg->be && !br->bridge_exporter) {
        VLOG_WARN_RL(&rl, "%s: no collector of the bridge exporter could be "
                     "opened on this DPU: the host exports its samples",
                     br->name);
    }
    if (br->n_collector_sets < cfg->n_fe) {
        VLOG_WARN_RL(&rl, "%s: %"PRIuSIZE" of %"PRIuSIZE" collector sets "
                     "have no collector that could be opened on this DPU: "
                     "the host exports their samples", br->name,
                     cfg->n_fe - br->n_collector_sets, cfg->n_fe);
    }
    VLOG_INFO("%s: exporting IPFIX: %s bridge exporter, %"PRIuSIZE
              " flow exporters", br->name,
              br->bridge_exporter ? "a" : "no", br->n_collector_sets);
    ovs_mutex_unlock(&ai->mutex);
}

void
agent_ipfix_add_tunnel_port(struct agent_ipfix *ai, odp_port_t port_no,
                            const char *type)
{
    struct agent_ipfix_bridge *br;
    struct agent_ipfix_tunnel *t;

    ovs_mutex_lock(&ai->mutex);
    t = find_tunnel(ai, port_no);
    if (!t) {
        t = xzalloc(sizeof *t);
        t->port_no = port_no;
        hmap_insert(&ai->tunnels, &t->node, hash_odp_port(port_no));
    }
    free(t->type);
    t->type = xstrdup(type);
    HMAP_FOR_EACH (br, node, &ai->bridges) {
        dpif_ipfix_add_tunnel_port(br->di, port_no, type);
    }
    ovs_mutex_unlock(&ai->mutex);
}

void
agent_ipfix_del_port(struct agent_ipfix *ai, odp_port_t port_no)
{
    struct agent_ipfix_bridge *br;
    struct agent_ipfix_tunnel *t;

    ovs_mutex_lock(&ai->mutex);
    t = find_tunnel(ai, port_no);
    if (t) {
        tunnel_destroy(ai, t);
        HMAP_FOR_EACH (br, node, &ai->bridges) {
            dpif_ipfix_del_port(br->di, port_no);
        }
    }
    ovs_mutex_unlock(&ai->mutex);
}

bool
agent_ipfix_sample(struct agent_ipfix *ai, const struct dp_packet *packet,
                   const struct flow *flow, const struct nlattr *userdata)
{
    struct user_action_cookie cookie;
    struct agent_ipfix_bridge *br;
    size_t len = nl_attr_get_size(userdata);
    bool taken = false;

    /* As ofproto-dpif-upcall's classify_upcall() reads cookies. */
    if (len < sizeof cookie.type || len > sizeof cookie) {
        return false;
    }
    memset(&cookie, 0, sizeof cookie);
    memcpy(&cookie, nl_attr_get(userdata), len);
    if (cookie.type != USER_ACTION_COOKIE_IPFIX
        && cookie.type != USER_ACTION_COOKIE_FLOW_SAMPLE) {
        return false;
    }

    ovs_mutex_lock(&ai->mutex);
    br = find_bridge(ai, &cookie.ofproto_uuid);
    if (!br) {
        /* Not exported by this DPU. */
    } else if (cookie.type == USER_ACTION_COOKIE_IPFIX) {
        if (br->bridge_exporter) {
            dpif_ipfix_bridge_sample(br->di, packet, flow,
                                     flow->in_port.odp_port,
                                     cookie.ipfix.output_odp_port, NULL,
                                     NULL);
            taken = true;
        }
    } else if (bridge_has_collector_set(
                   br, cookie.flow_sample.collector_set_id)) {
        if (br->has_obs_domain_id) {
            cookie.flow_sample.obs_domain_id = br->obs_domain_id;
        }
        dpif_ipfix_flow_sample(br->di, packet, flow, &cookie,
                               flow->in_port.odp_port, NULL, NULL);
        taken = true;
    }
    if (taken) {
        br->n_samples++;
        COVERAGE_INC(agent_ipfix_sample);
    }
    ovs_mutex_unlock(&ai->mutex);
    return taken;
}

void
agent_ipfix_run(struct agent_ipfix *ai)
{
    struct agent_ipfix_bridge *br;

    ovs_mutex_lock(&ai->mutex);
    HMAP_FOR_EACH (br, node, &ai->bridges) {
        dpif_ipfix_run(br->di);
        if (time_msec() >= br->next_identity) {
            send_identity(ai, br);
        }
    }
    ovs_mutex_unlock(&ai->mutex);
}

void
agent_ipfix_wait(struct agent_ipfix *ai)
{
    struct agent_ipfix_bridge *br;

    ovs_mutex_lock(&ai->mutex);
    HMAP_FOR_EACH (br, node, &ai->bridges) {
        dpif_ipfix_wait(br->di);
        poll_timer_wait_until(br->next_identity);
    }
    ovs_mutex_unlock(&ai->mutex);
}

static void
format_exporters(struct ds *ds, const struct agent_ipfix_bridge *br)
{
    struct ofputil_ipfix_stats *stats;
    size_t n;

    n = bridge_get_stats(br, true, &stats);
    if (n) {
        const char **targets = sset_sort(&br->be_targets);

        ds_put_cstr(ds, "  bridge exporter, targets");
        for (size_t i = 0; i < sset_count(&br->be_targets); i++) {
            ds_put_format(ds, " %s", targets[i]);
        }
        ofputil_format_ipfix_stats_bridge(ds, &stats[0]);
        free(targets);
    }
    free(stats);

    n = bridge_get_stats(br, false, &stats);
    if (n) {
        ds_put_format(ds, "  flow exporters: %"PRIuSIZE" ids\n", n);
        for (size_t i = 0; i < n; i++) {
            ofputil_format_ipfix_stats_flow(ds, &stats[i]);
        }
    }
    free(stats);
}

static int
compare_tunnels(const void *a_, const void *b_)
{
    const struct agent_ipfix_tunnel *const *a = a_;
    const struct agent_ipfix_tunnel *const *b = b_;
    uint32_t a_no = odp_to_u32((*a)->port_no);
    uint32_t b_no = odp_to_u32((*b)->port_no);

    return a_no < b_no ? -1 : a_no > b_no;
}

/* Appends the tunnel ports that the exporters know, if any, by number. */
static void
format_tunnels(struct ds *ds, const struct agent_ipfix *ai)
    OVS_REQUIRES(ai->mutex)
{
    size_t n = hmap_count(&ai->tunnels);
    const struct agent_ipfix_tunnel **tunnels;
    const struct agent_ipfix_tunnel *t;
    size_t i = 0;

    if (!n) {
        return;
    }
    tunnels = xmalloc(n * sizeof *tunnels);
    HMAP_FOR_EACH (t, node, &ai->tunnels) {
        tunnels[i++] = t;
    }
    qsort(tunnels, n, sizeof *tunnels, compare_tunnels);
    ds_put_cstr(ds, "tunnel ports:");
    for (i = 0; i < n; i++) {
        ds_put_format(ds, " %"PRIu32" (%s)",
                      odp_to_u32(tunnels[i]->port_no), tunnels[i]->type);
    }
    ds_put_char(ds, '\n');
    free(tunnels);
}

void
agent_ipfix_format(struct agent_ipfix *ai, struct ds *ds)
{
    struct agent_ipfix_bridge *br;

    ovs_mutex_lock(&ai->mutex);
    ds_put_format(ds, "IPFIX exported by this DPU, bridges: %"PRIuSIZE"\n",
                  hmap_count(&ai->bridges));
    format_tunnels(ds, ai);
    HMAP_FOR_EACH (br, node, &ai->bridges) {
        ds_put_format(ds, "bridge %s ("UUID_FMT"), DPU %s, observation "
                      "domain ", br->name, UUID_ARGS(&br->uuid),
                      br->dpu_name ? br->dpu_name : "(unnamed)");
        if (br->has_obs_domain_id) {
            ds_put_format(ds, "%"PRIu32, br->obs_domain_id);
        } else {
            ds_put_cstr(ds, "of the host's configuration");
        }
        ds_put_format(ds, ", samples %"PRIu64", identity records %"PRIu64
                      ", events %"PRIu64", alarms %"PRIu64"\n",
                      br->n_samples, br->n_identity, br->n_events,
                      br->n_alarms);
        format_exporters(ds, br);
    }
    ovs_mutex_unlock(&ai->mutex);
}

int
agent_ipfix_set_request(const struct agent_request *req,
                        struct ofpbuf *reply OVS_UNUSED, struct ds *why)
{
    struct dpu_ipfix_config cfg;
    int error = 0;

    if (dpu_parse_ipfix_config(req->msg->attrs[DPU_ATTR_IPFIX], &cfg, why)) {
        agent_ipfix_set(agent_server_ipfix(req->server), &cfg);
    } else {
        error = EINVAL;
    }
    dpu_ipfix_config_destroy(&cfg);
    return error;
}

int
agent_ipfix_alarm_request(const struct agent_request *req,
                          struct ofpbuf *reply OVS_UNUSED, struct ds *why)
{
    struct dpu_alarm_event ev;

    if (!dpu_parse_alarm(req->msg->attrs[DPU_ATTR_ALARM], &ev, why)) {
        return EINVAL;
    }
    agent_ipfix_alarm(agent_server_ipfix(req->server), &ev);
    return 0;
}
