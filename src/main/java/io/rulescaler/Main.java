package io.rulescaler;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.rulescaler.boot.EmbeddedDatabase;
import io.rulescaler.boot.LogDrainAtExit;
import io.rulescaler.cli.RulescalerCommand;

/**
 * Entry point of the one jar: offline rule commands run without the database or HTTP server;
 * anything else starts the service, after an embedded MariaDB when no database is configured.
 */
@QuarkusMain
public final class Main {

    private Main() {
    }

    public static void main(String... args) {
        if (RulescalerCommand.isOfflineCommand(args)) {
            System.exit(RulescalerCommand.execute(args));
            return;
        }
        EmbeddedDatabase.startIfNoDatabaseConfigured();
        LogDrainAtExit.install();
        Quarkus.run(args);
    }
}
