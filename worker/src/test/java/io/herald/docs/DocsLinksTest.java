package io.herald.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The repository's documentation leads somewhere, and only inside the repository or to sites it may name.
 * README.md and every docs/*.md fail, naming file and line, for:
 * <ul>
 * <li>a link or image whose relative target does not exist in the repository, or leaves it, or points to the
 * notes kept outside it ({@code ../} followed by {@code shared});</li>
 * <li>a link to a heading ({@code #anchor}, {@code other.md#anchor}) that no heading of that file makes;</li>
 * <li>an absolute link (inline, reference, autolink or bare URL) to a site outside {@link #ALLOWED_HOSTS}, or a link
 * of another scheme ({@code mailto:}, {@code file:}, ...);</li>
 * <li>any text at all, code included, naming those notes or a section of the contract they hold ("contract"
 * followed by a section sign): the project's own docs are what it cites.</li>
 * </ul>
 * Absolute links may go to OneAll's own site ({@code oneall.com} and its subdomains, and {@code oal.lu}, its short
 * URLs), to the public pages of projects Herald builds on ({@code kafka.apache.org}, {@code www.postgresql.org},
 * {@code vertx.io}, {@code prometheus.io}, {@code kubernetes.io}), to the domains reserved for examples
 * ({@code example.com}, {@code example.org}, {@code example.net}, RFC 2606), and to the reader's own machine
 * ({@code localhost}, {@code 127.0.0.1}). Nothing else: a link elsewhere is a dependency on a page the project does
 * not control.
 */
class DocsLinksTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Kept apart in the source, so that this file does not contain what it looks for. */
    private static final String NOTES = "../" + "shared";

    private static final String CONTRACT_SECTION = "contract \u00a7";

    /** Hosts allowed with their subdomains. */
    static final Set<String> ALLOWED_HOSTS = Set.of(
            "oneall.com",
            "oal.lu",
            "kafka.apache.org",
            "postgresql.org",
            "vertx.io",
            "prometheus.io",
            "kubernetes.io",
            "example.com",
            "example.org",
            "example.net",
            "localhost",
            "127.0.0.1");

    /**
     * Files the repository scan leaves out. README.md is read by the link test, which looks for the same texts. An
     * applied migration can never change: Flyway checksums every line, comments included, and would refuse every
     * database migrated from the old text.
     */
    private static final Set<String> NOT_SCANNED = Set.of(
            "README.md", "migrations/src/main/resources/db/migration/V1__create_ledger_and_reporting_tables.sql");

    static Stream<String> documents() throws IOException {
        var docs = new ArrayList<String>(List.of("README.md"));
        try (var files = Files.list(ROOT.resolve("docs"))) {
            files.filter(file -> file.toString().endsWith(".md"))
                    .map(file -> "docs/" + file.getFileName())
                    .sorted()
                    .forEach(docs::add);
        }
        return docs.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void every_link_leads_into_the_repository_or_to_an_allowed_site(String document) throws IOException {
        var file = ROOT.resolve(document);

        assertThat(problems(file, Files.readAllLines(file, StandardCharsets.UTF_8)))
                .as("the links and texts of %s", document)
                .isEmpty();
    }

    @Test
    void no_file_of_the_repository_names_the_notes_outside_it_or_a_contract_section() throws IOException {
        var problems = new ArrayList<String>();
        try (var files = Files.walk(ROOT)) {
            for (var file : files.filter(Files::isRegularFile)
                    .filter(DocsLinksTest::scanned)
                    .sorted()
                    .toList()) {
                var bytes = Files.readAllBytes(file);
                if (!isText(bytes)) {
                    continue;
                }
                problems.addAll(textProblems(file, List.of(new String(bytes, StandardCharsets.UTF_8).split("\n", -1))));
            }
        }

        assertThat(problems).as("cite docs/*.md instead").isEmpty();
    }

    @Test
    void the_check_finds_each_kind_of_broken_link_and_nothing_in_code() {
        var lines = List.of(
                "# Example",
                "[fine](configuration.md), [also fine](../worker/pom.xml), [here](#example), ![logo](cli.md)",
                "[gone](missing.md)",
                "[out](../../elsewhere.md)",
                "[notes](" + NOTES + "/oneall-api.md)",
                "see https://www.google.com/search for more",
                "[mail](mailto:someone@example.com)",
                "[anchor](#nowhere) and [theirs](configuration.md#nowhere)",
                "as the " + CONTRACT_SECTION + "2 says",
                "`[code](missing.md)` and <https://docs.oneall.com/api/> are fine",
                "```",
                "[fenced](missing.md) https://www.google.com/",
                "```");

        var flagged = problems(ROOT.resolve("docs/example.md"), lines).stream()
                .map(problem -> problem.split(":")[1])
                .toList();

        assertThat(flagged).containsExactly("3", "4", "5", "5", "6", "7", "8", "8", "9");
    }

    /** What is wrong with the file's links and texts, one "file:line: why" each. */
    static List<String> problems(Path file, List<String> lines) {
        var problems = textProblems(file, lines);
        for (var link : MarkdownLinks.links(lines)) {
            var why = link.target().contains(NOTES)
                    ? "links to the notes outside the repository"
                    : check(file, lines, link.target());
            if (why != null) {
                problems.add(relative(file) + ":" + link.line() + ": " + why + ": " + link.target());
            }
        }
        problems.sort(Comparator.comparingInt(problem -> Integer.parseInt(problem.split(":")[1])));
        return problems;
    }

    /** The lines naming the notes outside the repository or a contract section, one "file:line: why" each. */
    private static List<String> textProblems(Path file, List<String> lines) {
        var problems = new ArrayList<String>();
        for (int i = 0; i < lines.size(); i++) {
            var line = i + 1;
            forbiddenText(lines.get(i)).ifPresent(text -> problems.add(relative(file) + ":" + line + ": " + text));
        }
        return problems;
    }

    private static Optional<String> forbiddenText(String line) {
        if (line.contains(NOTES)) {
            return Optional.of("names the notes outside the repository (" + NOTES + ")");
        }
        return line.contains(CONTRACT_SECTION)
                ? Optional.of("cites a contract section (" + CONTRACT_SECTION + ")")
                : Optional.empty();
    }

    /** Why the link leads nowhere it may, or null. */
    private static String check(Path file, List<String> lines, String target) {
        if (target.isEmpty()) {
            return "an empty link";
        }
        var scheme = target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")
                ? target.substring(0, target.indexOf(':')).toLowerCase(Locale.ROOT)
                : null;
        if (scheme != null) {
            return scheme.equals("http") || scheme.equals("https") ? allowedSite(target) : "a " + scheme + ": link";
        }
        int hash = target.indexOf('#');
        var path = decoded(hash < 0 ? target : target.substring(0, hash)).replaceFirst("\\?.*$", "");
        var resolved = (path.startsWith("/")
                        ? ROOT.resolve(path.substring(1))
                        : file.getParent().resolve(path))
                .normalize();
        if (!resolved.startsWith(ROOT)) {
            return "leaves the repository";
        }
        if (!path.isEmpty() && !Files.exists(resolved)) {
            return "no such file in the repository";
        }
        if (hash < 0 || !(path.isEmpty() || path.endsWith(".md"))) {
            return null;
        }
        return MarkdownLinks.anchors(path.isEmpty() ? lines : read(resolved)).contains(target.substring(hash + 1))
                ? null
                : "no such heading";
    }

    private static String allowedSite(String url) {
        try {
            var host = URI.create(url).getHost();
            if (host != null) {
                var name = host.toLowerCase(Locale.ROOT);
                if (ALLOWED_HOSTS.stream().anyMatch(allowed -> name.equals(allowed) || name.endsWith("." + allowed))) {
                    return null;
                }
            }
            return "a link to a site outside the allow-list";
        } catch (IllegalArgumentException e) {
            return "an unreadable URL";
        }
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String decoded(String path) {
        try {
            return new URI(path).getPath();
        } catch (URISyntaxException e) {
            return path;
        }
    }

    private static boolean scanned(Path file) {
        var relative = relative(file);
        return !NOT_SCANNED.contains(relative)
                && Stream.of(relative.split("/"))
                        .noneMatch(part -> Set.of("target", ".git", ".idea", "node_modules")
                                .contains(part));
    }

    /** Text as far as a check can tell: no NUL byte (a class file, a jar or an image has some). */
    private static boolean isText(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return false;
            }
        }
        return true;
    }

    private static String relative(Path file) {
        return ROOT.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }
}
