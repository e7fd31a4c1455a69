package dev.sluice.console.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.console.problem.ConsoleError.BadBody;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.console.problem.Problems;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RedriveBodyTest {

  @Test
  void noBodyOrNoDataMeansRedriveAsIs() {
    assertEquals(Optional.empty(), RedriveBody.replacementData(null));
    assertEquals(Optional.empty(), RedriveBody.replacementData(Buffer.buffer()));
    assertEquals(Optional.empty(), RedriveBody.replacementData(Buffer.buffer(" \n")));
    assertEquals(Optional.empty(), RedriveBody.replacementData(Buffer.buffer("{}")));
  }

  @Test
  void dataComesBackAsCompactJson() {
    Optional<String> data = RedriveBody.replacementData(Buffer.buffer(
        "{ \"data\" : { \"id\" : \"p-1\", \"price\" : 19.99, \"tags\": [ \"a\" ], \"n\": null } }"));
    assertEquals(Optional.of("{\"id\":\"p-1\",\"price\":19.99,\"tags\":[\"a\"],\"n\":null}"), data);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"data\": 42}|42",
      "{\"data\": \"text\"}|\"text\"",
      "{\"data\": null}|null",
      "{\"data\": [1,2]}|[1,2]",
  })
  void anyJsonValueIsPassedOnForTheSchemaToJudge(String body, String expected) {
    assertEquals(Optional.of(expected), RedriveBody.replacementData(Buffer.buffer(body)));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "not json",
      "{\"data\": {\"id\": }",
      "[{\"data\": {}}]",
      "\"data\"",
      "{\"data\": {}, \"date\": {}}",
      "{\"data\": {}} trailing",
  })
  void anythingElseIsABadBody(String body) {
    ConsoleFailure f = assertThrows(ConsoleFailure.class, () -> RedriveBody.replacementData(Buffer.buffer(body)));
    assertInstanceOf(BadBody.class, f.error());
    assertEquals(400, Problems.of(f).status());
  }
}
