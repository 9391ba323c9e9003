package io.herald.campaign;

import static io.herald.store.jdbc.Jdbc.update;

import io.herald.command.CommandStatus;
import io.herald.command.ErrorClass;
import io.herald.store.CampaignTables;
import io.herald.store.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The campaign tables as fan-out uses them: which parts of a campaign arrived, who publishes its message, how far each
 * part has fanned out. Every step is decided in one transaction holding the campaign's row, so two parts (or two
 * workers after a rebalance) never pick two publishers. The window counts the recipients fanned out minus those that
 * ended ({@code campaigns.recipients_ended}, kept by the ledger as they end).
 */
public final class CampaignStore {
    /** How many recipients in a row may be tried as the publisher when the publish fails for good. */
    public static final int MAX_PUBLISHERS = 3;

    /** A part of a campaign as consumed: its command id, its campaign, its parts JSON and its recipients. */
    public record Part(String commandId, String campaignId, String partsJson, int recipientOffset, int recipients) {}

    /** What a part does next. */
    public sealed interface Step {
        /** The part was fanned out completely before (a duplicate, or a redelivery after a crash at the very end). */
        record AlreadyFannedOut() implements Step {}

        /** The campaign is cancelled: the part sends nothing more. */
        record Cancelled() implements Step {}

        /** This part's recipient {@code index} is the campaign's publisher: send its {@code publish} command. */
        record Publish(int index) implements Step {}

        /** The message is not published yet; {@code reason} says what it waits for; {@code stalled}: nothing will change by itself. */
        record AwaitMessage(String reason, boolean stalled) implements Step {}

        /** As many recipients of the campaign as the window allows are on the topic and not ended yet. */
        record WindowFull(long outstanding) implements Step {}

        /** Fan out recipients {@code from} (inclusive) to {@code to} (exclusive) as re-publishes of {@code token}, skipping the publishers. */
        record FanOut(String token, int from, int to, List<String> publisherIds) implements Step {}
    }

    /** The campaign's row as a step reads it. */
    private record State(
            String status, List<String> publishers, boolean publishSent, String token, long fannedOut, long ended) {}

    private final Jdbc jdbc;

    public CampaignStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Registers the part (once) and decides its next step; at most {@code chunk} recipients per fan-out step. */
    public Step next(Part part, int window, int chunk) throws SQLException {
        return jdbc.inTransaction(connection -> {
            var campaign = register(connection, part);
            var partState = Jdbc.queryOne(
                            connection,
                            "SELECT state, fanned_out FROM campaign_parts WHERE campaign_id = ? AND command_id = ?",
                            row -> new String[] {row.getString(1), Integer.toString(row.getInt(2))},
                            part.campaignId(),
                            part.commandId())
                    .orElseThrow();
            if (partState[0].equals("fanned_out")) {
                return new Step.AlreadyFannedOut();
            }
            if (campaign.status().equals("cancelled") || partState[0].equals("cancelled")) {
                update(connection, CampaignTables.CANCEL_PART, part.campaignId(), part.commandId());
                return new Step.Cancelled();
            }
            var token = campaign.token() != null
                    ? campaign.token()
                    : publishedToken(connection, part, campaign.publishers()).orElse(null);
            if (token == null) {
                return publisherStep(connection, part, campaign);
            }
            long outstanding = Math.max(0, campaign.fannedOut() - campaign.ended());
            if (outstanding >= window) {
                return new Step.WindowFull(outstanding);
            }
            int fannedOut = Integer.parseInt(partState[1]);
            int to = (int) Math.min(part.recipients(), fannedOut + Math.min(window - outstanding, chunk));
            update(connection, CampaignTables.FAN_OUT_PART, part.campaignId(), part.commandId());
            return new Step.FanOut(token, fannedOut, to, campaign.publishers());
        });
    }

    /** The campaign and its part exist (once), the campaign counts its recipients, and its row is held for this step. */
    private static State register(Connection connection, Part part) throws SQLException {
        update(connection, CampaignTables.REGISTER, part.campaignId(), part.partsJson());
        int added = update(
                connection,
                CampaignTables.REGISTER_PART,
                part.campaignId(),
                part.commandId(),
                part.recipientOffset(),
                part.recipients());
        var state = Jdbc.queryOne(
                        connection,
                        """
                SELECT status, publisher_ids, publish_sent_at IS NOT NULL, sharing_message_token, recipients_ended,
                       (SELECT coalesce(sum(fanned_out), 0) FROM campaign_parts p WHERE p.campaign_id = k.campaign_id)
                  FROM campaigns k WHERE campaign_id = ? FOR UPDATE""",
                        row -> new State(
                                row.getString(1),
                                Arrays.asList((String[]) row.getArray(2).getArray()),
                                row.getBoolean(3),
                                row.getString(4),
                                row.getLong(6),
                                row.getLong(5)),
                        part.campaignId())
                .orElseThrow();
        if (added > 0) {
            update(connection, CampaignTables.COUNT_RECIPIENTS, part.campaignId(), part.campaignId());
        }
        return state;
    }

