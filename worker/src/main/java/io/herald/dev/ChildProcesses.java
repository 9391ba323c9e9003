package io.herald.dev;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Child processes of dev mode are ended when this JVM exits, however it exits short of kill -9. */
final class ChildProcesses {
    private static final Set<Process> children = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> children.forEach(Process::destroyForcibly),
                "herald-child-reaper"));
    }

    private ChildProcesses() {}

    static void destroyOnExit(Process process) {
        children.add(process);
        process.onExit().thenRun(() -> children.remove(process));
    }
}
