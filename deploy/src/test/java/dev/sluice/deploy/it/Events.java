package dev.sluice.deploy.it;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** Builders for Hello Retail events, each with fresh ids so that tests sharing the stack never collide. */
final class Events {
  private Events() {}

  static String uid(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static JsonObject product(String id, double price) {
    return new JsonObject().put("id", id).put("brand", "Acme").put("name", "Anvil " + id)
        .put("category", "tools").put("price", price);
  }

  static JsonObject photographer(String id, String name) {
    return new JsonObject().put("id", id).put("name", name).put("email", "ann@example.com");
  }

  static JsonObject photo(String productId, String photographerId) {
    return new JsonObject().put("productId", productId).put("photographerId", photographerId)
        .put("imageUrl", "https://images.example/" + productId + ".jpg");
  }

  /** A structured-mode CloudEvent. */
  static String structured(String type, JsonObject data) {
    return new JsonObject().put("specversion", "1.0").put("id", UUID.randomUUID().toString())
        .put("source", "/it/producer").put("type", type).put("datacontenttype", "application/json")
        .put("data", data).encode();
  }
}
