package dev.sluice.schemas.marks;

import static dev.sluice.schemas.JsonPointers.escape;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds, in one streaming pass over an event's data text, each value the schema marks sensitive (its instance pointer
 * and the exact span of its JSON text) and the data subject.
 *
 * <p>The pass follows the schema's {@link SensitiveMarks} alongside the data: a part of the data that can hold no
 * marked value and not the subject is skipped without being read into values. It keeps one frame per open object or
 * array on the heap (no recursion), and the parser's own limits bound the nesting, so it is linear in the data and
 * bounded by its size, which the gateway caps before anything else.
 */
public final class MarkedLocations {
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private MarkedLocations() {}

  /**
   * What the pass found.
   *
   * @param values each marked value present in the data, sorted by pointer; a marked member that is absent is not
   *     listed, a present one is whatever it holds (null and objects included)
   * @param subject the data subject, or why there is none usable
   */
  public record Located(List<MarkedValue> values, DataSubject subject) {
    public Located {
      values = List.copyOf(values);
      Objects.requireNonNull(subject, "subject");
    }
  }

  /**
   * Locates the marked values and the subject of {@code data} under {@code marks}; empty when {@code data} is not one
   * well-formed JSON value (no duplicate member names).
   */
  public static Optional<Located> locate(SensitiveMarks marks, String data) {
    List<String> subject = marks.subjectTokens().orElse(List.of());
    Walk walk = new Walk(data, subject);
    try (JsonParser p = JSON.createParser(data)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return Optional.empty();
      }
      InstanceGraph.Node root = marks.graph().root();
      walk.visit(p, first, root.relevant ? root : null, "", subject.isEmpty() ? -1 : 0);
      walk.run(p);
      if (p.nextToken() != null) {
        return Optional.empty();
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.of(walk.located());
  }

  /**
   * Locates alongside another pass over the same data text: one that reads every value in order with its own parser
   * (the validator building the values it checks), calling {@link #enterRoot}, {@link #enterMember} or
   * {@link #enterItem} at each value's first token and {@link #exit} at its last, each pair nested like the values. It finds what {@link #locate} finds, without a second
   * parse of the data: the consumer checks and locates every sealed record, the gateway every marked event.
   *
   * <p>A value's {@code enter} answers a code that its {@code exit} and its children's {@code enter} take back, so a
   * part of the data that can hold no marked value and not the subject costs one comparison per value. Single use,
   * one thread.
   */
  public static final class Tracker {
    /** Nothing inside is tracked. */
    public static final int IGNORED = 0;
    /** The value is an object or array that may hold a marked value or the subject. */
    private static final int OPEN = 1;
    /** The value is marked: its span is taken at its end, and nothing inside it is looked at. */
    private static final int MARKED = 2;

    private final Walk walk;
    private final InstanceGraph.Node root;
    private String markedPointer;
    private int markedStart;
    private boolean failed;

    private Tracker(SensitiveMarks marks, String data) {
      this.walk = new Walk(data, marks.subjectTokens().orElse(List.of()));
      this.root = marks.graph().root();
    }

    /** At the first token of the whole data value. */
    public int enterRoot(JsonParser p, JsonToken t) throws IOException {
      try {
        return enter(p, t, root.relevant ? root : null, "", walk.subjectTokens.isEmpty() ? -1 : 0);
      } catch (RuntimeException e) {
        return fail();
      }
    }

    /** At the first token {@code t} of member {@code name}'s value, in the object whose code is {@code parent}. */
    public int enterMember(JsonParser p, JsonToken t, String name, int parent) throws IOException {
      if (parent != OPEN || failed) {
        return IGNORED;
      }
      try {
        Frame top = walk.open.peek();
        InstanceGraph.Node node = top.node == null ? null : top.node.member(name);
        int depth = top.subjectDepth >= 0 && top.subjectDepth < walk.subjectTokens.size()
            && walk.subjectTokens.get(top.subjectDepth).equals(name) ? top.subjectDepth + 1 : -1;
        return enter(p, t, node, node == null && depth < 0 ? null : top.pointer + "/" + escape(name), depth);
      } catch (RuntimeException e) {
        return fail();
      }
    }

    /** At the first token {@code t} of the next item of the array whose code is {@code parent}. */
    public int enterItem(JsonParser p, JsonToken t, int parent) throws IOException {
      if (parent != OPEN || failed) {
        return IGNORED;
      }
      try {
        Frame top = walk.open.peek();
        int index = top.nextIndex++;
        InstanceGraph.Node node = top.node == null ? null : top.node.item(index);
        return enter(p, t, node, node == null ? null : top.pointer + "/" + index, -1);
      } catch (RuntimeException e) {
        return fail();
      }
    }

    /** Where the values stand cannot be told (as when {@link #locate} finds the data unreadable): no answer. */
    private int fail() {
      failed = true;
      return IGNORED;
    }

    /** As {@link Walk#visit}, except that the other pass reads the children: nothing here skips them. */
    private int enter(JsonParser p, JsonToken t, InstanceGraph.Node node, String pointer, int subjectDepth)
        throws IOException {
      boolean container = t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY;
      if (node != null && node.marked()) {
        markedPointer = pointer;
        markedStart = Math.toIntExact(p.currentTokenLocation().getCharOffset());
        return MARKED;
      }
      if (subjectDepth >= 0 && subjectDepth == walk.subjectTokens.size()) {
        walk.subject = t == JsonToken.VALUE_STRING ? DataSubject.ofString(p.getText())
            : t == JsonToken.VALUE_NUMBER_INT ? DataSubject.ofInteger(p.getText())
            : new DataSubject.Invalid("is " + Walk.kind(t) + ", not a string or an integer");
        return IGNORED;
      }
      if (container && (node != null || subjectDepth >= 0)) {
        walk.open.push(new Frame(node, pointer, subjectDepth, t == JsonToken.START_ARRAY));
        return OPEN;
      }
      return IGNORED;
    }

    /**
     * At the last token of the value whose code is {@code code}: its closing token for an object or array (the
     * parser's current token), else its only token, still current.
     */
    public void exit(JsonParser p, JsonToken first, int code) throws IOException {
      if (failed) {
        return;
      }
      try {
        if (code == OPEN) {
          walk.open.pop();
        } else if (code == MARKED) {
          int end = first == JsonToken.START_OBJECT || first == JsonToken.START_ARRAY
              ? Math.toIntExact(p.currentTokenLocation().getCharOffset()) + 1
              : first == JsonToken.VALUE_STRING ? Walk.stringEnd(walk.data, markedStart)
              : markedStart + p.getText().length();
          walk.found.add(new MarkedValue(markedPointer, markedStart, end));
        }
      } catch (RuntimeException e) {
        fail();
      }
    }

    /**
     * What the pass found, once the other pass has read the whole data value without error: what {@link #locate}
     * answers for the same data.
     */
    public Optional<Located> located() {
      return failed ? Optional.empty() : Optional.of(walk.located());
    }
  }

  /** A tracker for one pass over {@code data}, under {@code marks}. */
  public static Tracker tracker(SensitiveMarks marks, String data) {
    return new Tracker(marks, data);
  }

  /** One open object or array: its node (null when nothing marked is inside), pointer and subject progress. */
  private static final class Frame {
    final InstanceGraph.Node node;
    final String pointer;
    /** How many of the subject's tokens lead here; -1 when the subject is not inside. */
    final int subjectDepth;
    final boolean array;
    int nextIndex;

    Frame(InstanceGraph.Node node, String pointer, int subjectDepth, boolean array) {
      this.node = node;
      this.pointer = pointer;
      this.subjectDepth = subjectDepth;
      this.array = array;
    }
  }

  private static final class Walk {
    final String data;
    final List<String> subjectTokens;
    final Deque<Frame> open = new ArrayDeque<>();
    final List<MarkedValue> found = new ArrayList<>();
    DataSubject subject;

    Walk(String data, List<String> subjectTokens) {
      this.data = data;
      this.subjectTokens = subjectTokens;
    }

    /** The marked values by pointer, and the subject or why there is none. */
    Located located() {
      found.sort(Comparator.comparing(MarkedValue::pointer));
      DataSubject who = subject != null ? subject
          : new DataSubject.Invalid(subjectTokens.isEmpty() ? "is not named by the schema" : "is missing");
      return new Located(found, who);
    }

    void run(JsonParser p) throws IOException {
      while (!open.isEmpty()) {
        JsonToken t = p.nextToken();
        Frame top = open.peek();
        if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          open.pop();
        } else if (top.array) {
          int index = top.nextIndex++;
          InstanceGraph.Node node = top.node == null ? null : top.node.item(index);
          visit(p, t, node, node == null ? null : top.pointer + "/" + index, -1);
        } else {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          InstanceGraph.Node node = top.node == null ? null : top.node.member(name);
          int depth = top.subjectDepth >= 0 && top.subjectDepth < subjectTokens.size()
              && subjectTokens.get(top.subjectDepth).equals(name) ? top.subjectDepth + 1 : -1;
          visit(p, value, node, node == null && depth < 0 ? null : top.pointer + "/" + escape(name), depth);
        }
      }
    }

    /** The value starting at token {@code t}, at {@code pointer}; {@code node} is null when nothing marked is in it. */
    void visit(JsonParser p, JsonToken t, InstanceGraph.Node node, String pointer, int subjectDepth)
        throws IOException {
      boolean container = t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY;
      if (node != null && node.marked()) {
        int start = Math.toIntExact(p.currentTokenLocation().getCharOffset());
        found.add(new MarkedValue(pointer, start, end(p, t, start)));
      } else if (subjectDepth >= 0 && subjectDepth == subjectTokens.size()) {
        subject = t == JsonToken.VALUE_STRING ? DataSubject.ofString(p.getText())
            : t == JsonToken.VALUE_NUMBER_INT ? DataSubject.ofInteger(p.getText())
            : new DataSubject.Invalid("is " + kind(t) + ", not a string or an integer");
        if (container) {
          p.skipChildren();
        }
      } else if (container && (node != null || subjectDepth >= 0)) {
        open.push(new Frame(node, pointer, subjectDepth, t == JsonToken.START_ARRAY));
      } else if (container) {
        p.skipChildren();
      }
    }

    /** Where the value starting at {@code start} with token {@code t} ends (exclusive); consumes a container. */
    private int end(JsonParser p, JsonToken t, int start) throws IOException {
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        p.skipChildren();
        return Math.toIntExact(p.currentTokenLocation().getCharOffset()) + 1;
      }
      if (t == JsonToken.VALUE_STRING) {
        return stringEnd(data, start);
      }
      // Numbers, true, false and null: the parser's text is the source text.
      return start + p.getText().length();
    }

    /** Where the string starting at {@code start} ends: past its opening quote, to the first quote no backslash escapes. */
    static int stringEnd(String data, int start) {
      int i = start + 1;
      while (data.charAt(i) != '"') {
        i += data.charAt(i) == '\\' ? 2 : 1;
      }
      return i + 1;
    }

    static String kind(JsonToken t) {
      return switch (t) {
        case START_OBJECT -> "an object";
        case START_ARRAY -> "an array";
        case VALUE_NUMBER_FLOAT -> "a number with a fraction or an exponent";
        case VALUE_TRUE, VALUE_FALSE -> "a boolean";
        default -> "null";
      };
    }
  }
}
