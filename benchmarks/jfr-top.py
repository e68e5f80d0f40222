#!/usr/bin/env python3
"""Aggregates a JFR recording's execution samples (issue #17: where a server JVM's CPU goes per send: Payara, WildFly, Liberty).

    jfr print --events jdk.ExecutionSample --stack-depth 64 payara.jfr > samples.txt
    python3 benchmarks/jfr-top.py samples.txt [thread-prefix=send-] [us-per-send]

Prints the share of samples per thread group, the top self frames and the inclusive share of the frames that matter
for a send (the server's JCA pool: Payara, IronJacamar, Liberty's j2c; JNDI, Jakarta Mail, the adapter); with us-per-send (the server JVM's CPU per send from the
benchmark row) each share is also given in µs per send. A diagnostic, not part of the build.
"""
import collections
import re
import sys

SUSPECTS = [
    "jakarta.mail.Transport.send",
    "jakarta.mail.Session.getTransport",
    "jakarta.mail.Service.connect",
    "jakarta.mail.Service.close",
    "jakarta.mail.internet.MimeMessage.saveChanges",
    "jakarta.mail.internet.MimeMessage.writeTo",
    "jakarta.mail.internet.MimeUtility.encode",
    "jakarta.mail.internet.MimeUtility.getEncoding",
    "jakarta.mail.util.StreamProvider.provider",
    "jakarta.mail.util.FactoryFinder.factoryFromServiceLoader",
    "jakarta.mail.util.FactoryFinder.lookupUsingHk2ServiceLoader",
    "java.util.ServiceLoader",
    "com.sun.enterprise.resource.ConnectorConnectionPoolManager",
    "com.sun.enterprise.connectors.ConnectionManagerImpl.allocateConnection",
    "com.sun.enterprise.connectors.ConnectionManagerImpl.internalGetConnection",
    "com.sun.enterprise.resource.pool.PoolManagerImpl.getResource",
    "com.sun.enterprise.resource.pool.ConnectionPool.getResource",
    "com.sun.enterprise.resource.pool.ConnectionPool.resourceClosed",
    "com.sun.enterprise.resource.rm",
    "com.sun.enterprise.transaction",
    "com.sun.enterprise.resource.listener",
    "javax.naming",
    "com.sun.enterprise.naming",
    "org.glassfish.resourcebase",
    "java.util.logging",
    "org.jboss.jca.core.connectionmanager.AbstractConnectionManager.allocateConnection",
    "org.jboss.jca.core.connectionmanager.pool",
    "org.jboss.jca.core.connectionmanager.listener",
    "org.jboss.jca.core.connectionmanager.ccm",
    "org.jboss.jca.core.tx",
    "org.jboss.modules",
    "com.ibm.ejs.j2c.ConnectionManager.allocateConnection",
    "com.ibm.ejs.j2c.PoolManager",
    "com.ibm.ejs.j2c.ConnectionEventListener",
    "com.ibm.ejs.j2c",
    "com.ibm.ws.tx",
    "com.ibm.ws.classloading",
    "io.github.oauth2mail.jca.SmtpConnectionHandle",
    "io.github.oauth2mail.jca.MailSessionFactory",
    "io.github.oauth2mail.jca.SmtpManagedConnection.send",
    "io.github.oauth2mail.jca.SmtpManagedConnection.getConnection",
    "io.github.oauth2mail.jca.SmtpManagedConnection.cleanup",
    "io.github.oauth2mail.jca.OAuth2MailManagedConnectionFactory.matchManagedConnections",
    "io.github.oauth2mail.transport.OAuth2SmtpTransport.protocolConnect",
    "io.github.oauth2mail.transport.OAuth2SmtpTransport.sendMessage",
    "io.github.oauth2mail.transport.SmtpConnection.send",
    "io.github.oauth2mail.transport.MessageData.write",
    "sun.security.ssl.SSLSocketImpl$AppOutputStream.write",
    "sun.security.ssl.SSLSocketImpl$AppInputStream.read",
    "io.github.oauth2mail.bench.Workload.message",
]

FRAME = re.compile(r"^\s+([\w$.<>/]+)\(")


def parse(path):
    events = []
    thread = None
    frames = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("jdk.ExecutionSample"):
                thread, frames = None, []
            elif frames is not None:
                s = line.strip()
                if s.startswith("sampledThread = "):
                    m = re.match(r'sampledThread = "([^"]*)"', s)
                    thread = m.group(1) if m else s
                elif s.startswith("]") or s == "}":
                    if s == "}":
                        events.append((thread or "?", frames))
                        frames = None
                else:
                    m = FRAME.match(line)
                    if m and "line:" in line:
                        frames.append(m.group(1))
    return events


def main():
    path = sys.argv[1]
    prefix = sys.argv[2] if len(sys.argv) > 2 else "send-"
    us = float(sys.argv[3]) if len(sys.argv) > 3 else None
    events = parse(path)
    groups = collections.Counter(re.sub(r"[-\d]+$", "", t) for t, _ in events)
    print(f"{len(events)} samples; by thread (digits stripped):")
    for g, n in groups.most_common(12):
        print(f"  {100.0 * n / len(events):5.1f}%  {n:6d}  {g}")
    sends = [fr for t, fr in events if t.startswith(prefix)]
    n = len(sends)
    if n == 0:
        print("no samples on threads", prefix)
        return
    print(f"\n{n} samples on {prefix}* threads" + (f"; {us:.0f} µs of server CPU per send" if us else ""))

    def fmt(k):
        share = 100.0 * k / n
        return f"{share:5.1f}%" + (f"  {us * k / n:6.1f} µs" if us else "")

    self_top = collections.Counter(fr[0] for fr in sends if fr)
    print("\ntop self frames:")
    for fr, k in self_top.most_common(25):
        print(f"  {fmt(k)}  {fr}")
    print("\ninclusive (share of send-thread samples with the frame anywhere on the stack):")
    for s in SUSPECTS:
        k = sum(1 for fr in sends if any(f.startswith(s) for f in fr))
        print(f"  {fmt(k)}  {s}")
    # the first non-JDK frame above java.util.ServiceLoader: who asks for the lookup
    callers = collections.Counter()
    for fr in sends:
        for i, f in enumerate(fr):
            if f.startswith("java.util.ServiceLoader") or f.startswith("jakarta.mail.util.FactoryFinder"):
                j = i
                while j < len(fr) and (fr[j].startswith("java.") or fr[j].startswith("jakarta.mail.util")):
                    j += 1
                callers[fr[j] if j < len(fr) else "?"] += 1
                break
    if callers:
        print("\ncallers of ServiceLoader/FactoryFinder:")
        for c, k in callers.most_common(10):
            print(f"  {fmt(k)}  {c}")
    # which package owns the self time
    owners = collections.Counter()
    for fr in sends:
        if fr:
            parts = fr[0].split(".")
            owners[".".join(parts[:3])] += 1
    print("\nself time by package (first 3 segments):")
    for o, k in owners.most_common(15):
        print(f"  {fmt(k)}  {o}")


if __name__ == "__main__":
    main()
