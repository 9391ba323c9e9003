package io.herald.console;

import static io.herald.console.Html.el;
import static io.herald.console.Html.text;
import static io.herald.console.JsonText.text;
import static io.herald.console.Widgets.badge;
import static io.herald.console.Widgets.section;
import static io.herald.console.Widgets.time;
import static io.herald.console.Widgets.url;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.campaign.CampaignLifecycle;
import io.herald.campaign.CampaignReport;
import io.herald.store.ConsoleQueries;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Campaigns: the list; one campaign's progress, message, short URLs and referral curve; its cancellation, confirmed first. */
final class CampaignsPage {
    private static final int CURVE_POINTS = 500;

    private final DataSource dataSource;
    private final ConsoleQueries queries;
    private final CampaignLifecycle lifecycle;

    CampaignsPage(DataSource dataSource, ConsoleQueries queries, CampaignLifecycle lifecycle) {
        this.dataSource = dataSource;
        this.queries = queries;
        this.lifecycle = lifecycle;
    }

    Response list(Request request) throws SQLException {
        var rows = new ArrayList<List<Html>>();
        for (var c : queries.campaigns(100)) {
            int percent = c.recipients() == 0 ? 0 : Math.min(100, Math.round(100f * c.ended() / c.recipients()));
            rows.add(List.of(
                    Widgets.link(url("/campaign", "id", c.campaignId()), c.campaignId()),
                    badge(c.status()),
                    text(c.recipients()),
                    progress(percent, c.campaignId()),
                    time(c.createdAt()),
                    time(c.endedAt())));
        }
        return Layout.page(request, "Campaigns")
                .refreshEvery(OverviewPage.REFRESH_SECONDS)
                .add(Widgets.table(
                        "The latest campaigns",
                        List.of("campaign", "status", "recipients", "ended", "started", "completed or cancelled"),
                        rows))
                .response();
    }

    Response show(Request request) throws SQLException {
        var campaignId = required(request);
        var found = CampaignReport.find(dataSource, campaignId);
        if (found.isEmpty()) {
            return Layout.error(request, 404, "No such campaign", "No campaign " + campaignId + " is recorded.");
        }
        var campaign = found.get();
        var progress = campaign.path("progress");
        var page = Layout.page(request, "Campaign " + campaignId);
        if ("active".equals(text(campaign, "status"))) {
            page.refreshEvery(OverviewPage.REFRESH_SECONDS);
        }
        return page.add(
                        section("Progress", progressOf(campaign, progress)),
                        section("Message", message(campaignId, campaign)),
                        section("Referrals", referrals(campaign)),
                        section("Recipients", recipientLinks(campaignId)),
                        section("Cancel", cancelLink(request, campaignId, text(campaign, "status"))))
                .response();
    }

    private static Html progressOf(JsonNode campaign, JsonNode progress) {
        long percent = progress.path("percent_ended").asLong();
        var shares = List.of(
                new Charts.Share("succeeded", progress.path("succeeded").asLong(), "succeeded"),
                new Charts.Share("partial", progress.path("partial").asLong(), "partial"),
                new Charts.Share("dead-lettered", progress.path("dead_lettered").asLong(), "dead_lettered"),
                new Charts.Share("cancelled", progress.path("cancelled").asLong(), "cancelled"),
                new Charts.Share("in flight", progress.path("in_flight").asLong(), "in_flight"),
                new Charts.Share(
                        "pending",
                        Math.max(
                                0,
                                progress.path("pending").asLong()
                                        - progress.path("in_flight").asLong()),
                        "pending"));
        return Html.join(
                el("p").cls("summary")
                        .with(
                                badge(text(campaign, "status")),
                                text(" " + percent + " % of "
                                        + progress.path("recipients").asLong() + " recipients ended")),
                progress((int) percent, text(campaign, "campaign_id")),
                Charts.stacked("Recipients by state", shares),
                Widgets.facts(
                        "Fanned out",
                        progress.path("fanned_out").asLong(),
                        "Sent (at least one call)",
                        progress.path("sent").asLong(),
                        "Parts received",
                        text(campaign, "parts"),
                        "Started",
                        time(text(campaign, "created_at")),
                        "Completed",
                        time(text(campaign, "completed_at")),
                        "Cancelled",
                        time(text(campaign, "cancelled_at"))));
    }

    private static Html progress(int percent, String label) {
        return el("progress")
                .attr("max", 100)
                .attr("value", percent)
                .attr("aria-label", "Progress of " + label)
                .text(percent + " %");
    }

