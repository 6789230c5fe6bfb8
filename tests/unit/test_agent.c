/* SPDX-License-Identifier: BSD-3-Clause */
/* vsw-agent's pure part (control/agent/informer.c, desired.c, kube_config.c, and the
 * fail-closed stand-in of reconcile.c is checked in the integration test): what a list body
 * or a watch line means, what vswd should hold, where the API is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control/agent/desired.h"
#include "control/agent/informer.h"
#include "control/agent/kube_config.h"
#include "suites.h"

/* Feeds text with ' for " to f. */
static char *dq(const char *text)
{
	char *s = strdup(text);
	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

static enum vs_informer_ev event(struct vs_informer *inf, const char *text)
{
	char err[512], *s = dq(text);
	enum vs_informer_ev r = vs_informer_event(inf, s, strlen(s), err, sizeof(err));
	free(s);
	return r;
}

static int list(struct vs_informer *inf, const char *text)
{
	char err[512], *s = dq(text);
	int rc = vs_informer_list(inf, s, strlen(s), err, sizeof(err));
	free(s);
	return rc;
}

static void test_informer(void)
{
	struct vs_informer inf;
	vs_informer_init(&inf, "pods", "/api/v1/pods");
	CU_ASSERT_FALSE(inf.synced);
	CU_ASSERT_EQUAL(list(&inf, "{'kind':'PodList','apiVersion':'v1','metadata':{'resourceVersion':'10'},"
			   "'items':[{'metadata':{'name':'a','namespace':'x'}},"
			   "{'metadata':{'name':'b','namespace':'x'}},{'metadata':{}}]}"), 0);
	CU_ASSERT_TRUE(inf.synced);
	CU_ASSERT_STRING_EQUAL(inf.rv, "10");
	CU_ASSERT_EQUAL(json_object_size(inf.objects), 2);
	/* items of a built-in kind are given the List's kind and apiVersion */
	json_t *a = json_object_get(inf.objects, "x/a");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(a, "kind")), "Pod");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(a, "apiVersion")), "v1");

	CU_ASSERT_EQUAL(event(&inf, "{'type':'ADDED','object':{'metadata':{'name':'c','namespace':'y',"
			    "'resourceVersion':'11'}}}"), VS_INF_CHANGED);
	CU_ASSERT_EQUAL(event(&inf, "{'type':'MODIFIED','object':{'metadata':{'name':'a','namespace':'x',"
			    "'resourceVersion':'12','labels':{'app':'web'}}}}"), VS_INF_CHANGED);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(json_object_get(
		json_object_get(inf.objects, "x/a"), "metadata"), "labels"), "app")), "web");
	CU_ASSERT_EQUAL(event(&inf, "{'type':'DELETED','object':{'metadata':{'name':'b','namespace':'x',"
			    "'resourceVersion':'13'}}}"), VS_INF_CHANGED);
	CU_ASSERT_EQUAL(event(&inf, "{'type':'DELETED','object':{'metadata':{'name':'b','namespace':'x',"
			    "'resourceVersion':'14'}}}"), VS_INF_QUIET);
	CU_ASSERT_EQUAL(event(&inf, "{'type':'BOOKMARK','object':{'kind':'Pod','metadata':"
			    "{'resourceVersion':'20'}}}"), VS_INF_QUIET);
	CU_ASSERT_STRING_EQUAL(inf.rv, "20");
	CU_ASSERT_EQUAL(inf.bookmarks, 1);
	CU_ASSERT_EQUAL(json_object_size(inf.objects), 2);	/* x/a, y/c */

	/* what is not an event changes nothing */
	CU_ASSERT_EQUAL(event(&inf, "not json"), VS_INF_BAD);
	CU_ASSERT_EQUAL(event(&inf, "{'type':'ADDED'}"), VS_INF_BAD);
	CU_ASSERT_EQUAL(event(&inf, "{'type':'ADDED','object':{'metadata':{'name':'d'}}}"), VS_INF_BAD);
	CU_ASSERT_EQUAL(event(&inf, "{'type':'SHRUG','object':{'metadata':{'name':'d',"
			    "'resourceVersion':'21'}}}"), VS_INF_BAD);
	CU_ASSERT_EQUAL(event(&inf, "{'type':'ERROR','object':{'kind':'Status','code':500}}"), VS_INF_ERROR);
	CU_ASSERT_EQUAL(json_object_size(inf.objects), 2);
	/* 410: list again */
	CU_ASSERT_EQUAL(event(&inf, "{'type':'ERROR','object':{'kind':'Status','code':410,"
			    "'reason':'Expired','message':'too old resource version'}}"), VS_INF_EXPIRED);
	CU_ASSERT_EQUAL(inf.expired, 1);
	/* a bad list leaves the objects as they were */
	CU_ASSERT_EQUAL(list(&inf, "{'items':[]}"), -1);
	CU_ASSERT_EQUAL(list(&inf, "{'metadata':{'resourceVersion':'30'}}"), -1);
	CU_ASSERT_EQUAL(json_object_size(inf.objects), 2);
	/* a relist replaces them: what was deleted meanwhile is gone */
	CU_ASSERT_EQUAL(list(&inf, "{'kind':'PodList','metadata':{'resourceVersion':'40'},"
			   "'items':[{'metadata':{'name':'c','namespace':'y'}}]}"), 0);
	CU_ASSERT_EQUAL(json_object_size(inf.objects), 1);
	CU_ASSERT_PTR_NULL(json_object_get(inf.objects, "x/a"));
	vs_informer_free(&inf);
}

