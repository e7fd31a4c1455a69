package dev.sluice.deploy.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./sluice replay start|list|show|cancel|pause|resume}: replays through the console's API
 * ({@code /api/v1/replays}), with a short human summary of each answer. It talks to the console at {@code --console} (default {@value #DEFAULT_CONSOLE})
 * with the bearer token in {@value #TOKEN_ENV}, or the dev operator's token, which only {@code ./sluice dev} accepts.
 *
 * <p>Exit status: {@value #OK} done, {@value #REFUSED} refused by the console (its problem's title and detail are
 * printed) or the console could not be reached, {@value #USAGE} a usage error.
 */
public final class ReplayCli {
  public static final String DEFAULT_CONSOLE = ConsoleCall.DEFAULT_CONSOLE;
  public static final String TOKEN_ENV = ConsoleCall.TOKEN_ENV;
  /** The dev operator's token: what {@code ./sluice dev}'s console accepts (docs/operators.md). */
  static final String DEV_TOKEN = "dev-operator";
  public static final int OK = ConsoleCall.OK;
  public static final int REFUSED = ConsoleCall.REFUSED;
  public static final int USAGE = 2;
  private static final String API = "/api/v1/replays";
  private static final String CONSOLE_OPTION = "  --console URL   the console (default " + DEFAULT_CONSOLE
      + "); the token is $" + TOKEN_ENV + "\n";

  /** One subcommand: its name, arguments, the options it takes besides {@code --console}, and what it does. */
  record Sub(String name, String arguments, List<String> options, String text) {
    String usage() {
      return "Usage: ./sluice replay " + name + " " + arguments + "\n\n" + text + "\nOptions:\n" + CONSOLE_OPTION
          + "  -h, --help      this text\n";
    }
  }

  static final List<Sub> SUBS = List.of(
      new Sub("start", "--stream STREAM --group GROUP --from earliest|INSTANT [--to INSTANT] [--types T1,T2]"
          + " [--keys K1,K2] [--console URL]",
          List.of("--stream", "--group", "--from", "--to", "--types", "--keys"), """
          Starts a cold-start replay: the new consumer group GROUP (no members, no committed offsets) will read
          STREAM from its first event (earliest) or from the first event at or after INSTANT (ISO-8601 with its
          offset, e.g. 2025-03-01T00:00:00Z), flagged as replayed up to the end captured now, then live.
          A slice hands only part of that history to the handler: --to INSTANT only events written before it,
          --types only events of these CloudEvent types, --keys only events with these record keys (each a list
          separated by commas); the rest of history is passed over. Events written after the start are live, all
          handled.
          """),
      new Sub("list", "[--limit N] [--console URL]", List.of("--limit"), """
          Lists the replays, newest first (at most N, default 50).
          """),
      new Sub("show", "ID [--console URL]", List.of(), """
          Shows one replay: its state and how far its group got on each partition.
          """),
      new Sub("cancel", "ID [--console URL]", List.of(), """
          Cancels a RUNNING, PAUSED or HALTED replay: its group goes on as an ordinary consumer, and its events are
          no longer flagged.
          """),
      new Sub("pause", "ID [--console URL]", List.of(), """
          Pauses a RUNNING replay: its group holds the partitions still below their captured end (nothing of
          history is handled) within a lane refresh; partitions past their end go on live.
          """),
      new Sub("resume", "ID [--console URL]", List.of(), """
          Resumes a PAUSED or HALTED replay: its group takes up history again within a lane refresh.
          """),
      new Sub("rewind", "--stream STREAM --group GROUP (--from earliest|INSTANT | --offsets P=O,...) [--to INSTANT]"
          + " [--types T1,T2] [--keys K1,K2] [--console URL]",
          List.of("--stream", "--group", "--from", "--offsets", "--to", "--types", "--keys"), """
          Rewinds the running consumer group GROUP (it has live instances) without stopping it: each instance
          moves its partitions of STREAM back to the first event at or after INSTANT (or the first event, for
          earliest), or to the offsets given per partition (--offsets 0=12,1=40: only those partitions), and reads
          them again, flagged as replayed up to the end captured now, then live. A slice (--to, --types, --keys, as
          for start) hands only part of the history the group had handled to the handler again; events the group
          had not handled yet are all handled, in or out of the slice.
          """));

  private final PrintStream out;
  private final PrintStream err;
  private final ConsoleCall console;

  private ReplayCli(Map<String, String> env, PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
    this.console = new ConsoleCall(env, err, DEV_TOKEN);
  }

  /** What {@code ./sluice replay --help} says of the subcommands. */
  public static String details() {
    StringBuilder text = new StringBuilder("""
        Starts, rewinds, lists, shows, pauses, resumes and cancels replays of a stream's history to a consumer
        group, through the console's API. Each subcommand has its own --help.

        """);
    for (Sub s : SUBS) {
      text.append("  ./sluice replay ").append(s.name()).append(' ').append(s.arguments()).append('\n');
    }
    return text.append('\n').append(CONSOLE_OPTION).append("""

        Exit status: 0 done, 1 refused by the console (its problem's title and detail are printed) or the console
        could not be reached, 2 a usage error.
        """).toString();
  }

  /** Runs {@code ./sluice replay <args>}; answers the exit status. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return new ReplayCli(env, out, err).run(args);
  }

  private int run(String[] args) {
    Optional<Sub> sub = args.length == 0 ? Optional.empty()
        : SUBS.stream().filter(s -> s.name().equals(args[0])).findFirst();
    if (sub.isEmpty()) {
      err.println(args.length == 0 ? "A replay command is needed." : "Unknown replay command: " + args[0]);
      err.print(details());
      return USAGE;
    }
    Options options;
    try {
      options = Options.parse(List.of(args).subList(1, args.length), sub.get().options());
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(sub.get().usage());
      return USAGE;
    }
    if (options.help()) {
      out.print(sub.get().usage());
      return OK;
    }
    try {
      return switch (sub.get().name()) {
        case "start" -> start(options);
        case "list" -> list(options);
        case "show" -> show(options, options.id("show"));
        case "pause", "resume" -> act(options, sub.get().name());
        case "rewind" -> rewind(options);
        default -> act(options, "cancel");
      };
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(sub.get().usage());
      return USAGE;
    }
  }

  private int start(Options o) {
    JsonObject body = new JsonObject().put("stream", o.required("--stream")).put("group", o.required("--group"))
        .put("from", o.required("--from"));
    putSlice(o, body);
    o.refuseId("start");
    return call(o, HttpRequest.newBuilder(o.uri(API)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())), this::printReplay);
  }

  private int rewind(Options o) {
    JsonObject body = new JsonObject().put("stream", o.required("--stream")).put("group", o.required("--group"))
        .put("rewind", true);
    boolean byTime = o.named.containsKey("--from");
    if (byTime == o.named.containsKey("--offsets")) {
      throw new IllegalArgumentException("rewind needs --from or --offsets (one of them)");
    }
    if (byTime) {
      body.put("from", o.required("--from"));
    } else {
      body.put("offsets", offsets(o.required("--offsets")));
    }
    putSlice(o, body);
    o.refuseId("rewind");
    return call(o, HttpRequest.newBuilder(o.uri(API)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())), this::printReplay);
  }

  /** The slice options {@code --to}, {@code --types}, {@code --keys}, those given, as the body's members. */
  private static void putSlice(Options o, JsonObject body) {
    o.optional("--to").ifPresent(to -> body.put("to", to));
    o.optional("--types").ifPresent(types -> body.put("types", commaSeparated(types)));
    o.optional("--keys").ifPresent(keys -> body.put("keys", commaSeparated(keys)));
  }

  /** {@code 0=12,1=40} as {@code {"0": 12, "1": 40}}; the console judges the numbers. */
  static JsonObject offsets(String text) {
    JsonObject offsets = new JsonObject();
    for (String pair : text.split(",")) {
      String[] po = pair.strip().split("=");
      if (po.length != 2 || !po[0].strip().matches("[0-9]{1,9}") || !po[1].strip().matches("[0-9]{1,18}")) {
        throw new IllegalArgumentException("--offsets takes PARTITION=OFFSET pairs, e.g. 0=12,1=40: not " + pair);
      }
      offsets.put(po[0].strip(), Long.parseLong(po[1].strip()));
    }
    return offsets;
  }

  private int list(Options o) {
    o.refuseId("list");
    String query = o.named.containsKey("--limit")
        ? "?limit=" + URLEncoder.encode(o.named.get("--limit"), StandardCharsets.UTF_8) : "";
    return call(o, HttpRequest.newBuilder(o.uri(API + query)).GET(), answer -> {
      JsonArray replays = answer.getJsonArray("replays", new JsonArray());
      if (replays.isEmpty()) {
        out.println("no replays");
      }
      for (int i = 0; i < replays.size(); i++) {
        JsonObject r = replays.getJsonObject(i);
        out.printf("%s  %-9s  %s -> %s from %s  (by %s at %s)%n", r.getString("id"), r.getString("state"),
            r.getString("stream"), r.getString("group"), r.getString("from"), r.getString("createdBy"),
            r.getString("createdAt"));
      }
    });
  }

  private int show(Options o, String id) {
    return call(o, HttpRequest.newBuilder(o.uri(API + "/" + id)).GET(), this::printReplay);
  }

  /** {@code cancel}, {@code pause} or {@code resume}: a POST to the replay's action. */
  private int act(Options o, String action) {
    return call(o, HttpRequest.newBuilder(o.uri(API + "/" + o.id(action) + "/" + action))
        .POST(HttpRequest.BodyPublishers.noBody()), this::printReplay);
  }

  /** A replay in a few lines: id and state, what goes where, and each partition's progress. */
  private void printReplay(JsonObject r) {
    out.println("replay " + r.getString("id") + " " + r.getString("state"));
    Optional.ofNullable(r.getJsonObject("watch")).map(w -> w.getString("haltReason"))
        .ifPresent(reason -> out.println("  halted: " + reason));
    out.println("  stream " + r.getString("stream") + " (topic " + r.getString("topic") + ") -> group "
        + r.getString("group") + ", from " + r.getString("from")
        + (r.getBoolean("rewind", false) ? ", rewinding the running group" : ""));
    out.println("  started by " + r.getString("createdBy") + " at " + r.getString("createdAt") + ", updated "
        + r.getString("updatedAt"));
    sliceLine(r).ifPresent(out::println);
    JsonArray partitions = r.getJsonArray("partitions", new JsonArray());
    for (int i = 0; i < partitions.size(); i++) {
      JsonObject p = partitions.getJsonObject(i);
      long end = p.getLong("end");
      long reached = p.getLong("reached");
      String notYet = r.getBoolean("rewind", false) && p.getValue("rewoundAt") == null && p.getLong("start") < end
          ? "not rewound yet" : null;
      out.println("  partition " + p.getInteger("partition") + ": " + p.getLong("start") + " -> " + end + ", "
          + (p.getBoolean("passed") ? "passed its end"
              : notYet != null ? notYet : "at " + reached + " (" + (end - reached) + " to go)"));
    }
  }

  /** {@code a,b} as the JSON array {@code ["a","b"]}; the console refuses blank values at their pointer. */
  private static JsonArray commaSeparated(String values) {
    JsonArray out = new JsonArray();
    for (String v : values.split(",", -1)) {
      out.add(v.strip());
    }
    return out;
  }

  /** The replay's slice in a line, unless it replays all of history. */
  private static Optional<String> sliceLine(JsonObject r) {
    List<String> parts = new java.util.ArrayList<>();
    Optional.ofNullable(r.getString("to")).ifPresent(to -> parts.add("to " + to));
    for (String name : List.of("types", "keys")) {
      JsonArray values = r.getJsonArray(name, new JsonArray());
      if (!values.isEmpty()) {
        parts.add(name + " " + String.join(",", values.stream().map(String::valueOf).toList()));
      }
    }
    // A rewind hands all that its group had not handled yet to the handler: only the rest is passed over.
    String rest = r.getBoolean("rewind", false) ? "the rest of the history the group had handled is passed over"
        : "the rest of history is passed over";
    return parts.isEmpty() ? Optional.empty()
        : Optional.of("  slice: " + String.join(", ", parts) + " (" + rest + ")");
  }

  /** Sends the request with the token; prints the answer with {@code print}, or the refusal. */
  private int call(Options o, HttpRequest.Builder request, java.util.function.Consumer<JsonObject> print) {
    return console.send(o.console(), request, print);
  }

  /** The options after the subcommand: named ones with a value, at most one id, and help. */
  private record Options(Map<String, String> named, Optional<String> positional, boolean help) {
    /** {@code args} of a subcommand that takes {@code names} (and {@code --console}), as {@code --name value}. */
    static Options parse(List<String> args, List<String> names) {
      Map<String, String> named = new HashMap<>();
      Optional<String> positional = Optional.empty();
      boolean help = false;
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        int eq = arg.indexOf('=');
        String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
        if (arg.equals("-h") || arg.equals("--help")) {
          help = true;
        } else if (name.equals("--console") || names.contains(name)) {
          if (eq < 0 && i + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
          }
          named.put(name, eq > 0 ? arg.substring(eq + 1) : args.get(++i));
        } else if (arg.startsWith("-")) {
          throw new IllegalArgumentException("Unknown option: " + arg);
        } else if (positional.isEmpty()) {
          positional = Optional.of(arg);
        } else {
          throw new IllegalArgumentException("Unexpected argument: " + arg);
        }
      }
      return new Options(named, positional, help);
    }

    String console() {
      return ConsoleCall.console(named.getOrDefault("--console", DEFAULT_CONSOLE));
    }

    URI uri(String path) {
      return URI.create(console() + path);
    }

    String required(String name) {
      String v = named.get(name);
      if (v == null || v.isBlank()) {
        throw new IllegalArgumentException(name + " is required");
      }
      return v;
    }

    Optional<String> optional(String name) {
      return Optional.ofNullable(named.get(name));
    }

    String id(String sub) {
      String id = positional.orElseThrow(() -> new IllegalArgumentException(sub + " needs the replay's ID"));
      if (!id.matches("[A-Za-z0-9]{1,64}")) {
        throw new IllegalArgumentException("not a replay ID: " + id);
      }
      return id;
    }

    void refuseId(String sub) {
      if (positional.isPresent()) {
        throw new IllegalArgumentException(sub + " takes no ID: " + positional.get());
      }
    }
  }
}
