package io.rulescaler.boot;

import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.type.BasicType;
import org.hibernate.type.spi.TypeConfiguration;

/**
 * Writes many rows with a few multi-row {@code INSERT ... VALUES (...), (...)} statements on the
 * caller's transaction's connection. Hibernate cannot batch inserts of IDENTITY entities, so
 * planning 1,000 nodes that way costs thousands of round trips. Values are bound with Hibernate's
 * own binders for their Java types, so Instants and the like are stored exactly as the entities
 * store them, without the cost of a native query with hundreds of parameters.
 */
public final class MultiRowInsert {

    /** Rows per statement: keeps a statement well under the server's packet and placeholder limits. */
    static final int ROWS_PER_STATEMENT = 250;

    private MultiRowInsert() {
    }

    /** Inserts {@code rows} (each one value per column, enums as their names) into {@code table}; returns the row count. */
    public static int insert(EntityManager em, String table, List<String> columns, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        em.flush(); // pending entity changes first, as a query would: the rows may refer to them
        SharedSessionContractImplementor session = em.unwrap(SharedSessionContractImplementor.class);
        TypeConfiguration types = session.getFactory().getTypeConfiguration();
        return session.doReturningWork(connection -> {
            int written = 0;
            for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
                List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
                try (PreparedStatement ps = connection.prepareStatement(sql(table, columns, chunk))) {
                    int p = 0;
                    for (Object[] row : chunk) {
                        for (Object v : row) {
                            if (v != null) {
                                bind(ps, ++p, v instanceof Enum<?> e ? e.name() : v, types, session);
                            }
                        }
                    }
                    written += ps.executeUpdate();
                }
            }
            return written;
        });
    }

    private static String sql(String table, List<String> columns, List<Object[]> chunk) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (")
                .append(String.join(", ", columns)).append(") VALUES ");
        for (int r = 0; r < chunk.size(); r++) {
            Object[] row = chunk.get(r);
            if (row.length != columns.size()) {
                throw new IllegalArgumentException("row has " + row.length + " values for " + columns.size() + " columns of " + table);
            }
            sql.append(r == 0 ? "(" : ", (");
            for (int c = 0; c < row.length; c++) {
                sql.append(c == 0 ? "" : ", ").append(row[c] == null ? "NULL" : "?"); // nulls need no type
            }
            sql.append(')');
        }
        return sql.toString();
    }

    @SuppressWarnings("unchecked")
    private static void bind(PreparedStatement ps, int index, Object value, TypeConfiguration types,
                             SharedSessionContractImplementor session) throws SQLException {
        BasicType<Object> type = (BasicType<Object>) types.getBasicTypeForJavaType(value.getClass());
        if (type == null) {
            throw new IllegalArgumentException("no JDBC mapping for a " + value.getClass().getName());
        }
        type.getJdbcValueBinder().bind(ps, value, index, session);
    }
}
