package dev.sluice.deploy.demo;

import io.vertx.core.json.JsonObject;

/**
 * The releases of catalog-builder's handler ({@code sluice.demo.version}). They differ only in how a photo is stored,
 * which is what a blue/green rebuild repairs (docs/replay.md, "Repairing a view: blue/green"): v1 has a logic bug
 * that v2 fixes, so the demo can show a view rebuilt from history by the fixed handler while the old one serves.
 */
public enum CatalogVersion {
  /**
   * The first release. Its bug: it takes the photographer's name from the photo event, which carries only the
   * photographer's id, so every photo is stored with {@code "photographerName": null}.
   */
  V1 {
    @Override
    String photographerName(JsonObject photo, JsonObject photographer) {
      return photo.getString("photographerName");
    }
  },
  /** The fix: the name comes from the photographer's registration, which the view already holds. */
  V2 {
    @Override
    String photographerName(JsonObject photo, JsonObject photographer) {
      return photographer.getString("name");
    }
  };

  abstract String photographerName(JsonObject photo, JsonObject photographer);

  /** {@code number} as configured: 1 or 2 (the configuration has checked it). */
  public static CatalogVersion of(int number) {
    return switch (number) {
      case 1 -> V1;
      case 2 -> V2;
      default -> throw new IllegalArgumentException("no catalog-builder version " + number);
    };
  }

  /** What the view stores of a {@code retail.product.photographed} event, given the photographer it names. */
  public JsonObject storedPhoto(JsonObject photo, JsonObject photographer) {
    return new JsonObject()
        .put("imageUrl", photo.getString("imageUrl"))
        .put("photographerId", photo.getString("photographerId"))
        .put("photographerName", photographerName(photo, photographer));
  }
}
