package io.rulescaler.boot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Stops a mariadbd that a previous run of the service left serving the embedded data folder, so a start
 * after a crash of the JVM (SIGKILL, the OOM killer) does not fail on mariadbd's file locks.
 *
 * <p>A JVM that dies without running its shutdown hooks leaves its mariadbd child running, re-parented to
 * init (or a subreaper), holding InnoDB's and Aria's locks on the data folder: a new mariadbd would retry
 * them for 30 s and give up. Before starting one, {@link #stopIfRunning(Path)} looks through all processes
 * (on Linux their {@code /proc/<pid>/cmdline}) for a {@code mariadbd} whose {@code --datadir} is exactly our
 * data folder. The pid file mariadbd writes there ({@code <hostname>.pid}) is not relied on: its name
 * follows the host name and it outlives a SIGKILLed mariadbd, so a command-line match is what counts; the
 * handle's start time guards the signals against pid reuse.
 *
 * <p>Such a mariadbd gets SIGTERM (InnoDB flushes and shuts down cleanly) and up to {@link #TERM_WAIT} to
 * exit, then SIGKILL (InnoDB recovers at the next start). One whose parent is still a live JVM belongs to a
 * running service sharing the folder and is never touched; that start fails at once, as does one when the
 * leftover cannot be stopped (for example it belongs to another user).
 */
final class LeftoverMariadb {

    private static final Logger LOG = Logger.getLogger(LeftoverMariadb.class);
    /** Longest wait for a clean shutdown after SIGTERM; InnoDB flushes dirty pages first. */
    static final Duration TERM_WAIT = Duration.ofSeconds(60);
    /** Longest wait for the exit after SIGKILL. */
    static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final long PROGRESS_EVERY_MS = 10_000;
    private static final Set<String> SERVER_NAMES = Set.of("mariadbd", "mysqld");

    private LeftoverMariadb() {
    }

    /** Stops every mariadbd left serving {@code dataDir}, or throws if one cannot (or must not) be stopped. */
    static void stopIfRunning(Path dataDir) {
        Set<Path> ours = spellings(dataDir);
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> found = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self && servesDataDir(arguments(p), ours))
                .toList();
        for (ProcessHandle p : found) {
            if (p.isAlive() && !isZombie(p.pid())) {
                refuseIfOwnedByRunningJvm(p, dataDir, self);
                stop(p, dataDir);
            }
        }
    }

    /** The live mariadbd this process started (a descendant) that serves {@code dataDir}, if there is one. */
    static Optional<ProcessHandle> ownServer(Path dataDir) {
        Set<Path> ours = spellings(dataDir);
        return ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && !isZombie(p.pid()) && servesDataDir(arguments(p), ours))
                .findFirst();
    }

    /**
     * Whether {@code argv} (program first) is a MariaDB server whose {@code --datadir} is one of {@code ours};
     * a program named otherwise, or with no or another data folder, never matches.
     */
    static boolean servesDataDir(List<String> argv, Set<Path> ours) {
        if (argv.isEmpty() || !SERVER_NAMES.contains(baseName(argv.get(0)))) {
            return false;
        }
        String value = null; // the last one counts, as for mariadbd
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.startsWith("--datadir=")) {
                value = a.substring("--datadir=".length());
            } else if (a.equals("--datadir") && i + 1 < argv.size()) {
                value = argv.get(i + 1);
            }
        }
        if (value == null || value.isEmpty()) {
            return false;
        }
        Path p = Path.of(value);
        return p.isAbsolute() && ours.contains(p.normalize());
    }

    /** The data folder as given (absolute, normalised) and, when it exists, with symbolic links resolved. */
    static Set<Path> spellings(Path dataDir) {
        Set<Path> s = new HashSet<>();
        Path abs = dataDir.toAbsolutePath().normalize();
        s.add(abs);
        try {
            s.add(abs.toRealPath());
        } catch (IOException notThereYet) {
            // a folder that does not exist yet serves no mariadbd
        }
        return s;
    }

    private static void refuseIfOwnedByRunningJvm(ProcessHandle p, Path dataDir, long self) {
        Optional<ProcessHandle> parent = p.parent().filter(q -> q.isAlive() && q.pid() != self);
        if (parent.isPresent() && parent.get().info().command().map(c -> baseName(c).equals("java")).orElse(false)) {
            throw new IllegalStateException(String.format("the embedded database folder %s is in use by mariadbd pid %d, "
                    + "started by the running Java process pid %d: is another rulescaler using the same data folder? "
                    + "Stop it, or give this one its own RULESCALER_DATA_DIR", dataDir, p.pid(), parent.get().pid()));
        }
    }

    private static void stop(ProcessHandle p, Path dataDir) {
        long t0 = System.nanoTime();
        LOG.infof("mariadbd pid %d still serves the data folder %s; sending SIGTERM and waiting up to %d s for its clean shutdown",
                p.pid(), dataDir, TERM_WAIT.toSeconds());
        if (!p.destroy() && !gone(p)) {
            throw cannotStop(p, dataDir, "SIGTERM was refused");
        }
        String how = "SIGTERM, clean shutdown";
        if (!awaitExit(p, TERM_WAIT, dataDir)) {
            LOG.warnf("mariadbd pid %d has not exited within %d s of SIGTERM; sending SIGKILL (InnoDB recovers at start)",
                    p.pid(), TERM_WAIT.toSeconds());
            if (!p.destroyForcibly() && !gone(p)) {
                throw cannotStop(p, dataDir, "SIGKILL was refused");
            }
            if (!awaitExit(p, KILL_WAIT, dataDir)) {
                throw cannotStop(p, dataDir, "it outlived SIGTERM and SIGKILL");
            }
            how = "SIGKILL after " + TERM_WAIT.toSeconds() + " s of SIGTERM; InnoDB recovers at start";
        }
        LOG.warnf("stopped mariadbd pid %d left running on the data folder %s: the previous run ended without stopping it "
                + "(its JVM was killed, e.g. kill -9 or the OOM killer); %s, %d ms; starting the embedded database now",
                p.pid(), dataDir, how, (System.nanoTime() - t0) / 1_000_000);
    }

    private static boolean awaitExit(ProcessHandle p, Duration within, Path dataDir) {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        long nextProgress = start + PROGRESS_EVERY_MS * 1_000_000;
        while (!gone(p)) {
            long now = System.nanoTime();
            if (now >= deadline) {
                return false;
            }
            if (now >= nextProgress) {
                LOG.infof("waiting for mariadbd pid %d (data folder %s) to exit: %d s so far",
                        p.pid(), dataDir, (now - start) / 1_000_000_000);
                nextProgress += PROGRESS_EVERY_MS * 1_000_000;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static IllegalStateException cannotStop(ProcessHandle p, Path dataDir, String why) {
        String user = p.info().user().orElse("unknown");
        return new IllegalStateException(String.format("mariadbd pid %d (user %s) still serves the embedded database folder "
                + "%s, left by a previous run, and cannot be stopped: %s. Stop it (kill %d), then start again",
                p.pid(), user, dataDir, why, p.pid()));
    }

    /** Exited: its locks are released even while it waits as a zombie for its new parent to reap it. */
    private static boolean gone(ProcessHandle p) {
        return !p.isAlive() || isZombie(p.pid());
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int end = stat.lastIndexOf(')');
            return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
        } catch (IOException | RuntimeException noProc) {
            return false;
        }
    }

    /** The process's argv: from {@code /proc} where there is one (complete for any user), else as Java reports it. */
    private static List<String> arguments(ProcessHandle p) {
        Path cmdline = Path.of("/proc", Long.toString(p.pid()), "cmdline");
        try {
            if (Files.exists(cmdline)) {
                String raw = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
                return raw.isEmpty() ? List.of() : Arrays.asList(raw.split("\0"));
            }
        } catch (IOException | RuntimeException gone) {
            return List.of();
        }
        ProcessHandle.Info info = p.info();
        if (info.command().isEmpty()) {
            return List.of();
        }
        List<String> argv = new ArrayList<>();
        argv.add(info.command().get());
        info.arguments().ifPresent(a -> argv.addAll(Arrays.asList(a)));
        return argv;
    }

    private static String baseName(String program) {
        int slash = program.lastIndexOf('/');
        return slash < 0 ? program : program.substring(slash + 1);
    }
}
