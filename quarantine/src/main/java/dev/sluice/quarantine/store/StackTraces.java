package dev.sluice.quarantine.store;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * A throwable as {@link Throwable#printStackTrace()} prints it (its frames, "Caused by:" chain, suppressed
 * exceptions, "... N more" for frames shared with the enclosing trace), but bounded, because it is stored with the
 * quarantine item: at most {@link #MAX_FRAMES} frames per throwable, {@link #MAX_DEPTH} levels of causes and
 * suppressed exceptions, and {@link #MAX_CHARS} characters in all. A cyclic cause chain ends in a
 * {@code [CIRCULAR REFERENCE: ...]} line, as the JDK prints it. Pure and stateless.
 */
public final class StackTraces {
  /** Frames printed per throwable; the rest are counted in its "... N more" line. */
  public static final int MAX_FRAMES = 40;
  /** Nesting of causes and suppressed exceptions printed below the top throwable. */
  public static final int MAX_DEPTH = 8;
  /**
   * Longest trace kept (characters; traces are nearly all ASCII, so about as many bytes). An item lives in one
   * DynamoDB item, which may not exceed 400 KB, and its attempt log grows with every attempt: the default chain is 5
   * in-place plus 8 delayed attempts, and each redrive adds an in-place round. {@link HandlerAttempt#MAX_TRACED_ATTEMPTS}
   * traces of at most 8 KB keep the traces of one item under 160 KB, leaving room for the payload and history.
   */
  public static final int MAX_CHARS = 8 * 1024;
  /** Ends a trace cut at {@link #MAX_CHARS}. */
  static final String TRUNCATED = "\n\t... (trace truncated)";
  private static final StackTraceElement[] NO_FRAMES = new StackTraceElement[0];

  private StackTraces() {}

  /**
   * The bounded trace of {@code thrown}, or empty when it would only repeat its first line (a throwable made without
   * a stack trace, no cause and nothing suppressed: its class and message are all there is).
   */
  public static Optional<String> of(Throwable thrown) {
    String trace = format(thrown);
    return trace.indexOf('\n') < 0 ? Optional.empty() : Optional.of(trace);
  }

  /**
   * As {@link #of(Throwable)}, for a failure of code that a frame of one of {@code callers} (class names) called: the
   * top throwable's frames end with the first frame of one of them, and the frames below it, the caller's own and
   * its thread's (the same for every call it makes), are only counted in a "... N more" line, as the JDK counts the
   * frames a cause shares with the trace enclosing it. A throwable without such a frame (made elsewhere, e.g. in a
   * callback on another stack) keeps all its frames, bounded as usual.
   */
  public static Optional<String> of(Throwable thrown, Set<String> callers) {
    String trace = format(thrown, callers);
    return trace.indexOf('\n') < 0 ? Optional.empty() : Optional.of(trace);
  }

  /** The bounded trace of {@code thrown}; never empty. */
  public static String format(Throwable thrown) {
    return format(thrown, Set.of());
  }

  /** The bounded trace of {@code thrown}, its own frames ending at the first frame of one of {@code callers}. */
  static String format(Throwable thrown, Set<String> callers) {
    Out out = new Out();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    seen.add(thrown);
    StackTraceElement[] frames = frames(thrown);
    int own = ownFrames(frames, callers);
    out.line(describe(thrown));
    printFrames(out, own == frames.length ? frames : Arrays.copyOf(frames, own), frames.length - own, "");
    // Causes and suppressed exceptions are compared with every frame, as the JDK does.
    printNested(out, thrown, frames, "", 0, seen);
    return out.text();
  }

  /** How many of {@code frames} to print: up to and including the first frame of one of {@code callers}; else all. */
  private static int ownFrames(StackTraceElement[] frames, Set<String> callers) {
    if (callers.isEmpty()) {
      return frames.length;
    }
    for (int i = 0; i < frames.length; i++) {
      if (callers.contains(frames[i].getClassName())) {
        return i + 1;
      }
    }
    return frames.length;
  }

  /** A trace cut to {@link #MAX_CHARS} (for traces read back from the store), marked where it was cut. */
  public static String bounded(String trace) {
    if (trace.length() <= MAX_CHARS) {
      return trace;
    }
    return trace.substring(0, MAX_CHARS - TRUNCATED.length()) + TRUNCATED;
  }

  /** The suppressed exceptions and the cause of {@code t}, each as an enclosed trace. */
  private static void printNested(Out out, Throwable t, StackTraceElement[] frames, String indent, int depth,
      Set<Throwable> seen) {
    Throwable[] suppressed;
    try {
      suppressed = t.getSuppressed();
    } catch (RuntimeException broken) {
      suppressed = new Throwable[0];
    }
    for (Throwable s : suppressed) {
      enclosed(out, s, frames, "Suppressed: ", indent + "\t", depth + 1, seen);
      if (out.full()) {
        return;
      }
    }
    Throwable cause = causeOf(t);
    if (cause != null) {
      enclosed(out, cause, frames, "Caused by: ", indent, depth + 1, seen);
    }
  }

  private static void enclosed(Out out, Throwable t, StackTraceElement[] enclosing, String caption, String indent,
      int depth, Set<Throwable> seen) {
    if (out.full()) {
      return;
    }
    if (!seen.add(t)) {
      out.line(indent + caption + "[CIRCULAR REFERENCE: " + describe(t) + "]");
      return;
    }
    if (depth > MAX_DEPTH) {
      out.line(indent + caption + describe(t));
      out.line(indent + "\t... (deeper causes not kept)");
      return;
    }
    StackTraceElement[] frames = frames(t);
    // As the JDK does: frames this trace shares with the enclosing one (from the bottom) are only counted.
    int m = frames.length - 1;
    int n = enclosing.length - 1;
    while (m >= 0 && n >= 0 && frames[m].equals(enclosing[n])) {
      m--;
      n--;
    }
    int inCommon = frames.length - 1 - m;
    out.line(indent + caption + describe(t));
    printFrames(out, Arrays.copyOf(frames, m + 1), inCommon, indent);
    printNested(out, t, frames, indent, depth, seen);
  }

  /** Up to {@link #MAX_FRAMES} of {@code own}, then one "... N more" line for the rest and the common frames. */
  private static void printFrames(Out out, StackTraceElement[] own, int inCommon, String indent) {
    int shown = Math.min(own.length, MAX_FRAMES);
    for (int i = 0; i < shown && !out.full(); i++) {
      out.line(indent + "\tat " + own[i]);
    }
    int more = own.length - shown + inCommon;
    if (more > 0) {
      out.line(indent + "\t... " + more + " more");
    }
  }

  /** {@code toString()} as the JDK prints it, or the class name when a custom one throws. */
  private static String describe(Throwable t) {
    String s;
    try {
      s = String.valueOf(t);
    } catch (RuntimeException broken) {
      s = t.getClass().getName();
    }
    // A huge message must not be copied whole before the cap cuts it.
    return s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS) : s;
  }

  private static StackTraceElement[] frames(Throwable t) {
    try {
      StackTraceElement[] frames = t.getStackTrace();
      return frames == null ? NO_FRAMES : frames;
    } catch (RuntimeException broken) {
      return NO_FRAMES;
    }
  }

  private static Throwable causeOf(Throwable t) {
    try {
      return t.getCause();
    } catch (RuntimeException broken) {
      return null;
    }
  }

  /** The text so far; once past the cap it takes no more, and {@link #text()} cuts and marks it. */
  private static final class Out {
    private final StringBuilder sb = new StringBuilder();

    void line(String s) {
      if (full()) {
        return;
      }
      if (!sb.isEmpty()) {
        sb.append('\n');
      }
      sb.append(s, 0, Math.min(s.length(), MAX_CHARS + 1 - sb.length()));
    }

    boolean full() {
      return sb.length() > MAX_CHARS;
    }

    String text() {
      return bounded(sb.toString());
    }
  }
}
