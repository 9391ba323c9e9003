package io.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.store.jdbc.Jdbc;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which refusals are the data's fault (the record is dead-lettered), which an outage or a conflict (tried again). */
class JdbcTest {

    @ParameterizedTest(name = "{0}: data {1}, outage {2}, conflict {3}")
    @CsvSource({
        // a NUL in text; bytes that are not UTF-8; an escape jsonb refuses; too long; out of range
        "22021, true, false, false",
        "22P05, true, false, false",
        "22001, true, false, false",
        "22003, true, false, false",
        // an index row over the btree maximum
        "54000, true, false, false",
        // statement too complex: a limit, but not of one value
        "54001, false, false, false",
        // the connection (also a session ended for its idle-in-transaction timeout), a restart, out of resources
        "08006, false, true, false",
        "57P01, false, true, false",
        "53300, false, true, false",
        // the statement timeout and the lock timeout: the database answered; tried again, but not as an outage
        "57014, false, false, false",
        "55P03, false, false, false",
        // a deadlock, a serialization failure
        "40P01, false, false, true",
        "40001, false, false, true",
        // a constraint, a statement Herald got wrong: Herald's fault or a race, not the record's
        "23505, false, false, false",
        "23502, false, false, false",
        "42P01, false, false, false",
    })
    void a_refusal_is_the_datas_fault_only_for_a_data_exception_or_an_index_row_too_large(
            String state, boolean data, boolean outage, boolean conflict) {
        var refused = new SQLException("ERROR: refused", state);

        assertThat(Jdbc.isDataException(refused)).isEqualTo(data);
        assertThat(Jdbc.isOutage(refused)).isEqualTo(outage);
        assertThat(Jdbc.isConflict(refused)).isEqualTo(conflict);
        assertThat(new WriteRefusedException(refused.getMessage(), refused).refusesItsData())
                .isEqualTo(data);
    }

    @Test
    void a_lock_timeout_and_a_statement_timeout_are_told_apart_from_each_other_and_from_an_outage() {
        var lock = new SQLException("ERROR: canceling statement due to lock timeout", "55P03");
        var statement = new SQLException("ERROR: canceling statement due to statement timeout", "57014");

        assertThat(Jdbc.isLockTimeout(new RuntimeException(lock))).isTrue();
        assertThat(Jdbc.isStatementTimeout(lock)).isFalse();
        assertThat(Jdbc.isStatementTimeout(new RuntimeException(statement))).isTrue();
        assertThat(Jdbc.isLockTimeout(statement)).isFalse();
        assertThat(Jdbc.isOutage(lock)).isFalse();
        assertThat(Jdbc.isOutage(statement)).isFalse();
    }

    @Test
    void a_data_exception_is_found_as_a_cause_and_a_failure_without_a_state_is_none() {
        var nul = new SQLException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00", "22021");

        assertThat(Jdbc.isDataException(new RuntimeException(new RuntimeException(nul))))
                .isTrue();
        assertThat(Jdbc.sqlState(new IllegalStateException(nul))).isEqualTo("22021");
        assertThat(Jdbc.isDataException(new SQLTransientConnectionException("no state")))
                .isFalse();
        assertThat(Jdbc.isDataException(new IllegalStateException("no SQL at all")))
                .isFalse();
        assertThat(Jdbc.isDataException(null)).isFalse();
        assertThat(new WriteRefusedException("refused", null).refusesItsData()).isFalse();
    }

    @Test
    void a_refusal_says_its_state_and_the_first_line_of_postgresqls_message() {
        var index = new SQLException(
                "ERROR: index row size 3056 exceeds btree version 4 maximum 2704 for index \"commands_routing_key_idx\"\n"
                        + "  Detail: Index row references tuple (0,1) in relation \"commands\".",
                "54000");

        assertThat(new WriteRefusedException(index.getMessage(), index).reason())
                .isEqualTo("SQLSTATE 54000: ERROR: index row size 3056 exceeds btree version 4 maximum 2704 for index"
                        + " \"commands_routing_key_idx\"");
        assertThat(new WriteRefusedException("refused", null).reason()).isEqualTo("refused");
    }
}
