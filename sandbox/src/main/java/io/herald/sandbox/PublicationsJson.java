package io.herald.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * A message's {@code publications} array, written straight to the answer's bytes when it is rendered. A campaign's
 * message answers 250 publications to each re-publish; built as a tree first, they cost the sandbox more than the
 * worker it serves.
 */
final class PublicationsJson implements JsonSerializable {
    private final List<Publication> publications;
    private final Instant now;

    PublicationsJson(List<Publication> publications, Instant now) {
        this.publications = List.copyOf(publications);
        this.now = now;
    }

    @Override
    public void serialize(JsonGenerator json, SerializerProvider serializers) throws IOException {
        json.writeStartArray();
        for (var publication : publications) {
            write(json, publication);
        }
        json.writeEndArray();
    }

    @Override
    public void serializeWithType(JsonGenerator json, SerializerProvider serializers, TypeSerializer types)
            throws IOException {
        serialize(json, serializers);
    }

    private void write(JsonGenerator json, Publication publication) throws IOException {
        json.writeStartObject();
        json.writeStringField("provider", publication.provider());
        json.writeStringField("user_token", publication.userToken());
        if (publication.identityToken() != null) {
            json.writeStringField("identity_token", publication.identityToken());
        }
        json.writeStringField("date_publication", Rfc2822.format(publication.date()));
        json.writeObjectFieldStart("status");
        json.writeStringField("flag", publication.succeeded() ? "success" : "error");
        json.writeNumberField("code", publication.code());
        json.writeStringField("message", publication.message());
        json.writeEndObject();
        if (!publication.shortUrls().isEmpty()) {
            json.writeArrayFieldStart("tracked_shorturls");
            for (var shortUrl : publication.shortUrls()) {
                write(json, shortUrl);
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    /** Referrals grow with time, each short URL at its own pace, so that a later read shows more clicks. */
    private void write(JsonGenerator json, ShortUrl shortUrl) throws IOException {
        long referrals =
                Math.max(0, now.toEpochMilli() - shortUrl.created().toEpochMilli()) / shortUrl.millisPerReferral();
        json.writeStartObject();
        json.writeObjectFieldStart("shorturl");
        json.writeStringField("shorturl_token", shortUrl.token());
        json.writeStringField("original_url", shortUrl.originalUrl());
        json.writeStringField("short_url", "http://oal.lu/" + shortUrl.token());
        json.writeStringField("date_creation", Rfc2822.format(shortUrl.created()));
        if (referrals > 0) {
            json.writeStringField(
                    "date_last_referral",
                    Rfc2822.format(shortUrl.created().plusMillis(referrals * shortUrl.millisPerReferral())));
        }
        json.writeStringField("num_referrals", Long.toString(referrals));
        json.writeEndObject();
        json.writeEndObject();
    }
}
