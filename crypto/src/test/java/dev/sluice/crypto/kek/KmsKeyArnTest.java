package dev.sluice.crypto.kek;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KmsKeyArnTest {
  private static final String ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String KEY = "arn:aws:kms:eu-west-1:123456789012:key/" + ID;

  @Test
  void aKeyArnGivesItsRegionAndAccount() {
    KmsKeyArn key = KmsKeyArn.parse(KEY);
    assertEquals(new KmsKeyArn(KEY, "aws", "eu-west-1", "123456789012", false), key);
    assertEquals(KEY, key.toString());
  }

  @Test
  void otherPartitionsMultiRegionKeysAndAliasesParse() {
    assertEquals("cn-north-1", KmsKeyArn.parse("arn:aws-cn:kms:cn-north-1:123456789012:key/" + ID).region());
    assertEquals("us-gov-west-1", KmsKeyArn.parse("arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/" + ID).region());
    assertFalse(KmsKeyArn.parse("arn:aws:kms:eu-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab").alias());
    assertTrue(KmsKeyArn.parse("arn:aws:kms:eu-west-1:123456789012:alias/sluice/kek").alias());
  }

  @Test
  void eachMalformedPartIsNamed() {
    assertRefused("key/" + ID, "is not an ARN");
    assertRefused("arn:aws:kms:eu-west-1:123456789012", "is not an ARN");
    assertRefused("arn:amazon:kms:eu-west-1:123456789012:key/" + ID, "no AWS partition ('amazon')");
    assertRefused("arn:aws:s3:eu-west-1:123456789012:key/" + ID, "not a KMS ARN (service 's3')");
    assertRefused("arn:aws:kms::123456789012:key/" + ID, "names no region ('')");
    assertRefused("arn:aws:kms:Europe:123456789012:key/" + ID, "names no region ('Europe')");
    assertRefused("arn:aws:kms:eu-west-1:12345:key/" + ID, "no 12-digit account id ('12345')");
    assertRefused("arn:aws:kms:eu-west-1:123456789012:key/not-a-uuid", "names no key ('key/not-a-uuid'");
    assertRefused("arn:aws:kms:eu-west-1:123456789012:" + ID, "names no key");
    assertRefused("arn:aws:kms:eu-west-1:123456789012:alias/aws/s3", "names no key ('alias/aws/s3'");
    assertRefused("arn:aws:kms:eu-west-1:123456789012:alias/", "names no key");
  }

  @Test
  void aKeyArnIssuedOnlyWhatKmsSaysThatKeyDecrypted() {
    KmsKeyArn key = KmsKeyArn.parse(KEY);
    assertTrue(key.issued(KEY));
    assertFalse(key.issued("arn:aws:kms:eu-west-1:123456789012:key/99999999-12ab-34cd-56ef-1234567890ab"));
    assertFalse(key.issued(ID), "a bare id is not the ARN");
    assertFalse(key.issued(null));
  }

  @Test
  void anAliasIssuedAnyKeyOfItsRegionAndAccountButNoOther() {
    KmsKeyArn alias = KmsKeyArn.parse("arn:aws:kms:eu-west-1:123456789012:alias/sluice-kek");
    assertTrue(alias.issued(KEY));
    assertFalse(alias.issued("arn:aws:kms:eu-west-2:123456789012:key/" + ID), "another region");
    assertFalse(alias.issued("arn:aws:kms:eu-west-1:210987654321:key/" + ID), "another account");
    assertFalse(alias.issued("arn:aws:kms:eu-west-1:123456789012:alias/sluice-kek"), "not a key ARN");
  }

  private static void assertRefused(String arn, String why) {
    String message = assertThrows(IllegalArgumentException.class, () -> KmsKeyArn.parse(arn)).getMessage();
    assertTrue(message.contains(why), message);
    assertTrue(message.contains("expected arn:aws:kms:<region>:<account>:key/<key-id> or "
        + "arn:aws:kms:<region>:<account>:alias/<name>"), message);
  }
}
