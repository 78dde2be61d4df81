import { randomUUID } from 'node:crypto';
import {
  CancelOutboundNotesV1,
  CreateOutboundNotesV1,
  OutboundNotesCancelledV1,
  OutboundNoteProgressedV1,
  OutboundNoteShippedV1,
  OutboundNotesCreatedV1,
  ShipmentDeliveredV1,
  type CancelOutboundNotes,
  type CreateOutboundNotes,
  type OutboundNotesCancelled,
  type OutboundNotesCreated,
} from '@skald/contracts';
import type { BaseServiceConfig } from '@skald/service-kit';
import { asStaff, BrokerProbe, startServiceUnderTest, type ReceivedMessage, type ServiceUnderTest } from '@skald/testing';
import { service } from '../src/service.js';
import { aCreateOutboundNotesCommand, aWarehouseEntry, unique } from './factories.js';

export const asOperator = () => asStaff(['warehouse'], `operator-${unique()}`);
export const asOps = () => asStaff(['ops'], `ops-${unique()}`);

/** The warehouse service under test and a probe that plays the order saga. */
export interface WarehouseWorld {
  sut: ServiceUnderTest<BaseServiceConfig>;
  probe: BrokerProbe;
  close(): Promise<void>;
}

export async function startWarehouse(): Promise<WarehouseWorld> {
  const sut = await startServiceUnderTest(service);
  const probe = await new BrokerProbe(sut.rabbitmqUrl).start([
    OutboundNotesCreatedV1,
    OutboundNotesCancelledV1,
    OutboundNoteProgressedV1,
    OutboundNoteShippedV1,
    ShipmentDeliveredV1,
  ]);
  return {
    sut,
    probe,
    close: async () => {
      await probe.stop();
      await sut.close();
    },
  };
}

/** Sends the create command as the order saga would and waits for the notes it caused. */
export async function createNotes(
  world: WarehouseWorld,
  command: CreateOutboundNotes = aCreateOutboundNotesCommand(),
  tenantId = `tenant-${unique()}`,
): Promise<{ command: CreateOutboundNotes; created: ReceivedMessage<OutboundNotesCreated> }> {
  const sent = world.probe.publish(CreateOutboundNotesV1, command, { tenantId, correlationId: command.orderId });
  const created = await world.probe.next(OutboundNotesCreatedV1, (_payload, envelope) => envelope.causationId === sent.id);
  return { command, created };
}

/** Sends the cancel command as the order saga's compensation would and waits for its answer. */
export async function cancelNotes(
  world: WarehouseWorld,
  command: CancelOutboundNotes,
  tenantId: string | null = null,
): Promise<ReceivedMessage<OutboundNotesCancelled>> {
  const sent = world.probe.publish(CancelOutboundNotesV1, command, { tenantId, correlationId: command.orderId });
  return world.probe.next(OutboundNotesCancelledV1, (_payload, envelope) => envelope.causationId === sent.id);
}

/** Messages of this note in the service's outbox: what it published, whether relayed yet or not. */
export async function outboxMessagesOf(world: WarehouseWorld, routingKey: string, key: { noteId?: string; shipmentId?: string }) {
  const [field, value] = key.noteId !== undefined ? ['noteId', key.noteId] : ['shipmentId', key.shipmentId];
  const rows: Array<{ envelope: { payload: Record<string, unknown> } }> = await world.sut.dataSource.query(
    `SELECT envelope FROM outbox_message WHERE routing_key = $1 AND envelope->'payload'->>$2 = $3 ORDER BY seq`,
    [routingKey, field, value],
  );
  return rows.map((row) => row.envelope);
}

/** A note of a new order taken through confirm, pick, pack and ship; returns its HTTP body. */
export async function aShippedNote(world: WarehouseWorld, tenantId = `tenant-${unique()}`) {
  const command = aCreateOutboundNotesCommand({ notes: [aWarehouseEntry()] });
  const { created } = await createNotes(world, command, tenantId);
  const noteId = created.payload.notes[0].noteId;
  for (const step of ['confirm', 'pick', 'pack']) {
    const res = await world.sut.http().post(`/v1/outbound-notes/${noteId}/${step}`).set(asOperator());
    if (res.status !== 200) throw new Error(`${step} failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const shipped = await world.sut
    .http()
    .post(`/v1/outbound-notes/${noteId}/ship`)
    .set(asOperator())
    .send({ carrier: 'SF Express', trackingNumber: `SF${randomUUID().slice(0, 12)}` });
  if (shipped.status !== 200) throw new Error(`ship failed: ${shipped.status} ${JSON.stringify(shipped.body)}`);
  return { tenantId, command, note: shipped.body as { id: string; orderId: string; shipment: { id: string; shippedAt: string } } };
}
