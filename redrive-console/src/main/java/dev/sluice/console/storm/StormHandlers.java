package dev.sluice.console.storm;

import dev.sluice.console.auth.Principal;
import dev.sluice.console.json.JsonReply;
import dev.sluice.console.json.ListLimit;
import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.quarantine.storm.Storm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/**
 * The storms API under {@value #API}: list, read, resume, quarantine everything. A storm is addressed by its group and
 * its id ({@code /api/v1/storms/{group}/{id}}). {@code ConsoleAuth} runs before these: any role reads; a POST needs
 * the CHANGE role (operator or admin; a viewer gets 403) and, on a cookie session, the CSRF token.
 */
public final class StormHandlers {
  public static final String API = "/api/v1/storms";
  static final int DEFAULT_LIST_LIMIT = 100;
  static final int MAX_LIST_LIMIT = 500;

  private final Storms storms;

  public StormHandlers(Storms storms) {
    this.storms = Objects.requireNonNull(storms, "storms");
  }

  /** Adds the routes; called by the console verticle after {@code ConsoleAuth.install}. */
  public void install(Router router) {
    router.get(API).handler(ctx -> JsonReply.answer(ctx, 200, () -> storms
        .list(ListLimit.parse(ctx.queryParams().get(ListLimit.PARAMETER), DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT))
        .map(all -> new JsonObject().put("storms", new JsonArray(all.stream().map(StormJson::of).toList())))));
    router.get(API + "/:group/:id").handler(ctx -> JsonReply.answer(ctx, 200,
        () -> storms.get(ctx.pathParam("group"), stormId(ctx)).map(StormJson::of)));
    router.post(API + "/:group/:id/resume").handler(ctx -> JsonReply.answer(ctx, 200,
        () -> storms.resume(ctx.pathParam("group"), stormId(ctx), Principal.of(ctx).name()).map(StormJson::of)));
    router.post(API + "/:group/:id/quarantine-all").handler(ctx -> JsonReply.answer(ctx, 200,
        () -> storms.quarantineAll(ctx.pathParam("group"), stormId(ctx), Principal.of(ctx).name())
            .map(StormJson::of)));
  }

  /** The id in the path; a malformed one is a storm that does not exist (404). */
  private static String stormId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!Storm.isId(id)) {
      throw new ConsoleFailure(new ConsoleError.StormNotFound(ctx.pathParam("group"), String.valueOf(id)));
    }
    return id;
  }
}
