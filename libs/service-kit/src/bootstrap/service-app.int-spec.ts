import { randomBytes, randomUUID } from 'node:crypto';
import { Body, Controller, Get, Module, Post, type DynamicModule, type INestApplication } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { defineEvent, SkaldError, type MessageEnvelope } from '@skald/contracts';
import { AmqpConnection, assertExchanges, createTestVhost, DeadLetterQueue, MessageConsumer, OnMessage, messagingMigrations, TcpProxy, waitFor, type MessageContext, type TestVhost } from '@skald/messaging';
import { createScratchDatabase, type ScratchDatabase } from '@skald/persistence';
import amqplib, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { IsInt, IsNumber, IsString, Max, Min } from 'class-validator';
import request from 'supertest';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { BaseServiceConfig } from '../config/base-service-config.js';
import { loadConfig } from '../config/load-config.js';
import { ProblemDetailsFilter } from '../http/problem-details.filter.js';
import { outOfRange } from '../http/validation.pipe.js';
import { SkaldServiceModule } from './skald-service.module.js';
import { createServiceApp, prepareDatabase, type ServiceSpec } from './run-service.js';

const id = randomBytes(4).toString('hex');
const SERVICE = `kit-${id}`;
const INTERNAL_TOKEN = randomBytes(32).toString('base64url');
/** Requests as the gateway sends them (with the internal token). */
const internal = (server: Parameters<typeof request.agent>[0]) => request.agent(server).set('x-skald-internal-token', INTERNAL_TOKEN);

class ParcelWeighed {
  @IsString()
  parcelId: string;

  @IsInt()
  @Min(1)
  grams: number;
}

class ParcelLabelled {
  @IsString()
  parcelId: string;
}

const weighed = defineEvent({ type: `k${id}.parcel.weighed`, version: 1, owner: 'test', summary: 'test', payload: ParcelWeighed });
const labelled = defineEvent({ type: `k${id}.parcel.labelled`, version: 1, owner: SERVICE, summary: 'test', payload: ParcelLabelled });

class WeighParcelDto {
  @IsString()
  parcelId: string;

  @IsInt()
  @Min(1)
  @Max(1_000_000, outOfRange())
  grams: number;
}

class PriceParcelDto {
  // class-validator's maxDecimalPlaces throws on exponent notation (1e-7).
  @IsNumber({ maxDecimalPlaces: 2 })
  price: number;
}

@Controller()
class ParcelController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('parcels/count')
  async count(): Promise<{ count: number }> {
    const [{ count }] = await this.dataSource.query(`SELECT count(*)::int AS count FROM kit_effect`);
    return { count };
  }
  @OnMessage(weighed)
  async onWeighed(@Payload() parcel: ParcelWeighed, @Ctx() context: MessageContext): Promise<void> {
    if (parcel.parcelId === 'refused') throw new SkaldError('PARCEL_REFUSED', 'carrier refuses this parcel', { retryable: false });
    await context.manager.query(`INSERT INTO kit_effect (parcel_id) VALUES ($1)`, [parcel.parcelId]);
    await context.publish(labelled, { parcelId: parcel.parcelId });
  }

  @Post('parcels/priced')
  price(@Body() body: PriceParcelDto): { price: number } {
    return { price: body.price };
  }

  /** Stores nothing, but asks PostgreSQL to hold the weight in an integer (as a column would). */
  @Post('parcels/raw')
  async weighRaw(@Body() body: { grams: string }): Promise<object> {
    return (await this.dataSource.query(`SELECT $1::bigint::integer AS grams`, [body.grams]))[0];
  }

  @Post('parcels')
  weigh(@Body() body: WeighParcelDto): { parcelId: string } {
    if (body.parcelId === 'locked') throw new SkaldError('PARCEL_LOCKED', 'parcel is locked');
    return { parcelId: body.parcelId };
  }
}

class KitEffectTable1763800000001 implements MigrationInterface {
  name = 'KitEffectTable1763800000001';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE kit_effect (parcel_id text NOT NULL)`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE kit_effect`);
  }
}

