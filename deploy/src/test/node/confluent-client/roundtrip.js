'use strict';
// Drives Sluice's Confluent-compatible registry API (<gateway>/confluent) with Confluent's own JavaScript client,
// @confluentinc/schemaregistry (the exact version is pinned in package.json), as a producer and a consumer would:
// register and look up a JSON schema, serialize an object with the client's JsonSerializer and read it back with its
// JsonDeserializer, and see an incompatible change refused. ConfluentJsClientIT runs it against the test stack; by
// hand (after `npm ci` here):
//
//   SLUICE_ADMIN_KEY=dev-admin SLUICE_READ_KEY=dev-producer node roundtrip.js http://127.0.0.1:8080
//
// The keys travel as Confluent's clients send them with basic.auth.user.info: HTTP Basic, the key as the password.
// Every run uses a type and a stream of its own (their names end with a random suffix), so it can run again on the
// same registry. It prints one JSON summary on stdout and exits 0 only if every check passed; on a failure it prints
// {"ok": false, "failed": "<step>", "error": "..."} and exits 1.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const {
  SchemaRegistryClient, JsonSerializer, JsonDeserializer, SerdeType, SerializationError, RestError,
} = require('@confluentinc/schemaregistry');

const gateway = (process.argv[2] || process.env.SLUICE_GATEWAY_URL || '').replace(/\/+$/, '');
const adminKey = process.env.SLUICE_ADMIN_KEY;
const readKey = process.env.SLUICE_READ_KEY;
if (!gateway || !adminKey || !readKey) {
  console.error('usage: SLUICE_ADMIN_KEY=<admin key> SLUICE_READ_KEY=<any other key> node roundtrip.js <gateway url>');
  process.exit(2);
}
const registryUrl = gateway + '/confluent';

const suffix = crypto.randomBytes(4).toString('hex');
// The subject of the type is its own name (RecordNameStrategy). The stream's topic subject, <topic>-value, is what
// the serializers' default naming (TopicNameStrategy) asks for, and maps to the stream's one type.
const type = 'it.jsclient.order.' + suffix;
const topic = 'it-jsclient-' + suffix;

// BACKWARD (the registry's default level) allows a longer maxLength and refuses a shorter one.
const schemaOf = (maxLength) => JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Order',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength },
    amount: { type: 'integer', minimum: 0 },
    lines: { type: 'array', items: { type: 'string' } },
  },
  required: ['id', 'amount'],
});
const V1 = { schemaType: 'JSON', schema: schemaOf(16) };
const WIDER = { schemaType: 'JSON', schema: schemaOf(32) };
const NARROWER = { schemaType: 'JSON', schema: schemaOf(8) };
const ORDER = { id: 'o-1', amount: 42, lines: ['tea', 'scones'] };

/** A client of its own (so nothing is answered from another's cache), as a separate producer or consumer has. */
const client = (key) => new SchemaRegistryClient({
  baseURLs: [registryUrl],
  basicAuthCredentials: { credentialsSource: 'USER_INFO', userInfo: 'sluice:' + key },
  maxRetries: 0,
  createAxiosDefaults: { timeout: 30000 },
});

/** The error a promise is rejected with; fails if it resolves. */
async function rejection(promise, what) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new assert.AssertionError({ message: what + ' succeeded, but it should have failed' });
}

