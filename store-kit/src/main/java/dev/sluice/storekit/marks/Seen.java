package dev.sluice.storekit.marks;

/** The value of a mark that says nothing but "seen": for {@link WindowMarks} whose callers only ask whether. */
public enum Seen {
  SEEN
}
