package dev.sluice.console.subject;

import dev.sluice.console.auth.ConsoleAuth;
import dev.sluice.console.auth.Principal;
import dev.sluice.console.auth.Role;
import dev.sluice.console.json.JsonReply;
import dev.sluice.crypto.keys.SubjectState;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.Objects;

/**
 * The data subjects API under {@value #API}: {@code GET /api/v1/subjects/{stream}/{subject}} (whether the subject
 * has a key, was forgotten, or was never seen) and {@code POST .../forget}. {@code ConsoleAuth} runs before these;
 * both need the {@link Role.Action#FORGET_SUBJECT} role (admin): who was forgotten is itself worth keeping to few.
 */
public final class SubjectHandlers {
  public static final String API = "/api/v1/subjects";

  private final Subjects subjects;

  public SubjectHandlers(Subjects subjects) {
    this.subjects = Objects.requireNonNull(subjects, "subjects");
  }

  /** Adds the routes; called by the console verticle after {@code ConsoleAuth.install}. */
  public void install(Router router) {
    router.get(API + "/:stream/:subject").handler(ConsoleAuth.require(Role.Action.FORGET_SUBJECT))
        .handler(ctx -> JsonReply.answer(ctx, 200, () -> subjects.state(ctx.pathParam("stream"),
            ctx.pathParam("subject")).map(s -> state(ctx.pathParam("stream"), ctx.pathParam("subject"), s))));
    router.post(API + "/:stream/:subject/forget").handler(ConsoleAuth.require(Role.Action.FORGET_SUBJECT))
        .handler(ctx -> JsonReply.answer(ctx, 200, () -> subjects.forget(ctx.pathParam("stream"),
            ctx.pathParam("subject"), Principal.of(ctx).name()).map(SubjectHandlers::forgotten)));
  }

  /** {@code {stream, subject, state, generation, createdAt?, forgottenAt?}}. */
  static JsonObject state(String stream, String subject, SubjectState s) {
    JsonObject json = new JsonObject().put("stream", stream).put("subject", subject).put("state", s.state().name())
        .put("generation", s.generation());
    s.createdAt().ifPresent(at -> json.put("createdAt", at.toString()));
    s.forgottenAt().ifPresent(at -> json.put("forgottenAt", at.toString()));
    return json;
  }

  /**
   * {@code {stream, subject, state: "FORGOTTEN", generation, forgottenAt, forgottenBy, auditId, wasKnown,
   * alreadyForgotten}}: the tombstone's who and when are the first forget's, for a repeat.
   */
  static JsonObject forgotten(Subjects.Forgotten f) {
    var tombstone = f.forgot().tombstone();
    JsonObject json = new JsonObject().put("stream", f.subject().stream()).put("subject", f.subject().subject())
        .put("state", SubjectState.State.FORGOTTEN.name()).put("generation", tombstone.generation())
        .put("auditId", f.auditId()).put("wasKnown", f.forgot().wasKnown())
        .put("alreadyForgotten", f.forgot().alreadyForgotten());
    tombstone.forgotten().ifPresent(by -> json.put("forgottenAt", by.at().toString()).put("forgottenBy", by.by()));
    return json;
  }
}