/** The gateway's own API, for what Confluent's API has no notion of: a stream (its topic and types). */
async function putStream() {
  const response = await fetch(`${gateway}/v1/streams/${topic}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + adminKey },
    body: JSON.stringify({ topic, partitions: 1, types: [{ type, partitionKey: '/id' }] }),
    signal: AbortSignal.timeout(30000),
  });
  assert.equal(response.status, 201, await response.text());
}

async function main(summary) {
  const step = (name) => { summary.step = name; };
  const admin = client(adminKey);

  step('register');
  const id = await admin.register(type, V1);
  assert.ok(Number.isInteger(id) && id > 0, 'id ' + id);
  // The same schema again: the same id (a fresh client, so the registry answers, not the client's cache).
  assert.equal(await client(adminKey).register(type, V1), id);
  summary.subject = type;
  summary.id = id;

  step('lookup');
  const reader = client(readKey);
  const found = await reader.getIdFullResponse(type, V1);
  assert.equal(found.id, id);
  assert.equal(found.version, 1);
  assert.equal(found.subject, type);
  const latest = await reader.getLatestSchemaMetadata(type);
  assert.deepEqual([latest.id, latest.version, latest.schemaType, latest.schema], [id, 1, 'JSON', V1.schema]);
  const byId = await reader.getBySubjectAndId(type, id);
  assert.equal(byId.schema, V1.schema);
  assert.deepEqual(await reader.getAllVersions(type), [1]);
  const first = await reader.getSchemaMetadata(type, 1, true);
  assert.deepEqual([first.id, first.version, first.schema], [id, 1, V1.schema]);
  assert.equal(await reader.getCompatibility(type), 'BACKWARD');
  assert.ok((await reader.getAllSubjects()).includes(type));

  step('stream');
  await putStream();
  summary.topic = topic;

  step('serialize');
  // No auto-registration: the serializer uses the subject's latest schema (useLatestVersion), validates the object
  // against it and writes its id. The subject comes from the client's default naming: it asks for an association of
  // the topic (not served: 404), then falls back to TopicNameStrategy, <topic>-value.
  const serializer = new JsonSerializer(reader, SerdeType.VALUE,
    { autoRegisterSchemas: false, useLatestVersion: true, validate: true });
  const bytes = await serializer.serialize(topic, ORDER);
  assert.equal(bytes.readUInt8(0), 0, 'magic byte');
  assert.equal(bytes.readInt32BE(1), id, 'schema id in the record');
  assert.deepEqual(JSON.parse(bytes.subarray(5).toString('utf8')), ORDER);
  const invalid = await rejection(serializer.serialize(topic, { id: 'o-2' }), 'serializing an object without amount');
  assert.ok(invalid instanceof SerializationError, String(invalid));
  // Pinned to an id instead: the client reads the schema by id, then looks it up in the subject (with normalize=true).
  const pinned = new JsonSerializer(client(readKey), SerdeType.VALUE,
    { autoRegisterSchemas: false, useSchemaId: id, normalizeSchemas: true, validate: true });
  assert.deepEqual(await pinned.serialize(topic, ORDER), bytes);
  summary.serializedBytes = bytes.length;

  step('deserialize');
  // A consumer's client: it reads the writer's schema by the id in the record.
  const deserializer = new JsonDeserializer(client(readKey), SerdeType.VALUE, { validate: true });
  assert.deepEqual(await deserializer.deserialize(topic, bytes), ORDER);

  step('incompatible');
  const refused = await rejection(admin.register(type, NARROWER), 'registering a narrower maxLength');
  assert.ok(refused instanceof RestError, String(refused));
  assert.equal(refused.status, 409, refused.message);
  assert.equal(refused.errorCode, 409, refused.message);
  assert.equal(await reader.testCompatibility(type, 1, NARROWER), false);
  assert.equal(await reader.testSubjectCompatibility(type, WIDER), true);
  // Registering takes an admin key: any other key is refused (403, 40301).
  const forbidden = await rejection(reader.register(type, WIDER), 'registering with a read key');
  assert.deepEqual([forbidden.status, forbidden.errorCode], [403, 40301], forbidden.message);
  summary.incompatible = { status: refused.status, errorCode: refused.errorCode };

  step('evolve');
  // A compatible change becomes version 2; a consumer reading with the latest version still reads a v1 record
  // (the client looks the writer's schema up in the subject to find its version, then reads the versions between).
  const id2 = await admin.register(type, WIDER);
  assert.notEqual(id2, id);
  const latestReader = new JsonDeserializer(client(readKey), SerdeType.VALUE, { useLatestVersion: true, validate: true });
  assert.deepEqual(await latestReader.deserialize(topic, bytes), ORDER);
  const v2 = await client(readKey).getLatestSchemaMetadata(type);
  assert.deepEqual([v2.version, v2.id], [2, id2]);
  summary.versions = await reader.getAllVersions(type);

  summary.step = undefined;
  summary.ok = true;
}

const summary = {
  ok: false,
  client: '@confluentinc/schemaregistry@' + require('@confluentinc/schemaregistry/package.json').version,
  node: process.version,
  registry: registryUrl,
};
main(summary).then(
  () => {
    console.log(JSON.stringify(summary));
  },
  (e) => {
    const failed = summary.step;
    summary.step = undefined;
    console.log(JSON.stringify({ ...summary, ok: false, failed, error: String(e && e.stack || e) }));
    process.exitCode = 1;
  });
