package dev.sluice.schemas.registry;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How big a regular expression's RE2J program is, read from the pattern's text without compiling it.
 *
 * <p>RE2J matches in time proportional to the input's length times the program's size, and it expands counted
 * repetitions into copies: {@code (a{1,1000}){1,1000}} is a program of about a million instructions, which takes
 * seconds to compile, tens of megabytes to hold, and minutes to run over a few thousand characters. RE2 (C++) refuses
 * such programs by size; RE2J does not, so the registry measures them first, before RE2J sees the pattern.
 *
 * <p>The count follows RE2J's simplifier and compiler (a port of Go's {@code regexp/syntax}): one instruction per
 * literal character, character class, {@code .}, or anchor; a capture group adds two; {@code *}, {@code +} and
 * {@code ?} add one; an alternation of k branches adds k - 1; and {@code x{n,m}} becomes n copies of x followed by
 * m - n nested optional copies, each one instruction more. Plus the program's fail and match instructions. For the
 * patterns RE2J accepts, this is exact or above RE2J's own count (a non-BMP character counts twice; RE2J may merge
 * alternatives into a class): it is an upper bound, which is what a limit needs. For a text that is not a valid
 * pattern the number means nothing; RE2J refuses such a pattern when it is compiled.
 *
 * <p>One pass, no recursion (a pattern nested a million groups deep must not overflow the stack here): a stack of
 * open groups, each summing its alternatives. Sizes saturate at {@link #SATURATED}.
 */
public final class PatternProgram {
  /** Where sizes stop growing: far above any limit, far below overflow. */
  public static final long SATURATED = 1L << 40;

  private PatternProgram() {}

  /**
   * The measure of one pattern.
   *
   * @param instructions an upper bound of the RE2J program's instruction count
   * @param nesting the deepest nesting of groups
   */
  public record Size(long instructions, int nesting) {}

  public static Size of(String pattern) {
    Deque<Group> open = new ArrayDeque<>();
    Group current = new Group(false);
    int deepest = 0;
    int i = 0;
    int n = pattern.length();
    while (i < n) {
      char c = pattern.charAt(i);
      switch (c) {
        case '(' -> {
          GroupStart start = groupStart(pattern, i);
          i = start.next;
          if (start.flagsOnly) {
            continue;
          }
          current.endAtom();
          open.push(current);
          current = new Group(start.capturing);
          deepest = Math.max(deepest, open.size());
          continue;
        }
        case ')' -> {
          if (open.isEmpty()) {
            current.atom(1); // unbalanced: RE2J refuses it; count it as a literal
          } else {
            long size = current.close();
            current = open.pop();
            current.atom(size);
          }
          i++;
          continue;
        }
        case '|' -> {
          current.alternative();
          i++;
          continue;
        }
        case '[' -> {
          current.atom(1);
          i = classEnd(pattern, i);
          continue;
        }
        case '\\' -> {
          if (i + 1 < n && pattern.charAt(i + 1) == 'Q') {
            int end = pattern.indexOf("\\E", i + 2);
            int stop = end < 0 ? n : end;
            for (int k = i + 2; k < stop; k++) {
              current.atom(1);
            }
            i = end < 0 ? n : end + 2;
          } else {
            current.atom(1);
            i = escapeEnd(pattern, i);
          }
          continue;
        }
        case '*', '+', '?' -> {
          current.repeat(c == '+' ? 1 : 0, c == '?' ? 1 : -1);
          i = lazyEnd(pattern, i + 1);
          continue;
        }
        case '{' -> {
          Repeat repeat = repeat(pattern, i);
          if (repeat == null) {
            current.atom(1); // not a repetition: a literal brace
            i++;
          } else {
            current.repeat(repeat.min, repeat.max);
            i = lazyEnd(pattern, repeat.next);
          }
          continue;
        }
        default -> {
          current.atom(1);
          i++;
        }
      }
    }
    // Unclosed groups (RE2J refuses them) are closed here so the count still covers every character.
    while (!open.isEmpty()) {
      long size = current.close();
      current = open.pop();
      current.atom(size);
    }
    return new Size(add(current.close(), 2), deepest);
  }

  /** One open group: the finished alternatives, the concatenation in progress and its last atom. */
  private static final class Group {
    final boolean capturing;
    long alternatives;
    int branches = 1;
    long concat;
    boolean any;
    /** The last atom, not yet added to {@link #concat}: a repetition that follows applies to it. -1: none. */
    long last = -1;

    Group(boolean capturing) {
      this.capturing = capturing;
    }

    void atom(long size) {
      endAtom();
      last = size;
    }

    void endAtom() {
      if (last >= 0) {
        concat = add(concat, last);
        any = true;
        last = -1;
      }
    }

    /** {@code x{min,max}}; max -1 is unbounded. A repetition with nothing before it counts as a literal. */
    void repeat(int min, int max) {
      if (last < 0) {
        atom(1);
        return;
      }
      last = repeated(last, min, max);
    }

    void alternative() {
      endAtom();
      alternatives = add(alternatives, branch());
      branches++;
      concat = 0;
      any = false;
    }

    /** The group's size: its alternatives, one instruction between each two, and a capture's two. */
    long close() {
      endAtom();
      long total = add(add(alternatives, branch()), branches - 1L);
      return capturing ? add(total, 2) : total;
    }

    /** An empty branch still compiles to one no-op. */
    private long branch() {
      return any ? concat : 1;
    }
  }

  /** RE2J's expansion of {@code x{min,max}} where x has {@code s} instructions. */
  static long repeated(long s, int min, int max) {
    if (max == -1) {
      // x* and x+ add one loop instruction; x{n,} is n-1 copies and x+.
      return min == 0 ? add(s, 1) : add(mul(s, min), 1);
    }
    if (max == 0) {
      return 1; // empty match
    }
    // n copies, then (m - n) nested optional copies: xx(x(x)?)? for x{2,4}.
    return add(mul(s, min), mul(add(s, 1), max - (long) min));
  }

  private record Repeat(int min, int max, int next) {}

  /** {@code {n}}, {@code {n,}} or {@code {n,m}} at {@code at}, or null if the brace is a literal there. */
  private static Repeat repeat(String p, int at) {
    int i = at + 1;
    int start = i;
    while (i < p.length() && Character.isDigit(p.charAt(i))) {
      i++;
    }
    if (i == start || i - start > 9) {
      return null;
    }
    int min = Integer.parseInt(p.substring(start, i));
    if (i < p.length() && p.charAt(i) == '}') {
      return new Repeat(min, min, i + 1);
    }
    if (i >= p.length() || p.charAt(i) != ',') {
      return null;
    }
    i++;
    int maxStart = i;
    while (i < p.length() && Character.isDigit(p.charAt(i))) {
      i++;
    }
    if (i >= p.length() || p.charAt(i) != '}' || i - maxStart > 9) {
      return null;
    }
    int max = i == maxStart ? -1 : Integer.parseInt(p.substring(maxStart, i));
    return new Repeat(min, max, i + 1);
  }

  private static int lazyEnd(String p, int i) {
    return i < p.length() && p.charAt(i) == '?' ? i + 1 : i;
  }

  private record GroupStart(boolean capturing, boolean flagsOnly, int next) {}

  /** {@code (}, {@code (?:}, {@code (?flags:}, {@code (?flags)}, {@code (?P<name>} or {@code (?<name>}. */
  private static GroupStart groupStart(String p, int at) {
    if (at + 1 >= p.length() || p.charAt(at + 1) != '?') {
      return new GroupStart(true, false, at + 1);
    }
    int i = at + 2;
    if (i < p.length() && (p.charAt(i) == '<' || (p.charAt(i) == 'P' && i + 1 < p.length()
        && p.charAt(i + 1) == '<'))) {
      int close = p.indexOf('>', i);
      return new GroupStart(true, false, close < 0 ? p.length() : close + 1);
    }
    while (i < p.length() && p.charAt(i) != ':' && p.charAt(i) != ')') {
      i++;
    }
    if (i >= p.length()) {
      return new GroupStart(false, true, i);
    }
    return p.charAt(i) == ')' ? new GroupStart(false, true, i + 1) : new GroupStart(false, false, i + 1);
  }

  /** The index after the escape at {@code at}: {@code \x{...}}, {@code \p{...}} and {@code \P{...}} take braces. */
  private static int escapeEnd(String p, int at) {
    int i = at + 1;
    if (i >= p.length()) {
      return i;
    }
    char e = p.charAt(i);
    if ((e == 'x' || e == 'p' || e == 'P') && i + 1 < p.length() && p.charAt(i + 1) == '{') {
      int close = p.indexOf('}', i + 2);
      return close < 0 ? p.length() : close + 1;
    }
    if (e == 'x') {
      return Math.min(p.length(), i + 3);
    }
    if (e == 'p' || e == 'P') {
      return Math.min(p.length(), i + 2);
    }
    return i + 1;
  }

  /** The index after the character class that opens at {@code at}. */
  private static int classEnd(String p, int at) {
    int i = at + 1;
    if (i < p.length() && p.charAt(i) == '^') {
      i++;
    }
    if (i < p.length() && p.charAt(i) == ']') {
      i++; // a leading ] is a member
    }
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == ']') {
        return i + 1;
      }
      if (c == '\\') {
        i = escapeEnd(p, i);
      } else if (c == '[' && i + 1 < p.length() && p.charAt(i + 1) == ':') {
        int close = p.indexOf(":]", i + 2);
        i = close < 0 ? i + 1 : close + 2;
      } else {
        i++;
      }
    }
    return i;
  }

  private static long add(long a, long b) {
    return Math.min(SATURATED, a + b);
  }

  private static long mul(long a, long b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    return a > SATURATED / b ? SATURATED : Math.min(SATURATED, a * b);
  }
}
