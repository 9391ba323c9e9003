package io.herald.process;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.command.api.Answers;
import io.herald.command.api.CallResult;
import io.herald.schema.Command;
import io.herald.store.Effects;

/** What a command's answer shows OneAll did, for the reporting tables: the message, its publications, a deletion. */
final class AnswerEffects {
    private AnswerEffects() {}

    /** The data of the last call's answer, when OneAll answered it. */
    static JsonNode callData(Attempt attempt) {
        return attempt.lastCall() != null && attempt.lastCall().result() instanceof CallResult.Answered answered
                ? answered.data()
                : null;
    }

    /** What {@code data} shows OneAll did for the command; {@code finished}: the command took effect. */
    static Effects of(Attempt attempt, JsonNode data, boolean finished) {
        var command = attempt.work().command;
        if (command instanceof Command.Delete delete) {
            return finished ? new Effects.Deleted(delete.sharingMessageToken()) : null;
        }
        var message = Answers.message(data);
        if (message.isEmpty()) {
            return null;
        }
        if (command instanceof Command.Refresh) {
            return new Effects.Refreshed(message.get());
        }
        var target = command instanceof Command.Publish publish
                ? publish.target()
                : command instanceof Command.Republish republish ? republish.target() : null;
        if (target == null) {
            return null;
        }
        var token = target instanceof io.herald.schema.Target.ForUser user
                ? user.userToken()
                : ((io.herald.schema.Target.ForIdentity) target).identityToken();
        boolean newMessage = command instanceof Command.Publish && attempt.progress() == null;
        var parts = command instanceof Command.Publish publish
                ? publish.sharingMessage().get("parts").toString()
                : null;
        return new Effects.Published(message.get(), token, newMessage, parts);
    }
}
