package io.herald.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.StaticJavaParser;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every module's main code reads like its models: no top-level class over 300 lines, counted from the first line of
 * its file (package, imports and comments included, as {@code wc -l} counts them), no method over 60. A class that
 * grows past that has taken on a second responsibility; split it by responsibility, not in halves.
 */
class CodeShapeTest {
    private static final int MAX_CLASS_LINES = 300;
    private static final int MAX_METHOD_LINES = 60;
    private static final List<String> MODULES = List.of("schema", "migrations", "sandbox", "embedded", "worker", "dev");
    private static final List<Path> SOURCES = new ArrayList<>();

    @BeforeAll
    static void findTheSources() throws IOException {
        StaticJavaParser.getParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17);
        for (var module : MODULES) {
            var root = Path.of("..", module, "src", "main", "java");
            if (Files.isDirectory(root)) {
                try (Stream<Path> files = Files.walk(root)) {
                    files.filter(file -> file.toString().endsWith(".java")).forEach(SOURCES::add);
                }
            }
        }
        assertThat(SOURCES)
                .as("main sources found from %s", Path.of("").toAbsolutePath())
                .hasSizeGreaterThan(100);
    }

    @Test
    void no_class_is_over_300_lines() throws IOException {
        var tooLong = new ArrayList<String>();
        for (var source : SOURCES) {
            for (TypeDeclaration<?> type : StaticJavaParser.parse(source).getTypes()) {
                int lines = type.getRange().map(range -> range.end.line).orElse(0);
                if (lines > MAX_CLASS_LINES) {
                    tooLong.add(type.getNameAsString() + " (" + source + "): " + lines + " lines");
                }
            }
        }
        assertThat(tooLong).as("classes over %d lines", MAX_CLASS_LINES).isEmpty();
    }

    @Test
    void no_method_is_over_60_lines() throws IOException {
        var tooLong = new ArrayList<String>();
        for (var source : SOURCES) {
            for (CallableDeclaration<?> method : StaticJavaParser.parse(source).findAll(CallableDeclaration.class)) {
                int lines = lines(method);
                if (lines > MAX_METHOD_LINES) {
                    tooLong.add(method.getNameAsString() + " (" + source + "): " + lines + " lines");
                }
            }
        }
        assertThat(tooLong).as("methods over %d lines", MAX_METHOD_LINES).isEmpty();
    }

    private static int lines(com.github.javaparser.ast.Node node) {
        return node.getRange()
                .map(range -> range.end.line - range.begin.line + 1)
                .orElse(0);
    }
}
