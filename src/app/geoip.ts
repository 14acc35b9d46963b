// The operator's MaxMind databases (incidents.geoip), read at start: where an address is, as its autonomous system
// and country. The lookup is a plain function the tracker's detectors call (they stay pure).
import { readFileSync } from 'node:fs';
import { type AsnResponse, type CountryResponse, Reader } from 'maxmind';
import { describeSystemError, GeoipUnreadableError } from '../core/errors.js';
import type { GeoLookup } from '../core/types.js';

type GeoRecord = Partial<AsnResponse> & Partial<Pick<CountryResponse, 'country' | 'registered_country'>>;

/** A lookup through every database given (the first that knows a part wins), or undefined for none. */
export function openGeoip(files: readonly string[]): GeoLookup | undefined {
  if (files.length === 0) return undefined;
  const readers = files.map((file) => {
    let buffer: Buffer;
    try {
      buffer = readFileSync(file);
    } catch (error) {
      throw new GeoipUnreadableError(file, describeSystemError(error), { cause: error });
    }
    try {
      return new Reader<AsnResponse | CountryResponse>(buffer);
    } catch (error) {
      throw new GeoipUnreadableError(file, `not a MaxMind database (${(error as Error).message})`, { cause: error });
    }
  });
  return (ip) => {
    const found: { asn?: number; org?: string; country?: string } = {};
    for (const reader of readers) {
      let record: GeoRecord | null;
      try {
        record = reader.get(ip) as GeoRecord | null;
      } catch {
        // An IPv6 address in an IPv4-only database.
        continue;
      }
      if (!record) continue;
      found.asn ??= record.autonomous_system_number;
      found.org ??= record.autonomous_system_organization;
      found.country ??= record.country?.iso_code ?? record.registered_country?.iso_code;
    }
    return found.asn === undefined && found.country === undefined ? undefined : found;
  };
}
