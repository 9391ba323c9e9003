package io.herald.console;

import static io.herald.console.Html.el;
import static io.herald.console.Html.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void text_is_escaped_wherever_it_goes() {
        var html = el("p").attr("title", "\"><script>alert(1)</script>")
                .with(text("<script>alert('x') & more</script>"))
                .render();

        assertThat(html)
                .isEqualTo("<p title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">"
                        + "&lt;script&gt;alert(&#39;x&#39;) &amp; more&lt;/script&gt;</p>");
    }

    @Test
    void a_link_from_data_cannot_run_script() {
        assertThat(el("a").attr("href", "javascript:alert(1)").text("x").render())
                .isEqualTo("<a href=\"#\">x</a>");
        assertThat(el("a").attr("href", " JavaScript:alert(1)").render()).contains("href=\"#\"");
        assertThat(el("a").attr("href", "data:text/html,<script>").render()).contains("href=\"#\"");
        assertThat(el("a").attr("href", "//evil.example/x").render()).contains("href=\"#\"");
        assertThat(el("a").attr("href", "https://example.com/a?b=1&c=2").render())
                .contains("href=\"https://example.com/a?b=1&amp;c=2\"");
        assertThat(el("a").attr("href", "/command?id=a").render()).contains("href=\"/command?id=a\"");
    }

    @Test
    void element_and_attribute_names_come_from_code_only() {
        assertThatThrownBy(() -> el("script src=x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> el("p").attr("onclick=\"x\" a", "1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void void_elements_have_no_end_tag_and_flags_no_value() {
        assertThat(el("input")
                        .attr("type", "checkbox")
                        .flag("checked", true)
                        .flag("disabled", false)
                        .render())
                .isEqualTo("<input type=\"checkbox\" checked>");
        assertThat(Html.document(el("html").attr("lang", "en")))
                .isEqualTo("<!doctype html>\n<html lang=\"en\"></html>");
    }

    @Test
    void null_text_and_null_attributes_render_as_nothing() {
        assertThat(el("td").attr("class", null).text(null).render()).isEqualTo("<td></td>");
    }
}
