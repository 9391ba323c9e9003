package io.herald.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Set;

/** The published JSON Schemas, loaded from the classpath as users get them. */
final class JsonSchemas {
    static final JsonSchema COMMAND = load("/schema/command.schema.json");
    static final JsonSchema OUTCOME_EVENT = load("/schema/outcome-event.schema.json");

    private JsonSchemas() {}

    static Set<ValidationMessage> validate(JsonSchema schema, JsonNode node) {
        return schema.validate(node);
    }

    private static JsonSchema load(String resource) {
        try (var in = JsonSchemas.class.getResourceAsStream(resource)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
