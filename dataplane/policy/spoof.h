/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pure spoof check of what a VM port sends (the NAD's macspoofchk): the Ethernet source (and
 * an ARP sender's hardware address) must be the port's own MAC; with the IP check, IPv4/IPv6
 * sources and ARP senders must be one of the port's addresses. Addresses a host uses before
 * it has one pass: 0.0.0.0 (DHCP, ARP probes), :: (duplicate address detection) and IPv6
 * link-local fe80::/10. No DPDK: the unit tests call it.
 */
#ifndef VS_SPOOF_H
#define VS_SPOOF_H

#include "vs_types.h"
#include "dataplane/worker/frame.h"

struct vs_dp_spoof {
	uint8_t mac_check;
	uint8_t ip_check;
	uint8_t mac[6];
	uint8_t n_ips;
	struct {
		uint8_t family;
		uint8_t addr[16];
	} ips[VS_PORT_IPS_MAX];
};

enum vs_spoof_verdict { VS_SPOOF_OK, VS_SPOOF_MAC, VS_SPOOF_IP };

static inline bool vs_spoof_ip_ok(const struct vs_dp_spoof *sp, uint8_t family,
				  const uint8_t *addr)
{
	static const uint8_t zero[16];
	unsigned int len = family == 4 ? 4 : 16;
	if (memcmp(addr, zero, len) == 0)
		return true;
	if (family == 6 && addr[0] == 0xfe && (addr[1] & 0xc0) == 0x80)
		return true;
	for (uint8_t i = 0; i < sp->n_ips; i++)
		if (sp->ips[i].family == family && memcmp(sp->ips[i].addr, addr, len) == 0)
			return true;
	return false;
}

static inline enum vs_spoof_verdict vs_spoof_check(const struct vs_dp_spoof *sp,
						   const uint8_t *frame, uint32_t len,
						   const struct vs_frame_info *fi)
{
	uint32_t l3 = VS_ETH_HLEN + (fi->tagged ? VS_VLAN_HLEN : 0);
	const uint8_t *p = frame + l3;
	uint32_t left = len > l3 ? len - l3 : 0;

	if (sp->mac_check && memcmp(frame + 6, sp->mac, 6) != 0)
		return VS_SPOOF_MAC;
	if (fi->ethertype == VS_ETHERTYPE_ARP && left >= 28) {
		if (sp->mac_check && memcmp(p + 8, sp->mac, 6) != 0)
			return VS_SPOOF_MAC;
		if (sp->ip_check && !vs_spoof_ip_ok(sp, 4, p + 14))
			return VS_SPOOF_IP;
		return VS_SPOOF_OK;
	}
	if (!sp->ip_check)
		return VS_SPOOF_OK;
	if (fi->ethertype == VS_ETHERTYPE_IPV4 && left >= 20)
		return vs_spoof_ip_ok(sp, 4, p + 12) ? VS_SPOOF_OK : VS_SPOOF_IP;
	if (fi->ethertype == VS_ETHERTYPE_IPV6 && left >= 40)
		return vs_spoof_ip_ok(sp, 6, p + 8) ? VS_SPOOF_OK : VS_SPOOF_IP;
	return VS_SPOOF_OK;
}

#endif