static json_t *objects(const char *text)
{
	return vs_test_json(text);
}

static void test_nad_vlan(void)
{
	static const struct {
		const char *config;	/* the NAD's spec.config, a JSON string */
		int vlan;
	} cases[] = {
		{ "{\"type\":\"vsw\",\"vlan\":2003}", 2003 },
		{ "{\"plugins\":[{\"type\":\"tuning\"},{\"type\":\"vsw\",\"vlan\":7}]}", 7 },
		{ "{\"type\":\"bridge\",\"vlan\":2003}", -1 },
		{ "{\"type\":\"vsw\",\"vlan\":5000}", -1 },
		{ "{\"type\":\"vsw\",\"trunk\":\"1-5\"}", -1 },
		{ "not json", -1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *nad = json_pack("{s:{s:s}}", "spec", "config", cases[i].config);
		CU_ASSERT_EQUAL(vs_nad_vlan(nad), cases[i].vlan);
		json_decref(nad);
	}
	json_t *none = vs_test_json("{'spec':{}}");
	CU_ASSERT_EQUAL(vs_nad_vlan(none), -1);
	json_decref(none);
}

static void test_desired(void)
{
	json_t *nads = json_object(), *nss, *pods, *mnps;
	json_t *nad = json_pack("{s:{s:s}}", "spec", "config", "{\"type\":\"vsw\",\"vlan\":2003}");
	json_object_set_new(nads, "x/net-vlan2003", nad);
	nss = objects("{'x':{'metadata':{'name':'x','labels':{'team':'blue',"
		      "'kubernetes.io/metadata.name':'x'}}},'y':{'metadata':{'name':'y'}}}");
	/* network-status is a JSON string inside the annotation */
	json_t *st = json_pack("[{s:s, s:s}, {s:s, s:s, s:{s:s, s:{s:s, s:s}}}]", "name",
			       "default", "interface", "eth0", "name", "x/net-vlan2003", "interface",
			       "net1", "device-info", "type", "vhost-user", "vhost-user", "mode",
			       "server", "path", "/run/vsw/pods/u1/net1.sock");
	char *sts = json_dumps(st, JSON_COMPACT);
	pods = json_object();
	json_object_set_new(pods, "x/a", json_pack("{s:{s:s, s:s, s:{s:s}, s:{s:s}}, s:{s:s}}",
						   "metadata", "name", "a", "namespace", "x", "labels",
						   "app", "web", "annotations",
						   "k8s.v1.cni.cncf.io/network-status", sts, "spec",
						   "nodeName", "n1"));
	/* the same socket named by a pod of another node, and by a finished pod: ignored */
	json_object_set_new(pods, "x/b", json_pack("{s:{s:s, s:s, s:{s:s}}, s:{s:s}}", "metadata",
						   "name", "b", "namespace", "x", "annotations",
						   "k8s.v1.cni.cncf.io/network-status", sts, "spec",
						   "nodeName", "n2"));
	json_object_set_new(pods, "x/c", json_pack("{s:{s:s, s:s, s:{s:s}}, s:{s:s}, s:{s:s}}",
						   "metadata", "name", "c", "namespace", "x",
						   "annotations", "k8s.v1.cni.cncf.io/network-status",
						   sts, "spec", "nodeName", "n1", "status", "phase",
						   "Succeeded"));
	free(sts);
	json_decref(st);
	mnps = objects("{'x/p':{'apiVersion':'k8s.cni.cncf.io/v1beta1','kind':'MultiNetworkPolicy',"
		       "'metadata':{'name':'p','namespace':'x','resourceVersion':'5','managedFields':[],"
		       "'annotations':{'k8s.v1.cni.cncf.io/policy-for':'net-vlan2003','other':'1'}},"
		       "'spec':{'podSelector':{}},'status':{}},"
		       "'x/q':{'kind':'MultiNetworkPolicy','metadata':{'name':'q','namespace':'x'}}}");
	json_t *anps = objects("{'a':{'apiVersion':'policy.networking.k8s.io/v1alpha1','kind':"
			       "'AdminNetworkPolicy','metadata':{'name':'a'},'spec':{'priority':1}}}");
	const json_t *maps[] = { mnps, anps };
	struct vs_desired d;
	vs_desired_build(&d, nads, nss, pods, maps, 2, "n1");

	CU_ASSERT_EQUAL(json_integer_value(json_object_get(d.networks, "x/net-vlan2003")), 2003);
	CU_ASSERT_PTR_NULL(json_object_get(json_object_get(d.namespaces, "x"),
					   "kubernetes.io/metadata.name"));
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(d.namespaces, "x"),
								 "team")), "blue");
	CU_ASSERT_EQUAL(json_object_size(d.namespaces), 2);
	CU_ASSERT_EQUAL(json_object_size(d.ports), 1);
	json_t *port = json_object_get(d.ports, "/run/vsw/pods/u1/net1.sock");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(port, "pod")), "x/a");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(port, "labels"),
								 "app")), "web");
	/* policies: the one without a spec is left out; what vswd takes, nothing else */
	CU_ASSERT_EQUAL(json_object_size(d.policies), 2);
	json_t *p = json_object_get(d.policies, "MultiNetworkPolicy/x/p");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	json_t *want = objects("{'apiVersion':'k8s.cni.cncf.io/v1beta1','kind':'MultiNetworkPolicy',"
			       "'metadata':{'name':'p','namespace':'x','annotations':"
			       "{'k8s.v1.cni.cncf.io/policy-for':'net-vlan2003'}},'spec':{'podSelector':{}}}");
	CU_ASSERT_TRUE(json_equal(p, want));
	CU_ASSERT_PTR_NOT_NULL(json_object_get(d.policies, "AdminNetworkPolicy//a"));
	json_decref(want);
	vs_desired_free(&d);
	json_decref(nads);
	json_decref(nss);
	json_decref(pods);
	json_decref(mnps);
	json_decref(anps);
}

