import { asc, eq } from "drizzle-orm";
import { db } from "~db/client";
import { categories } from "~db/schema";

export type Category = typeof categories.$inferSelect;

export async function listCategories(): Promise<Category[]> {
  return db().select().from(categories).orderBy(asc(categories.position), asc(categories.name));
}

export async function findCategoryBySlug(slug: string): Promise<Category | null> {
  const [category] = await db().select().from(categories).where(eq(categories.slug, slug)).limit(1);
  return category ?? null;
}
