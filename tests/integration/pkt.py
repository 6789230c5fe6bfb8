"""Frame builders and parsers for the integration tests: IPv4/IPv6 with TCP, UDP, SCTP, ICMP
echo, ICMPv6 neighbour discovery and ARP, with correct checksums. Stdlib only.

peer.eth_frame does the Ethernet part (802.1Q tag, zero padding to 60 bytes); this module builds
what goes inside it and parses it back, so a test can say what it sends and check what arrives:

    f = frame('02:00:00:00:00:02', '02:00:00:00:00:01', '10.0.0.10', '10.0.1.11', 'tcp',
              sport=40000, dport=80, flags='S', vlan=2003)
    p = parse(f)
    assert (p['dst'], p['dport'], p['tcp_flags']) == ('10.0.1.11', 80, 'S')

Conventions:
- addresses are strings ('10.0.0.1', 'fd00::1', '02:00:00:00:00:01'); the family of an IP
  address is told by ':' in it.
- every builder returns bytes; L4 builders compute their checksum when given the IP addresses
  (src/dst) and leave it 0 otherwise (SCTP's CRC32c needs no addresses, it is always set).
- parse() trims the Ethernet padding by the IP length fields, so what it reports as the L4
  payload is what was sent.
"""

import socket
import struct

from peer import eth_frame, mac, mac_str, parse_eth

ETH_IP4, ETH_IP6, ETH_ARP = 0x0800, 0x86DD, 0x0806
PROTO_ICMP, PROTO_TCP, PROTO_UDP, PROTO_ICMP6, PROTO_SCTP = 1, 6, 17, 58, 132
PROTO_NUM = {'icmp': PROTO_ICMP, 'tcp': PROTO_TCP, 'udp': PROTO_UDP, 'sctp': PROTO_SCTP,
             'icmp6': PROTO_ICMP6}
PROTO_NAME = {v: k for k, v in PROTO_NUM.items()}

# TCP flag letters, in the order parse() reports them (so SYN+ACK is 'SA', FIN+ACK 'FA').
TCP_FLAGS = (('F', 0x01), ('S', 0x02), ('R', 0x04), ('P', 0x08), ('A', 0x10), ('U', 0x20),
             ('E', 0x40), ('C', 0x80))

ND_NS, ND_NA = 135, 136
ICMP6_ECHO_REQUEST, ICMP6_ECHO_REPLY = 128, 129
ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY = 8, 0

# IPv6 extension headers parse() walks over to find the upper layer.
_IP6_EXT = {0, 43, 44, 60}


# ---------------------------------------------------------------------------- checksums

