package io.rulescaler.boot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which processes count as a leftover mariadbd of our data folder: only a MariaDB server with exactly our --datadir. */
class LeftoverMariadbTest {

    static final Set<Path> OURS = Set.of(Path.of("/srv/rs/data/mariadb"));

    @Test
    void aMariadbdWithOurDatadirMatches() {
        assertTrue(LeftoverMariadb.servesDataDir(List.of("/srv/rs/data/mariadb-base/bin/mariadbd", "--no-defaults",
                "--basedir=/srv/rs/data/mariadb-base", "--datadir=/srv/rs/data/mariadb", "--port=3307"), OURS));
        assertTrue(LeftoverMariadb.servesDataDir(List.of("mysqld", "--datadir", "/srv/rs/data/./mariadb/"), OURS));
    }

    @Test
    void anythingElseDoesNot() {
        assertFalse(LeftoverMariadb.servesDataDir(List.of(), OURS));
        assertFalse(LeftoverMariadb.servesDataDir(List.of("/usr/sbin/mariadbd", "--datadir=/var/lib/mysql"), OURS),
                "another data folder");
        assertFalse(LeftoverMariadb.servesDataDir(List.of("/usr/sbin/mariadbd", "--datadir=/srv/rs/data/mariadb2"), OURS),
                "a longer name is another folder");
        assertFalse(LeftoverMariadb.servesDataDir(List.of("/usr/sbin/mariadbd", "--datadir=/srv/rs/data"), OURS),
                "the parent folder");
        assertFalse(LeftoverMariadb.servesDataDir(List.of("/usr/sbin/mariadbd", "--datadir=/srv/rs/data/mariadb",
                "--datadir=/var/lib/mysql"), OURS), "the last --datadir counts");
        assertFalse(LeftoverMariadb.servesDataDir(List.of("/usr/sbin/mariadbd", "--datadir=data/mariadb"), OURS),
                "a relative datadir is relative to an unknown folder");
        assertFalse(LeftoverMariadb.servesDataDir(List.of("/usr/sbin/mariadbd"), OURS), "no datadir");
        assertFalse(LeftoverMariadb.servesDataDir(List.of("/usr/bin/tail", "-f", "--datadir=/srv/rs/data/mariadb"), OURS),
                "not a MariaDB server");
        assertFalse(LeftoverMariadb.servesDataDir(List.of("/usr/bin/pkill", "-f", "/srv/rs/data/mariadb"), OURS),
                "names the folder, is no server");
        assertFalse(LeftoverMariadb.servesDataDir(List.of("/usr/bin/mariadbd-safe", "--datadir=/srv/rs/data/mariadb"), OURS),
                "the wrapper script is left alone");
    }
}
