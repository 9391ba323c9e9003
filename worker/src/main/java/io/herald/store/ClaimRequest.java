package io.herald.store;

import java.time.Instant;

/**
 * A claim of a command for one call.
 *
 * @param token     what the claim is known by: the worker's id and a number of its own, unique across workers
 * @param notBefore the command's {@code not_before}, or null
 * @param position  the command's place in its account's queue when it comes from the parking table, else null
 */
public record ClaimRequest(CommandRef command, Source source, String token, Instant notBefore, Long position) {}
