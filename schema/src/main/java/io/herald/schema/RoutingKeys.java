package io.herald.schema;

/**
 * The one place that says which key a command is produced with: the identity token for
 * push and {@code publish_for_identity}, the user token for {@code publish_for_user}, the campaign
 * id for a campaign, the sharing message token for delete and refresh.
 */
public final class RoutingKeys {
    private RoutingKeys() {}

    public static String of(Command command) {
        if (command instanceof Command.Push push) {
            return push.identityToken();
        } else if (command instanceof Command.Publish publish) {
            return publish.target().routingToken();
        } else if (command instanceof Command.Republish republish) {
            return republish.target().routingToken();
        } else if (command instanceof Command.Campaign campaign) {
            return campaign.campaignId();
        } else if (command instanceof Command.Delete delete) {
            return delete.sharingMessageToken();
        } else if (command instanceof Command.Refresh refresh) {
            return refresh.sharingMessageToken();
        }
        throw new IllegalArgumentException("unknown command " + command.getClass());
    }
}
