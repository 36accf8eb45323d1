import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Attachments are stored by the SHA-256 of their content under RAVING_DATA_DIR/files. The stored
 * name is generated from the hash alone: a sender's filename never touches the file system, so
 * no path (../, absolute, device names) can lead outside the folder. Same content, one file.
 */
export function filesRoot(dataDir: string): string {
  return path.resolve(dataDir, 'files');
}

export function storedPathOf(dataDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a content hash');
  return path.join(filesRoot(dataDir), sha256.slice(0, 2), sha256);
}

export async function storeContent(dataDir: string, content: Buffer): Promise<string> {
  const sha256 = crypto.createHash('sha256').update(content).digest('hex');
  const target = storedPathOf(dataDir, sha256);
  if (fs.existsSync(target)) return sha256;
  const created = await fs.promises.mkdir(path.dirname(target), { recursive: true });
  // New folders are durable only once the folders holding them are.
  if (created) for (const folder of [path.dirname(filesRoot(dataDir)), filesRoot(dataDir)]) await syncFolder(folder);
  const temporary = `${target}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  const handle = await fs.promises.open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(temporary, target);
  // The new name is durable only once its folder is: a row naming the file commits after this.
  await syncFolder(path.dirname(target));
  return sha256;
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await fs.promises.open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Deletes a stored file that no row names any more. The file is moved aside before the references
 * are read a second time: a row added meanwhile (the same bytes uploaded or received again) gets
 * the file moved back, and a writer whose row commits after that second read finds the file gone
 * and writes it again (writers call storeContent once more after their row commits).
 */
export async function removeUnreferencedContent(dataDir: string, sha256: string, isReferenced: () => Promise<boolean>): Promise<boolean> {
  if (await isReferenced()) return false;
  const target = storedPathOf(dataDir, sha256);
  const aside = `${target}.${crypto.randomBytes(6).toString('hex')}.expired`;
  try {
    await fs.promises.rename(target, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if (await isReferenced()) {
    await fs.promises.rename(aside, target);
    return false;
  }
  await fs.promises.unlink(aside);
  return true;
}

/** A display name only: the last path segment, no control characters, bounded. */
export function safeFilename(name: string, fallback = 'attachment'): string {
  // eslint-disable-next-line no-control-regex
  const last = name.replace(/[\u0000-\u001f\u007f]/g, '').split(/[\\/]/).pop() ?? '';
  const cleaned = last.replace(/^[.\s]+/, '').replace(/["<>|:*?]/g, '_').trim().slice(0, 200);
  return cleaned || fallback;
}

const signatures: Array<{ type: string; test: (bytes: Buffer) => boolean }> = [
  { type: 'image/png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/gif', test: (b) => b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a' },
  { type: 'image/webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { type: 'application/pdf', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { type: 'application/zip', test: (b) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04 },
  { type: 'application/ms-tnef', test: (b) => b.readUInt32LE(0) === 0x223e9f78 },
  { type: 'application/gzip', test: (b) => b[0] === 0x1f && b[1] === 0x8b },
];

/** The type is what the bytes are, not what the sender declared. */
export function sniffContentType(content: Buffer): string {
  if (content.length >= 4) for (const signature of signatures) if (signature.test(content)) return signature.type;
  const head = content.subarray(0, 4096);
  if (head.includes(0)) return 'application/octet-stream';
  return 'text/plain';
}

/** Only these are shown inline by the browser; everything else is served as a download. */
export const inlineImageTypes = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
