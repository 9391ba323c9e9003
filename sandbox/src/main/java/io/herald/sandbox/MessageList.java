package io.herald.sandbox;

import java.util.ArrayList;
import java.util.Collections;

/**
 * {@code GET /sharing/messages.json}, paginated as OneAll's lists are: {@code page} from 1,
 * {@code entries_per_page} 250 by default and at most 500, {@code order_direction} on {@code date_creation},
 * ascending by default. Out-of-range values fall back as OneAll's PHP SDK makes them: a page below 1 is
 * page 1, a size outside 1..500 is 250.
 */
final class MessageList {
    static final int DEFAULT_ENTRIES_PER_PAGE = 250;
    static final int MAX_ENTRIES_PER_PAGE = 500;

    private MessageList() {}

    static Answer page(SandboxSite site, ApiCall call) {
        int perPage = call.intParam("entries_per_page", DEFAULT_ENTRIES_PER_PAGE);
        if (perPage < 1 || perPage > MAX_ENTRIES_PER_PAGE) {
            perPage = DEFAULT_ENTRIES_PER_PAGE;
        }
        int current = Math.max(1, call.intParam("page", 1));
        boolean descending = "desc".equalsIgnoreCase(call.param("order_direction"));
        var all = new ArrayList<>(site.messagesByCreation());
        if (descending) {
            Collections.reverse(all);
        }
        var list = Json.NODES.objectNode();
        list.putObject("pagination")
                .put("current_page", current)
                .put("total_pages", Math.max(1, (all.size() + perPage - 1) / perPage))
                .put("entries_per_page", perPage)
                .put("total_entries", all.size())
                .putObject("order")
                .put("field", "date_creation")
                .put("direction", descending ? "desc" : "asc");
        long first = (long) (current - 1) * perPage;
        var onPage = all.subList((int) Math.min(first, all.size()), (int) Math.min(first + perPage, all.size()));
        list.put("count", onPage.size());
        if (!onPage.isEmpty()) {
            var entries = list.putArray("entries");
            onPage.forEach(message -> entries.add(MessageJson.summary(message)));
        }
        var data = Json.NODES.objectNode();
        data.set("sharing_messages", list);
        return Answer.read(data);
    }
}
