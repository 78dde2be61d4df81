import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The recipient on a note beside its name: the phone a label needs and the company, when the order
 * gave or defaulted them (notes created before have none). And an index for finding the notes of
 * an order by the platform's own order id (`GET /v1/outbound-notes?externalId=`).
 */
export class NoteRecipient1765060000000 implements MigrationInterface {
  name = 'NoteRecipient1765060000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE outbound_note
        ADD COLUMN recipient_phone text,
        ADD COLUMN recipient_company text`);
    await queryRunner.query(`CREATE INDEX outbound_note_external_id_ix ON outbound_note (external_id, seq)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX outbound_note_external_id_ix`);
    await queryRunner.query(`ALTER TABLE outbound_note DROP COLUMN recipient_company, DROP COLUMN recipient_phone`);
  }
}
