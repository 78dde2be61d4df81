import { Injectable } from '@nestjs/common';
import { In, IsNull, LessThanOrEqual, type EntityManager } from 'typeorm';
import { Shipment } from './shipment.entity.js';

/** Shipments. Every method runs in the caller's transaction (`manager`). */
@Injectable()
export class ShipmentsRepository {
  async insert(manager: EntityManager, shipment: Shipment): Promise<void> {
    await manager.insert(Shipment, shipment);
  }

  findById(manager: EntityManager, id: string): Promise<Shipment | null> {
    return manager.findOneBy(Shipment, { id });
  }

  /** The shipment of each note that has one. */
  async byNote(manager: EntityManager, noteIds: string[]): Promise<Map<string, Shipment>> {
    if (noteIds.length === 0) return new Map();
    const shipments = await manager.findBy(Shipment, { noteId: In(noteIds) });
    return new Map(shipments.map((shipment) => [shipment.noteId, shipment]));
  }

  /**
   * Records the delivery only if none is recorded yet and `at` is not before the shipment left:
   * of two racing callbacks exactly one records it. Returns whether this call recorded it.
   */
  async markDelivered(manager: EntityManager, id: string, at: Date): Promise<boolean> {
    const result = await manager.update(Shipment, { id, deliveredAt: IsNull(), shippedAt: LessThanOrEqual(at) }, { deliveredAt: at });
    return result.affected === 1;
  }
}
