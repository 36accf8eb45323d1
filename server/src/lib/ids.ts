import crypto from 'node:crypto';

/**
 * Random bytes for ids, drawn from the CSPRNG 4 KiB at a time: a ticket creation makes several ids,
 * and one randomBytes call per id cost more than the rest of newId (profiled).
 */
const randomPool = {
  bytes: Buffer.alloc(4096),
  offset: 4096,
  take16(): Buffer {
    if (this.offset + 16 > this.bytes.length) {
      crypto.randomFillSync(this.bytes);
      this.offset = 0;
    }
    // A view, used up before anything else draws from the pool: newId turns it into text at once.
    const view = this.bytes.subarray(this.offset, this.offset + 16);
    this.offset += 16;
    return view;
  },
};

/**
 * Identifiers are time-ordered (UUIDv7 layout) so new rows land at the end of indexes and
 * cursor pagination by id follows creation order.
 */
export function newId(): string {
  const bytes = randomPool.take16();
  const now = Date.now();
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A secret token with at least 128 bits of entropy, URL-safe. */
export function newSecretToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

export function nowIso(): string {
  return new Date().toISOString();
}

export function addMilliseconds(iso: string, milliseconds: number): string {
  return new Date(Date.parse(iso) + milliseconds).toISOString();
}
