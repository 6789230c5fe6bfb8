#!/bin/bash
# Installs what vsw needs to build and test, from Debian 12 packages. Idempotent.
set -euo pipefail
PKGS=(build-essential meson ninja-build pkg-config dpdk dpdk-dev libdpdk-dev libjansson-dev
      libevent-dev libcunit1-dev libnuma-dev python3 iproute2 procps
      clang libclang-rt-14-dev    # libFuzzer targets (tests/fuzz)
      containernetworking-plugins   # the real IPAM plugins vsw-cni delegates to (test_cni)
      libcurl4-openssl-dev          # vsw-agent talks to the Kubernetes API
      python3-yaml                  # test_k8s_manifests reads conf/k8s
      prometheus)                   # test_metrics: a real Prometheus scrapes vswd; promtool
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
