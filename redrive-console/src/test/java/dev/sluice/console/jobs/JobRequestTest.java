package dev.sluice.console.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.ConsoleFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The create body and the job filter: what is refused, with which pointer. */
class JobRequestTest {
  private static String pointer(Runnable r) {
    ConsoleFailure f = assertThrows(ConsoleFailure.class, r::run);
    return ((ConsoleError.BadField) f.error()).pointer();
  }

  @Test
  void readsAFullBody() {
    JobHandlers.CreateBody b = JobHandlers.parse(
        "{\"filter\":{\"group\":\"billing\"},\"ratePerSecond\":25,\"dryRun\":true}", 5000);
    assertEquals("billing", b.filter().getString("group"));
    assertEquals(25, b.ratePerSecond());
    assertTrue(b.dryRun());
  }

  @Test
  void defaultsTheRateAndDryRun() {
    JobHandlers.CreateBody b = JobHandlers.parse("{}", 5000);
    assertEquals(JobHandlers.DEFAULT_RATE, b.ratePerSecond());
    assertFalse(b.dryRun());
  }

  @Test
  void refusesBadMembersWithTheirPointer() {
    assertEquals("/ratePerSecond", pointer(() -> JobHandlers.parse("{\"ratePerSecond\":0}", 5000)));
    assertEquals("/ratePerSecond", pointer(() -> JobHandlers.parse("{\"ratePerSecond\":5001}", 5000)));
    assertEquals("/ratePerSecond", pointer(() -> JobHandlers.parse("{\"ratePerSecond\":1.5}", 5000)));
    assertEquals("/dryRun", pointer(() -> JobHandlers.parse("{\"dryRun\":\"yes\"}", 5000)));
    assertEquals("/filter", pointer(() -> JobHandlers.parse("{\"filter\":[]}", 5000)));
    assertEquals("/rate", pointer(() -> JobHandlers.parse("{\"rate\":5}", 5000)));
  }

  @Test
  void refusesABodyThatIsNotAnObject() {
    ConsoleFailure f = assertThrows(ConsoleFailure.class, () -> JobHandlers.parse("[1]", 5000));
    assertTrue(f.error() instanceof ConsoleError.BadBody);
    f = assertThrows(ConsoleFailure.class, () -> JobHandlers.parse("{", 5000));
    assertTrue(f.error() instanceof ConsoleError.BadBody);
  }

  @Test
  void aJobFilterTakesQuarantinedItemsOnly() {
    assertEquals("QUARANTINED", RedriveJobs.normalise(null).getString("status"));
    assertEquals("QUARANTINED", RedriveJobs.normalise(new JsonObject().put("status", "quarantined"))
        .getString("status"));
    assertEquals("/filter/status", pointer(() -> RedriveJobs.normalise(new JsonObject().put("status", "PARKED"))));
  }

  @Test
  void aMisspeltFilterFieldIsRefusedNotIgnored() {
    assertEquals("/filter/gruop", pointer(() -> RedriveJobs.normalise(new JsonObject().put("gruop", "billing"))));
  }

  @Test
  void jobErrorsMapTo404And409WithTheCurrentState() {
    assertEquals(404, dev.sluice.console.problem.Problems.of(new ConsoleError.JobNotFound("abc")).status());
    dev.sluice.console.problem.Problem conflict =
        dev.sluice.console.problem.Problems.of(new ConsoleError.JobConflict("abc", "DONE", "resume"));
    assertEquals(409, conflict.status());
    assertTrue(conflict.toJson("/x").encode().contains("\"currentState\":\"DONE\""), conflict.toJson("/x").encode());
  }

  @Test
  void readsASelectionOfIds() {
    JobHandlers.CreateBody b = JobHandlers.parse("{\"ids\":[\"a\",\"b\"],\"ratePerSecond\":10}", 5000);
    assertEquals(java.util.List.of("a", "b"), b.ids());
    assertEquals(null, b.filter());
    assertTrue(JobHandlers.parse("{}", 5000).ids().isEmpty(), "no ids: a job over the filter");
  }

  @Test
  void refusesABadSelectionWithItsPointer() {
    assertEquals("/ids", pointer(() -> JobHandlers.parse("{\"ids\":[]}", 5000)));
    assertEquals("/ids", pointer(() -> JobHandlers.parse("{\"ids\":\"a\"}", 5000)));
    assertEquals("/ids", pointer(() -> JobHandlers.parse("{\"ids\":[\"a\"],\"filter\":{}}", 5000)));
    assertEquals("/ids/1", pointer(() -> JobHandlers.parse("{\"ids\":[\"a\",7]}", 5000)));
    assertEquals("/ids/0", pointer(() -> JobHandlers.parse("{\"ids\":[\" \"]}", 5000)));
    assertEquals("/ids/0", pointer(() -> JobHandlers.parse(
        "{\"ids\":[\"" + "x".repeat(JobHandlers.MAX_ID_LENGTH + 1) + "\"]}", 5000)));
    StringBuilder many = new StringBuilder("{\"ids\":[");
    for (int i = 0; i <= RedriveJobs.MAX_SELECTION; i++) {
      many.append(i == 0 ? "" : ",").append("\"i").append(i).append('"');
    }
    assertEquals("/ids", pointer(() -> JobHandlers.parse(many.append("]}").toString(), 5000)));
  }
}
