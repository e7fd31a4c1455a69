package dev.sluice.crypto.kek;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The AWS KMS key a KEK URI names, by ARN: {@code arn:<partition>:kms:<region>:<account>:key/<key-id>}, or an alias
 * ARN ({@code ...:alias/<name>}). The region is the one the KMS client calls; the ARN (never a bare key id or alias
 * name, which would leave the region and account to whatever the process runs in) is what every call names.
 *
 * @param arn the whole ARN, as configured
 * @param partition {@code aws}, {@code aws-cn}, {@code aws-us-gov}, ...
 * @param region e.g. {@code eu-west-1}
 * @param account the 12-digit account id
 * @param alias whether the ARN names an alias (which points at a key) rather than a key
 */
public record KmsKeyArn(String arn, String partition, String region, String account, boolean alias) {
  private static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");
  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
  /** A key id is a UUID, or {@code mrk-} and 32 hex digits for a multi-Region key. */
  private static final Pattern KEY_ID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}"
      + "|mrk-[0-9a-fA-F]{32}");
  /** As KMS accepts alias names; {@code alias/aws/...} are AWS managed keys, which only AWS services may use. */
  private static final Pattern ALIAS = Pattern.compile("(?!aws/)[a-zA-Z0-9/_-]{1,250}");
  private static final String EXPECTED = "expected arn:aws:kms:<region>:<account>:key/<key-id>"
      + " or arn:aws:kms:<region>:<account>:alias/<name>";

  public KmsKeyArn {
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(account, "account");
  }

  /**
   * The key {@code arn} names.
   *
   * @throws IllegalArgumentException naming the part that is wrong, and what is expected
   */
  public static KmsKeyArn parse(String arn) {
    Objects.requireNonNull(arn, "arn");
    String[] parts = arn.split(":", 6);
    if (parts.length != 6 || !parts[0].equals("arn")) {
      throw new IllegalArgumentException("'" + arn + "' is not an ARN: " + EXPECTED);
    }
    if (!PARTITION.matcher(parts[1]).matches()) {
      throw new IllegalArgumentException("'" + arn + "' has no AWS partition ('" + parts[1] + "'): " + EXPECTED);
    }
    if (!parts[2].equals("kms")) {
      throw new IllegalArgumentException("'" + arn + "' is not a KMS ARN (service '" + parts[2] + "'): " + EXPECTED);
    }
    if (!REGION.matcher(parts[3]).matches()) {
      throw new IllegalArgumentException("'" + arn + "' names no region ('" + parts[3] + "'), which the KMS client "
          + "needs: " + EXPECTED);
    }
    if (!ACCOUNT.matcher(parts[4]).matches()) {
      throw new IllegalArgumentException("'" + arn + "' has no 12-digit account id ('" + parts[4] + "'): " + EXPECTED);
    }
    String resource = parts[5];
    if (resource.startsWith("key/") && KEY_ID.matcher(resource.substring(4)).matches()) {
      return new KmsKeyArn(arn, parts[1], parts[3], parts[4], false);
    }
    if (resource.startsWith("alias/") && ALIAS.matcher(resource.substring(6)).matches()) {
      return new KmsKeyArn(arn, parts[1], parts[3], parts[4], true);
    }
    throw new IllegalArgumentException("'" + arn + "' names no key ('" + resource + "' is neither key/<key-id>, a "
        + "UUID or mrk- id, nor alias/<name> of a customer managed key): " + EXPECTED);
  }

  /**
   * Whether {@code keyId}, the key ARN KMS says a ciphertext was decrypted with, is this key: this ARN itself, or, for
   * an alias, a key ARN of the alias's partition, region and account (KMS itself has checked that it is the alias's key,
   * since the Decrypt call names the alias).
   */
  public boolean issued(String keyId) {
    if (keyId == null) {
      return false;
    }
    if (!alias) {
      return arn.equals(keyId);
    }
    String prefix = "arn:" + partition + ":kms:" + region + ":" + account + ":key/";
    return keyId.startsWith(prefix) && KEY_ID.matcher(keyId.substring(prefix.length())).matches();
  }

  @Override
  public String toString() {
    return arn;
  }
}
