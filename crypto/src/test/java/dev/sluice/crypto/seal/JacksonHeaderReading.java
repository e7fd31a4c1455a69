package dev.sluice.crypto.seal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.sluice.crypto.keys.KeyVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How {@link SealHeader#parse} read a header before it had a reader of its own: a strict Jackson parse. Kept, as it
 * was, as the reference the new reader is checked against. Gives the header read, or empty for any refusal.
 */
final class JacksonHeaderReading {
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(2).build())
      .build();

  private JacksonHeaderReading() {}

  static Optional<SealHeader> parse(byte[] value) {
    if (value == null || value.length > SealHeader.MAX_BYTES) {
      return Optional.empty();
    }
    Integer version = null;
    String subject = null;
    String key = null;
    List<String> fields = null;
    try (JsonParser p = JSON.createParser(value)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken token = p.nextToken();
        switch (name) {
          case "v" -> {
            if (token != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
                || p.getIntValue() != SealHeader.VERSION) {
              return Optional.empty();
            }
            version = SealHeader.VERSION;
          }
          case "subject" -> {
            if (token != JsonToken.VALUE_STRING) {
              return Optional.empty();
            }
            subject = p.getText();
          }
          case "key" -> {
            if (token != JsonToken.VALUE_STRING) {
              return Optional.empty();
            }
            key = p.getText();
          }
          case "fields" -> {
            if (token != JsonToken.START_ARRAY) {
              return Optional.empty();
            }
            fields = new ArrayList<>();
            while ((token = p.nextToken()) == JsonToken.VALUE_STRING) {
              if (fields.size() == SealHeader.MAX_FIELDS) {
                return Optional.empty();
              }
              fields.add(p.getText());
            }
            if (token != JsonToken.END_ARRAY) {
              return Optional.empty();
            }
          }
          default -> {
            return Optional.empty();
          }
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    if (version == null || subject == null || key == null || fields == null) {
      return Optional.empty();
    }
    Optional<KeyVersion> keyVersion = KeyVersion.parse(key);
    if (keyVersion.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new SealHeader(subject, keyVersion.get(), fields));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
