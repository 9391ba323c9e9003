package io.herald.command.api;

/** What a Push API call made ({@code result.data}): the provider, the object, and the post's id and address. */
public record PushPost(String provider, String object, String postId, String postLocation) {}
