package io.rulescaler.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-time advice for a Galera database: causal reads, and no DDL on every new connection. */
class GaleraCheckTest {

    private static final String GOOD = "jdbc:mariadb:sequential://127.0.0.1:3307,127.0.0.1:3308/rulescaler?sessionVariables=wsrep_sync_wait=3";

    @Test
    void aGaleraUrlThatCreatesTheDatabaseOnEveryConnectionIsWarnedAbout() {
        List<String> w = GaleraCheck.warnings(true, 3, GOOD + "&createDatabaseIfNotExist=true");
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("createDatabaseIfNotExist=true") && w.get(0).contains("remove the option"), w.get(0));
    }

    @Test
    void causalReadsMissingAreWarnedAbout() {
        List<String> w = GaleraCheck.warnings(true, 0, GOOD);
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.get(0).contains("wsrep_sync_wait=0") && w.get(0).contains("wsrep_sync_wait=3"), w.get(0));
    }

    @Test
    void aWellSetGaleraUrlAndAPlainServerGetNoWarning() {
        assertEquals(List.of(), GaleraCheck.warnings(true, 3, GOOD));
        assertEquals(List.of(), GaleraCheck.warnings(false, 0, "jdbc:mariadb://127.0.0.1:3306/x?createDatabaseIfNotExist=true"));
    }
}
