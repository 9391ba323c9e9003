package io.herald.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseAddressTest {

    @Test
    void the_address_an_error_names_has_neither_the_parameters_nor_a_password() {
        assertThat(Database.address("jdbc:postgresql://db:5432/herald?user=herald&password=s3cret"))
                .isEqualTo("db:5432/herald");
        assertThat(Database.address("jdbc:postgresql://herald:s3cret@db:5432/herald"))
                .isEqualTo("herald:****@db:5432/herald");
        assertThat(Database.address("jdbc:postgresql:herald")).isEqualTo("herald");
    }
}
