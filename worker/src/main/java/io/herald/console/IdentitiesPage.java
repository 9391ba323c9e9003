package io.herald.console;

import static io.herald.console.Html.el;
import static io.herald.console.Html.text;
import static io.herald.console.Widgets.section;
import static io.herald.console.Widgets.time;

import io.herald.store.ConsoleQueries;
import io.herald.store.IdentityHolds;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Identities whose commands wait because OneAll refused their credentials, with resume; and the holds that ended lately. */
final class IdentitiesPage {
    private final IdentityHolds holds;
    private final ConsoleQueries queries;

    IdentitiesPage(IdentityHolds holds, ConsoleQueries queries) {
        this.holds = holds;
        this.queries = queries;
    }

    Response list(Request request) throws SQLException {
        var rows = new ArrayList<List<Html>>();
        for (var hold : holds.held()) {
            rows.add(List.of(
                    Widgets.link(Widgets.url("/commands", "q", hold.routingKey()), hold.routingKey()),
                    Widgets.command(hold.commandId()),
                    text(hold.httpStatus() == null ? "–" : hold.httpStatus()),
                    el("span").cls("error").text(hold.reason()),
                    time(hold.heldAt()),
                    time(hold.expiresAt()),
                    text(hold.waiting()),
                    resume(request, hold.routingKey())));
        }
        var released = new ArrayList<List<Html>>();
        for (var hold : queries.releasedHolds(20)) {
            released.add(List.of(
                    text(hold.routingKey()),
                    time(hold.heldAt()),
                    hold.resumedAt() == null ? text("expired") : time(hold.resumedAt()),
                    text(hold.resumedBy() == null ? "–" : hold.resumedBy()),
                    time(hold.endedAt())));
        }
        return Layout.page(request, "Identities held for credentials")
                .add(
                        Widgets.note(
                                "When OneAll refuses an identity's credentials while the site's keys are good, the identity's commands wait"
                                        + " until an operator resumes it (after the user reconnected the account) or the hold expires and they are dead-lettered."),
                        section(
                                "Held now",
                                Widgets.table(
                                        "Identities whose commands wait",
                                        List.of(
                                                "identity",
                                                "command",
                                                "HTTP",
                                                "reason",
                                                "held",
                                                "expires",
                                                "waiting",
                                                "action"),
                                        rows)),
                        section(
                                "Released lately",
                                Widgets.table(
                                        "Holds resumed or expired lately",
                                        List.of("identity", "held", "resumed", "by", "expired"),
                                        released)))
                .response();
    }

    private static Html resume(Request request, String routingKey) {
        if (request.operator() == null) {
            return text(request.readOnly() ? "read-only" : "sign in to resume");
        }
        return Widgets.postForm(request, "/identities/resume", "Resume", null, "routing_key", routingKey);
    }

    Response resume(Request request) throws SQLException {
        var routingKey = request.param("routing_key");
        if (routingKey == null) {
            throw new IllegalArgumentException("Which identity? The routing key is missing.");
        }
        boolean resumed = holds.resume(routingKey, request.actor());
        request.session()
                .flash(
                        resumed
                                ? "Identity " + routingKey + " is resumed: its waiting commands are due now."
                                : "Identity " + routingKey + " is not held (resumed or expired already).");
        return Response.redirect("/identities");
    }
}
