import { useState } from 'react';
import { post } from '../../app/api';

export interface Upload {
  key: string;
  filename: string;
  size: number;
  /** Set once the server holds the file; the reply names it. */
  id?: string;
  error?: unknown;
}

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error(`${file.name} could not be read.`));
    reader.readAsDataURL(file);
  });
}

/**
 * Files for a reply, uploaded as soon as they are picked (POST /api/v1/email/attachments), so sending
 * only names them. A refused file (too large, say) keeps its error beside it until removed.
 */
export function useUploads() {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const update = (key: string, change: Partial<Upload>) => setUploads((current) => current.map((upload) => (upload.key === key ? { ...upload, ...change } : upload)));

  const add = (files: File[]) => {
    for (const file of files) {
      const key = `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`;
      setUploads((current) => [...current, { key, filename: file.name, size: file.size }]);
      base64Of(file)
        .then((contentBase64) => post<{ id: string }>('/api/v1/email/attachments', { filename: file.name, contentBase64 }))
        .then((stored) => update(key, { id: stored.id }))
        .catch((error: unknown) => update(key, { error }));
    }
  };
  const remove = (key: string) => setUploads((current) => current.filter((upload) => upload.key !== key));
  const ready = uploads.filter((upload) => upload.id).map((upload) => upload.id!);
  return {
    uploads,
    add,
    remove,
    clear: () => setUploads([]),
    /** Ids of the files the server holds; the reply waits until no file is still on its way. */
    ready,
    isUploading: uploads.some((upload) => !upload.id && !upload.error),
  };
}
