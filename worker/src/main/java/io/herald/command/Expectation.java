package io.herald.command;

import io.herald.schema.Command;
import io.herald.schema.Target;
import java.util.List;

/**
 * What a successful answer to a call must show, so that the classifier can tell an answer that did what was asked
 * from one that only looks like it: a publish must name its new message; a publish or re-publish is judged by the
 * publications of its own target (another recipient's failure is not this command's).
 *
 * @param kind      what the call is
 * @param target    the user or identity token a publish or re-publish is for, else null
 * @param providers the providers a publish or re-publish for a user asks for (empty for an identity)
 */
public record Expectation(Kind kind, String target, List<String> providers) {
    public enum Kind {
        READ,
        PUSH,
        DELETE,
        PUBLISH,
        REPUBLISH
    }

    public Expectation {
        providers = List.copyOf(providers);
    }

    public static Expectation read() {
        return new Expectation(Kind.READ, null, List.of());
    }

    /** What the command's own call must show; {@code providers} narrows a re-publish of a publish's missing providers. */
    public static Expectation of(Command command, List<String> providers) {
        if (command instanceof Command.Publish publish) {
            return forTarget(Kind.PUBLISH, publish.target(), providers);
        } else if (command instanceof Command.Republish republish) {
            return forTarget(Kind.REPUBLISH, republish.target(), providers);
        } else if (command instanceof Command.Push) {
            return new Expectation(Kind.PUSH, null, List.of());
        } else if (command instanceof Command.Delete) {
            return new Expectation(Kind.DELETE, null, List.of());
        }
        return read();
    }

    private static Expectation forTarget(Kind kind, Target target, List<String> providers) {
        if (target instanceof Target.ForUser user) {
            return new Expectation(kind, user.userToken(), providers == null ? user.providers() : providers);
        }
        return new Expectation(kind, ((Target.ForIdentity) target).identityToken(), List.of());
    }

    /** Whether making the call twice has no further effect. */
    public boolean idempotent() {
        return kind == Kind.READ;
    }
}
