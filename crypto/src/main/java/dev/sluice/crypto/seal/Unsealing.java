package dev.sluice.crypto.seal;

/** What unsealing a record gave: its data to hand on, or why it cannot be unsealed. */
public sealed interface Unsealing permits Unsealed, SealFailure {}
