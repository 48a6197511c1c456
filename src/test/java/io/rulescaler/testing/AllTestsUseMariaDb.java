package io.rulescaler.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers the real MariaDB for every @QuarkusTest in the module. */
@QuarkusTestResource(MariaDbResource.class)
public final class AllTestsUseMariaDb {

    private AllTestsUseMariaDb() {
    }
}
