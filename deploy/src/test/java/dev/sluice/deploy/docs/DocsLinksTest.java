package dev.sluice.deploy.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The README is a front door and a map: every link in it and in docs/ leads somewhere that exists. */
class DocsLinksTest {

  @Test
  void everyLinkInTheReadmeAndTheDocsResolves() {
    List<String> broken = new ArrayList<>();
    int links = 0;
    for (Path file : MarkdownDocs.files()) {
      for (MarkdownDocs.Link link : MarkdownDocs.links(file)) {
        links++;
        Optional<String> problem = MarkdownDocs.problem(file, link.target());
        problem.ifPresent(p -> broken.add(MarkdownDocs.ROOT.relativize(link.from()) + ":" + link.line() + " "
            + link.target() + ": " + p));
      }
    }
    assertTrue(links > 30, "expected the docs to link to each other, found " + links + " links");
    assertEquals(List.of(), broken);
  }

  @Test
  void everyDocumentIsReachableFromTheReadme() {
    List<String> unlinked = new ArrayList<>();
    List<String> targets = MarkdownDocs.links(MarkdownDocs.ROOT.resolve("README.md")).stream()
        .map(l -> l.target().replaceFirst("#.*", "")).toList();
    for (Path file : MarkdownDocs.files()) {
      String relative = MarkdownDocs.ROOT.relativize(file).toString();
      if (!relative.equals("README.md") && !targets.contains(relative)) {
        unlinked.add(relative);
      }
    }
    assertEquals(List.of(), unlinked, "documents the README's map does not name");
  }

  @Test
  void theReadmeStaysAFrontDoor() throws IOException {
    long lines = Files.readAllLines(MarkdownDocs.ROOT.resolve("README.md")).size();
    assertTrue(lines <= 420, "README.md has " + lines + " lines; reference material belongs in docs/");
  }

  @Test
  void anchorsFollowGithubsRules() throws IOException {
    Path file = Files.createTempFile("anchors", ".md");
    Files.writeString(file, "# Runbook: ingest errors\n```\n# not a heading\n```\n### `./sluice init`\n## Twice\n"
        + "## Twice\n");
    assertEquals(List.of("runbook-ingest-errors", "sluice-init", "twice", "twice-1"),
        List.copyOf(MarkdownDocs.anchors(file)));
    Files.delete(file);
  }
}