    private Html message(String campaignId, JsonNode campaign) throws SQLException {
        var parts = queries.campaignParts(campaignId);
        var body = parts.map(JsonText::body).orElse(null);
        var urls = new ArrayList<List<Html>>();
        for (var u : campaign.path("short_urls")) {
            var shortUrl = text(u, "short_url");
            urls.add(List.of(
                    shortUrl != null && Html.safeUrl(shortUrl) ? Widgets.link(shortUrl, shortUrl) : text(shortUrl),
                    text(text(u, "original_url")),
                    text(text(u, "provider")),
                    Widgets.command(text(u, "command_id")),
                    text(text(u, "num_referrals"))));
        }
        return Html.join(
                Widgets.facts(
                        "Sharing message",
                        text(campaign, "sharing_message_token"),
                        "Text",
                        body == null ? null : el("span").cls("message").text(body)),
                parts.map(p -> el("details")
                                .with(
                                        el("summary").text("The message's parts, as the campaign gave them"),
                                        Widgets.pre(JsonText.pretty(p))))
                        .orElse(el("span")),
                Widgets.table(
                        "Short URLs with the most referrals (10 at most)",
                        List.of("short URL", "original URL", "provider", "command", "referrals"),
                        urls));
    }

    private Html referrals(JsonNode campaign) throws SQLException {
        var token = text(campaign, "sharing_message_token");
        var points = new ArrayList<Charts.Point>();
        if (token != null) {
            queries.referralCurve(token, CURVE_POINTS)
                    .forEach(p -> points.add(new Charts.Point(p.at(), p.referrals())));
        }
        var totals = campaign.path("referrals");
        return Html.join(
                Widgets.facts(
                        "Referrals in all",
                        totals.path("total").asLong(),
                        "Tracked short URLs",
                        totals.path("short_urls").asLong(),
                        "Publications",
                        totals.path("publications").asLong(),
                        "Last refresh",
                        time(text(campaign, "last_refresh_at"))),
                Charts.curve("Referrals over time (the total at each refresh of the message)", points));
    }

    private static Html recipientLinks(String campaignId) {
        return el("p").with(
                        Widgets.link(url("/commands", "q", campaignId), "The campaign's commands"),
                        text(" · "),
                        Widgets.link(url("/dead-letters", "campaign", campaignId), "its dead letters"));
    }

    private static Html cancelLink(Request request, String campaignId, String status) {
        if (!"active".equals(status)) {
            return Widgets.note("The campaign is " + status + ": there is nothing to cancel.");
        }
        if (request.operator() == null) {
            return Widgets.note(
                    request.readOnly()
                            ? "Cancelling needs HERALD_CONSOLE_TOKEN to be set."
                            : "Sign in to cancel the campaign.");
        }
        return el("p").with(el("a").cls("button danger")
                .attr("href", url("/campaign/cancel", "id", campaignId))
                .text("Cancel this campaign…"));
    }

    /** The confirmation step: what a cancellation does, and the one form that does it. */
    Response confirmCancel(Request request) throws SQLException {
        var campaignId = required(request);
        var campaign = CampaignReport.find(dataSource, campaignId)
                .orElseThrow(() -> new IllegalArgumentException("No campaign " + campaignId + " is recorded."));
        long pending = campaign.path("progress").path("pending").asLong();
        return Layout.page(request, "Cancel campaign " + campaignId + "?")
                .add(
                        Widgets.warning(
                                "Its " + pending
                                        + " recipient(s) not yet ended get nothing more: those waiting end cancelled now,"
                                        + " those still on the topic when a worker takes them. Calls already under way finish. This cannot be undone."),
                        el("p").with(
                                        Widgets.postForm(
                                                request,
                                                "/campaign/cancel",
                                                "Yes, cancel campaign " + campaignId,
                                                "danger",
                                                "id",
                                                campaignId,
                                                "confirm",
                                                "yes"),
                                        text(" "),
                                        Widgets.link(url("/campaign", "id", campaignId), "No, keep it running")))
                .response();
    }

    Response cancel(Request request) throws SQLException {
        var campaignId = required(request);
        if (!"yes".equals(request.param("confirm"))) {
            return Layout.error(
                    request, 400, "Not confirmed", "A cancellation must be confirmed; nothing was changed.");
        }
        boolean cancelled = lifecycle.cancel(campaignId);
        request.session()
                .flash(
                        cancelled
                                ? "Campaign " + campaignId + " is cancelled."
                                : "Campaign " + campaignId + " was not cancelled: it is unknown or cancelled already.");
        return Response.redirect(url("/campaign", "id", campaignId));
    }

    private static String required(Request request) {
        var campaignId = request.param("id");
        if (campaignId == null) {
            throw new IllegalArgumentException("Which campaign? The id is missing.");
        }
        return campaignId;
    }
}
