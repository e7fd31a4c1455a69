package dev.sluice.deploy.demo;

import dev.sluice.quarantine.consumer.ConsumedEvent;
import dev.sluice.quarantine.consumer.EventHandler;
import dev.sluice.quarantine.retry.PoisonPill;
import dev.sluice.schemas.contracts.ReadContract;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The Hello Retail catalog rules. Schema checks have already passed when this runs; these are business rules. What
 * a photo stores depends on the handler's {@link CatalogVersion}.
 */
public final class CatalogBuilderHandler implements EventHandler {
  /**
   * What this handler relies on, declared with the group's heartbeat: the stream catalog shows it per field, and the
   * schema registry names the group to a producer about to change one of them. A product is served as it came, so
   * every field it shows is read; of a photographer only what the view keeps ({@link CatalogView#PHOTOGRAPHER_FIELDS});
   * of a photo its three references. Both handler versions read the same fields of the events: v1's bug reads a
   * member the photo event has never had, which is why it is not declared (the wrapper would refuse to start).
   */
  public static final ReadContract READS = ReadContract.builder()
      .owner("team-catalog").contact("#catalog-builder")
      .reads("retail.product.created", "/data/id", "/data/price", "/data/name", "/data/brand", "/data/category",
          "/data/description")
      .reads("retail.photographer.registered", "/data/id", "/data/name")
      .reads("retail.product.photographed", "/data/productId", "/data/photographerId", "/data/imageUrl")
      .build();

  /** Valid for the schema, not for the catalog: anything dearer is a data-entry mistake. */
  public static final double MAX_PRICE = 100_000;

  private final CatalogView view;
  private final CatalogVersion version;

  public CatalogBuilderHandler(CatalogView view, CatalogVersion version) {
    this.view = view;
    this.version = version;
  }

  /** A photo whose product or photographer has not arrived yet: retryable, it may be on its way. */
  public static final class NotYetKnown extends RuntimeException {
    public NotYetKnown(String message) {
      super(message, null, false, false);
    }
  }

  @Override
  public Future<Void> handle(ConsumedEvent event) {
    JsonObject data = event.data();
    return switch (event.type()) {
      case "retail.product.created" -> productCreated(data);
      case "retail.photographer.registered" -> view.putPhotographer(data);
      case "retail.product.photographed" -> photographed(event.event().id(), data);
      default -> Future.failedFuture(new PoisonPill("catalog-builder does not handle " + event.type()));
    };
  }

  private Future<Void> productCreated(JsonObject product) {
    double price = product.getNumber("price").doubleValue();
    if (price > MAX_PRICE) {
      return Future.failedFuture(new PoisonPill(
          "price " + product.getNumber("price") + " exceeds the catalog maximum of " + (long) MAX_PRICE));
    }
    return view.putProduct(product);
  }

  private Future<Void> photographed(String eventId, JsonObject photo) {
    String productId = photo.getString("productId");
    String photographerId = photo.getString("photographerId");
    return Future.all(view.productOnly(productId), view.photographer(photographerId)).compose(both -> {
      java.util.Optional<JsonObject> product = both.resultAt(0);
      java.util.Optional<JsonObject> photographer = both.resultAt(1);
      if (product.isEmpty()) {
        return Future.failedFuture(new NotYetKnown("product " + productId + " is not known yet"));
      }
      if (photographer.isEmpty()) {
        return Future.failedFuture(new NotYetKnown("photographer " + photographerId + " is not known yet"));
      }
      return view.addPhoto(productId, eventId, version.storedPhoto(photo, photographer.get()));
    });
  }
}
