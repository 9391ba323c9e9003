package io.herald.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.StaticJavaParser;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.expr.TextBlockLiteralExpr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each table has one owner: every statement that writes it (INSERT, UPDATE, DELETE, COPY, TRUNCATE, an upsert's ON
 * CONFLICT included) is a string in one class of the worker's main code, where its lock order can be read. A
 * statement that writes several tables at once is put together from the owners' fragments. The tables are those the
 * migrations create; the writes are found in the string literals and text blocks of each file, by its file's name.
 */
class TableOwnersTest {
    /** Each table's one owner. */
    private static final Map<String, String> OWNERS = Map.ofEntries(
            Map.entry("commands", "LedgerSql"),
            Map.entry("parked", "LedgerSql"),
            Map.entry("outbox", "OutboxStore"),
            Map.entry("dead_letters", "DeadLetterStore"),
            Map.entry("identity_holds", "IdentityHolds"),
            Map.entry("campaigns", "CampaignTables"),
            Map.entry("campaign_parts", "CampaignTables"),
            Map.entry("partition_leases", "Fence"),
            Map.entry("sharing_messages", "Reporting"),
            Map.entry("publications", "Reporting"),
            Map.entry("short_urls", "Reporting"),
            Map.entry("referral_samples", "Reporting"));

    private static final Pattern WRITE = Pattern.compile(
            "\\b(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|COPY|TRUNCATE(?:\\s+TABLE)?)\\s+(?:ONLY\\s+)?(\\w+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CREATE = Pattern.compile("CREATE\\s+TABLE\\s+(\\w+)", Pattern.CASE_INSENSITIVE);

    private static final Set<String> TABLES = new TreeSet<>();
    private static final Map<String, Set<String>> WRITERS = new TreeMap<>();

    @BeforeAll
    static void readTheTablesAndTheirWriters() throws IOException {
        StaticJavaParser.getParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17);
        try (Stream<Path> migrations =
                Files.list(Path.of("..", "migrations", "src", "main", "resources", "db", "migration"))) {
            for (var migration : migrations.toList()) {
                var creates = CREATE.matcher(Files.readString(migration));
                while (creates.find()) {
                    TABLES.add(creates.group(1).toLowerCase());
                }
            }
        }
        assertThat(TABLES).as("tables created by the migrations").contains("commands", "parked", "outbox");
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            for (var file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                var owner = file.getFileName().toString().replace(".java", "");
                var unit = StaticJavaParser.parse(file);
                Stream.concat(
                                unit.findAll(StringLiteralExpr.class).stream().map(StringLiteralExpr::asString),
                                unit.findAll(TextBlockLiteralExpr.class).stream()
                                        .map(TextBlockLiteralExpr::asString))
                        .flatMap(TableOwnersTest::tablesWritten)
                        .forEach(table -> WRITERS.computeIfAbsent(table, t -> new TreeSet<>())
                                .add(owner));
            }
        }
        assertThat(WRITERS).as("tables written in src/main/java").containsKeys("commands", "parked");
    }

    static Stream<String> tablesWritten(String sql) {
        return WRITE.matcher(sql)
                .results()
                .map(write -> write.group(1).toLowerCase())
                .filter(TABLES::contains);
    }

    @Test
    void each_table_is_written_by_its_owner_alone() {
        var spread = new TreeMap<String, Set<String>>();
        WRITERS.forEach((table, writers) -> {
            if (!Set.of(OWNERS.getOrDefault(table, "?")).equals(writers)) {
                spread.put(table, writers);
            }
        });
        assertThat(spread)
                .as("tables written elsewhere than by their owner %s", OWNERS)
                .isEmpty();
    }

    @Test
    void the_development_guide_names_each_table_s_owner() throws IOException {
        var lines = Files.readAllLines(Path.of("..", "docs", "development.md"));
        OWNERS.forEach((table, owner) -> assertThat(lines)
                .as("docs/development.md names %s as the owner of %s", owner, table)
                .anyMatch(line ->
                        line.startsWith("| ") && line.contains("`" + table + "`") && line.contains("`" + owner + "`")));
    }

    @Test
    void the_scan_finds_writes_and_passes_over_locks_and_reads() {
        assertThat(tablesWritten("UPDATE commands AS c SET status = 'pending' WHERE id IN (SELECT 1 FROM parked)"))
                .containsExactly("commands");
        assertThat(tablesWritten("WITH a AS (DELETE FROM parked) INSERT INTO outbox SELECT * FROM a"))
                .containsExactly("parked", "outbox");
        assertThat(tablesWritten("INSERT INTO commands AS c VALUES (?) ON CONFLICT (command_id) DO UPDATE SET x = 1"))
                .containsExactly("commands");
        assertThat(tablesWritten("SELECT * FROM commands c JOIN parked p USING (command_id) FOR UPDATE OF c"))
                .isEmpty();
    }
}
