package io.herald.process;

import io.herald.command.Progress;
import io.herald.schema.Command;
import io.herald.schema.Target;
import java.util.List;

/** Which providers' rate limits a command's call counts against: a push's network, a publish's providers for its user. */
final class Providers {
    /** The limit of calls whose provider Herald cannot know (a publish for an identity, a delete, a refresh). */
    static final String SHARING = "sharing";

    private Providers() {}

    static List<String> of(Command command, Progress progress) {
        if (command instanceof Command.Push push) {
            return List.of(push.endpoint().endpoint().provider());
        }
        Target target = command instanceof Command.Publish publish
                ? publish.target()
                : command instanceof Command.Republish republish ? republish.target() : null;
        if (target instanceof Target.ForUser user) {
            return progress != null && !progress.remainingProviders().isEmpty()
                    ? progress.remainingProviders()
                    : user.providers();
        }
        return List.of(SHARING);
    }
}
