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
 * from the connection Flyway migrates on: a migration on a big table may rightly run for minutes.
 */
@Singleton
public class MigrationsWithoutSocketTimeout implements FlywayConfigurationCustomizer {

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.callbacks(new Callback() {
            @Override
            public boolean supports(Event event, Context context) {
                return event == Event.BEFORE_MIGRATE || event == Event.BEFORE_EACH_MIGRATE;
            }

            @Override
            public boolean canHandleInTransaction(Event event, Context context) {
                return true;
            }

            @Override
            public void handle(Event event, Context context) {
                try {
                    context.getConnection().setNetworkTimeout(Runnable::run, 0);
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot lift the socket timeout for migrations: " + e.getMessage(), e);
                }
            }

            @Override
            public String getCallbackName() {
                return "migrations-without-socket-timeout";
            }
        });
    }
}
