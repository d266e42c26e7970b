/**
 * A visitor's stable position in [0, 100) for an experiment: FNV-1a (32 bit) over
 * "experimentId:browserId", so `traffic_percentage` includes the same visitors on every call and
 * every process, and raising the percentage only adds visitors.
 */
export function trafficBucket(experimentId: string, browserId: string): number {
  const key = `${experimentId}:${browserId}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return ((hash >>> 0) % 10_000) / 100;
}
