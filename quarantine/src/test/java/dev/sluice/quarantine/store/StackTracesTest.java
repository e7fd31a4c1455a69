package dev.sluice.quarantine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StackTracesTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private static StackTraceElement[] frames(String prefix, int n) {
    StackTraceElement[] out = new StackTraceElement[n];
    for (int i = 0; i < n; i++) {
      out[i] = new StackTraceElement("com.example." + prefix, "m" + i, prefix + ".java", i + 1);
    }
    return out;
  }

  private static String jdk(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString().strip().replace(System.lineSeparator(), "\n");
  }

  private static long count(String text, String part) {
    return Pattern.compile(Pattern.quote(part)).matcher(text).results().count();
  }

  @Test
  void aSmallTraceReadsExactlyAsPrintStackTrace() {
    StackTraceElement[] common = frames("Runner", 4);
    IllegalStateException top = new IllegalStateException("top");
    top.setStackTrace(concat(frames("Handler", 3), common));
    IllegalArgumentException cause = new IllegalArgumentException("cause");
    cause.setStackTrace(concat(frames("Parser", 2), common));
    top.initCause(cause);
    RuntimeException closing = new RuntimeException("closing failed");
    closing.setStackTrace(concat(frames("Closer", 1), common));
    top.addSuppressed(closing);
    String trace = StackTraces.format(top);
    assertEquals(jdk(top), trace, "frames, Caused by:, Suppressed: and '... N more' as the JDK prints them");
    assertTrue(trace.contains("\n\tSuppressed: java.lang.RuntimeException: closing failed\n"
        + "\t\tat com.example.Closer.m0(Closer.java:1)\n\t\t... 4 more\n"), trace);
    assertTrue(trace.endsWith("\nCaused by: java.lang.IllegalArgumentException: cause\n"
        + "\tat com.example.Parser.m0(Parser.java:1)\n\tat com.example.Parser.m1(Parser.java:2)\n\t... 4 more"), trace);
  }

  @Test
  void aRealTraceNamesTheThrowingFrame() {
    String trace = StackTraces.format(new IllegalStateException("here"));
    assertTrue(trace.startsWith("java.lang.IllegalStateException: here\n\tat dev.sluice.quarantine.store."
        + "StackTracesTest.aRealTraceNamesTheThrowingFrame(StackTracesTest.java:"), trace);
  }

  private static StackTraceElement[] concat(StackTraceElement[] a, StackTraceElement[] b) {
    StackTraceElement[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void aLongTraceShowsFortyFramesAndCountsTheRest() {
    RuntimeException deep = new RuntimeException("deep");
    deep.setStackTrace(frames("Deep", 100));
    String trace = StackTraces.format(deep);
    assertEquals(StackTraces.MAX_FRAMES, count(trace, "\tat "));
    assertTrue(trace.contains("\tat com.example.Deep.m39(Deep.java:40)\n\t... 60 more"), trace);
    assertFalse(trace.contains("m40("));
  }

  @Test
  void framesSharedWithTheEnclosingTraceAreCounted() {
    StackTraceElement[] common = frames("Common", 5);
    RuntimeException top = new RuntimeException("top");
    StackTraceElement[] topFrames = new StackTraceElement[7];
    System.arraycopy(frames("Top", 2), 0, topFrames, 0, 2);
    System.arraycopy(common, 0, topFrames, 2, 5);
    top.setStackTrace(topFrames);
    RuntimeException cause = new RuntimeException("cause");
    StackTraceElement[] causeFrames = new StackTraceElement[6];
    System.arraycopy(frames("Cause", 1), 0, causeFrames, 0, 1);
    System.arraycopy(common, 0, causeFrames, 1, 5);
    cause.setStackTrace(causeFrames);
    top.initCause(cause);
    String trace = StackTraces.format(top);
    assertEquals(jdk(top), trace);
    assertTrue(trace.endsWith("Caused by: java.lang.RuntimeException: cause\n\tat com.example.Cause.m0(Cause.java:1)\n"
        + "\t... 5 more"), trace);
  }

  @Test
  void aHandlersTraceEndsAtItsCallerAndCountsTheFramesBelow() {
    RuntimeException thrown = new RuntimeException("rejected");
    thrown.setStackTrace(concat(concat(frames("Handler", 2), frames("Invoker", 2)), frames("EventLoop", 25)));
    String trace = StackTraces.of(thrown, Set.of("com.example.Invoker")).orElseThrow();
    assertEquals("java.lang.RuntimeException: rejected\n\tat com.example.Handler.m0(Handler.java:1)\n"
        + "\tat com.example.Handler.m1(Handler.java:2)\n\tat com.example.Invoker.m0(Invoker.java:1)\n\t... 26 more",
        trace, "the handler's frames and the first of its caller's; the rest, the same for every call, counted");
    assertEquals(StackTraces.format(thrown), StackTraces.of(thrown, Set.of("com.example.Elsewhere")).orElseThrow(),
        "a throwable made on a stack without the caller (a callback) keeps its frames");
    assertEquals(StackTraces.format(thrown), StackTraces.of(thrown, Set.of()).orElseThrow());
  }

  @Test
  void aCutTraceStillCountsWhatItsCauseSharesWithTheWholeStack() {
    StackTraceElement[] below = concat(frames("Invoker", 1), frames("EventLoop", 20));
    RuntimeException cause = new RuntimeException("cause");
    cause.setStackTrace(concat(frames("Parser", 2), concat(frames("Handler", 1), below)));
    RuntimeException thrown = new RuntimeException("rejected", cause);
    thrown.setStackTrace(concat(frames("Handler", 1), below));
    String trace = StackTraces.of(thrown, Set.of("com.example.Invoker")).orElseThrow();
    assertTrue(trace.startsWith("java.lang.RuntimeException: rejected\n\tat com.example.Handler.m0(Handler.java:1)\n"
        + "\tat com.example.Invoker.m0(Invoker.java:1)\n\t... 20 more\n"), trace);
    assertTrue(trace.endsWith("Caused by: java.lang.RuntimeException: cause\n\tat com.example.Parser.m0(Parser.java:1)"
        + "\n\tat com.example.Parser.m1(Parser.java:2)\n\t... 22 more"), trace);
  }

  @Test
  void aCutTraceStillKeepsAtMostFortyFramesOfItsOwn() {
    RuntimeException thrown = new RuntimeException("deep handler");
    thrown.setStackTrace(concat(frames("Handler", 50), concat(frames("Invoker", 1), frames("EventLoop", 9))));
    String trace = StackTraces.of(thrown, Set.of("com.example.Invoker")).orElseThrow();
    assertEquals(StackTraces.MAX_FRAMES, count(trace, "\tat "));
    assertTrue(trace.endsWith("\tat com.example.Handler.m39(Handler.java:40)\n\t... 20 more"), trace);
  }

  @Test
  void aCyclicCauseChainEndsInACircularReferenceLine() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    String trace = StackTraces.format(a);
    assertTrue(trace.contains("Caused by: java.lang.RuntimeException: b"), trace);
    assertTrue(trace.endsWith("Caused by: [CIRCULAR REFERENCE: java.lang.RuntimeException: a]"), trace);
    assertEquals(1, count(trace, "CIRCULAR REFERENCE"));
  }

  @Test
  void aSelfSuppressingCycleIsCutToo() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b");
    a.addSuppressed(b);
    b.addSuppressed(a);
    String trace = StackTraces.format(a);
    assertTrue(trace.contains("\t\tSuppressed: [CIRCULAR REFERENCE: java.lang.RuntimeException: a]"), trace);
  }

  @Test
  void causesDeeperThanTheLimitAreNamedButNotPrinted() {
    RuntimeException root = new RuntimeException("level 20");
    RuntimeException t = root;
    for (int i = 19; i >= 0; i--) {
      t = new RuntimeException("level " + i, t);
    }
    String trace = StackTraces.format(t);
    assertEquals(StackTraces.MAX_DEPTH + 1, count(trace, "Caused by: "), trace);
    assertTrue(trace.contains("Caused by: java.lang.RuntimeException: level " + (StackTraces.MAX_DEPTH + 1)
        + "\n\t... (deeper causes not kept)"), trace);
    assertFalse(trace.contains("level 20"));
  }

  @Test
  void theWholeTraceIsCutAtTheCapAndMarked() {
    RuntimeException top = new RuntimeException("many");
    for (int i = 0; i < 50; i++) {
      RuntimeException s = new RuntimeException("suppressed " + i);
      s.setStackTrace(frames("S" + i, 40));
      top.addSuppressed(s);
    }
    String trace = StackTraces.format(top);
    assertEquals(StackTraces.MAX_CHARS, trace.length());
    assertTrue(trace.endsWith(StackTraces.TRUNCATED));
    assertTrue(trace.startsWith("java.lang.RuntimeException: many\n"));
    assertTrue(trace.contains("\tSuppressed: java.lang.RuntimeException: suppressed 0\n"));
    assertFalse(trace.contains("suppressed 49"), "what does not fit is left out");

    String hugeMessage = StackTraces.format(new RuntimeException("x".repeat(20_000)));
    assertEquals(StackTraces.MAX_CHARS, hugeMessage.length());
    assertTrue(hugeMessage.endsWith(StackTraces.TRUNCATED));
  }

  @Test
  void aThrowableWhoseToStringThrowsIsNamedByItsClass() {
    RuntimeException odd = new RuntimeException("odd") {
      @Override
      public String toString() {
        throw new UnsupportedOperationException("no");
      }
    };
    assertTrue(StackTraces.format(odd).startsWith(odd.getClass().getName() + "\n\tat "));
  }

  @Test
  void aFailedAttemptCarriesItsTraceAndOthersHaveNone() {
    HandlerAttempt failed = HandlerAttempt.failed(T, HandlerAttempt.Tier.IN_PLACE, new IllegalStateException("boom"));
    assertTrue(failed.stackTrace().orElseThrow().startsWith("java.lang.IllegalStateException: boom\n\tat "));
    assertEquals(Optional.empty(), HandlerAttempt.succeeded(T, HandlerAttempt.Tier.IN_PLACE).stackTrace());
    RuntimeException frameless = new RuntimeException("no frames", null, false, false) {};
    assertEquals(Optional.empty(), HandlerAttempt.failed(T, HandlerAttempt.Tier.IN_PLACE, frameless).stackTrace(),
        "a throwable made without a stack trace has none to keep: its class and message say it all");
    RuntimeException framelessWithCause = new RuntimeException("outer", new IllegalStateException("inner"), false,
        false) {};
    assertTrue(StackTraces.of(framelessWithCause).orElseThrow().contains("Caused by: java.lang.IllegalStateException"));
    assertEquals(Optional.empty(), new HandlerAttempt(T, HandlerAttempt.Tier.IN_PLACE, "Schema", "bad").stackTrace(),
        "a failure that is not an exception has no trace");
    assertEquals(Optional.empty(), new HandlerAttempt(T, HandlerAttempt.Tier.IN_PLACE, "E", "m", Optional.of(""))
        .stackTrace(), "absent, never empty");
    assertEquals(StackTraces.MAX_CHARS, new HandlerAttempt(T, HandlerAttempt.Tier.IN_PLACE, "E", "m",
        Optional.of("y".repeat(50_000))).stackTrace().orElseThrow().length(), "a stored trace is bounded too");
  }

  @Test
  void anItemKeepsItsOldestTracesWithinTheBudget() {
    List<HandlerAttempt> earlier = new ArrayList<>();
    for (int i = 0; i < HandlerAttempt.MAX_TRACED_ATTEMPTS - 2; i++) {
      earlier.add(HandlerAttempt.failed(T, HandlerAttempt.Tier.IN_PLACE, new IllegalStateException("e" + i)));
    }
    earlier.add(HandlerAttempt.succeeded(T, HandlerAttempt.Tier.IN_PLACE));
    List<HandlerAttempt> added = List.of(
        HandlerAttempt.failed(T, HandlerAttempt.Tier.REDRIVE, new IllegalStateException("r1")),
        HandlerAttempt.succeeded(T, HandlerAttempt.Tier.REDRIVE),
        HandlerAttempt.failed(T, HandlerAttempt.Tier.REDRIVE, new IllegalStateException("r2")),
        HandlerAttempt.failed(T, HandlerAttempt.Tier.REDRIVE, new IllegalStateException("r3")));
    List<HandlerAttempt> kept = HandlerAttempt.withinTraceBudget(earlier, added);
    assertEquals(List.of(true, false, true, false), kept.stream().map(a -> a.stackTrace().isPresent()).toList());
    assertEquals(added.stream().map(HandlerAttempt::message).toList(),
        kept.stream().map(HandlerAttempt::message).toList(), "the attempts themselves are all kept");
  }
}
