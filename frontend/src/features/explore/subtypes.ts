import type { SubtypeInfo } from '../items/api.ts';

/** The subtype's label from /subtypes; until that has arrived, a readable form of its name. */
export function subtypeLabel(subtypes: readonly SubtypeInfo[] | undefined, name: string): string {
  const known = subtypes?.find((subtype) => subtype.subtype === name);
  if (known) return known.label;
  const words = name.toLowerCase().replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
