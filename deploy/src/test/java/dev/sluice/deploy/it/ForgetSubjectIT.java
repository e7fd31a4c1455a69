package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.cli.ForgetCli;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.SealedRecords;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Forgetting a data subject through the console's API and the CLI: admin only, audited, and from then on the values
 * sealed for the subject read as erased for a reader with the key ring, while another subject's still open.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class ForgetSubjectIT {
  private static final String PHOTOGRAPHER = "retail.photographer.registered";
  private final Http producer = Http.producer();
  private final Http admin = Http.withKey("dev-admin");
  private final Http operator = Http.operator();

  private static String subjectUrl(Stack stack, String subject) {
    return stack.consoleUrl() + "/api/v1/subjects/retail/" + subject;
  }

  /** Posts a photographer and reads its record back from the ledger. */
  private static ConsumerRecord<String, byte[]> post(Stack stack, Http producer, String id) {
    JsonObject data = new JsonObject().put("id", id).put("name", "Name " + id).put("email", id + "@example.com");
    String event = new JsonObject().put("specversion", "1.0").put("id", UUID.randomUUID().toString())
        .put("source", "/it/forget").put("type", PHOTOGRAPHER).put("data", data).encode();
    Http.Response r = producer.post(stack.gatewayUrl() + "/v1/streams/retail/events", "application/cloudevents+json",
        event);
    assertEquals(202, r.status(), r.body());
    return RetailTopic.read(stack, r.json().getInteger("partition"), r.json().getLong("offset"));
  }

  @Test
  void anAdminForgetsASubjectAndItsSealedValuesReadAsErasedWhileAnothersStillOpen(Stack stack) throws Exception {
    String forgotten = "ph-" + UUID.randomUUID().toString().substring(0, 8);
    String kept = "ph-" + UUID.randomUUID().toString().substring(0, 8);
    ConsumerRecord<String, byte[]> gone = post(stack, producer, forgotten);
    ConsumerRecord<String, byte[]> stays = post(stack, producer, kept);

    assertEquals("ACTIVE", admin.get(subjectUrl(stack, forgotten)).json().getString("state"));
    assertEquals("UNKNOWN", admin.get(subjectUrl(stack, "never-seen-" + forgotten)).json().getString("state"));
    // Only an admin may look, or forget.
    assertEquals(403, operator.get(subjectUrl(stack, forgotten)).status());
    assertEquals(403, operator.post(subjectUrl(stack, forgotten) + "/forget", "application/json", "").status());
    assertEquals(404, admin.post(stack.consoleUrl() + "/api/v1/subjects/no-such-stream/x/forget",
        "application/json", "").status());

    Http.Response r = admin.post(subjectUrl(stack, forgotten) + "/forget", "application/json", "");
    assertEquals(200, r.status(), r.body());
    JsonObject answer = r.json();
    assertEquals("FORGOTTEN", answer.getString("state"));
    assertEquals("dev-admin", answer.getString("forgottenBy"));
    assertTrue(answer.getBoolean("wasKnown"));
    assertFalse(answer.getBoolean("alreadyForgotten"));
    assertEquals("FORGOTTEN", admin.get(subjectUrl(stack, forgotten)).json().getString("state"));

    // Audited, by whom, naming the subject.
    String audit = operator.get(stack.consoleUrl() + "/api/v1/audit?action=FORGET_SUBJECT").body();
    assertTrue(audit.contains(answer.getString("auditId")) && audit.contains(forgotten), audit);

    // A reader with the key ring (a fresh one: nothing cached) finds the forgotten subject's values erased, and the
    // other subject's as posted.
    assertEquals(new JsonObject().put("id", forgotten).put("name", "sluice:erased").put("email", "sluice:erased"),
        new JsonObject(SealedRecords.open(stack, gone, "retail", PHOTOGRAPHER)));
    assertEquals("Name " + kept, new JsonObject(SealedRecords.open(stack, stays, "retail", PHOTOGRAPHER)).getString("name"));

    // The CLI: --yes is needed; a second forget changes nothing and says so.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env = Map.of("SLUICE_CONSOLE_TOKEN", "dev-admin");
    assertEquals(ForgetCli.USAGE, cli(env, out, err, "retail", forgotten, "--console", stack.consoleUrl()));
    assertEquals(0, cli(env, out, err, "retail", forgotten, "--yes", "--console", stack.consoleUrl()),
        err.toString(StandardCharsets.UTF_8));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("it was forgotten already"), out.toString());
    assertEquals(1, cli(Map.of("SLUICE_CONSOLE_TOKEN", "dev-operator"), out, err, "retail", kept, "--yes",
        "--console", stack.consoleUrl()), "an operator is refused");
    assertEquals("ACTIVE", admin.get(subjectUrl(stack, kept)).json().getString("state"));
  }

  private static int cli(Map<String, String> env, ByteArrayOutputStream out, ByteArrayOutputStream err,
      String... args) {
    return ForgetCli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
