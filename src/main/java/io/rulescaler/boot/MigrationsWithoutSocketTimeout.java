package io.rulescaler.boot;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Lifts the driver's socket timeout (application.properties, there so that no statement hangs on a frozen server)
 * from the connection Flyway migrates on, for each migration: one on a big table may rightly run for minutes.
 */
@Singleton
public class MigrationsWithoutSocketTimeout implements FlywayConfigurationCustomizer {

    @Override
    public void customize(FluentConfiguration configuration) {
        Callback[] others = configuration.getCallbacks(); // kept: other customizers add theirs too
        Callback[] all = java.util.Arrays.copyOf(others, others.length + 1);
        all[others.length] = new Callback() {
            /** The connection's own timeout, put back after each migration (the pool does not reset it). */
            private int before = -1;

            @Override
            public boolean supports(Event event, Context context) {
                return event == Event.BEFORE_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE
                        || event == Event.AFTER_EACH_MIGRATE_ERROR;
            }

            @Override
            public boolean canHandleInTransaction(Event event, Context context) {
                return true;
            }

            @Override
            public void handle(Event event, Context context) {
                try {
                    if (event == Event.BEFORE_EACH_MIGRATE) {
                        before = context.getConnection().getNetworkTimeout();
                        context.getConnection().setNetworkTimeout(Runnable::run, 0);
                    } else if (before >= 0) {
                        context.getConnection().setNetworkTimeout(Runnable::run, before);
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot set the socket timeout around a migration: " + e.getMessage(), e);
                }
            }

            @Override
            public String getCallbackName() {
                return "migrations-without-socket-timeout";
            }
        };
        configuration.callbacks(all);
    }
}
