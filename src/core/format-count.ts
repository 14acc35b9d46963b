// Counts for people, with thousands separators: 1,234,567. Number#toLocaleString would do it, but its first call
// loads ICU's locale data (~20 ms), a tenth of a short replay's run.
export function formatCount(n: number): string {
  const digits = String(Math.round(n));
  return digits.replace(/\B(?=(\d{3})+$)/g, ',');
}
