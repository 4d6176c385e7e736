"""Generates the fake-but-well-formed PKI, kubeconfigs and CA-bearing API objects.

Usage, from the repository root:
    python3 src/cluster/defaults/tools/gen_fake_pki.py src/cluster/defaults

It writes the PKI under controlplane/ and node01/, the kubeconfigs, and objects/10, 13, 14,
17 and 20-23. It reads controlplane/var/lib/kubelet/config.yaml (for the kubelet-config
ConfigMap) and the two kube-proxy-*.conf files beside it (for the kube-proxy ConfigMap).
The other data files are written by hand.

Deterministic: every random-looking byte comes from SHA-256 over a fixed seed and a label.
Nothing here is real crypto; the DER is structurally valid X.509 so `openssl x509 -text`
parses it, but the signatures are noise and the RSA numbers are not primes.
"""
import base64, hashlib, datetime, os, sys, textwrap

OUT = sys.argv[1]
SEED = b"kubelet-playground/kubeadm-v1.34.1/controlplane"

def stream(label, n):
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(SEED + b"|" + label.encode() + b"|" + str(i).encode()).digest()
        i += 1
    return out[:n]

def enc_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b

def tlv(tag, content):
    return bytes([tag]) + enc_len(len(content)) + content

def seq(*parts): return tlv(0x30, b"".join(parts))
def set_(*parts): return tlv(0x31, b"".join(parts))
def integer_bytes(b):
    b = b.lstrip(b"\x00") or b"\x00"
    if b[0] & 0x80:
        b = b"\x00" + b
    return tlv(0x02, b)
