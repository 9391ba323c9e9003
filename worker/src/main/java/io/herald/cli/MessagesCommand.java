package io.herald.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.command.api.Answers;
import io.herald.command.api.CallResult;
import io.herald.command.api.MessagePage;
import io.herald.command.api.Requests;
import io.herald.command.api.SharingMessage;
import io.herald.config.HeraldConfig;
import io.herald.config.Setting.Need;
import io.herald.store.MessageImport;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code herald messages}: the site's sharing messages as OneAll lists them, a page at a time with OneAll's pagination;
 * {@code --import} records each listed message, with its publications and tracked short URLs, in the reporting tables.
 */
@Command(
        name = "messages",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the site's sharing messages from OneAll (GET /sharing/messages.json) with OneAll's pagination.",
            "--import reads each listed message (GET /sharing/messages/<token>.json) and records it with its publications and"
                    + " tracked short URLs in the reporting tables; importing a message again adds nothing.",
            "Needs ONEALL_API_URL, ONEALL_PUBLIC_KEY and ONEALL_PRIVATE_KEY, and HERALD_DATABASE_URL with --import."
        })
public final class MessagesCommand implements Callable<Integer> {
    /** OneAll's page sizes: 250 unless asked, at most 500. */
    static final int DEFAULT_PER_PAGE = 250;

    static final int MAX_PER_PAGE = 500;

    @Spec
    CommandSpec spec;

    @Option(names = "--page", paramLabel = "N", description = "the page to list, from 1 (default: ${DEFAULT-VALUE})")
    int page = 1;

    @Option(
            names = "--per-page",
            paramLabel = "N",
            description = "messages per page, 1 to 500 (default: ${DEFAULT-VALUE})")
    int perPage = DEFAULT_PER_PAGE;

    @Option(
            names = "--newest-first",
            description = "newest messages first (default: oldest first, by date of creation)")
    boolean newestFirst;

    @Option(names = "--all", description = "list every page from --page on, not only that one")
    boolean all;

    @Option(names = "--json", description = "print each page as one JSON object per line")
    boolean json;

    @Option(
            names = "--import",
            description = "read each listed message and record it in the reporting tables (needs HERALD_DATABASE_URL)")
    boolean importing;

    @Override
    public Integer call() throws Exception {
        if (page < 1) {
            throw new ParameterException(spec.commandLine(), "--page must be at least 1, got " + page);
        }
        if (perPage < 1 || perPage > MAX_PER_PAGE) {
            throw new ParameterException(
                    spec.commandLine(), "--per-page must be between 1 and " + MAX_PER_PAGE + ", got " + perPage);
        }
        var config = HeraldConfig.fromEnvironment();
        config.require(importing ? new Need[] {Need.ONEALL, Need.DATABASE} : new Need[] {Need.ONEALL});
        try (var oneall = OneAllSession.open(config);
                var database = importing ? Connections.database(config) : null) {
            var imports = database == null ? null : new MessageImport(database);
            int unread = 0;
            for (int current = page; ; current++) {
                var listed = Answers.messagePage(oneall.data(
                        Requests.listMessages(current, perPage, newestFirst), "listing the site's messages"));
                var read = imports == null ? null : read(oneall, listed);
                var added = read == null ? null : imports.importMessages(read);
                unread += read == null ? 0 : listed.entries().size() - read.size();
                print(System.out, listed, added);
                if (!all || listed.entries().isEmpty() || current >= listed.totalPages()) {
                    break;
                }
            }
            return unread == 0 ? ExitCodes.OK : ExitCodes.RUNTIME;
        }
    }

    /** The listed messages read in full; one that could not be read is reported on stderr and left out. */
    private static List<SharingMessage> read(OneAllSession oneall, MessagePage listed) {
        var calls = listed.entries().stream()
                .filter(entry -> entry.token() != null)
                .map(entry -> Requests.readMessage(entry.token()))
                .toList();
        var results = oneall.all(calls);
        var messages = new ArrayList<SharingMessage>();
        for (int i = 0; i < calls.size(); i++) {
            var result = results.get(i);
            var message = result instanceof CallResult.Answered answered && answered.httpStatus() == 200
                    ? Answers.message(answered.data())
                    : java.util.Optional.<SharingMessage>empty();
            if (message.isEmpty()) {
                System.err.println("herald: not imported: " + OneAllSession.describe(calls.get(i), result));
                continue;
            }
            if (message.get().listsOnlySome()) {
                System.err.printf(
                        Locale.ROOT,
                        "herald: message %s lists %d of its %d publications; only those are imported%n",
                        message.get().token(),
                        message.get().publications().size(),
                        message.get().publicationCount());
            }
            messages.add(message.get());
        }
        return messages;
    }

    private void print(PrintStream out, MessagePage listed, MessageImport.Added added) throws Exception {
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(toJson(listed, added)));
            return;
        }
        out.printf(
                Locale.ROOT,
                "page %d of %d: %d message(s) in all, %d per page, %s first%n",
                listed.currentPage(),
                listed.totalPages(),
                listed.totalEntries(),
                listed.entriesPerPage(),
                newestFirst ? "newest" : "oldest");
        for (var entry : listed.entries()) {
            out.printf(
                    Locale.ROOT,
                    "  %s  created %s  last published %s%n",
                    entry.token(),
                    shown(entry.dateCreation()),
                    shown(entry.dateLastPublished()));
        }
        if (added != null) {
            out.printf(
                    Locale.ROOT,
                    "imported %d message(s): %d new message(s), %d new publication(s), %d new short URL(s)%n",
                    added.messagesRead(),
                    added.messages(),
                    added.publications(),
                    added.shortUrls());
        }
    }

    private ObjectNode toJson(MessagePage listed, MessageImport.Added added) {
        var node = new ObjectMapper().createObjectNode();
        node.putObject("pagination")
                .put("current_page", listed.currentPage())
                .put("total_pages", listed.totalPages())
                .put("entries_per_page", listed.entriesPerPage())
                .put("total_entries", listed.totalEntries())
                .put("order_direction", newestFirst ? "desc" : "asc");
        var entries = node.putArray("sharing_messages");
        for (var entry : listed.entries()) {
            entries.addObject()
                    .put("sharing_message_token", entry.token())
                    .put("date_creation", text(entry.dateCreation()))
                    .put("date_last_published", text(entry.dateLastPublished()));
        }
        if (added != null) {
            node.putObject("imported")
                    .put("messages_read", added.messagesRead())
                    .put("new_messages", added.messages())
                    .put("new_publications", added.publications())
                    .put("new_short_urls", added.shortUrls());
        }
        return node;
    }

    private static String shown(java.time.Instant instant) {
        return instant == null ? "-" : instant.toString();
    }

    private static String text(java.time.Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
