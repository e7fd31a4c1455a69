package dev.sluice.console.replay;

import dev.sluice.console.auth.Principal;
import dev.sluice.console.json.JsonBodies;
import dev.sluice.console.json.JsonReply;
import dev.sluice.console.json.ListLimit;
import dev.sluice.console.problem.ConsoleError.ReplayRefused;
import dev.sluice.console.problem.ConsoleFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The replay API under {@value #API}: start a cold-start replay, list, read, cancel, pause and resume. {@code ConsoleAuth} runs before
 * these: a POST needs the CHANGE role (operator or admin; a viewer gets 403) and, on a cookie session, the CSRF token.
 */
public final class ReplayHandlers {
  public static final String API = "/api/v1/replays";
  /** A start names a stream, a group and a time. */
  static final long BODY_LIMIT_BYTES = 4 * 1024;
  static final int DEFAULT_LIST_LIMIT = 50;
  static final int MAX_LIST_LIMIT = 200;
  private static final Pattern REPLAY_ID = Pattern.compile("[a-f0-9]{16}");

  private final Replays replays;

  public ReplayHandlers(Replays replays) {
    this.replays = Objects.requireNonNull(replays, "replays");
  }

  /** Adds the routes; called by the console verticle after {@code ConsoleAuth.install}. */
  public void install(Router router) {
    JsonBodies.post(router, API, BODY_LIMIT_BYTES, this::start);
    router.get(API).handler(ctx -> JsonReply.answer(ctx, 200, () -> replays
        .list(ListLimit.parse(ctx.queryParams().get(ListLimit.PARAMETER), DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT))
        .map(all -> new JsonObject().put("replays", new JsonArray(all.stream().map(ReplayJson::of).toList())))));
    router.get(API + "/:id").handler(ctx -> JsonReply.answer(ctx, 200,
        () -> replays.get(replayId(ctx)).map(ReplayJson::of)));
    router.post(API + "/:id/cancel").handler(ctx -> JsonReply.answer(ctx, 200,
        () -> replays.cancel(replayId(ctx), Principal.of(ctx).name()).map(ReplayJson::of)));
    router.post(API + "/:id/pause").handler(ctx -> JsonReply.answer(ctx, 200,
        () -> replays.pause(replayId(ctx), Principal.of(ctx).name()).map(ReplayJson::of)));
    router.post(API + "/:id/resume").handler(ctx -> JsonReply.answer(ctx, 200,
        () -> replays.resume(replayId(ctx), Principal.of(ctx).name()).map(ReplayJson::of)));
  }

  /** {@code 201} with the replay and its {@code Location}. */
  private void start(RoutingContext ctx) {
    String actor = Principal.of(ctx).name();
    JsonReply.answer(ctx, 201, () -> replays.start(StartRequest.parse(ctx.body().asString()), actor)
        .map(started -> {
          ctx.response().putHeader("Location", API + "/" + started.id());
          return ReplayJson.of(started);
        }));
  }

  /** The id in the path; a malformed one is a replay that does not exist (404). */
  static String replayId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || !REPLAY_ID.matcher(id).matches()) {
      throw new ConsoleFailure(ReplayRefused.notFound(String.valueOf(id)));
    }
    return id;
  }
}
