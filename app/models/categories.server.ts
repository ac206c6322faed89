import { asc, eq, sql } from "drizzle-orm";
import { preparedStatement } from "~db/client";
import { categories } from "~db/schema";

export type Category = typeof categories.$inferSelect;

const allCategories = preparedStatement((database) => database.select().from(categories).orderBy(asc(categories.position), asc(categories.name)).prepare("categories"));

const categoryBySlug = preparedStatement((database) =>
  database.select().from(categories).where(eq(categories.slug, sql.placeholder("slug"))).limit(1).prepare("category_by_slug"),
);

export async function listCategories(): Promise<Category[]> {
  return allCategories().execute();
}

export async function findCategoryBySlug(slug: string): Promise<Category | null> {
  const [category] = await categoryBySlug().execute({ slug });
  return category ?? null;
}
