import { Parser } from '@asyncapi/parser';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { defineCommand, defineEvent } from '../registry/message-definition.js';
import { buildAsyncApiDocument } from './asyncapi.js';

class SpecLine {
  @IsString()
  sku: string;

  @IsInt()
  @Min(1)
  quantity: number;
}

class SpecOrderAccepted {
  @IsString()
  orderId: string;

  @ValidateNested({ each: true })
  @Type(() => SpecLine)
  lines: SpecLine[];
}

class SpecReserveStock {
  @IsString()
  orderId: string;
}

describe('AsyncAPI document', () => {
  const accepted = defineEvent({
    type: 'spec.order.accepted',
    version: 1,
    owner: 'orders',
    summary: 'An order passed review',
    payload: SpecOrderAccepted,
  });
  const reserve = defineCommand({
    type: 'spec.reserve-stock',
    version: 2,
    owner: 'inventory',
    summary: 'Reserve stock for an order',
    payload: SpecReserveStock,
  });

  async function parse(document: object) {
    const { document: parsed, diagnostics } = await new Parser().parse(JSON.stringify(document));
    const errors = diagnostics.filter((d) => d.severity === 0);
    return { parsed, errors };
  }

  it('is a valid AsyncAPI 3 document with a channel, operation and payload schema per contract', async () => {
    const document = buildAsyncApiDocument({ definitions: [accepted, reserve] });
    const { parsed, errors } = await parse(document);
    expect(errors).toEqual([]);
    expect(parsed).toBeDefined();
    expect(parsed!.version()).toBe('3.0.0');
    expect(parsed!.channels().all().map((c) => c.address()).sort()).toEqual(['spec.order.accepted.v1', 'spec.reserve-stock.v2']);
    const commandChannel = parsed!.channels().all().find((c) => c.address() === 'spec.reserve-stock.v2')!;
    expect(commandChannel.bindings().get('amqp')?.value()).toMatchObject({ exchange: { name: 'skald.commands', type: 'topic' } });
    expect(parsed!.operations().all()).toHaveLength(2);

    const schemas = (document.components as { schemas: Record<string, { properties?: Record<string, unknown> }> }).schemas;
    expect(schemas.SpecOrderAccepted.properties).toHaveProperty('lines');
    expect(schemas.SpecLine.properties).toHaveProperty('quantity');
  });

  it('describes every contract registered in the process by default', async () => {
    const { parsed, errors } = await parse(buildAsyncApiDocument());
    expect(errors).toEqual([]);
    expect(parsed!.channels().all().map((c) => c.address())).toEqual(
      expect.arrayContaining(['spec.order.accepted.v1', 'spec.reserve-stock.v2']),
    );
  });

  it("documents Skald's own contracts validly", async () => {
    const { messageRegistry } = await import('../index.js');
    const document = buildAsyncApiDocument({ definitions: messageRegistry.all().filter((d) => !d.type.startsWith('spec.')) });
    const { parsed, errors } = await parse(document);
    expect(errors).toEqual([]);
    expect(parsed!.channels().all().map((c) => c.address())).toEqual(
      expect.arrayContaining(['orders.order.placed.v1', 'inventory.reserve-stock.v1', 'warehouse.outbound-note.shipped.v1']),
    );
    const schemas = (document.components as { schemas: Record<string, unknown> }).schemas;
    expect(schemas).toHaveProperty('OrderLineValue');
    expect(schemas).toHaveProperty('AddressValue');
  });

  it('catches a broken document (the validation is real)', async () => {
    const document = buildAsyncApiDocument({ definitions: [accepted] });
    const broken = { ...document, channels: { bad: { address: 42 } } };
    const { errors } = await parse(broken);
    expect(errors.length).toBeGreaterThan(0);
  });
});
