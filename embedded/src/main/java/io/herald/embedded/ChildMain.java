package io.herald.embedded;

import java.util.Arrays;

/**
 * Runs another main class (Kafka's broker or storage tool) in a child JVM that ends when its parent
 * does, however the parent ends (kill -9 included), so dev mode and the tests never leave an
 * orphaned broker behind.
 */
public final class ChildMain {
    private ChildMain() {}

    public static void main(String[] args) throws Exception {
        var parent = ProcessHandle.current().parent();
        var watchdog = new Thread(
                () -> {
                    while (parent.map(ProcessHandle::isAlive).orElse(false)) {
                        try {
                            Thread.sleep(500);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    System.err.println("the parent process is gone; stopping");
                    System.exit(0);
                },
                "herald-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Class.forName(args[0]).getMethod("main", String[].class).invoke(null, (Object)
                Arrays.copyOfRange(args, 1, args.length));
    }
}