def csum(data):
    """Internet checksum (RFC 1071) of data: the 16-bit one's complement of the one's complement
    sum. A block that carries its own correct checksum sums to 0 here."""
    if len(data) % 2:
        data += b'\x00'
    s = sum(struct.unpack(f'!{len(data) // 2}H', data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def _ip_bytes(addr):
    return socket.inet_pton(socket.AF_INET6 if ':' in addr else socket.AF_INET, addr)


def _ip_str(b):
    return socket.inet_ntop(socket.AF_INET6 if len(b) == 16 else socket.AF_INET, b)


def pseudo_header(src, dst, proto, length):
    """The TCP/UDP/ICMPv6 checksum pseudo-header: RFC 793 for IPv4, RFC 8200 8.1 for IPv6."""
    s, d = _ip_bytes(src), _ip_bytes(dst)
    if len(s) != len(d):
        raise ValueError(f'mixed address families: {src} -> {dst}')
    if len(s) == 4:
        return s + d + struct.pack('!BBH', 0, proto, length)
    return s + d + struct.pack('!I3xB', length, proto)


def _l4_csum(seg, src, dst, proto):
    return csum(pseudo_header(src, dst, proto, len(seg)) + seg)


def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC32C = _crc32c_table()


def crc32c(data, crc=0):
    """CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as SCTP uses it (RFC 9260 App. A).
    crc32c(b'123456789') == 0xE3069283. crc carries a previous result to continue it."""
    c = crc ^ 0xFFFFFFFF
    for b in data:
        c = _CRC32C[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


# ---------------------------------------------------------------------------- L3

def ipv4(src, dst, proto, payload, ttl=64, ident=0, frag_off=0, tos=0):
    """IPv4 header (20 bytes, no options) + payload, with the header checksum.

    proto is a number or a name from PROTO_NUM. frag_off is the raw 16-bit field: flags
    (0x4000 DF, 0x2000 MF) and the offset in 8-byte units."""
    proto = PROTO_NUM.get(proto, proto)
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, tos, 20 + len(payload), ident & 0xFFFF,
                      frag_off & 0xFFFF, ttl, proto, 0,
                      socket.inet_pton(socket.AF_INET, src), socket.inet_pton(socket.AF_INET, dst))
    return hdr[:10] + struct.pack('!H', csum(hdr)) + hdr[12:] + bytes(payload)


def ipv6(src, dst, nh, payload, hlim=64, tclass=0, flow=0):
    """IPv6 header (40 bytes) + payload. nh (next header) is a number or a PROTO_NUM name."""
    nh = PROTO_NUM.get(nh, nh)
    return (struct.pack('!IHBB16s16s', 6 << 28 | (tclass & 0xFF) << 20 | (flow & 0xFFFFF),
                        len(payload), nh, hlim, socket.inet_pton(socket.AF_INET6, src),
                        socket.inet_pton(socket.AF_INET6, dst)) + bytes(payload))


def ip(src, dst, proto, payload, ttl=64, ident=0):
    """ipv4() or ipv6() by the family of src; ttl is the hop limit for IPv6."""
    if ':' in src:
        return ipv6(src, dst, proto, payload, hlim=ttl)
    return ipv4(src, dst, proto, payload, ttl=ttl, ident=ident)


# ---------------------------------------------------------------------------- L4

def tcp_flag_bits(flags):
    """'SA' -> 0x12. Letters from 'FSRPAU' (and 'E' ECE, 'C' CWR), any order; '' is no flag."""
    bits = 0
    table = dict(TCP_FLAGS)
    for ch in flags.upper():
        if ch not in table:
            raise ValueError(f'bad TCP flag {ch!r} in {flags!r} (use letters from FSRPAUEC)')
        bits |= table[ch]
    return bits


def tcp_flag_str(bits):
    """0x12 -> 'SA' (letters in FSRPAUEC order)."""
    return ''.join(ch for ch, bit in TCP_FLAGS if bits & bit)


def tcp(sport, dport, flags='S', seq=1, ack=0, payload=b'', src=None, dst=None, window=8192):
    """TCP segment (20-byte header, no options) + payload. The checksum covers the pseudo-header
    of src/dst (IPv4 or IPv6 by ':') when both are given, else it is 0."""
    hdr = struct.pack('!HHIIBBHHH', sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4,
                      tcp_flag_bits(flags), window, 0, 0)
    seg = hdr + bytes(payload)
    if src is not None and dst is not None:
        c = _l4_csum(seg, src, dst, PROTO_TCP)
        seg = seg[:16] + struct.pack('!H', c) + seg[18:]
    return seg


def udp(sport, dport, payload=b'', src=None, dst=None):
    """UDP datagram; checksum over the pseudo-header when src/dst are given, else 0 (which IPv4
    reads as "no checksum"; IPv6 requires one). A computed 0 is sent as 0xffff (RFC 768)."""
    seg = struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + bytes(payload)
    if src is not None and dst is not None:
        c = _l4_csum(seg, src, dst, PROTO_UDP) or 0xFFFF
        seg = seg[:6] + struct.pack('!H', c) + seg[8:]
    return seg


def sctp_init_chunk(init_tag=0x1234ABCD, a_rwnd=65536, out_streams=1, in_streams=1, tsn=1):
    """An SCTP INIT chunk (type 1) without optional parameters."""
    return struct.pack('!BBHIIHHI', 1, 0, 20, init_tag, a_rwnd, out_streams, in_streams, tsn)


def sctp(sport, dport, vtag=0, chunk=None):
    """SCTP common header + one chunk (an INIT by default; a packet carrying INIT must have
    verification tag 0). The CRC32c checksum is computed over the packet with the field zeroed
    and stored least significant byte first, as RFC 9260 Appendix A and Linux do."""
    if chunk is None:
        chunk = sctp_init_chunk()
    pkt = struct.pack('!HHII', sport, dport, vtag, 0) + bytes(chunk)
    return pkt[:8] + struct.pack('<I', crc32c(pkt)) + pkt[12:]


def sctp_checksum_ok(pkt):
    (got,) = struct.unpack('<I', pkt[8:12])
    return got == crc32c(pkt[:8] + b'\x00' * 4 + pkt[12:])


def icmp_echo(ident, seq, reply=False, v6=False, src=None, dst=None, payload=b''):
    """ICMP echo request/reply (type 8/0), or ICMPv6 (128/129) with v6=True. ICMPv6's checksum
    covers the pseudo-header, so v6 needs src and dst."""
    if v6:
        if src is None or dst is None:
            raise ValueError('ICMPv6 echo needs src and dst for its checksum')
        typ = ICMP6_ECHO_REPLY if reply else ICMP6_ECHO_REQUEST
    else:
        typ = ICMP_ECHO_REPLY if reply else ICMP_ECHO_REQUEST
    msg = struct.pack('!BBHHH', typ, 0, 0, ident & 0xFFFF, seq & 0xFFFF) + bytes(payload)
    c = _l4_csum(msg, src, dst, PROTO_ICMP6) if v6 else csum(msg)
    return msg[:2] + struct.pack('!H', c) + msg[4:]


def icmp6_nd(kind, target, src_mac, src=None, dst=None, flags=None):
    """ICMPv6 neighbour solicitation (kind 135 or 'ns') with a source link-layer address option,
    or advertisement (136 or 'na') with a target link-layer address option, both carrying
    src_mac. An NA's flags default to Solicited+Override (0x60000000; 0x80000000 is Router).
    The checksum is computed when src and dst (the IPv6 addresses it goes between) are given,
    else left 0. Send it with hop limit 255 (see nd_frame)."""
    kind = {'ns': ND_NS, 'na': ND_NA}.get(kind, kind)
    if kind not in (ND_NS, ND_NA):
        raise ValueError(f'bad ND kind {kind!r}: 135/ns or 136/na')
    if flags is None:
        flags = 0x60000000 if kind == ND_NA else 0
    opt = struct.pack('!BB6s', 1 if kind == ND_NS else 2, 1, mac(src_mac))
    msg = (struct.pack('!BBHI16s', kind, 0, 0, flags, socket.inet_pton(socket.AF_INET6, target))
           + opt)
    if src is not None and dst is not None:
        msg = msg[:2] + struct.pack('!H', _l4_csum(msg, src, dst, PROTO_ICMP6)) + msg[4:]
    return msg


def solicited_node(addr):
    """ff02::1:ffXX:XXXX, the solicited-node multicast address of an IPv6 address."""
    b = socket.inet_pton(socket.AF_INET6, addr)
    return _ip_str(bytes.fromhex('ff02' + '00' * 8 + '0001ff') + b[13:])


def ip6_mcast_mac(addr):
    """33:33:xx:xx:xx:xx, the Ethernet address of an IPv6 multicast address (RFC 2464)."""
    return mac_str(b'\x33\x33' + socket.inet_pton(socket.AF_INET6, addr)[12:])


def arp(op, sha, spa, tha, tpa):
    """ARP payload for Ethernet/IPv4 (send with ethertype 0x0806); op 1/'request' or
    2/'reply'. sha/tha MACs, spa/tpa dotted IPv4 strings."""
    op = {'request': 1, 'reply': 2}.get(op, op)
    return struct.pack('!HHBBH6s4s6s4s', 1, ETH_IP4, 6, 4, op, mac(sha),
                       socket.inet_pton(socket.AF_INET, spa), mac(tha),
                       socket.inet_pton(socket.AF_INET, tpa))


# ---------------------------------------------------------------------------- whole frames

def frame(dst_mac, src_mac, src_ip, dst_ip, proto, sport=0, dport=0, flags='S', vlan=None,
          ident=1, reply=False, payload=b'', ttl=64, size=None):
    """A whole Ethernet frame (via peer.eth_frame) carrying IPv4 or IPv6 (by the address family)
    and proto 'tcp', 'udp', 'sctp' or 'icmp' (ICMPv6 echo for IPv6 addresses).

    tcp: flags/payload as tcp(). udp: payload. sctp: payload, if given, is the raw chunk (an
    INIT otherwise). icmp: sport is the echo identifier, dport the sequence number, reply=True
    an echo reply, payload the echo data. ident is the IPv4 identification field. vlan adds an
    802.1Q tag; size pads the frame as eth_frame does."""
    v6 = ':' in src_ip
    if proto == 'tcp':
        l4 = tcp(sport, dport, flags=flags, payload=payload, src=src_ip, dst=dst_ip)
        num = PROTO_TCP
    elif proto == 'udp':
        l4, num = udp(sport, dport, payload, src=src_ip, dst=dst_ip), PROTO_UDP
    elif proto == 'sctp':
        l4, num = sctp(sport, dport, chunk=payload or None), PROTO_SCTP
    elif proto == 'icmp':
        l4 = icmp_echo(sport, dport, reply=reply, v6=v6, src=src_ip, dst=dst_ip, payload=payload)
        num = PROTO_ICMP6 if v6 else PROTO_ICMP
    else:
        raise ValueError(f"bad proto {proto!r}: 'tcp', 'udp', 'sctp' or 'icmp'")
    if v6:
        l3, ethertype = ipv6(src_ip, dst_ip, num, l4, hlim=ttl), ETH_IP6
    else:
        l3, ethertype = ipv4(src_ip, dst_ip, num, l4, ttl=ttl, ident=ident), ETH_IP4
    return eth_frame(dst_mac, src_mac, vlan=vlan, ethertype=ethertype, payload=l3, size=size)


def arp_frame(op, sha, spa, tpa, tha='00:00:00:00:00:00', dst_mac=None, vlan=None):
    """An ARP request (broadcast by default) or reply (to tha by default) in a frame."""
    op = {'request': 1, 'reply': 2}.get(op, op)
    if dst_mac is None:
        dst_mac = 'ff:ff:ff:ff:ff:ff' if op == 1 else tha
    return eth_frame(dst_mac, sha, vlan=vlan, ethertype=ETH_ARP,
                     payload=arp(op, sha, spa, tha, tpa))


def nd_frame(kind, src_mac, src_ip, target, dst_mac=None, dst_ip=None, vlan=None):
    """A neighbour solicitation (to target's solicited-node group by default) or advertisement
    (to ff02::1 by default) in a frame, hop limit 255, checksummed."""
    kind = {'ns': ND_NS, 'na': ND_NA}.get(kind, kind)
    if dst_ip is None:
        dst_ip = solicited_node(target) if kind == ND_NS else 'ff02::1'
    if dst_mac is None:
        dst_mac = ip6_mcast_mac(dst_ip)
    msg = icmp6_nd(kind, target, src_mac, src=src_ip, dst=dst_ip)
    return eth_frame(dst_mac, src_mac, vlan=vlan, ethertype=ETH_IP6,
                     payload=ipv6(src_ip, dst_ip, PROTO_ICMP6, msg, hlim=255))


# ---------------------------------------------------------------------------- parsing

_IP_KEYS = ('family', 'src', 'dst', 'proto', 'ttl', 'fragment', 'sport', 'dport', 'tcp_flags',
            'tcp_seq', 'tcp_ack', 'sctp_vtag', 'icmp_type', 'icmp_code', 'icmp_id', 'icmp_seq',
            'nd_target', 'l4', 'payload')
_ARP_KEYS = ('arp_op', 'arp_sha', 'arp_spa', 'arp_tha', 'arp_tpa')


def parse(f):
    """Ethernet frame -> dict. Always: dst_mac, src_mac, vlan (VID or None), ethertype.

    IPv4/IPv6 frames add (None where it does not apply): family (4/6), src, dst, proto ('tcp',
    'udp', 'sctp', 'icmp', 'icmp6' or the number), ttl (hop limit for IPv6), fragment (True
    for a fragment other than the first one: no L4 fields then), sport, dport, tcp_flags ('SA'),
    tcp_seq, tcp_ack, sctp_vtag, icmp_type, icmp_code, icmp_id, icmp_seq (echo only),
    nd_target (NS/NA), l4 (the L4 bytes, header included) and payload (what follows the L4
    header). ARP frames add arp_op, arp_sha, arp_spa, arp_tha, arp_tpa. The Ethernet padding is
    cut off by the IP length fields. ValueError on a truncated IP packet."""
    dst, src, vlan, ethertype, body = parse_eth(f)
    d = {'dst_mac': dst, 'src_mac': src, 'vlan': vlan, 'ethertype': ethertype}
    if ethertype == ETH_ARP:
        d.update(dict.fromkeys(_ARP_KEYS))
        if len(body) >= 28:
            op, sha, spa, tha, tpa = struct.unpack('!6xH6s4s6s4s', body[:28])
            d.update(arp_op=op, arp_sha=mac_str(sha), arp_spa=_ip_str(spa),
                     arp_tha=mac_str(tha), arp_tpa=_ip_str(tpa))
        return d
    if ethertype not in (ETH_IP4, ETH_IP6):
        return d
    d.update(dict.fromkeys(_IP_KEYS))
    if ethertype == ETH_IP4:
        if len(body) < 20 or body[0] >> 4 != 4:
            raise ValueError('not an IPv4 header')
        ihl = (body[0] & 0x0F) * 4
        (total, frag, ttl, proto) = struct.unpack('!H2xHBB', body[2:10])
        if total < ihl or total > len(body):
            raise ValueError(f'IPv4 total length {total}, {len(body)} bytes there')
        d.update(family=4, src=_ip_str(body[12:16]), dst=_ip_str(body[16:20]), ttl=ttl,
                 fragment=(frag & 0x1FFF) != 0)
        l4 = body[ihl:total]
    else:
        if len(body) < 40 or body[0] >> 4 != 6:
            raise ValueError('not an IPv6 header')
        plen, proto, hlim = struct.unpack('!HBB', body[4:8])
        if 40 + plen > len(body):
            raise ValueError(f'IPv6 payload length {plen}, {len(body) - 40} bytes there')
        d.update(family=6, src=_ip_str(body[8:24]), dst=_ip_str(body[24:40]), ttl=hlim,
                 fragment=False)
        l4 = body[40:40 + plen]
        while proto in _IP6_EXT and len(l4) >= 8:
            nxt = l4[0]
            if proto == 44:  # fragment header: 8 bytes, offset in the top 13 bits of 2..3
                (offm,) = struct.unpack('!H', l4[2:4])
                d['fragment'] = (offm >> 3) != 0
                hlen = 8
            else:
                hlen = (l4[1] + 1) * 8
            proto, l4 = nxt, l4[hlen:]
    d['proto'] = PROTO_NAME.get(proto, proto)
    d['l4'] = l4
    if d['fragment']:
        return d
    if proto in (PROTO_TCP, PROTO_UDP, PROTO_SCTP) and len(l4) >= 4:
        d['sport'], d['dport'] = struct.unpack('!HH', l4[:4])
    if proto == PROTO_TCP and len(l4) >= 20:
        d['tcp_seq'], d['tcp_ack'], off, bits = struct.unpack('!IIBB', l4[4:14])
        d['tcp_flags'] = tcp_flag_str(bits)
        d['payload'] = l4[(off >> 4) * 4:]
    elif proto == PROTO_UDP and len(l4) >= 8:
        d['payload'] = l4[8:]
    elif proto == PROTO_SCTP and len(l4) >= 12:
        (d['sctp_vtag'],) = struct.unpack('!I', l4[4:8])
        d['payload'] = l4[12:]
    elif proto in (PROTO_ICMP, PROTO_ICMP6) and len(l4) >= 4:
        d['icmp_type'], d['icmp_code'] = l4[0], l4[1]
        echo = (ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY) if proto == PROTO_ICMP else \
            (ICMP6_ECHO_REQUEST, ICMP6_ECHO_REPLY)
        if l4[0] in echo and len(l4) >= 8:
            d['icmp_id'], d['icmp_seq'] = struct.unpack('!HH', l4[4:8])
            d['payload'] = l4[8:]
        elif proto == PROTO_ICMP6 and l4[0] in (ND_NS, ND_NA) and len(l4) >= 24:
            d['nd_target'] = _ip_str(l4[8:24])
            d['payload'] = l4[24:]
    return d


def checksums_ok(f):
    """True if the IPv4 header checksum and the TCP/UDP/SCTP/ICMP/ICMPv6 checksum of an IP
    frame are right (a UDP checksum of 0 over IPv4 counts as right: "none"). Not for
    fragments."""
    p = parse(f)
    if p.get('family') is None:
        raise ValueError('not an IP frame')
    body = parse_eth(f)[4]
    if p['family'] == 4 and csum(body[:(body[0] & 0x0F) * 4]) != 0:
        return False
    l4, proto = p['l4'], p['proto']
    if proto == 'sctp':
        return sctp_checksum_ok(l4)
    if proto == 'icmp':
        return csum(l4) == 0
    if proto == 'udp' and p['family'] == 4 and l4[6:8] == b'\x00\x00':
        return True
    if proto in ('tcp', 'udp', 'icmp6'):
        return _l4_csum(l4, p['src'], p['dst'], PROTO_NUM[proto]) == 0
    return True


# ---------------------------------------------------------------------------- self-test

def _selftest():
    m1, m2 = '02:00:00:00:00:01', '02:00:00:00:00:02'

    # checksum vectors
    assert crc32c(b'123456789') == 0xE3069283
    assert crc32c(bytes(32)) == 0x8A9136AA  # RFC 3720 B.4, 32 bytes of zeros
    assert crc32c(b'\xff' * 32) == 0x62A8AB43  # RFC 3720 B.4, 32 bytes of 0xff
    assert crc32c(b'56789', crc32c(b'1234')) == 0xE3069283  # continuation
    # the textbook IPv4 header (Wikipedia "IPv4 header checksum"): checksum 0xb861
    h = ipv4('192.168.0.1', '192.168.0.199', 17, bytes(0x73 - 20), ident=0, frag_off=0x4000)
    assert h[:20] == bytes.fromhex('450000730000400040 11b861c0a80001c0a800c7'.replace(' ', '')), \
        h[:20].hex()
    assert csum(h[:20]) == 0  # i.e. the header's one's complement sum is 0xffff
    # RFC 1071's example: the one's complement sum of 0001 f203 f4f5 f6f7 is 0xddf2
    assert csum(bytes.fromhex('0001f203f4f5f6f7')) == ~0xDDF2 & 0xFFFF
    assert tcp_flag_bits('SA') == 0x12 and tcp_flag_str(0x12) == 'SA'
    assert tcp_flag_str(tcp_flag_bits('AF')) == 'FA' and tcp_flag_bits('') == 0
    assert solicited_node('fd00::1:a') == 'ff02::1:ff01:a'
    assert ip6_mcast_mac('ff02::1:ff01:a') == '33:33:ff:01:00:0a'

    hosts = {4: ('10.0.0.10', '10.0.1.11'), 6: ('fd00::a', 'fd00::1:b')}
    for fam, (a, b) in hosts.items():
        for vlan in (None, 2003):
            for proto, sport, dport, flags in (('tcp', 40000, 80, 'S'), ('tcp', 80, 40000, 'SA'),
                                               ('tcp', 40000, 81, 'FA'), ('tcp', 1, 2, 'R'),
                                               ('udp', 40001, 81, ''), ('sctp', 40002, 80, ''),
                                               ('icmp', 0x1234, 7, '')):
                for reply in ((False, True) if proto == 'icmp' else (False,)):
                    data = b'hello' if proto in ('tcp', 'udp', 'icmp') else b''
                    f = frame(m2, m1, a, b, proto, sport=sport, dport=dport, flags=flags,
                              vlan=vlan, ident=77, reply=reply, payload=data)
                    what = f'{fam} {vlan} {proto} {flags} {reply}'
                    assert len(f) >= 60, what
                    p = parse(f)
                    assert (p['dst_mac'], p['src_mac'], p['vlan']) == (m2, m1, vlan), what
                    assert p['ethertype'] == (ETH_IP4 if fam == 4 else ETH_IP6), what
                    assert (p['family'], p['src'], p['dst'], p['ttl']) == (fam, a, b, 64), what
                    assert checksums_ok(f), what
                    if proto == 'icmp':
                        want = {(4, False): 8, (4, True): 0, (6, False): 128, (6, True): 129}
                        assert p['proto'] == ('icmp' if fam == 4 else 'icmp6'), what
                        assert p['icmp_type'] == want[(fam, reply)], what
                        assert (p['icmp_id'], p['icmp_seq']) == (sport, dport), what
                        assert p['sport'] is None and p['tcp_flags'] is None, what
                    else:
                        assert p['proto'] == proto, what
                        assert (p['sport'], p['dport']) == (sport, dport), what
                        assert p['icmp_type'] is None and p['icmp_id'] is None, what
                    assert p['tcp_flags'] == (flags if proto == 'tcp' else None), what
                    assert p['payload'] == data or proto == 'sctp', what
                    if proto == 'sctp':
                        assert p['sctp_vtag'] == 0 and p['payload'][0] == 1, what  # INIT
                    # a corrupted byte in the L4 header is caught
                    bad = bytearray(f)
                    bad[(14 if vlan is None else 18) + (20 if fam == 4 else 40) + 1] ^= 0x40
                    assert not checksums_ok(bytes(bad)), what

    # padding: a 60-byte frame carrying a 20+8 byte IPv4/UDP packet parses to the packet only
    f = frame(m2, m1, '10.0.0.1', '10.0.0.2', 'udp', sport=1, dport=2)
    assert len(f) == 60 and parse(f)['payload'] == b'' and len(parse(f)['l4']) == 8
    # a big one, padded to a size
    f = frame(m2, m1, 'fd00::1', 'fd00::2', 'udp', 5, 6, payload=b'x' * 1000, size=1200)
    assert len(f) == 1200 and parse(f)['payload'] == b'x' * 1000 and checksums_ok(f)

    # pieces used on their own
    seg = tcp(1000, 80, flags='PA', seq=5, ack=9, payload=b'data', src='10.1.1.1', dst='10.1.1.2')
    assert _l4_csum(seg, '10.1.1.1', '10.1.1.2', PROTO_TCP) == 0
    assert tcp(1000, 80)[16:18] == b'\x00\x00'  # no addresses, no checksum
    p = parse(eth_frame(m2, m1, ethertype=ETH_IP4, payload=ipv4('10.1.1.1', '10.1.1.2', 'tcp', seg)))
    assert (p['tcp_flags'], p['tcp_seq'], p['tcp_ack'], p['payload']) == ('PA', 5, 9, b'data')
    u = udp(53, 53, b'q', src='fd00::1', dst='fd00::2')
    assert _l4_csum(u, 'fd00::1', 'fd00::2', PROTO_UDP) == 0 and u[6:8] != b'\x00\x00'
    s = sctp(5000, 80, vtag=0xABCD, chunk=sctp_init_chunk(init_tag=7))
    assert sctp_checksum_ok(s) and len(s) == 32
    assert not sctp_checksum_ok(s[:-1] + b'\x02')
    try:
        icmp_echo(1, 1, v6=True)
        raise AssertionError('ICMPv6 without addresses accepted')
    except ValueError:
        pass

    # IPv4 fragments: the first one parses L4, later ones do not
    seg = udp(7, 8, b'x' * 16, src='10.0.0.1', dst='10.0.0.2')
    first = parse(eth_frame(m2, m1, ethertype=ETH_IP4, payload=ipv4('10.0.0.1', '10.0.0.2', 17, seg[:16],
                                                  frag_off=0x2000)))
    assert not first['fragment'] and first['dport'] == 8
    later = parse(eth_frame(m2, m1, ethertype=ETH_IP4, payload=ipv4('10.0.0.1', '10.0.0.2', 17, seg[16:],
                                                  frag_off=2)))
    assert later['fragment'] and later['dport'] is None and later['proto'] == 'udp'
    # IPv6 with a hop-by-hop header (PadN) in front of TCP
    seg = tcp(1, 2, 'S', src='fd00::1', dst='fd00::2')
    hbh = bytes([PROTO_TCP, 0, 1, 4, 0, 0, 0, 0])
    p = parse(eth_frame(m2, m1, ethertype=ETH_IP6,
                        payload=ipv6('fd00::1', 'fd00::2', 0, hbh + seg)))
    assert p['proto'] == 'tcp' and p['dport'] == 2 and p['tcp_flags'] == 'S'

    # ARP
    f = arp_frame('request', m1, '10.0.0.1', '10.0.0.2', vlan=5)
    p = parse(f)
    assert p['dst_mac'] == 'ff:ff:ff:ff:ff:ff' and p['vlan'] == 5 and p['ethertype'] == ETH_ARP
    assert (p['arp_op'], p['arp_sha'], p['arp_spa'], p['arp_tpa']) == (1, m1, '10.0.0.1',
                                                                       '10.0.0.2')
    assert 'family' not in p
    p = parse(arp_frame('reply', m2, '10.0.0.2', '10.0.0.1', tha=m1))
    assert (p['dst_mac'], p['arp_op'], p['arp_tha']) == (m1, 2, m1)
    assert len(arp(1, m1, '1.2.3.4', m2, '5.6.7.8')) == 28

    # neighbour discovery
    f = nd_frame('ns', m1, 'fd00::a', 'fd00::1:b')
    p = parse(f)
    assert p['dst'] == 'ff02::1:ff01:b' and p['dst_mac'] == '33:33:ff:01:00:0b'
    assert (p['proto'], p['icmp_type'], p['nd_target'], p['ttl']) == ('icmp6', 135,
                                                                       'fd00::1:b', 255)
    assert p['payload'] == bytes([1, 1]) + mac(m1) and checksums_ok(f)
    f = nd_frame('na', m2, 'fd00::1:b', 'fd00::1:b', dst_mac=m1, dst_ip='fd00::a')
    p = parse(f)
    assert (p['icmp_type'], p['nd_target'], p['dst']) == (136, 'fd00::1:b', 'fd00::a')
    assert p['payload'] == bytes([2, 1]) + mac(m2) and checksums_ok(f)
    assert p['l4'][4:8] == b'\x60\x00\x00\x00'
    assert icmp6_nd(135, 'fd00::1', m1)[2:4] == b'\x00\x00'  # no addresses, no checksum

    # not IP, not ARP: only the Ethernet keys
    p = parse(eth_frame(m2, m1, ethertype=0x88B5, payload=b'x'))
    assert set(p) == {'dst_mac', 'src_mac', 'vlan', 'ethertype'}
    print('pkt.py self-test ok')


if __name__ == '__main__':
    _selftest()
