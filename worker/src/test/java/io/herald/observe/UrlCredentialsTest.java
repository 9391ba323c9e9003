package io.herald.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlCredentialsTest {

    @Test
    void the_password_of_a_url_s_user_information_is_masked_and_the_user_kept() {
        assertThat(UrlCredentials.masked("https://herald:s3cret@site.api.oneall.com"))
                .isEqualTo("https://herald:****@site.api.oneall.com");
        assertThat(UrlCredentials.masked("https://herald:s3cret@site.api.oneall.com:8443/api?x=1#top"))
                .isEqualTo("https://herald:****@site.api.oneall.com:8443/api?x=1#top");
        assertThat(UrlCredentials.masked("jdbc:postgresql://herald:s3cret@db:5432/herald"))
                .isEqualTo("jdbc:postgresql://herald:****@db:5432/herald");
    }

    @Test
    void user_information_without_a_colon_may_be_a_token_and_is_masked_whole() {
        assertThat(UrlCredentials.masked("https://ghp_t0ken@site.api.oneall.com"))
                .isEqualTo("https://****@site.api.oneall.com");
    }

    @Test
    void a_password_with_an_unescaped_at_sign_is_masked_up_to_the_host() {
        assertThat(UrlCredentials.masked("https://herald:p@ss@site.api.oneall.com/"))
                .isEqualTo("https://herald:****@site.api.oneall.com/");
    }

    @Test
    void password_parameters_are_masked_up_to_the_next_parameter() {
        assertThat(UrlCredentials.masked("jdbc:postgresql://db/herald?user=herald&password=s3 cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/herald?user=herald&password=****&ssl=true");
        assertThat(UrlCredentials.masked("jdbc:postgresql://db/herald?sslpassword=s3cret&PASSWORD=other"))
                .isEqualTo("jdbc:postgresql://db/herald?sslpassword=****&PASSWORD=****");
    }

    @Test
    void an_at_sign_after_the_host_is_no_user_information() {
        assertThat(UrlCredentials.masked("https://site.api.oneall.com/users?email=a@example.com"))
                .isEqualTo("https://site.api.oneall.com/users?email=a@example.com");
        assertThat(UrlCredentials.masked("jdbc:postgresql://db:5432/herald?user=a@b"))
                .isEqualTo("jdbc:postgresql://db:5432/herald?user=a@b");
    }

    @Test
    void urls_without_credentials_and_other_values_are_shown_as_they_are() {
        assertThat(UrlCredentials.masked("https://site.api.oneall.com")).isEqualTo("https://site.api.oneall.com");
        assertThat(UrlCredentials.masked("kafka-1:9092,kafka-2:9092")).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(UrlCredentials.masked("twitter=100,facebook=50")).isEqualTo("twitter=100,facebook=50");
        assertThat(UrlCredentials.masked(null)).isNull();
    }
}
