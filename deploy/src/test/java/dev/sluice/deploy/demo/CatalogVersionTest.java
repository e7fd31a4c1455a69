package dev.sluice.deploy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** What each release of catalog-builder stores of a photo: v1's photographer-name bug, and v2's fix. */
class CatalogVersionTest {
  /** A {@code retail.product.photographed} event's data: the photographer by id only. */
  private static final JsonObject PHOTO = new JsonObject().put("productId", "p-1").put("photographerId", "ph-1")
      .put("imageUrl", "https://images.example/p-1.jpg");
  /** The registration the view holds. */
  private static final JsonObject PHOTOGRAPHER = new JsonObject().put("id", "ph-1").put("name", "Ann Lens");

  @Test
  void versionOneStoresEveryPhotoWithANullPhotographerName() {
    JsonObject stored = CatalogVersion.V1.storedPhoto(PHOTO, PHOTOGRAPHER);
    assertEquals("https://images.example/p-1.jpg", stored.getString("imageUrl"));
    assertEquals("ph-1", stored.getString("photographerId"));
    assertTrue(stored.containsKey("photographerName"), stored.encode());
    assertNull(stored.getString("photographerName"), "the bug: " + stored.encode());
  }

  @Test
  void versionTwoStoresThePhotographersRegisteredName() {
    assertEquals(new JsonObject().put("imageUrl", "https://images.example/p-1.jpg").put("photographerId", "ph-1")
        .put("photographerName", "Ann Lens"), CatalogVersion.V2.storedPhoto(PHOTO, PHOTOGRAPHER));
  }

  @Test
  void theConfiguredNumberPicksTheVersion() {
    assertEquals(CatalogVersion.V1, CatalogVersion.of(1));
    assertEquals(CatalogVersion.V2, CatalogVersion.of(2));
    assertThrows(IllegalArgumentException.class, () -> CatalogVersion.of(3));
  }
}
