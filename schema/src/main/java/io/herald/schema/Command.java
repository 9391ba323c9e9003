package io.herald.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A valid Herald command, in the format of docs/commands.md. Instances come only from {@link CommandReader}, so holding
 * one means every rule was checked. {@link #json()} is the command as it was received; the nodes
 * named after OneAll's ({@code sharing_message}, {@code push}) are sent to OneAll as they are.
 */
public sealed interface Command {

    Envelope envelope();

    CommandType type();

    /** The command as received. Treat it as read-only. */
    ObjectNode json();

    default String commandId() {
        return envelope().commandId();
    }

    /** The Kafka key: commands for one social account land on one partition, in order. */
    default String routingKey() {
        return RoutingKeys.of(this);
    }

    /**
     * The fields every command has.
     *
     * @param notBefore when set, the command is not sent to OneAll before this instant; an instant
     *                  in the past means now. A campaign passes it on to every recipient it fans out.
     */
    record Envelope(
            String commandId,
            Optional<Instant> createdAt,
            Optional<String> campaignId,
            Map<String, String> metadata,
            Optional<Instant> notBefore) {
        public Envelope {
            metadata = Map.copyOf(metadata);
        }

        /** An envelope without {@code not_before}: the command is sent as soon as it is consumed. */
        public Envelope(
                String commandId,
                Optional<Instant> createdAt,
                Optional<String> campaignId,
                Map<String, String> metadata) {
            this(commandId, createdAt, campaignId, metadata, Optional.empty());
        }
    }

    /** {@code publish}: {@code POST /sharing/messages.json} with {@code sharing_message}. */
    record Publish(Envelope envelope, ObjectNode sharingMessage, Target target, ObjectNode json) implements Command {
        @Override
        public CommandType type() {
            return CommandType.PUBLISH;
        }
    }

    /** {@code republish}: {@code POST /sharing/messages/<token>.json} with {@code sharing_message}. */
    record Republish(
            Envelope envelope, String sharingMessageToken, ObjectNode sharingMessage, Target target, ObjectNode json)
            implements Command {
        @Override
        public CommandType type() {
            return CommandType.REPUBLISH;
        }
    }

    /** {@code push}: {@code POST /push/identities/<identity_token>/<endpoint>.json} with {@code push}. */
    record Push(
            Envelope envelope, String identityToken, PushEndpoint.Resolved endpoint, ObjectNode push, ObjectNode json)
            implements Command {
        @Override
        public CommandType type() {
            return CommandType.PUSH;
        }
    }

    /** {@code delete}: {@code DELETE /sharing/messages/<token>.json?confirm_deletion=true}. */
    record Delete(Envelope envelope, String sharingMessageToken, ObjectNode json) implements Command {
        @Override
        public CommandType type() {
            return CommandType.DELETE;
        }
    }

    /** {@code refresh}: {@code GET /sharing/messages/<token>.json}, publications and referral counts upserted. */
    record Refresh(Envelope envelope, String sharingMessageToken, ObjectNode json) implements Command {
        @Override
        public CommandType type() {
            return CommandType.REFRESH;
        }
    }

    /**
     * {@code campaign}: one message for many recipients. Recipient {@code i} of this command has the
     * fan-out id {@code <campaign_id>:<recipientOffset + i>}.
     */
    record Campaign(
            Envelope envelope,
            String campaignId,
            ObjectNode parts,
            List<Target> recipients,
            int recipientOffset,
            ObjectNode json)
            implements Command {
        public Campaign {
            recipients = List.copyOf(recipients);
        }

        @Override
        public CommandType type() {
            return CommandType.CAMPAIGN;
        }

        /** The command id of recipient {@code index} of this command. */
        public String recipientCommandId(int index) {
            return campaignId + ":" + (recipientOffset + index);
        }
    }
}
