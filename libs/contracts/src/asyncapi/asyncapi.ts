// Not part of class-transformer's typed entry point; nested contract classes (@Type) need it for $refs.
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { messageRegistry, type MessageDefinition } from '../registry/message-definition.js';

export interface AsyncApiOptions {
  /** Defaults to every contract in the process-wide registry. */
  definitions?: MessageDefinition[];
  version?: string;
  brokerHost?: string;
}

type JsonObject = Record<string, unknown>;

const AMQP_BINDING_VERSION = '0.3.0';

function idOf(definition: MessageDefinition): string {
  return definition.routingKey.replace(/[^A-Za-z0-9]+/g, '_');
}

function envelopeSchema(definition: MessageDefinition): JsonObject {
  return {
    type: 'object',
    description: `Skald envelope carrying ${definition.routingKey}`,
    required: ['id', 'type', 'version', 'occurredAt', 'correlationId', 'payload'],
    properties: {
      id: { type: 'string', format: 'uuid', description: 'Message id; the consumer inbox deduplicates on it.' },
      type: { type: 'string', const: definition.type },
      version: { type: 'integer', const: definition.version },
      occurredAt: { type: 'string', format: 'date-time' },
      correlationId: { type: 'string', description: 'The saga or request this message belongs to.' },
      causationId: { type: ['string', 'null'], description: 'Id of the message that caused this one.' },
      tenantId: { type: ['string', 'null'], description: 'The platform (tenant) concerned.' },
      payload: { $ref: `#/components/schemas/${definition.payload.name}` },
    },
  };
}

/**
 * Builds the AsyncAPI 3 document of Skald's messages: one channel per routing key on its topic
 * exchange, one `send` operation per contract (by its owner), payload schemas generated from the
 * class-validator contract classes.
 */
export function buildAsyncApiDocument(options: AsyncApiOptions = {}): JsonObject {
  const definitions = options.definitions ?? messageRegistry.all();
  const classSchemas = validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
    classTransformerMetadataStorage: defaultMetadataStorage,
  }) as Record<string, JsonObject>;

  const channels: JsonObject = {};
  const operations: JsonObject = {};
  const messages: JsonObject = {};
  const schemas: JsonObject = {};

  const addSchema = (name: string, seen = new Set<string>()) => {
    if (seen.has(name) || schemas[name]) return;
    seen.add(name);
    const schema = classSchemas[name] ?? { type: 'object' };
    schemas[name] = schema;
    for (const ref of JSON.stringify(schema).matchAll(/#\/components\/schemas\/([A-Za-z0-9_]+)/g)) {
      addSchema(ref[1], seen);
    }
  };

  for (const definition of definitions) {
    const id = idOf(definition);
    addSchema(definition.payload.name);
    schemas[`${id}_envelope`] = envelopeSchema(definition);
    messages[id] = {
      name: definition.routingKey,
      title: definition.routingKey,
      summary: definition.summary,
      contentType: 'application/json',
      correlationId: { location: '$message.payload#/correlationId' },
      headers: {
        type: 'object',
        properties: {
          traceparent: { type: 'string', description: 'W3C trace context of the producing span.' },
          'x-skald-attempt': { type: 'integer', description: 'Delivery attempt, set by the retry path.' },
        },
      },
      payload: { $ref: `#/components/schemas/${id}_envelope` },
      bindings: {
        amqp: { messageType: definition.routingKey, bindingVersion: AMQP_BINDING_VERSION },
      },
    };
    channels[id] = {
      address: definition.routingKey,
      title: definition.routingKey,
      description: `${definition.kind === 'event' ? 'Event' : 'Command'} on exchange ${definition.exchange}.`,
      messages: { [id]: { $ref: `#/components/messages/${id}` } },
      bindings: {
        amqp: {
          is: 'routingKey',
          exchange: { name: definition.exchange, type: 'topic', durable: true, autoDelete: false, vhost: '/' },
          bindingVersion: AMQP_BINDING_VERSION,
        },
      },
    };
    operations[`${id}_send`] = {
      action: 'send',
      title: `${definition.owner} sends ${definition.routingKey}`,
      summary: definition.summary,
      channel: { $ref: `#/channels/${id}` },
      messages: [{ $ref: `#/channels/${id}/messages/${id}` }],
      tags: [{ name: definition.owner }, { name: definition.kind }],
      bindings: { amqp: { deliveryMode: 2, bindingVersion: AMQP_BINDING_VERSION } },
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Skald messaging',
      version: options.version ?? '1.0.0',
      description:
        'Events (topic exchange skald.events) and commands (topic exchange skald.commands) exchanged by the Skald services. ' +
        'Every message body is an envelope; the routing key is `<type>.v<version>`.',
    },
    defaultContentType: 'application/json',
    servers: {
      rabbitmq: {
        host: options.brokerHost ?? 'rabbitmq:5672',
        protocol: 'amqp',
        protocolVersion: '0.9.1',
        description: 'RabbitMQ with quorum queues, one per service.',
      },
    },
    channels,
    operations,
    components: { messages, schemas },
  };
}
