package dev.sluice.deploy.testing;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every item of a DynamoDB table as the text it holds: string values as they are, binary values decoded as UTF-8
 * (payloads, headers), and nested maps and lists walked, so that a test can search the stored bytes for a value that
 * must not be there. {@code AttributeValue.toString()} shows binary values as hex, where such a search finds nothing.
 */
public final class StoredText {
  private StoredText() {}

  /** Each item of {@code table}, every page of it, as text. */
  public static Stream<String> items(DynamoDbClient dynamo, String table) {
    return dynamo.scanPaginator(b -> b.tableName(table)).items().stream().map(StoredText::text);
  }

  static String text(Map<String, AttributeValue> item) {
    return item.entrySet().stream().map(e -> e.getKey() + "=" + text(e.getValue())).collect(Collectors.joining(" "));
  }

  private static String text(AttributeValue v) {
    if (v.s() != null) {
      return v.s();
    }
    if (v.n() != null) {
      return v.n();
    }
    if (v.b() != null) {
      return new String(v.b().asByteArray(), StandardCharsets.UTF_8);
    }
    if (v.hasM()) {
      return text(v.m());
    }
    if (v.hasL()) {
      return v.l().stream().map(StoredText::text).collect(Collectors.joining(" "));
    }
    if (v.hasSs()) {
      return String.join(" ", v.ss());
    }
    if (v.hasBs()) {
      return v.bs().stream().map(b -> new String(b.asByteArray(), StandardCharsets.UTF_8))
          .collect(Collectors.joining(" "));
    }
    return String.valueOf(v.bool());
  }
}
