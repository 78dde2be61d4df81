// Payload validation micro-benchmark: validateAgainst (the compiled path for a valid payload) against
// the interpreted path it replaced (the same screening, then class-transformer's plainToInstance and
// class-validator's validateSync), on real payloads of the order flow. Both paths run in this one
// process, in alternating rounds (the machine's speed drifts), on a fresh JSON.parse of the payload
// each time, as a consumer gets it. Prints ops/s per payload and path, and the ratio.
//
//   npm run bench:validation [-- --rounds=5 --ms=400]
//
// Runs the built libs/contracts (dist/): `npm run bench:validation` builds it first.
import { parseArgs } from 'node:util';
import {
  CreateOutboundNotes,
  findHostileInput,
  OrderPlaced,
  OutboundNoteProgressed,
  StockReserved,
  validateAgainst,
  validateWithClassValidator,
} from '@skald/contracts';

const { values: options } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, ms: { type: 'string', default: '400' } },
});
const ROUNDS = Number(options.rounds);
const MS = Number(options.ms);

const address = { line1: '12 Rue de la Paix', line2: null, city: 'Paris', postalCode: '75002', country: 'FR', region: null };
const payloads = [
  [
    'orders.order.placed (2 lines)',
    OrderPlaced,
    {
      orderId: 'b7e0c5a4-2f1d-4c3b-9a8e-7d6c5b4a3f21',
      externalId: 'SHOP-100234',
      channel: 'web',
      customer: { id: 'cust-42', name: 'Ada Lovelace', email: 'ada@example.com', phone: '+33 1 23 45 67 89' },
      lines: [
        { sku: 'MUG-RED', quantity: 2, unitPrice: '12.50' },
        { sku: 'TEA-EARL-GREY', quantity: 1, unitPrice: '4.90' },
      ],
      currency: 'EUR',
      totalAmount: '29.90',
      shippingAddress: { ...address, name: 'Ada Lovelace', phone: '+33 1 23 45 67 89', company: null },
      paymentStatus: 'paid',
      requestedDeliveryDate: null,
    },
  ],
  [
    'inventory.stock.reserved (2 lines)',
    StockReserved,
    {
      orderId: 'b7e0c5a4-2f1d-4c3b-9a8e-7d6c5b4a3f21',
      reservations: [
        { reservationId: 'r-1', warehouse: 'WH-PARIS', sku: 'MUG-RED', quantity: 2 },
        { reservationId: 'r-2', warehouse: 'WH-PARIS', sku: 'TEA-EARL-GREY', quantity: 1 },
      ],
      backordered: [],
      attempt: 1,
    },
  ],
  [
    'warehouse.create-outbound-notes (2 lines)',
    CreateOutboundNotes,
    {
      orderId: 'b7e0c5a4-2f1d-4c3b-9a8e-7d6c5b4a3f21',
      externalId: 'SHOP-100234',
      recipientName: 'Ada Lovelace',
      recipientPhone: '+33 1 23 45 67 89',
      recipientCompany: null,
      shipTo: address,
      batch: 1,
      notes: [
        {
          warehouse: 'WH-PARIS',
          lines: [
            { sku: 'MUG-RED', quantity: 2 },
            { sku: 'TEA-EARL-GREY', quantity: 1 },
          ],
        },
      ],
    },
  ],
  [
    'warehouse.outbound-note.progressed',
    OutboundNoteProgressed,
    {
      noteId: 'note-7f3a',
      orderId: 'b7e0c5a4-2f1d-4c3b-9a8e-7d6c5b4a3f21',
      warehouse: 'WH-PARIS',
      status: 'picking',
      at: '2026-12-07T10:15:00.000Z',
    },
  ],
];

/** The path validateAgainst took before the compiled one: the same screening, then class-validator. */
function interpreted(cls, plain) {
  const hostile = findHostileInput(plain);
  if (hostile) return { ok: false, errors: [hostile.message] };
  return validateWithClassValidator(cls, plain);
}

const paths = { interpreted, compiled: validateAgainst };

/** Validations per second of one path over MS milliseconds. */
function measure(validate, cls, text) {
  let count = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < MS) {
    for (let i = 0; i < 100; i++) {
      if (!validate(cls, JSON.parse(text)).ok) throw new Error(`${cls.name}: the sample payload is invalid`);
    }
    count += 100;
    elapsed = performance.now() - started;
  }
  return (count / elapsed) * 1000;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

console.log(`payload validation: ${ROUNDS} rounds of ${MS} ms per path, alternating; ops/s (median of rounds), each on a fresh JSON.parse`);
console.log(`${'payload'.padEnd(44)}${'interpreted'.padStart(13)}${'compiled'.padStart(13)}${'ratio'.padStart(8)}`);
for (const [label, cls, payload] of payloads) {
  const text = JSON.stringify(payload);
  for (const validate of Object.values(paths)) measure(validate, cls, text); // warm-up (and the compiled plan)
  const rates = { interpreted: [], compiled: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['interpreted', 'compiled'] : ['compiled', 'interpreted'];
    for (const name of order) rates[name].push(measure(paths[name], cls, text));
  }
  const before = median(rates.interpreted);
  const after = median(rates.compiled);
  console.log(`${label.padEnd(44)}${before.toFixed(0).padStart(13)}${after.toFixed(0).padStart(13)}${`${(after / before).toFixed(1)}×`.padStart(8)}`);
}
