package io.herald.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.store.jdbc.Jdbc;
import io.herald.testing.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The outbox's leases on a real PostgreSQL: a row a relay holds is taken by no sweep, one whose lease ran out by one. */
@Timeout(60)
class OutboxStoreIT {
    private final DataSource dataSource = TestInfrastructure.get().newMigratedDatabase();
    private final Jdbc jdbc = new Jdbc(dataSource);
    private final OutboxStore store = new OutboxStore(dataSource);

    @Test
    void a_row_whose_lease_ran_out_is_taken_by_one_sweep_which_renews_its_lease() throws Exception {
        long row = insert("e1");
        age(row, 20);

        var first = store.take(15, 100, List.of());
        var second = store.take(15, 100, List.of());

        assertThat(first).extracting(OutboxRelayItem::id).containsExactly(row);
        assertThat(first.get(0).message().topic()).isEqualTo("outcomes");
        assertThat(new String(first.get(0).message().value(), StandardCharsets.UTF_8))
                .isEqualTo("e1");
        assertThat(second).as("another worker's sweep, right after").isEmpty();
    }

    @Test
    void a_row_held_in_a_producer_is_renewed_and_no_sweep_takes_it_however_long_it_waits() throws Exception {
        long held = insert("held");
        long left = insert("left behind");
        age(held, 7);
        age(left, 7);

        store.renew(List.of(held), 5);
        age(held, 10);
        age(left, 10);

        assertThat(store.take(15, 100, List.of()))
                .as("a sweep 17 s after both were written; the held row renewed at 7 s")
                .extracting(OutboxRelayItem::id)
                .containsExactly(left);
        age(held, 20);
        assertThat(store.take(15, 100, List.of(held)))
                .as("its own relay's sweep leaves out the rows it holds")
                .isEmpty();
    }

    @Test
    void a_renewal_leaves_a_young_lease_alone() throws Exception {
        long row = insert("e1");
        var before = createdAt(row);

        store.renew(List.of(row), 5);

        assertThat(createdAt(row)).isEqualTo(before);
    }

    private long insert(String value) throws Exception {
        return jdbc.withConnection(connection -> Jdbc.queryOne(
                        connection,
                        "INSERT INTO outbox (topic, record_key, record_value) VALUES ('outcomes', NULL, ?) RETURNING id",
                        rows -> rows.getLong(1),
                        (Object) value.getBytes(StandardCharsets.UTF_8))
                .orElseThrow());
    }

    /** The lease made {@code seconds} older, as time passing would. */
    private void age(long row, int seconds) throws Exception {
        jdbc.withConnection(connection -> Jdbc.update(
                connection,
                "UPDATE outbox SET created_at = created_at - make_interval(secs => ?) WHERE id = ?",
                (double) seconds,
                row));
    }

    private String createdAt(long row) throws Exception {
        return jdbc.withConnection(connection -> Jdbc.queryOne(
                        connection, "SELECT created_at::text FROM outbox WHERE id = ?", rows -> rows.getString(1), row)
                .orElseThrow());
    }
}
