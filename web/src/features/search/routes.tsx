import type { Feature } from '../../app/feature';

/** Search lives in the command palette (Ctrl/Cmd+K) that the shell mounts; no pages of its own yet. */
const feature: Feature = { name: 'search' };
export default feature;