static int kubeconfig(const char *text, struct vs_kube_api *a)
{
	char path[] = "/tmp/vsw-kubeconfig-XXXXXX", err[512];
	int fd = mkstemp(path);
	char *s = dq(text);
	CU_ASSERT_FATAL(fd >= 0 && write(fd, s, strlen(s)) == (ssize_t)strlen(s));
	close(fd);
	free(s);
	int rc = vs_kube_kubeconfig(a, path, err, sizeof(err));
	unlink(path);
	return rc;
}

#define KC(cluster, user)                                                                     \
	"{'current-context':'c','contexts':[{'name':'c','context':{'cluster':'k','user':'u'}}],"  \
	"'clusters':[{'name':'k','cluster':{" cluster "}}],'users':[{'name':'u','user':{" user "}}]}"

static void test_kubeconfig(void)
{
	struct vs_kube_api a;
	char tok[64], err[256];
	/* "-----BEGIN" in base64 */
	CU_ASSERT_EQUAL(kubeconfig(KC("'server':'https://10.0.0.1:6443/','certificate-authority-data':"
				      "'LS0tLS1CRUdJTg=='", "'token':'abc'"), &a), 0);
	CU_ASSERT_STRING_EQUAL(a.server, "https://10.0.0.1:6443");
	CU_ASSERT_EQUAL(a.ca_pem_len, 10);
	CU_ASSERT_EQUAL(memcmp(a.ca_pem, "-----BEGIN", 10), 0);
	CU_ASSERT_EQUAL(vs_kube_token(&a, tok, sizeof(tok), err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(tok, "abc");
	vs_kube_api_free(&a);
	CU_ASSERT_EQUAL(kubeconfig(KC("'server':'https://h','certificate-authority':'/ca.crt'",
				      "'tokenFile':'/nonexistent/token'"), &a), 0);
	CU_ASSERT_STRING_EQUAL(a.ca_file, "/ca.crt");
	CU_ASSERT_EQUAL(vs_kube_token(&a, tok, sizeof(tok), err, sizeof(err)), -1);
	vs_kube_api_free(&a);
	/* relative paths are the kubeconfig's directory's (it is written in /tmp) */
	CU_ASSERT_EQUAL(kubeconfig(KC("'server':'https://h','certificate-authority':'pki/ca.crt'",
				      "'tokenFile':'token'"), &a), 0);
	CU_ASSERT_STRING_EQUAL(a.ca_file, "/tmp/pki/ca.crt");
	CU_ASSERT_STRING_EQUAL(a.token_file, "/tmp/token");
	vs_kube_api_free(&a);
	/* refused: TLS without verification, client certificates, exec, bad base64, no context */
	CU_ASSERT_EQUAL(kubeconfig(KC("'server':'https://h','insecure-skip-tls-verify':true", ""), &a), -1);
	CU_ASSERT_EQUAL(kubeconfig(KC("'server':'https://h'", "'client-certificate-data':'eA=='"), &a), -1);
	CU_ASSERT_EQUAL(kubeconfig(KC("'server':'https://h'", "'exec':{}"), &a), -1);
	CU_ASSERT_EQUAL(kubeconfig(KC("'server':'https://h','certificate-authority-data':'**'", ""), &a), -1);
	CU_ASSERT_EQUAL(kubeconfig("{'current-context':'none','contexts':[],'clusters':[]}", &a), -1);
	CU_ASSERT_EQUAL(kubeconfig("apiVersion: v1\nkind: Config\n", &a), -1);
	/* a token in clear text goes to this host only */
	CU_ASSERT_EQUAL(kubeconfig(KC("'server':'http://10.0.0.1:8080'", "'token':'t'"), &a), -1);
	CU_ASSERT_EQUAL(kubeconfig(KC("'server':'http://127.0.0.1.evil:8080'", "'token':'t'"), &a), -1);
	CU_ASSERT_EQUAL(kubeconfig(KC("'server':'http://127.0.0.1:8080','insecure-skip-tls-verify':true",
				      "'token':'t'"), &a), 0);
	vs_kube_api_free(&a);
}

static void test_incluster(void)
{
	struct vs_kube_api a;
	char err[256];
	unsetenv("KUBERNETES_SERVICE_HOST");
	CU_ASSERT_EQUAL(vs_kube_incluster(&a, NULL, err, sizeof(err)), -1);
	setenv("KUBERNETES_SERVICE_HOST", "fd00::1", 1);
	setenv("KUBERNETES_SERVICE_PORT", "443", 1);
	CU_ASSERT_EQUAL(vs_kube_incluster(&a, "/sa", err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(a.server, "https://[fd00::1]:443");
	CU_ASSERT_STRING_EQUAL(a.token_file, "/sa/token");
	CU_ASSERT_STRING_EQUAL(a.ca_file, "/sa/ca.crt");
	unsetenv("KUBERNETES_SERVICE_HOST");
	unsetenv("KUBERNETES_SERVICE_PORT");
	vs_kube_api_free(&a);
}

CU_ErrorCode vs_test_agent_suite(void)
{
	static const struct vs_test tests[] = {
		{ "agent informer: lists, events, bookmarks, 410", test_informer },
		{ "agent NAD VLANs", test_nad_vlan },
		{ "agent desired state", test_desired },
		{ "agent kubeconfig", test_kubeconfig },
		{ "agent in-cluster config", test_incluster },
		{ NULL, NULL },
	};
	return vs_test_add_suite("agent", tests);
}