@Module({})
class KitAppModule {
  static register(config: BaseServiceConfig): DynamicModule {
    return {
      module: KitAppModule,
      imports: [SkaldServiceModule.forRoot({ service: SERVICE, config, errorStatuses: { PARCEL_LOCKED: 409 } })],
      controllers: [ParcelController],
    };
  }
}

describe('a Skald service application (Nest transport, HTTP conventions; real PostgreSQL and RabbitMQ)', () => {
  let database: ScratchDatabase;
  let vhost: TestVhost;
  let proxy: TcpProxy; // the service's database connections run through it, so a test can take the database away
  let app: INestApplication;
  let raw: ChannelModel;
  let channel: Channel;
  const labelledMessages: ConsumeMessage[] = [];

  const spec: ServiceSpec<BaseServiceConfig> = {
    service: SERVICE,
    description: 'service-kit test service',
    defaultPort: 0,
    config: BaseServiceConfig,
    migrations: [...messagingMigrations, KitEffectTable1763800000001],
    module: (config) => KitAppModule.register(config),
  };

  beforeAll(async () => {
    database = await createScratchDatabase('kit');
    vhost = await createTestVhost('kit');
    await prepareDatabase(SERVICE, database.url, spec.migrations);
    const server = new URL(database.url);
    proxy = new TcpProxy(server.hostname, Number(server.port || 5432));
    await proxy.start();
    const config = loadConfig(SERVICE, BaseServiceConfig, {
      DATABASE_URL: proxy.through(database.url),
      RABBITMQ_URL: vhost.url,
      PORT: '0',
      LOG_LEVEL: 'error',
      MESSAGING_RETRY_DELAYS_MS: '50',
      INTERNAL_API_TOKEN: INTERNAL_TOKEN,
    });
    app = await createServiceApp(spec, config);
    await app.startAllMicroservices();
    await app.init();

    raw = await amqplib.connect(vhost.url);
    channel = await raw.createChannel();
    const probe = `${SERVICE}.probe`;
    await assertExchanges(channel); // a fresh vhost: the app may not have declared them yet
    await channel.assertQueue(probe, { exclusive: true });
    await channel.bindQueue(probe, labelled.exchange, labelled.routingKey);
    await channel.consume(probe, (message) => message && labelledMessages.push(message), { noAck: true });
    await app.get(AmqpConnection).waitForConnect(10_000);
    // The queue and its bindings exist only once the consumer is set up: an event published before is unrouted.
    await app.get(MessageConsumer).waitUntilConsuming();
  });

  afterAll(async () => {
    await app?.close();
    await raw?.close();
    await vhost?.remove();
    await proxy?.stop();
    await database?.drop();
  });

  function publish(payload: object): MessageEnvelope {
    const envelope: MessageEnvelope = {
      id: randomUUID(),
      type: weighed.type,
      version: 1,
      occurredAt: new Date().toISOString(),
      correlationId: `saga-${randomUUID()}`,
      causationId: null,
      tenantId: 'tenant-7',
      payload,
    };
    channel.publish(weighed.exchange, weighed.routingKey, Buffer.from(JSON.stringify(envelope)), {
      persistent: true,
      messageId: envelope.id,
      headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
    return envelope;
  }

  it('runs an @EventPattern handler in the inbox transaction and sends what it publishes with causation and trace context', async () => {
    const cause = publish({ parcelId: 'p-1', grams: 900 });
    const message = await waitFor('labelled event', () =>
      labelledMessages.find((m) => JSON.parse(m.content.toString()).payload.parcelId === 'p-1'),
    );

    const effect = JSON.parse(message.content.toString()) as MessageEnvelope;
    expect(effect).toMatchObject({ correlationId: cause.correlationId, causationId: cause.id, tenantId: 'tenant-7' });
    expect(String(message.properties.headers?.traceparent)).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-/);
    const rows = await app.get(DataSource).query(`SELECT parcel_id FROM kit_effect`);
    expect(rows).toEqual([{ parcel_id: 'p-1' }]);
  });

  it('dead-letters a handler error with its stable code when it is not retryable', async () => {
    const refused = publish({ parcelId: 'refused', grams: 5 });
    const dlq = new DeadLetterQueue(app.get(AmqpConnection), SERVICE);
    const letters = await waitFor('dead letter', async () => {
      const found = await dlq.list();
      return found.length > 0 ? found : undefined;
    });
    expect(letters).toEqual([
      expect.objectContaining({ messageId: refused.id, reason: 'NON_RETRYABLE_ERROR', error: 'PARCEL_REFUSED: carrier refuses this parcel', attempts: 1 }),
    ]);
  });

  it('dead-letters a message with a NUL in its text at once as an invalid payload (it would fail at the database, retried as a handler failure)', async () => {
    const hostile = publish({ parcelId: 'p-\u0000', grams: 5 });
    const dlq = new DeadLetterQueue(app.get(AmqpConnection), SERVICE);
    const letter = await waitFor('dead letter', async () => (await dlq.list()).find((found) => found.messageId === hostile.id));
    expect(letter).toMatchObject({ reason: 'INVALID_PAYLOAD', attempts: 1, error: expect.stringContaining('parcelId: parcelId must not contain control characters') });
    expect(await app.get(DataSource).query(`SELECT parcel_id FROM kit_effect WHERE parcel_id LIKE 'p-%' AND parcel_id <> 'p-1'`)).toEqual([]);
  });

  it('answers invalid HTTP input with a problem+json listing the fields, and coded errors with their status', async () => {
    const http = request.agent(app.getHttpServer()).set('x-skald-internal-token', INTERNAL_TOKEN);
    const invalid = await http.post('/parcels').set('X-Correlation-Id', 'req-42').send({ parcelId: 7, extra: true });
    expect(invalid.status).toBe(400);
    expect(invalid.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(invalid.headers['x-correlation-id']).toBe('req-42');
    expect(invalid.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', instance: '/parcels' });
    expect(new Set(invalid.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['extra', 'grams', 'parcelId']));

    const locked = await http.post('/parcels').send({ parcelId: 'locked', grams: 1 });
    expect(locked.status).toBe(409);
    expect(locked.body).toMatchObject({ code: 'PARCEL_LOCKED', detail: 'parcel is locked', title: 'Conflict' });

    const missing = await http.get('/no-such-route');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(missing.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('screens hostile input before validation (415, control characters, depth), refuses input a validator throws on (400), and answers a bound marked outOfRange with 422 AMOUNT_OUT_OF_RANGE', async () => {
    const server = app.getHttpServer();
    const notJson = await internal(server).post('/parcels').set('content-type', 'text/plain').send('parcelId=P-1');
    expect(notJson.status).toBe(415);
    expect(notJson.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', title: 'Unsupported Media Type' });

    const nul = await internal(server).post('/parcels').send({ parcelId: 'P\u00001', grams: 1 });
    expect(nul.status).toBe(400);
    expect(nul.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'parcelId', message: expect.stringContaining('U+0000') }] });

    const deep = await internal(server).post('/parcels').set('content-type', 'application/json').send(`{"parcelId":"P-1","grams":1,"x":${'['.repeat(40)}${']'.repeat(40)}}`);
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0].message).toMatch(/nests deeper than 32 levels/);

    const heavy = await internal(server).post('/parcels').send({ parcelId: 'P-1', grams: 1e30 });
    expect(heavy.status).toBe(422);
    expect(heavy.body).toMatchObject({ code: 'AMOUNT_OUT_OF_RANGE', errors: [{ field: 'grams' }] });
    const thrown = await internal(server).post('/parcels/priced').send({ price: 1e-7 });
    expect(thrown.status).toBe(400);
    expect(thrown.body).toMatchObject({ code: 'VALIDATION_FAILED', detail: expect.stringMatching(/^The request could not be validated/) });
    expect((await internal(server).post('/parcels/priced').send({ price: 1.25 })).body).toEqual({ price: 1.25 });

    const heavyAndWrong = await internal(server).post('/parcels').send({ parcelId: 7, grams: 1e30 });
    expect(heavyAndWrong.status).toBe(400);
    expect(new Set(heavyAndWrong.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['parcelId', 'grams']));
  });

  it('answers a value PostgreSQL cannot store with a 4xx, as a safety net behind validation (a number beyond its column: 422; NUL in text: 400)', async () => {
    const server = app.getHttpServer();
    const fits = await internal(server).post('/parcels/raw').send({ grams: '2147483647' });
    expect(fits.status).toBe(201);
    const overflow = await internal(server).post('/parcels/raw').send({ grams: '2147483648' });
    expect(overflow.status).toBe(422);
    expect(overflow.body).toMatchObject({ code: 'AMOUNT_OUT_OF_RANGE', status: 422 });

    // NUL never gets past the screening over HTTP; the database's own refusal is mapped all the same.
    const nul = await app.get(DataSource).query(`SELECT $1::text`, ['a\u0000b']).catch((error: unknown) => error);
    expect(new ProblemDetailsFilter().toProblem(nul)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    const badJson = await app.get(DataSource).query(`SELECT $1::jsonb`, ['"\\u0000"']).catch((error: unknown) => error);
    expect(new ProblemDetailsFilter().toProblem(badJson)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('reports readiness of database and broker, and Prometheus metrics', async () => {
    const ready = await request(app.getHttpServer()).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info).toMatchObject({ database: { status: 'up' }, broker: { status: 'up' } });
    const metrics = await request(app.getHttpServer()).get('/metrics');
    expect(metrics.text).toContain('skald_messages_consumed_total');
    expect(metrics.text).toMatch(new RegExp(`skald_broker_connected\\{service="${SERVICE}"\\} 1`));
  });

  it('during a database outage answers 503 problem+json at once, reports not ready and pauses the consumer; afterwards handles what came meanwhile', async () => {
    const server = app.getHttpServer();
    const consumer = app.get(MessageConsumer);
    expect((await internal(server).get('/parcels/count')).status).toBe(200);

    proxy.cut();
    try {
      const started = Date.now();
      const unavailable = await internal(server).get('/parcels/count');
      const tookMs = Date.now() - started;
      expect(unavailable.status).toBe(503);
      expect(unavailable.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(unavailable.headers['retry-after']).toBe('5');
      expect(unavailable.body).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', instance: '/parcels/count' });
      // Well under the 15 s statement timeout: a refused connection fails at once.
      expect(tookMs).toBeLessThan(2_000);

      const during = publish({ parcelId: 'during-outage', grams: 10 });
      await waitFor('consumer paused', () => consumer.paused);
      const notReady = await request(server).get('/health/ready');
      expect(notReady.status).toBe(503);
      expect(notReady.body).toMatchObject({ code: 'UNAVAILABLE', checks: { database: { status: 'down' }, consumer: { status: 'down' } } });
      const pausedMetrics = await request(server).get('/metrics');
      expect(pausedMetrics.text).toMatch(new RegExp(`skald_consumer_paused\\{service="${SERVICE}"\\} 1`));

      proxy.restore();
      await waitFor('consumer resumed', () => !consumer.paused);
      await waitFor('message from the outage handled', () =>
        labelledMessages.find((m) => JSON.parse(m.content.toString()).causationId === during.id),
      );
      const ready = await request(server).get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.info).toMatchObject({ database: { status: 'up' }, consumer: { status: 'up' } });
      const metrics = await request(server).get('/metrics');
      expect(metrics.text).toMatch(new RegExp(`skald_consumer_paused\\{service="${SERVICE}"\\} 0`));
      expect(metrics.text).toMatch(new RegExp(`skald_messages_consumed_total\\{service="${SERVICE}",routing_key="${weighed.routingKey}",outcome="returned"\\} 1`));
      const letters = await new DeadLetterQueue(app.get(AmqpConnection), SERVICE).list();
      expect(letters.map((letter) => letter.messageId)).not.toContain(during.id);
    } finally {
      proxy.restore();
    }
  });
});
