import pg from 'pg';
import { withoutLiterals } from './sdk.js';

describe('query text in spans', () => {
  it('masks string literals as the outbox inlines them (quotes, backslashes, E-strings), keeping the statement', () => {
    const client = new pg.Client();
    const envelope = JSON.stringify({ customer: { name: "O'Brien", email: 'buyer@example.test' }, note: 'back\\slash' });
    const sql = `INSERT INTO outbox_message (id, envelope) VALUES (${client.escapeLiteral('id-1')}, ${client.escapeLiteral(envelope)}); COMMIT`;

    const masked = withoutLiterals(sql);

    expect(masked).toBe(`INSERT INTO outbox_message (id, envelope) VALUES ('?',  E'?'); COMMIT`);
    expect(masked).not.toContain('example.test');
  });

  it('leaves parameterised queries as they are', () => {
    expect(withoutLiterals('SELECT id FROM orders WHERE id = $1')).toBe('SELECT id FROM orders WHERE id = $1');
  });
});
