package io.herald.consume;

import io.herald.store.Leases;
import java.time.Duration;
import java.util.List;

/**
 * Where the poll loop takes a partition's lease and reads what waits for it in the ledger ({@link Leases} in a
 * worker; a test's in-memory leases for the poll loop alone). A takeover that a later assignment has overtaken throws
 * {@link Leases.Superseded}; any other failure is retried.
 */
public interface LeaseStore {
    Leases.Takeover takeOver(String topic, int partition, int generation, Duration scheduledHorizon) throws Exception;

    List<Leases.Scheduled> scheduled(String topic, int partition, Duration horizon) throws Exception;

    static LeaseStore of(Leases leases) {
        return new LeaseStore() {
            @Override
            public Leases.Takeover takeOver(String topic, int partition, int generation, Duration scheduledHorizon)
                    throws Exception {
                return leases.takeOver(topic, partition, generation, scheduledHorizon);
            }

            @Override
            public List<Leases.Scheduled> scheduled(String topic, int partition, Duration horizon) throws Exception {
                return leases.scheduled(topic, partition, horizon);
            }
        };
    }
}
