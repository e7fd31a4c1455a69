package dev.sluice.quarantine.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sluice.schemas.contracts.ReadContract;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A read contract as registry item attributes: written and read back, and read leniently. */
class ContractAttributesTest {
  @Test
  void aContractIsWrittenAsOwnerContactAndAMapOfStringSetsAndReadBack() {
    ReadContract contract = ReadContract.builder().owner("team-catalog").contact("#catalog")
        .reads("retail.product.created", "/data/price", "/data/id")
        .reads("retail.product.photographed", "/data/imageUrl").build();
    Map<String, AttributeValue> item = new HashMap<>();
    ContractAttributes.put(contract, item);

    assertEquals("team-catalog", item.get("owner").s());
    assertEquals("#catalog", item.get("contact").s());
    assertEquals(List.of("/data/id", "/data/price"), item.get("reads").m().get("retail.product.created").ss());
    assertEquals(contract, ContractAttributes.read(item));
  }

  @Test
  void nothingDeclaredWritesNothingAndAnItemWithoutTheAttributesReadsAsNone() {
    Map<String, AttributeValue> item = new HashMap<>();
    ContractAttributes.put(ReadContract.NONE, item);
    assertEquals(Map.of(), item, "no empty string, no empty set: DynamoDB refuses an empty set");
    // An item of an instance older than the attributes.
    assertEquals(ReadContract.NONE, ContractAttributes.read(Map.of("group", AttributeValue.fromS("g"))));

    Map<String, AttributeValue> ownerOnly = new HashMap<>();
    ContractAttributes.put(ReadContract.builder().owner("payments").build(), ownerOnly);
    assertEquals(Map.of("owner", AttributeValue.fromS("payments")), ownerOnly);
    assertEquals("payments", ContractAttributes.read(ownerOnly).owner());
  }

  @Test
  void aStoredContractTodaysRulesRefuseKeepsWhatIsStillValid() {
    Map<String, AttributeValue> item = Map.of(
        "owner", AttributeValue.fromS("o".repeat(300)),
        "reads", AttributeValue.fromM(Map.of(
            "t", AttributeValue.fromSs(List.of("/data/ok", "/id", "no-pointer")),
            "u", AttributeValue.fromSs(List.of("/meta")),
            "v", AttributeValue.fromN("1"))));
    ReadContract read = ContractAttributes.read(item);
    assertEquals(Map.of("t", new TreeSet<>(List.of("/data/ok"))), read.reads());
    assertEquals(ReadContract.MAX_TEXT_LENGTH, read.owner().length());
    assertFalse(read.reads().containsKey("u"), "a type left with no valid pointer is dropped");
  }
}
