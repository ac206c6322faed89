/**
 * The constraint a failed statement violated, if it was a unique violation (SQLSTATE 23505).
 * postgres.js and PGlite name the fields differently, and drizzle wraps both in `cause`.
 */
export function violatedUniqueConstraint(error: unknown): string | null {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const candidate = e as { code?: string; constraint_name?: string; constraint?: string };
    if (candidate.code === "23505") return candidate.constraint_name ?? candidate.constraint ?? "";
  }
  return null;
}
