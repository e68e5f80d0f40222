package io.github.oauth2mail.it.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.management.MBeanServerConnection;

/** What another JVM holds: its threads (over JMX) and its established TCP connections to a port (from /proc). */
final class ProcessProbe {

    private final long pid;
    private final RemoteJmx jmx;

    ProcessProbe(long pid, RemoteJmx jmx) {
        this.pid = pid;
        this.jmx = jmx;
    }

    /** Names of the live threads whose name starts with the prefix. */
    List<String> threads(String prefix) {
        try {
            MBeanServerConnection c = jmx.connection();
            ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.THREAD_MXBEAN_NAME,
                    ThreadMXBean.class);
            List<String> names = new ArrayList<>();
            for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (t != null && t.getThreadName().startsWith(prefix)) {
                    names.add(t.getThreadName());
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int liveThreads() {
        try {
            return ManagementFactory.newPlatformMXBeanProxy(jmx.connection(), ManagementFactory.THREAD_MXBEAN_NAME,
                    ThreadMXBean.class).getThreadCount();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int loadedClasses() {
        try {
            return ManagementFactory.newPlatformMXBeanProxy(jmx.connection(),
                    ManagementFactory.CLASS_LOADING_MXBEAN_NAME, java.lang.management.ClassLoadingMXBean.class)
                    .getLoadedClassCount();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void gc() {
        try {
            ManagementFactory.newPlatformMXBeanProxy(jmx.connection(), ManagementFactory.MEMORY_MXBEAN_NAME,
                    java.lang.management.MemoryMXBean.class).gc();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Classes unloaded since the JVM started. */
    long unloadedClasses() {
        try {
            return ManagementFactory.newPlatformMXBeanProxy(jmx.connection(),
                    ManagementFactory.CLASS_LOADING_MXBEAN_NAME, java.lang.management.ClassLoadingMXBean.class)
                    .getUnloadedClassCount();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Live instances of a class, summed over every class loader that defined a class of that name, from the JVM's
     * class histogram ({@code jcmd GC.class_histogram} through the DiagnosticCommand MBean; runs a full GC first).
     */
    long liveInstances(String className) {
        try {
            String histogram = (String) jmx.connection().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            long sum = 0;
            for (String line : histogram.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].endsWith(":") && f[3].equals(className)) {
                    sum += Long.parseLong(f[1]);
                }
            }
            return sum;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (javax.management.JMException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * How many class loaders of each type the JVM holds ({@code jcmd VM.classloaders} through the DiagnosticCommand
     * MBean): every fully qualified name in its tree, counted.
     */
    java.util.Map<String, Integer> classLoaderCensus() {
        try {
            String tree = (String) jmx.connection().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "vmClassloaders",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            java.util.Map<String, Integer> census = new java.util.TreeMap<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b([a-z]\\w*(?:\\.[\\w$]+)+)")
                    .matcher(tree);
            while (m.find()) {
                census.merge(m.group(1), 1, Integer::sum);
            }
            return census;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (javax.management.JMException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * ESTABLISHED TCP connections of this process (its own socket inodes, from /proc/&lt;pid&gt;/fd) whose remote port is
     * one of the given ports (/proc/&lt;pid&gt;/net/tcp and tcp6).
     */
    int establishedTo(int... remotePorts) {
        Set<String> inodes = socketInodes();
        Set<Integer> ports = new HashSet<>();
        for (int p : remotePorts) {
            ports.add(p);
        }
        int count = 0;
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", String.valueOf(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(file)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 10 || !f[3].equals("01")) { // 01 = ESTABLISHED
                        continue;
                    }
                    String remote = f[2];
                    int port = Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16);
                    if (ports.contains(port) && inodes.contains(f[9])) {
                        count++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return count;
    }

    private Set<String> socketInodes() {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // fd closed while listing
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inodes;
    }

    /**
     * Why each live instance of a class is alive: a heap dump of the process (live objects only, after a full GC;
     * written under {@code dir} and deleted after reading), read by {@link HeapPaths}.
     */
    List<String> pathsToRoots(String className, Path dir) {
        Path dump = dir.resolve("heap-" + pid + "-" + System.nanoTime() + ".hprof");
        try {
            Files.createDirectories(dir);
            // HotSpotDiagnostic.dumpHeap(file, live): the DiagnosticCommand MBean does not export GC.heap_dump
            jmx.connection().invoke(new javax.management.ObjectName("com.sun.management:type=HotSpotDiagnostic"),
                    "dumpHeap", new Object[] {dump.toAbsolutePath().toString(), Boolean.TRUE},
                    new String[] {String.class.getName(), boolean.class.getName()});
            return HeapPaths.toRoots(dump, className);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (javax.management.JMException e) {
            throw new IllegalStateException(e);
        } finally {
            try {
                Files.deleteIfExists(dump);
            } catch (IOException e) {
                System.out.println("could not delete " + dump + ": " + e);
            }
        }
    }
}