def integer(n):
    return integer_bytes(n.to_bytes(max(1, (n.bit_length() + 7) // 8), "big"))
def oid(dotted):
    parts = [int(p) for p in dotted.split(".")]
    body = bytes([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7f]
        p >>= 7
        while p:
            chunk.append(0x80 | (p & 0x7f))
            p >>= 7
        body += bytes(reversed(chunk))
    return tlv(0x06, body)
NULL = b"\x05\x00"
def octets(b): return tlv(0x04, b)
def bits(b, unused=0): return tlv(0x03, bytes([unused]) + b)
def explicit(n, content): return tlv(0xa0 + n, content)
def boolean(v): return tlv(0x01, b"\xff" if v else b"\x00")

PRINTABLE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?")
def dstring(s):
    return tlv(0x13 if set(s) <= PRINTABLE else 0x0c, s.encode())

def name(cn, orgs=()):
    rdns = [set_(seq(oid("2.5.4.10"), dstring(o))) for o in orgs]
    rdns.append(set_(seq(oid("2.5.4.3"), dstring(cn))))
    return seq(*rdns)

def utctime(dt):
    return tlv(0x17, dt.strftime("%y%m%d%H%M%SZ").encode())

SHA256_RSA = seq(oid("1.2.840.113549.1.1.11"), NULL)

class RsaKey:
    def __init__(self, label):
        n = bytearray(stream(label + "/n", 256)); n[0] |= 0x80; n[-1] |= 1
        self.n = bytes(n)
        self.label = label
    def spki(self):
        pub = seq(integer_bytes(self.n), integer(65537))
        return seq(seq(oid("1.2.840.113549.1.1.1"), NULL), bits(pub))
    def private_der(self):
        def part(tag, size):
            b = bytearray(stream(self.label + "/" + tag, size)); b[0] |= 0x80
            return integer_bytes(bytes(b))
        return seq(integer(0), integer_bytes(self.n), integer(65537), part("d", 256),
                   part("p", 128), part("q", 128), part("dp", 128), part("dq", 128), part("qi", 128))
    def private_pem(self):
        return pem("RSA PRIVATE KEY", self.private_der())
    def public_pem(self):
        return pem("PUBLIC KEY", self.spki())
    def key_id(self):
        return hashlib.sha1(self.n).digest()

class EcKey:
    def __init__(self, label):
        self.label = label
        self.d = stream(label + "/d", 32)
        self.point = b"\x04" + stream(label + "/xy", 64)
    def spki(self):
        return seq(seq(oid("1.2.840.10045.2.1"), oid("1.2.840.10045.3.1.7")), bits(self.point))
    def private_pem(self):
        der = seq(integer(1), octets(self.d), explicit(0, oid("1.2.840.10045.3.1.7")), tlv(0xa1, bits(self.point)))
        return pem("EC PRIVATE KEY", der)
    def key_id(self):
        return hashlib.sha1(self.point).digest()

def pem(kind, der):
    body = "\n".join(textwrap.wrap(base64.b64encode(der).decode(), 64))
    return f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----\n"

def ext(oid_s, critical, value):
    parts = [oid(oid_s)]
    if critical:
        parts.append(boolean(True))
    parts.append(octets(value))
    return seq(*parts)

def san(dns=(), ips=()):
    names = [tlv(0x82, d.encode()) for d in dns]
    for ip in ips:
        if ":" in ip:
            raw = bytes(15) + b"\x01" if ip == "::1" else None
        else:
            raw = bytes(int(x) for x in ip.split("."))
        names.append(tlv(0x87, raw))
    return seq(*names)

def cert(label, subject, issuer, key, issuer_key, not_before, not_after, *, ca=False,
         server=False, client=False, dns=(), ips=(), ku_ca=False, ku_rsa=True):
    serial = bytearray(stream(label + "/serial", 8)); serial[0] &= 0x7f; serial[0] |= 0x10
    exts = []
    if ca:
        exts.append(ext("2.5.29.15", True, bits(b"\xa4", 2)))
        exts.append(ext("2.5.29.19", True, seq(boolean(True))))
        exts.append(ext("2.5.29.14", False, octets(key.key_id())))
    else:
        exts.append(ext("2.5.29.15", True, bits(b"\xa0", 5) if ku_rsa else bits(b"\x80", 7)))
        ekus = []
        if server: ekus.append(oid("1.3.6.1.5.5.7.3.1"))
        if client: ekus.append(oid("1.3.6.1.5.5.7.3.2"))
        exts.append(ext("2.5.29.37", False, seq(*ekus)))
        exts.append(ext("2.5.29.19", True, seq()))
        exts.append(ext("2.5.29.35", False, seq(tlv(0x80, issuer_key.key_id()))))
    if dns or ips:
        exts.append(ext("2.5.29.17", False, san(dns, ips)))
    tbs = seq(explicit(0, integer(2)), integer_bytes(bytes(serial)), SHA256_RSA, issuer,
              seq(utctime(not_before), utctime(not_after)), subject, key.spki(),
              explicit(3, seq(*exts)))
    sig = stream(label + "/sig", 256)
    return pem("CERTIFICATE", seq(tbs, SHA256_RSA, bits(sig)))

UTC = datetime.timezone.utc
INIT = datetime.datetime(2026, 11, 15, 9, 7, 12, tzinfo=UTC)
BACK = INIT - datetime.timedelta(minutes=5)
CA_END = INIT + datetime.timedelta(days=3650)
LEAF_END = INIT + datetime.timedelta(days=365)

files = {}
def put(path, text):
    files[path] = text

CP = "controlplane"
IP = "172.30.1.2"
# kubeadm init --control-plane-endpoint: what kubeconfigs for clients outside the node dial.
ENDPOINT = "controlplane:6443"

ca_key = RsaKey("ca"); ca_name = name("kubernetes")
ca_crt = cert("ca", ca_name, ca_name, ca_key, ca_key, BACK, CA_END, ca=True, dns=["kubernetes"])
fp_key = RsaKey("front-proxy-ca"); fp_name = name("front-proxy-ca")
fp_crt = cert("front-proxy-ca", fp_name, fp_name, fp_key, fp_key, BACK, CA_END, ca=True, dns=["front-proxy-ca"])
etcd_key = RsaKey("etcd/ca"); etcd_name = name("etcd-ca")
etcd_crt = cert("etcd/ca", etcd_name, etcd_name, etcd_key, etcd_key, BACK, CA_END, ca=True, dns=["etcd-ca"])

pki = "/etc/kubernetes/pki/"
put(pki + "ca.crt", ca_crt); put(pki + "ca.key", ca_key.private_pem())
put(pki + "front-proxy-ca.crt", fp_crt); put(pki + "front-proxy-ca.key", fp_key.private_pem())
put(pki + "etcd/ca.crt", etcd_crt); put(pki + "etcd/ca.key", etcd_key.private_pem())

def leaf(path, label, cn, orgs, issuer_name, issuer_key, **kw):
    k = RsaKey(label)
    put(pki + path + ".crt", cert(label, name(cn, orgs), issuer_name, k, issuer_key, BACK, LEAF_END, **kw))
    put(pki + path + ".key", k.private_pem())

leaf("apiserver", "apiserver", "kube-apiserver", (), ca_name, ca_key, server=True,
     dns=[CP, "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"],
     ips=["10.96.0.1", IP])
leaf("apiserver-kubelet-client", "apiserver-kubelet-client", "kube-apiserver-kubelet-client",
     ("kubeadm:cluster-admins",), ca_name, ca_key, client=True)
leaf("apiserver-etcd-client", "apiserver-etcd-client", "kube-apiserver-etcd-client", (), etcd_name, etcd_key, client=True)
leaf("front-proxy-client", "front-proxy-client", "front-proxy-client", (), fp_name, fp_key, client=True)
leaf("etcd/server", "etcd/server", CP, (), etcd_name, etcd_key, server=True, client=True,
     dns=[CP, "localhost"], ips=[IP, "127.0.0.1", "::1"])
leaf("etcd/peer", "etcd/peer", CP, (), etcd_name, etcd_key, server=True, client=True,
     dns=[CP, "localhost"], ips=[IP, "127.0.0.1", "::1"])
leaf("etcd/healthcheck-client", "etcd/healthcheck-client", "kube-etcd-healthcheck-client", (), etcd_name, etcd_key, client=True)
sa = RsaKey("sa")
put(pki + "sa.key", sa.private_pem()); put(pki + "sa.pub", sa.public_pem())

def b64(s): return base64.b64encode(s.encode()).decode()

def kubeconfig(user, context, cert_data=None, key_data=None, cert_file=None, cluster="kubernetes",
               server=ENDPOINT):
    lines = ["apiVersion: v1", "clusters:", "- cluster:",
             f"    certificate-authority-data: {b64(ca_crt)}",
             f"    server: https://{server}", f"  name: {cluster}",
             "contexts:", "- context:", f"    cluster: {cluster}", f"    user: {user}",
             f"  name: {context}", f"current-context: {context}", "kind: Config",
             "users:", f"- name: {user}", "  user:"]
    if cert_file:
        lines += [f"    client-certificate: {cert_file}", f"    client-key: {cert_file}"]
    else:
        lines += [f"    client-certificate-data: {b64(cert_data)}", f"    client-key-data: {b64(key_data)}"]
    return "\n".join(lines) + "\n"

def client_conf(path, label, cn, orgs, server=ENDPOINT):
    k = RsaKey(label)
    c = cert(label, name(cn, orgs), ca_name, k, ca_key, BACK, LEAF_END, client=True)
    put("/etc/kubernetes/" + path, kubeconfig(cn, f"{cn}@kubernetes", c, k.private_pem(), server=server))

client_conf("admin.conf", "conf/admin", "kubernetes-admin", ("kubeadm:cluster-admins",))
client_conf("super-admin.conf", "conf/super-admin", "kubernetes-super-admin", ("system:masters",))
# The control-plane components dial the local API server (kubeadm's LocalAPIEndpoint).
client_conf("controller-manager.conf", "conf/controller-manager", "system:kube-controller-manager", (),
            server=f"{IP}:6443")
client_conf("scheduler.conf", "conf/scheduler", "system:kube-scheduler", (), server=f"{IP}:6443")
put("/etc/kubernetes/kubelet.conf",
    kubeconfig("system:node:controlplane", "system:node:controlplane@kubernetes",
               cert_file="/var/lib/kubelet/pki/kubelet-client-current.pem"))

# Kubelet-side certificates: the client certificate the CSR signer issued (ECDSA key, RSA CA
# signature) and the kubelet's self-signed serving pair (leaf followed by its own CA).
def kubelet_pki(node, issued, ts):
    k = EcKey(node + "/kubelet-client")
    c = cert(node + "/kubelet-client", name(f"system:node:{node}", ("system:nodes",)), ca_name, k, ca_key,
             issued - datetime.timedelta(minutes=5), issued + datetime.timedelta(days=365), client=True, ku_rsa=False)
    stamp = issued.strftime("%Y-%m-%d-%H-%M-%S")
    client_path = f"/var/lib/kubelet/pki/kubelet-client-{stamp}.pem"
    serve_ca_key = RsaKey(node + "/kubelet-serving-ca")
    serve_key = RsaKey(node + "/kubelet-serving")
    epoch = int(issued.timestamp())
    ca_n = name(f"{node}-ca@{epoch}")
    serve_ca = cert(node + "/kubelet-serving-ca", ca_n, ca_n, serve_ca_key, serve_ca_key,
                    issued - datetime.timedelta(hours=1), issued + datetime.timedelta(days=365), ca=True)
    serve = cert(node + "/kubelet-serving", name(f"{node}@{epoch}"), ca_n, serve_key, serve_ca_key,
                 issued - datetime.timedelta(hours=1), issued + datetime.timedelta(days=365), server=True, dns=[node])
    return {client_path: c + k.private_pem(),
            "/var/lib/kubelet/pki/kubelet.crt": serve + serve_ca,
            "/var/lib/kubelet/pki/kubelet.key": serve_key.private_pem()}

cp_kubelet = kubelet_pki(CP, INIT + datetime.timedelta(seconds=9), "")
files.update(cp_kubelet)

def write(root, fs):
    for path, text in fs.items():
        full = os.path.join(OUT, root, path.lstrip("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)

write("controlplane", files)

# node01: the cluster CA, a kubelet.conf written by TLS bootstrap, and its own kubelet pki.
JOIN = INIT + datetime.timedelta(minutes=3, seconds=41)
n1 = {"/etc/kubernetes/pki/ca.crt": ca_crt}
n1["/etc/kubernetes/kubelet.conf"] = "\n".join([
    "apiVersion: v1", "clusters:", "- cluster:",
    f"    certificate-authority-data: {b64(ca_crt)}",
    f"    server: https://{ENDPOINT}", "  name: default-cluster",
    "contexts:", "- context:", "    cluster: default-cluster", "    namespace: default",
    "    user: default-auth", "  name: default-context", "current-context: default-context",
    "kind: Config", "users:", "- name: default-auth", "  user:",
    "    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem",
    "    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem"]) + "\n"
n1.update(kubelet_pki("node01", JOIN, ""))
write("node01", n1)

# API objects that carry the CA or a kubeadm config hash.
def indent(text, n):
    pad = " " * n
    return "\n".join(pad + l if l else l for l in text.split("\n"))

def yaml_block(key, value, n):
    # `key: |` for values ending in a newline, `key: |-` otherwise, like sigs.k8s.io/yaml.
    style = "|" if value.endswith("\n") else "|-"
    body = value[:-1] if value.endswith("\n") else value
    return f"{' ' * n}{key}: {style}\n" + indent(body, n + 2) + "\n"

objs = os.path.join(OUT, "objects")
os.makedirs(objs, exist_ok=True)
for i, ns in enumerate(["default", "kube-node-lease", "kube-public", "kube-system"]):
    with open(os.path.join(objs, f"2{i}-kube-root-ca-{ns}.yaml"), "w") as f:
        f.write("apiVersion: v1\ndata:\n" + yaml_block("ca.crt", ca_crt, 2) +
                "kind: ConfigMap\nmetadata:\n  annotations:\n"
                "    kubernetes.io/description: Contains a CA bundle that can be used to verify the\n"
                "      kube-apiserver when using internal endpoints such as the internal service\n"
                "      IP or kubernetes.default.svc. No other usage is guaranteed across distributions\n"
                "      of Kubernetes clusters.\n"
                f"  name: kube-root-ca.crt\n  namespace: {ns}\n")

cluster_info = "\n".join([
    "apiVersion: v1", "clusters:", "- cluster:",
    f"    certificate-authority-data: {b64(ca_crt)}",
    f"    server: https://{ENDPOINT}", '  name: ""', "contexts: null", 'current-context: ""',
    "kind: Config", "users: null"]) + "\n"
with open(os.path.join(objs, "14-cluster-info.yaml"), "w") as f:
    f.write("apiVersion: v1\ndata:\n" + yaml_block("kubeconfig", cluster_info, 2) +
            "kind: ConfigMap\nmetadata:\n  name: cluster-info\n  namespace: kube-public\n")

def signed(path, name_, ns, data, labels=None):
    h = hashlib.sha256()
    for k in sorted(data):
        h.update(data[k].encode())
    out = "apiVersion: v1\ndata:\n"
    for k in sorted(data):
        out += yaml_block(k, data[k], 2)
    out += f"kind: ConfigMap\nmetadata:\n  annotations:\n    kubeadm.kubernetes.io/component-config.hash: sha256:{h.hexdigest()}\n"
    if labels:
        out += "  labels:\n" + "".join(f"    {k}: {v}\n" for k, v in labels.items())
    out += f"  name: {name_}\n  namespace: {ns}\n"
    with open(os.path.join(objs, path), "w") as f:
        f.write(out)

here = os.path.dirname(os.path.abspath(__file__))
kubelet_cm = open(os.path.join(OUT, "controlplane/var/lib/kubelet/config.yaml")).read()
kubelet_cm = kubelet_cm.replace("containerRuntimeEndpoint: unix:///var/run/containerd/containerd.sock\n",
                                'containerRuntimeEndpoint: ""\n')
kubelet_cm = kubelet_cm.replace("resolvConf: /run/systemd/resolve/resolv.conf\n", "")
signed("13-kubelet-config.yaml", "kubelet-config", "kube-system", {"kubelet": kubelet_cm})

proxy_cfg = open(os.path.join(here, "kube-proxy-config.conf")).read().rstrip("\n")
proxy_kc = open(os.path.join(here, "kube-proxy-kubeconfig.conf")).read().rstrip("\n")
signed("17-kube-proxy-configmap.yaml", "kube-proxy", "kube-system",
       {"config.conf": proxy_cfg, "kubeconfig.conf": proxy_kc}, labels={"app": "kube-proxy"})
with open(os.path.join(objs, "10-extension-apiserver-authentication.yaml"), "w") as f:
    f.write("apiVersion: v1\ndata:\n" + yaml_block("client-ca-file", ca_crt, 2) +
            "  requestheader-allowed-names: '[\"front-proxy-client\"]'\n" +
            yaml_block("requestheader-client-ca-file", fp_crt, 2) +
            "  requestheader-extra-headers-prefix: '[\"X-Remote-Extra-\"]'\n"
            "  requestheader-group-headers: '[\"X-Remote-Group\"]'\n"
            "  requestheader-username-headers: '[\"X-Remote-User\"]'\n"
            "kind: ConfigMap\nmetadata:\n  name: extension-apiserver-authentication\n  namespace: kube-system\n")
print("wrote", len(files), "controlplane files,", len(n1), "node01 files")
