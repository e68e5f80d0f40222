package io.github.oauth2mail.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns the client JVMs' result lines into the Markdown tables of BENCHMARKS.md. */
final class Report {

    private Report() {
    }

    private static final class Row {
        final String label;
        final Senders.Kind kind;
        final int threads;
        final double median;
        final double min;
        final double max;
        final double p50;
        final double p99;
        final double sinkCpu;
        final double clientCpu;
        final long errors;
        final String error;

        Row(String[] f) {
            label = f[1];
            kind = Senders.Kind.valueOf(f[2]);
            threads = Integer.parseInt(f[3]);
            median = Double.parseDouble(f[4]);
            min = Double.parseDouble(f[5]);
            max = Double.parseDouble(f[6]);
            p50 = Double.parseDouble(f[7]);
            p99 = Double.parseDouble(f[8]);
            sinkCpu = Double.parseDouble(f[9]);
            clientCpu = Double.parseDouble(f[10]);
            errors = Long.parseLong(f[11]);
            error = f.length > 12 ? f[12] : "";
        }
    }

    static String render(List<String> lines, List<String> loads, String machine, double seconds) {
        List<Row> rows = new ArrayList<>();
        StringBuilder connect = new StringBuilder();
        StringBuilder refresh = new StringBuilder();
        StringBuilder profile = new StringBuilder();
        StringBuilder wall = new StringBuilder();
        StringBuilder failed = new StringBuilder();
        for (String l : lines) {
            String[] f = l.split("\t", -1);
            switch (f[0]) {
                case "RESULT":
                    rows.add(new Row(f));
                    break;
                case "CONNECT":
                    connect.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", f[1], f[2], f[4], f[5],
                            f[6]));
                    break;
                case "REFRESH":
                    refresh.append(String.format(Locale.ROOT, "| %s | %s s | %s s | %s | %s | %s | %s | %s | %s | %s | "
                            + "%s | %s | %s | %s |%n", f[1], f[2], f[3], f[4], f[6], f[7], f[8], f[9], f[10], f[11],
                            f[12], f[13], f[14], f[15]));
                    break;
                case "WALL":
                    wall.append("    ").append(String.join("  ", java.util.Arrays.copyOfRange(f, 1, f.length)))
                            .append('\n');
                    break;
                case "PROFILE":
                    profile.append("    ").append(String.join("  ", java.util.Arrays.copyOfRange(f, 1, f.length)))
                            .append('\n');
                    break;
                default:
                    failed.append("- ").append(l.replace('\t', ' ')).append('\n');
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("Machine: ").append(machine).append(String.format(Locale.ROOT, "; whole run %.0f s%n%n", seconds));
        b.append("Load averages (1/5/15 min):\n");
        loads.forEach(l -> b.append("- ").append(l).append('\n'));
        b.append('\n');
        b.append("### Throughput and latency (2 KB messages; msg/s = median of the windows, [min–max])\n\n");
        b.append("| TLS | threads | path | msg/s | [min–max] | p50 ms | p99 ms | sink CPU (cores) | client CPU (cores) "
                + "| client CPU µs/msg | errors |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | **%.0f** | %.0f–%.0f | %.2f | %.2f | %.2f | %.2f | %s | %d%s |%n",
                    r.label, r.threads, name(r.kind), r.median, r.min, r.max, r.p50 / 1000, r.p99 / 1000, r.sinkCpu,
                    r.clientCpu, cpuPerMessage(r), r.errors, r.errors > 0 ? " (" + r.error + ")" : ""));
        }
        b.append("\n\"client CPU\" is the sending JVM's process CPU over the windows: the client JVM's, or for an in-server "
                + "row the server JVM's (everything the server did meanwhile); µs/msg = client CPU / median msg/s.\n");
        b.append("\n### Ratios (medians) and the adapter's cost per send\n\n");
        b.append("Overhead per send = threads × (1/connector rate − 1/limit rate), in µs of a sending thread's time.\n\n");
        b.append("| TLS | threads | connector / baseline | connector / limit (Angus) | connector / limit (adapter) "
                + "| connector / peer | overhead vs Angus limit µs | overhead vs adapter limit µs |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        Map<String, Map<Senders.Kind, Row>> byKey = new LinkedHashMap<>();
        for (Row r : rows) {
            byKey.computeIfAbsent(r.label + "\t" + r.threads, k -> new LinkedHashMap<>()).put(r.kind, r);
        }
        byKey.forEach((k, m) -> {
            Row c = m.get(Senders.Kind.CONNECTOR);
            if (c == null) {
                return;
            }
            String[] kk = k.split("\t");
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", kk[0], kk[1],
                    ratio(c, m.get(Senders.Kind.BASELINE)), ratio(c, m.get(Senders.Kind.LIMIT_ANGUS)),
                    ratio(c, m.get(Senders.Kind.LIMIT_ADAPTER)), ratio(c, m.get(Senders.Kind.PEER)),
                    overhead(c, m.get(Senders.Kind.LIMIT_ANGUS)), overhead(c, m.get(Senders.Kind.LIMIT_ADAPTER))));
        });
        b.append(inServer(byKey));
        b.append(targets(byKey, lines));
        if (connect.length() > 0) {
            b.append("\n### Cost of a new connection (sequential, ms)\n\n| TLS | what | median | p90 | max |\n"
                    + "|---|---|---|---|---|\n").append(connect);
        }
        if (refresh.length() > 0) {
            b.append("\n### Token refresh under sustained load (connector, TLS, 4 threads)\n\n"
                    + "\"during\" = sends that started between 0.1 s before and 1 s after a token request reached the "
                    + "issuer.\n\n| run | token lifetime | measured | token requests/min | sends | msg/s | p50 µs "
                    + "| p99 µs | p99.9 µs | sends during refresh | p99 during µs | p99 outside µs | sends > 10 ms "
                    + "| max µs | errors |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
                    .append(refresh);
        }
        if (profile.length() > 0) {
            b.append("\n### JFR profile of the connector path (TLS, 4 threads), sending threads\n\n").append(profile);
        }
        if (wall.length() > 0) {
            b.append("\n### Wall-clock samples of one sending thread (TLS, 1 thread, every ms): share of samples "
                    + "under each frame\n\n").append(wall);
        }
        if (failed.length() > 0) {
            b.append("\n### Failures\n\n").append(failed);
        }
        return b.toString();
    }

    private static String name(Senders.Kind k) {
        switch (k) {
            case BASELINE:
                return "baseline (new conn/msg)";
            case CONNECTOR:
                return "**connector (pool)**";
            case LIMIT_ANGUS:
                return "limit: Angus transport";
            case LIMIT_ADAPTER:
                return "limit: adapter SmtpConnection";
            case PEER:
                return "peer: Simple Java Mail pool";
            case PAYARA:
                return "**connector in Payara Micro (JCA pool)**";
            case WILDFLY:
                return "**connector in WildFly (JCA pool)**";
            case LIBERTY:
                return "**connector in Open Liberty (JCA pool)**";
            case CONNECTOR_LEASE:
                return "diagnostic: connector lease without Transport.send";
            default:
                return k.name();
        }
    }

    private static String ratio(Row c, Row other) {
        return c == null || other == null || other.median == 0 ? "–" : String.format(Locale.ROOT, "%.2f×", c.median / other.median);
    }

    /** The sending JVM's CPU per message in µs (for an in-server row: the server JVM's). */
    private static String cpuPerMessage(Row r) {
        return r.median > 0 && !Double.isNaN(r.clientCpu) ? String.format(Locale.ROOT, "%.0f", 1e6 * r.clientCpu / r.median)
                : "–";
    }

    private static String cpuRatio(Row server, Row direct) {
        if (server == null || direct == null || server.median == 0 || direct.median == 0 || direct.clientCpu == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f×", (server.clientCpu / server.median) / (direct.clientCpu / direct.median));
    }

    private static String overhead(Row c, Row limit) {
        if (limit == null || c.median == 0 || limit.median == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.0f", c.threads * (1e6 / c.median - 1e6 / limit.median));
    }

    /**
     * Issue #17: every in-server row beside the direct paths of the same round robin: msg/s against the faster limit
     * and the connector, and the server JVM's CPU per send against the client JVM's for the direct connector.
     */
    private static String inServer(Map<String, Map<Senders.Kind, Row>> byKey) {
        StringBuilder t = new StringBuilder();
        byKey.forEach((k, m) -> {
            Row c = m.get(Senders.Kind.CONNECTOR);
            double limit = Math.max(rate(m, Senders.Kind.LIMIT_ANGUS), rate(m, Senders.Kind.LIMIT_ADAPTER));
            for (Senders.Kind kind : Senders.Kind.IN_SERVER) {
                Row s = m.get(kind);
                if (s == null) {
                    continue;
                }
                String[] kk = k.split("\t");
                t.append(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %s | %s | %s | %s | %s |%n", kk[0], kk[1],
                        name(kind), s.median, limit == 0 ? "–" : String.format(Locale.ROOT, "%.2f×", s.median / limit),
                        ratio(s, c), cpuPerMessage(s), c == null ? "–" : cpuPerMessage(c), cpuRatio(s, c)));
            }
        });
        if (t.length() == 0) {
            return "";
        }
        return "\n### In-server rows (issue #17): msg/s and the server JVM's CPU per send\n\n"
                + "The server JVM's CPU over the windows (all its threads: GC, JIT and idle work included) / median msg/s, "
                + "against the client JVM's CPU per send on the direct connector path in the same rounds.\n\n"
                + "| TLS | threads | path | msg/s | / faster limit | / connector (pool) | server JVM CPU µs/msg "
                + "| connector (client JVM) CPU µs/msg | server µs ÷ connector µs |\n|---|---|---|---|---|---|---|---|---|\n"
                + t;
    }

    /** The targets, each with what this run measured. */
    private static String targets(Map<String, Map<Senders.Kind, Row>> byKey, List<String> lines) {
        StringBuilder t = new StringBuilder("\n### Targets (issue #7) against this run\n\n| target | measured | met |\n"
                + "|---|---|---|\n");
        for (String mode : new String[] {"tls", "plain"}) {
            for (String n : new String[] {"1", "4"}) {
                Map<Senders.Kind, Row> m = byKey.get(mode + "\t" + n);
                if (m == null || m.get(Senders.Kind.CONNECTOR) == null) {
                    continue;
                }
                double c = m.get(Senders.Kind.CONNECTOR).median;
                double limit = Math.max(rate(m, Senders.Kind.LIMIT_ANGUS), rate(m, Senders.Kind.LIMIT_ADAPTER));
                if (limit == 0) {
                    continue;
                }
                t.append(String.format(Locale.ROOT, "| connector ≥ 0.9× the physical limit, %s, %s thread(s) | %.2f× "
                        + "(of the faster limit) | %s |%n", mode, n, c / limit, c >= 0.9 * limit ? "yes" : "**no**"));
                for (Senders.Kind kind : Senders.Kind.IN_SERVER) {
                    Row pr = m.get(kind);
                    if (pr == null || pr.median == 0) {
                        continue;
                    }
                    double p = pr.median;
                    String server = name(kind).replace("*", "").replace(" (JCA pool)", "");
                    t.append(String.format(Locale.ROOT, "| %s ≥ 0.9× the physical limit, %s, %s "
                            + "thread(s) | %.2f× (of the faster limit) | %s |%n", server, mode, n, p / limit,
                            p >= 0.9 * limit ? "yes" : "**no**"));
                    Row cr = m.get(Senders.Kind.CONNECTOR);
                    if (cr.clientCpu > 0 && pr.clientCpu > 0) {
                        double ratio = (pr.clientCpu / p) / (cr.clientCpu / c);
                        t.append(String.format(Locale.ROOT, "| %s: server JVM's CPU per message ≤ 1.3× the direct "
                                + "connector's (issue #17), %s, %s thread(s) | %s vs %s µs (%.2f×) | %s |%n", server,
                                mode, n, cpuPerMessage(pr), cpuPerMessage(cr), ratio, ratio <= 1.3 ? "yes" : "**no**"));
                    }
                }
            }
        }
        for (String mode : new String[] {"tls", "plain"}) {
            Map<Senders.Kind, Row> m = byKey.get(mode + "\t4");
            if (m != null && m.get(Senders.Kind.CONNECTOR) != null && m.get(Senders.Kind.BASELINE) != null) {
                double want = mode.equals("tls") ? 15 : 2.5;
                double r = m.get(Senders.Kind.CONNECTOR).median / m.get(Senders.Kind.BASELINE).median;
                t.append(String.format(Locale.ROOT, "| connector ≥ %.1f× baseline, %s, 4 threads | %.1f× | %s |%n", want,
                        mode, r, r >= want ? "yes" : "**no**"));
            }
        }
        byKey.forEach((k, m) -> {
            if (m.get(Senders.Kind.CONNECTOR) != null && m.get(Senders.Kind.PEER) != null) {
                double r = m.get(Senders.Kind.CONNECTOR).median / m.get(Senders.Kind.PEER).median;
                t.append(String.format(Locale.ROOT, "| connector ≥ Simple Java Mail pool, %s threads | %.2f× | %s |%n",
                        k.replace("\t", ", "), r, r >= 1 ? "yes" : "**no**"));
            }
        });
        String control = null;
        for (String l : lines) {
            String[] f = l.split("\t", -1);
            if (!f[0].equals("REFRESH")) {
                continue;
            }
            if (f[1].equals("control")) {
                control = f[8];
                continue;
            }
            double lifetime = Double.parseDouble(f[2]);
            double expected = 60 / (lifetime / 2);
            double perMin = Double.parseDouble(f[4]);
            t.append(String.format(Locale.ROOT, "| one token request per refresh period (%s s token, refresh at half "
                    + "life: %.0f/min expected) | %.2f/min | %s |%n", f[2], expected, perMin,
                    Math.abs(perMin - expected) <= 1 ? "yes" : "**no**"));
            if (control != null) {
                double during = Double.parseDouble(f[11]);
                double ctl = Double.parseDouble(control);
                t.append(String.format(Locale.ROOT, "| send p99 during a background refresh within ±10%% of the p99 without"
                        + " refreshes | %.0f µs vs %.0f µs (%+.0f%%) | %s |%n", during, ctl, 100 * (during / ctl - 1),
                        Math.abs(during / ctl - 1) <= 0.10 ? "yes" : "**no**"));
            }
        }
        return t.toString();
    }

    private static double rate(Map<Senders.Kind, Row> m, Senders.Kind k) {
        Row r = m.get(k);
        return r == null ? 0 : r.median;
    }
}
