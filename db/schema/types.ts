import { customType } from "drizzle-orm/pg-core";

/** A full-text search document; written with to_tsvector('simple', …) by the models. */
export const tsvector = customType<{ data: string }>({
  dataType: () => "tsvector",
});
