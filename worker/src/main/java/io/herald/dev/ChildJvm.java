package io.herald.dev;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a child JVM on this JVM's class path, ended with its parent ({@link ChildMain}). */
public final class ChildJvm {
    private ChildJvm() {}

    public static List<String> command(String maxHeap, String mainClass, String... args) {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        command.add("-XX:+UseG1GC");
        command.add("-Dlogback.configurationFile=herald-child-logback.xml");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChildMain.class.getName());
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }
}
