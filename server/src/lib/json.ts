/** JSON columns are text on both dialects; a corrupt value reads as the fallback rather than crashing a page. */
export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
