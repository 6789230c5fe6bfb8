"""Shows vswd (already running on conf/vsw.json) carrying traffic between virtio-user "VMs".

Attaches one vsw_peer to the default topology's sockets: the uplink trunk (vswd serves it)
and vm1..vm4 (vswd is the vhost-user client, the peer listens, as QEMU does under KubeVirt),
then sends a few frames and prints where they arrived.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'integration'))
from peer import Peer, eth_frame, parse_eth  # noqa: E402
from vswlib import PEER  # noqa: E402

cfg = json.load(open(sys.argv[1]))
names = [p['name'] for p in cfg['ports']]
socks, server = [], []
for p in cfg['ports']:
    if p.get('type') == 'dpdk':
        socks.append(p['devargs'].split('iface=')[1].split(',')[0])
        server.append(False)
    else:
        socks.append(p['socket'])
        server.append(p.get('client', True))
peer = Peer(PEER, socks, server_flags=server, prefix='vswdemo')
try:
    time.sleep(1)
    idx = {n: i for i, n in enumerate(names)}
    steps = [
        ('vm1', eth_frame('ff:ff:ff:ff:ff:ff', '02:00:00:00:00:01', payload=b'ARP who-has')),
        ('vm2', eth_frame('02:00:00:00:00:01', '02:00:00:00:00:02', payload=b'ARP is-at')),
        ('uplink0', eth_frame('ff:ff:ff:ff:ff:ff', '02:00:00:00:00:99', vlan=2004,
                              payload=b'from the DC')),
        ('uplink0', eth_frame('ff:ff:ff:ff:ff:ff', '02:00:00:00:00:98', vlan=2010,
                              payload=b'not allowed')),
    ]
    for src, f in steps:
        peer.clear()
        peer.send(idx[src], f)
        time.sleep(0.3)
        dst, s, vlan, _, _ = parse_eth(f)
        got = []
        for n in names:
            for fr in peer.recv(idx[n]):
                v = parse_eth(fr)[2]
                got.append(f"{n}({'tag ' + str(v) if v is not None else 'untagged'})")
        tag = f' tag {vlan}' if vlan is not None else ''
        print(f"{src:8} {s} -> {dst}{tag:9}  arrived at: {', '.join(got) or 'nowhere (dropped)'}")
finally:
    peer.close()
