/** Quantities per SKU, summed (an order may reserve one SKU in several warehouses). */
export function quantitiesBySku(lines: ReadonlyArray<{ sku: string; quantity: number }>): Map<string, number> {
  const bySku = new Map<string, number>();
  for (const line of lines) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.quantity);
  return bySku;
}

/** "MUG-1 × 3, PLATE-2 × 1", for reasons in the status history and step log. */
export function describeLines(lines: ReadonlyArray<{ sku: string; quantity: number }>): string {
  return [...quantitiesBySku(lines)].map(([sku, quantity]) => `${sku} × ${quantity}`).join(', ');
}

/** What is left of `wanted` per SKU once `kept` is taken off (never below zero). */
export function beyond(wanted: ReadonlyMap<string, number>, kept: ReadonlyMap<string, number>): Map<string, number> {
  const rest = new Map<string, number>();
  for (const [sku, quantity] of wanted) {
    const over = quantity - (kept.get(sku) ?? 0);
    if (over > 0) rest.set(sku, over);
  }
  return rest;
}
