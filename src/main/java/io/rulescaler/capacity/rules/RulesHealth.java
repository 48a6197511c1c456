package io.rulescaler.capacity.rules;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Shows in {@code /q/health/ready} where each rule set stands (compiling, ok, failed), because
 * ready means "accepts and stores signals", which comes before the first rule compile has finished.
 * Always up: signals for a set that is compiling or failed are stored and wait for its rules.
 */
@Readiness
@ApplicationScoped
public class RulesHealth implements HealthCheck {

    private final RuleCatalog catalog;

    public RulesHealth(RuleCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("rules").up();
        for (RuleSetStatus s : catalog.status()) {
            b.withData(s.ruleSet(), s.status());
        }
        return b.build();
    }
}
