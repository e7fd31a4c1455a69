package dev.sluice.schemas.contracts;

import static dev.sluice.schemas.JsonPointers.escape;

import dev.sluice.schemas.SchemaDocument;
import dev.sluice.schemas.SchemaDocument.Followed;
import dev.sluice.schemas.SchemaDocument.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * The schemas of one document that apply to one value: what a walk down a data path looks at, at each step, before it
 * goes on into a member or an item. {@link PointerReach} (may a declared pointer hold a value at all?) and
 * {@link DeclaredFields} (is a read field still declared, still required?) both walk this way, so the gathering is
 * here once and each of them keeps only its policy: which keywords count as applying schemas to the same value
 * ({@link InPlace}), how many schemas one value may gather, and what it reads of them and where it steps next.
 *
 * <p>How a value's schemas are gathered, and why:
 *
 * <ul>
 *   <li>{@code $ref} is followed to the end of its chain and its siblings are ignored, as draft-07 (and everit) do. A
 *       chain that loops applies nothing; one that names no schema in the document is passed over but reported
 *       ({@link Gathered#dangling}), for the caller to judge: a start-up check gives it the benefit of the doubt.</li>
 *   <li>Breadth first, each canonical pointer once: recursive and self-combining schemas end, and a schema reached by
 *       two ways is gathered by the first, with its {@link Applied#always}. The order is fixed because callers
 *       report it: {@link DeclaredFields} names the first declaration it finds.</li>
 *   <li>At most {@code limit} schemas (booleans and non-schemas included) for one value, on top of each pointer once,
 *       which already bounds a value's schemas by the document's size.</li>
 * </ul>
 *
 * <p>Gathering uses a queue, not recursion: however deep combinators nest, the stack does not grow. Keeps nothing
 * between calls.
 *
 * <p>Not here: the step from a value into a member or an item, which each caller takes its own way on purpose.
 * PointerReach steps wherever a value may hold something ({@code patternProperties}, any {@code additionalProperties},
 * {@code additionalItems}, {@code contains}, {@code *} through every declared member), and treats a value that says
 * nothing of its members as open; DeclaredFields steps only where a field is declared by name or index, and tracks
 * what is required on the way.
 */
final class ApplicableSchemas {
  /** An array index token, as in RFC 6901. */
  private static final String INDEX = "0|[1-9][0-9]{0,8}";

  /**
   * The keywords whose schemas apply to the same value as the schema that holds them, in the order they are
   * followed. {@code not} and {@code if} are never among them: they test a value, they do not describe it.
   */
  enum InPlace {
    ALL_OF("allOf"), ANY_OF("anyOf"), ONE_OF("oneOf"), THEN("then"), ELSE("else"), DEPENDENCIES("dependencies");

    /** The draft-07 combinators alone. */
    static final Set<InPlace> COMBINATORS = EnumSet.of(ALL_OF, ANY_OF, ONE_OF);

    private final String keyword;

    InPlace(String keyword) {
      this.keyword = keyword;
    }
  }

  /**
   * A schema that applies to a value, and whether it always does: the walk's start, or reached from one that always
   * applies through {@code allOf} alone (a branch of {@code anyOf}, {@code oneOf}, {@code then}, {@code else} or a
   * dependency may not apply).
   */
  record Applied(Node node, boolean always) {}

  /**
   * The schemas gathered for one value, in the order reached.
   *
   * @param dangling whether some {@code $ref} on the way named no schema in the document, so that what it would
   *     have applied is unknown
   */
  record Gathered(List<Applied> schemas, boolean dangling) {
    /** The gathered schemas that are objects: only they say anything of members and items. */
    List<Applied> objects() {
      return schemas.stream().filter(a -> a.node().schema() instanceof JSONObject).toList();
    }
  }

  private final SchemaDocument document;
  /** In declaration order: the order of the gathering, and so which way reaches a schema first, is fixed. */
  private final List<InPlace> inPlace;
  private final int limit;

  /**
   * @param inPlace the keywords followed within one value
   * @param limit the most schemas gathered for one value
   */
  ApplicableSchemas(SchemaDocument document, Set<InPlace> inPlace, int limit) {
    this.document = document;
    this.inPlace = inPlace.stream().sorted().toList();
    this.limit = limit;
  }

  /** The document's root, which always applies to the data. */
  Applied root() {
    return new Applied(document.root(), true);
  }

  /** Every schema that applies to the same value as {@code start}, within the bounds above. */
  Gathered gather(List<Applied> start) {
    List<Applied> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean dangling = false;
    Deque<Applied> pending = new ArrayDeque<>(start);
    while (!pending.isEmpty() && out.size() < limit) {
      Applied a = pending.removeFirst();
      Followed followed = document.follow(a.node());
      dangling |= followed.dangling();
      if (followed.target().isEmpty() || !seen.add(followed.target().get().pointer())) {
        continue;
      }
      Applied here = new Applied(followed.target().get(), a.always());
      out.add(here);
      if (here.node().schema() instanceof JSONObject o) {
        for (InPlace keyword : inPlace) {
          branches(o, here, keyword, pending);
        }
      }
    }
    return new Gathered(List.copyOf(out), dangling);
  }

  /** Queues the schemas {@code keyword} of {@code o} (applied as {@code here}) applies to the same value. */
  private static void branches(JSONObject o, Applied here, InPlace keyword, Deque<Applied> pending) {
    String at = here.node().pointer() + "/" + keyword.keyword;
    boolean always = here.always() && keyword == InPlace.ALL_OF;
    Object value = o.opt(keyword.keyword);
    switch (keyword) {
      case ALL_OF, ANY_OF, ONE_OF -> {
        if (value instanceof JSONArray branches) {
          for (int i = 0; i < branches.length(); i++) {
            pending.addLast(new Applied(new Node(branches.get(i), at + "/" + i), always));
          }
        }
      }
      case THEN, ELSE -> {
        if (value != null) {
          pending.addLast(new Applied(new Node(value, at), always));
        }
      }
      case DEPENDENCIES -> {
        if (value instanceof JSONObject deps) {
          for (String name : new TreeSet<>(deps.keySet())) {
            // A dependency is a schema or an array of member names; only a schema describes the value.
            if (!(deps.get(name) instanceof JSONArray)) {
              pending.addLast(new Applied(new Node(deps.get(name), at + "/" + escape(name)), always));
            }
          }
        }
      }
    }
  }

  /** Whether a token of a data path may name an item: {@code *} (any item) or an array index. */
  static boolean mayNameItem(String token) {
    return token.equals("*") || token.matches(INDEX);
  }
}
