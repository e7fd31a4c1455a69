package dev.sluice.console.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.auth.Role.Action;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The table: viewer reads (masked); operator edits, redrives, discards; admin runs large bulk jobs. */
class RoleTest {

  @Test
  void theRoleMatrix() {
    Map<Role, Set<Action>> allowed = Map.of(
        Role.VIEWER, EnumSet.of(Action.READ),
        Role.OPERATOR, EnumSet.of(Action.READ, Action.SEE_SENSITIVE, Action.CHANGE),
        Role.ADMIN, EnumSet.allOf(Action.class));
    for (Role role : Role.values()) {
      for (Action action : Action.values()) {
        assertEquals(allowed.get(role).contains(action), role.may(action), role + " " + action);
      }
    }
  }

  @Test
  void rolesAreNamedAsConfigured() {
    assertEquals(Optional.of(Role.OPERATOR), Role.parse(" Operator "));
    assertTrue(Role.parse("root").isEmpty());
    assertTrue(Role.parse(null).isEmpty());
    assertEquals("viewer", Role.VIEWER.label());
  }
}
