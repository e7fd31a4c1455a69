package dev.sluice.console.fix;

import dev.sluice.console.ConsoleVerticle;
import dev.sluice.console.http.QuarantineHandlers;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** The fix endpoints' routes, installed by {@link ConsoleVerticle} behind its auth handler. */
public final class FixRoutes {
  /** A requeue-behind body carries only a reason. */
  static final long REASON_BODY_LIMIT_BYTES = 16 * 1024;

  private FixRoutes() {}

  public static void install(Router router, QuarantineHandlers api, FixHandlers fix) {
    long limit = ConsoleVerticle.BODY_LIMIT_BYTES;
    router.post(ConsoleVerticle.API + "/groups/:fingerprint/patch")
        // Bounded memory: a larger body is refused with 413 before it is buffered.
        .handler(BodyHandler.create(false).setBodyLimit(limit))
        .handler(fix::patchGroup)
        .failureHandler(ctx -> api.bodyFailure(ctx, limit));
    router.post(ConsoleVerticle.API + "/:id/validate")
        .handler(BodyHandler.create(false).setBodyLimit(limit))
        .handler(fix::validate)
        .failureHandler(ctx -> api.bodyFailure(ctx, limit));
    router.post(ConsoleVerticle.API + "/:id/requeue-behind")
        .handler(BodyHandler.create(false).setBodyLimit(REASON_BODY_LIMIT_BYTES))
        .handler(fix::requeueBehind)
        .failureHandler(ctx -> api.bodyFailure(ctx, REASON_BODY_LIMIT_BYTES));
  }
}
