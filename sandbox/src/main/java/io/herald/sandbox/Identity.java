package io.herald.sandbox;

/** One social network account of a user; a null {@code identityToken} stands for an account the user lacks. */
record Identity(String identityToken, String provider, String userToken) {}