    /** The message's token once the current publisher's publish has one (it may still retry some providers). */
    private static Optional<String> publishedToken(Connection connection, Part part, List<String> publishers)
            throws SQLException {
        if (publishers.isEmpty()) {
            return Optional.empty();
        }
        var token = Jdbc.queryOne(
                connection,
                "SELECT sharing_message_token FROM sharing_messages WHERE command_id = ? ORDER BY created_at LIMIT 1",
                row -> row.getString(1),
                publishers.get(publishers.size() - 1));
        if (token.isPresent()) {
            update(connection, CampaignTables.MESSAGE_PUBLISHED, token.get(), part.campaignId());
        }
        return token;
    }

    /**
     * Without a message yet: the first part to get here picks its first recipient as the publisher. A publish that
     * failed for good with nothing published passes the role to the next recipient, up to {@link #MAX_PUBLISHERS};
     * one whose outcome is unknown does not, as the message may exist.
     */
    private static Step publisherStep(Connection connection, Part part, State campaign) throws SQLException {
        var publishers = campaign.publishers();
        if (publishers.isEmpty()) {
            return choosePublisher(connection, part, 0);
        }
        var current = publishers.get(publishers.size() - 1);
        if (!campaign.publishSent()) {
            int mine = indexInPart(part, current);
            return mine >= 0
                    ? new Step.Publish(mine)
                    : new Step.AwaitMessage("its publisher's part to send the publish", false);
        }
        var outcome = Jdbc.queryOne(
                connection,
                "SELECT status, last_error_class, last_error FROM commands WHERE command_id = ?",
                row -> new String[] {row.getString(1), row.getString(2), row.getString(3)},
                current);
        var status = outcome.map(o -> o[0]).orElse(null);
        if (!CommandStatus.DEAD_LETTERED.wireName().equals(status)) {
            return new Step.AwaitMessage(
                    "publish " + current + " (" + (status == null ? "not consumed yet" : status) + ")", false);
        }
        var errorClass = outcome.get()[1];
        boolean nothingPublished = List.of(
                        ErrorClass.PERMANENT.wireName(),
                        ErrorClass.INVALID.wireName(),
                        ErrorClass.EXHAUSTED.wireName(),
                        ErrorClass.CREDENTIALS.wireName())
                .contains(errorClass);
        if (nothingPublished && publishers.size() < MAX_PUBLISHERS) {
            for (int index = 0; index < part.recipients(); index++) {
                if (!publishers.contains(recipientId(part, index))) {
                    return choosePublisher(connection, part, index);
                }
            }
        }
        return new Step.AwaitMessage(
                "publish " + current + " was dead-lettered as " + errorClass + " (" + outcome.get()[2]
                        + "); replay it or cancel the campaign",
                true);
    }

    private static Step choosePublisher(Connection connection, Part part, int index) throws SQLException {
        update(connection, CampaignTables.CHOOSE_PUBLISHER, recipientId(part, index), part.campaignId());
        return new Step.Publish(index);
    }

    /** The publish command of the current publisher is on the topic. */
    public void publishSent(String campaignId) throws SQLException {
        jdbc.update(CampaignTables.PUBLISH_SENT, campaignId);
    }

    /** Kafka acknowledged the part's recipients up to {@code fannedOut} (exclusive). */
    public void fannedOut(Part part, int fannedOut) throws SQLException {
        jdbc.update(CampaignTables.FANNED_OUT, fannedOut, fannedOut, part.campaignId(), part.commandId());
    }

    static String recipientId(Part part, int index) {
        return part.campaignId() + ":" + (part.recipientOffset() + index);
    }

    private static int indexInPart(Part part, String commandId) {
        var prefix = part.campaignId() + ":";
        if (!commandId.startsWith(prefix)) {
            return -1;
        }
        try {
            int index = Integer.parseInt(commandId.substring(prefix.length())) - part.recipientOffset();
            return index >= 0 && index < part.recipients() ? index : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
