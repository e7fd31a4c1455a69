package dev.sluice.console.fix;

import dev.sluice.console.problem.Problems;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** The fix endpoints' routes, installed by the console verticle behind its auth handler. */
public final class FixRoutes {
  /** A requeue-behind body carries only a reason. */
  static final long REASON_BODY_LIMIT_BYTES = 16 * 1024;

  private FixRoutes() {}

  /**
   * @param api the path of the quarantine API these routes extend, e.g. {@code /api/v1/quarantine}
   * @param dataBodyLimit the largest body that carries one event's data (a draft to validate, a group patch)
   */
  public static void install(Router router, String api, long dataBodyLimit, FixHandlers fix) {
    router.post(api + "/groups/:fingerprint/patch")
        // Bounded memory: a larger body is refused with 413 before it is buffered.
        .handler(BodyHandler.create(false).setBodyLimit(dataBodyLimit))
        .handler(fix::patchGroup)
        .failureHandler(Problems.bodyFailure(dataBodyLimit));
    router.post(api + "/:id/validate")
        .handler(BodyHandler.create(false).setBodyLimit(dataBodyLimit))
        .handler(fix::validate)
        .failureHandler(Problems.bodyFailure(dataBodyLimit));
    router.post(api + "/:id/requeue-behind")
        .handler(BodyHandler.create(false).setBodyLimit(REASON_BODY_LIMIT_BYTES))
        .handler(fix::requeueBehind)
        .failureHandler(Problems.bodyFailure(REASON_BODY_LIMIT_BYTES));
  }
}
