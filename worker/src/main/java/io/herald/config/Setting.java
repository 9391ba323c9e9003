package io.herald.config;

/** One environment variable Herald reads: its name, its default as the README documents it, and what it means. */
public record Setting(String variable, String defaultValue, String meaning, boolean secret) {}
