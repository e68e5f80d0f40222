package io.github.oauth2mail.bench;

/**
 * What {@link WildFlyBench} and {@link LibertyBench} share once started: the {@link AppServerProcess} of the launcher
 * script and the HTTP port the benchmark WAR answers on.
 */
abstract class AppServerBench implements BenchServer {

    private final AppServerProcess process;
    private final int httpPort;

    AppServerBench(AppServerProcess process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    @Override
    public String url() {
        return "http://127.0.0.1:" + httpPort + "/bench";
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.close();
    }
}
