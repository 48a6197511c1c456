package io.rulescaler.boot;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.List;

/**
 * Writes many rows with a few multi-row {@code INSERT ... VALUES (...), (...)} statements in the
 * caller's transaction. Hibernate cannot batch inserts of IDENTITY entities, so planning 1,000
 * nodes that way costs thousands of round trips. Values are bound through Hibernate's native
 * query, so Instants and the like are stored exactly as the entities store them.
 */
public final class MultiRowInsert {

    /** Rows per statement: keeps a statement well under the server's packet and placeholder limits. */
    static final int ROWS_PER_STATEMENT = 250;

    private MultiRowInsert() {
    }

    /** Inserts {@code rows} (each one value per column, enums as their names) into {@code table}; returns the row count. */
    public static int insert(EntityManager em, String table, List<String> columns, List<Object[]> rows) {
        int written = 0;
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (")
                    .append(String.join(", ", columns)).append(") VALUES ");
            int p = 0;
            for (int r = 0; r < chunk.size(); r++) {
                Object[] row = chunk.get(r);
                if (row.length != columns.size()) {
                    throw new IllegalArgumentException("row has " + row.length + " values for " + columns.size() + " columns of " + table);
                }
                sql.append(r == 0 ? "(" : ", (");
                for (int c = 0; c < row.length; c++) {
                    sql.append(c == 0 ? "" : ", ").append(row[c] == null ? "NULL" : "?" + ++p); // nulls need no type
                }
                sql.append(')');
            }
            Query q = em.createNativeQuery(sql.toString());
            p = 0;
            for (Object[] row : chunk) {
                for (Object v : row) {
                    if (v != null) {
                        q.setParameter(++p, v instanceof Enum<?> e ? e.name() : v);
                    }
                }
            }
            written += q.executeUpdate();
        }
        return written;
    }
}
